package io.github.dsw.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;

/**
 * Adler-32 against the JDK; Fletcher-16/32 against the published test vectors (Wikipedia, "Fletcher's
 * checksum", section "Test vectors"); the Internet checksum against RFC 1071's worked example; all of
 * them split at random points against the same data in one piece.
 */
class SumChecksumsTest {

    private static long value(Checksum c, String ascii) {
        byte[] b = ascii.getBytes(StandardCharsets.US_ASCII);
        c.update(b, 0, b.length);
        return c.getValue();
    }

    @Test
    void adler32EqualsJdkOnRandomDataInRandomPieces() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        assertEquals(0x11E60398L, value(new Adler32(), "Wikipedia"));
        for (int trial = 0; trial < 150; trial++) {
            byte[] data = new byte[trial == 0 ? 20000 : random.nextInt(4097)];
            if (trial % 3 == 0) {
                java.util.Arrays.fill(data, (byte) 0xff);   // worst case for the deferred modulo
            } else {
                random.nextBytes(data);
            }
            java.util.zip.Adler32 jdk = new java.util.zip.Adler32();
            jdk.update(data);
            for (Feed feed : Feed.values()) {
                Checksum c = new Adler32();
                feed.all(c, data, random);
                assertEquals(jdk.getValue(), c.getValue(), "via " + feed + " length " + data.length + " seed=" + seed);
            }
        }
    }

    @Test
    void fletcherMatchesPublishedVectors() {
        assertEquals(0xC8F0L, value(new Fletcher16(), "abcde"));
        assertEquals(0x2057L, value(new Fletcher16(), "abcdef"));
        assertEquals(0x0627L, value(new Fletcher16(), "abcdefgh"));
        assertEquals(0xF04FC729L, value(new Fletcher32(), "abcde"));
        assertEquals(0x56502D2AL, value(new Fletcher32(), "abcdef"));
        assertEquals(0xEBE19591L, value(new Fletcher32(), "abcdefgh"));
    }

    /** RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2; the checksum field is its complement. */
    @Test
    void internetChecksumMatchesRfc1071Example() {
        byte[] data = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        InternetChecksum c = new InternetChecksum();
        c.update(data, 0, data.length);
        assertEquals(0x220dL, c.getValue());
        c.update(new byte[] {0x22, 0x0d}, 0, 2);   // data plus its checksum field sums to 0xffff
        assertEquals(0L, c.getValue());
    }

    @Test
    void splittingTheInputAnywhereDoesNotChangeTheValue() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (Supplier<Checksum> factory : java.util.List.<Supplier<Checksum>>of(
                Adler32::new, Fletcher16::new, Fletcher32::new, InternetChecksum::new)) {
            for (int trial = 0; trial < 100; trial++) {
                byte[] data = new byte[trial == 0 ? 100_000 : random.nextInt(3000)];
                if (trial % 4 == 0) {
                    java.util.Arrays.fill(data, (byte) 0xff);
                } else {
                    random.nextBytes(data);
                }
                Checksum whole = factory.get();
                whole.update(data, 0, data.length);
                for (Feed feed : Feed.values()) {
                    Checksum c = factory.get();
                    feed.all(c, data, random);
                    assertEquals(whole.getValue(), c.getValue(), c.getClass().getSimpleName() + " via " + feed
                            + " length " + data.length + " seed=" + seed);
                    c.reset();
                    c.update(data, 0, data.length);
                    assertEquals(whole.getValue(), c.getValue(), c.getClass().getSimpleName() + " after reset");
                }
            }
        }
    }

    /** Against a direct transcription of the definitions (sums reduced after every step). */
    @Test
    void deferredReductionsEqualTheDefinition() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int trial = 0; trial < 30; trial++) {
            byte[] data = new byte[random.nextInt(20000)];
            if (trial % 2 == 0) {
                java.util.Arrays.fill(data, (byte) 0xff);
            } else {
                random.nextBytes(data);
            }
            long s1 = 0, s2 = 0;
            for (byte b : data) {
                s1 = (s1 + (b & 0xff)) % 255;
                s2 = (s2 + s1) % 255;
            }
            Checksum f16 = new Fletcher16();
            f16.update(data, 0, data.length);
            assertEquals(s2 << 8 | s1, f16.getValue(), "Fletcher-16 length " + data.length + " seed=" + seed);
            long w1 = 0, w2 = 0;
            for (int i = 0; i < data.length; i += 2) {
                int word = (data[i] & 0xff) | (i + 1 < data.length ? (data[i + 1] & 0xff) << 8 : 0);
                w1 = (w1 + word) % 65535;
                w2 = (w2 + w1) % 65535;
            }
            Checksum f32 = new Fletcher32();
            f32.update(data, 0, data.length);
            assertEquals(w2 << 16 | w1, f32.getValue(), "Fletcher-32 length " + data.length + " seed=" + seed);
            long sum = 0;
            for (int i = 0; i < data.length; i += 2) {
                sum += (data[i] & 0xff) << 8 | (i + 1 < data.length ? data[i + 1] & 0xff : 0);
                sum = (sum & 0xffff) + (sum >>> 16);
            }
            Checksum inet = new InternetChecksum();
            inet.update(data, 0, data.length);
            assertEquals(~sum & 0xffff, inet.getValue(), "Internet length " + data.length + " seed=" + seed);
        }
    }
}
