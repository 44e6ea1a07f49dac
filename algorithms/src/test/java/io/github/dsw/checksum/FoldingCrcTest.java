package io.github.dsw.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;

/**
 * The folding engine against the plain table engine (itself checked against the bitwise definition and
 * the catalogue) on inputs long enough to take the folding path, and its zero polynomial against the
 * definition Z mod G = 0 computed by plain long division.
 */
class FoldingCrcTest {

    /** Z = y^a + y^e1 + ... + y^ek + 1 with y = x^64, reduced mod G by one bit at a time. */
    private static long zModG(CrcSpec spec, int[] z) {
        int w = spec.width();
        long mask = spec.mask();
        long r = 0;
        int degree = 64 * z[0];
        for (int bit = degree; bit >= 0; bit--) {
            boolean top = ((r >>> (w - 1)) & 1) == 1;
            r = (r << 1) & mask;
            if (top) {
                r ^= spec.poly();
            }
            boolean term = bit == 0;
            for (int e : z) {
                term |= bit == 64 * e;
            }
            if (term) {
                r ^= 1;
            }
        }
        return r;
    }

    @Test
    void zeroPolynomialsAreMultiplesOfTheGenerator() {
        for (String name : new String[] {"CRC-32/ISO-HDLC", "CRC-32/ISCSI", "CRC-16/ARC", "CRC-24/OPENPGP"}) {
            CrcSpec spec = CrcCatalogue.byName(name);
            int[] z = new FoldingCrc(spec).zero();
            assertNotNull(z, name);
            for (int i = 1; i < z.length; i++) {
                assertTrue(z[i - 1] > z[i] && z[i] > 0 && z[0] <= FoldingCrc.MAX_WORDS, name);
            }
            assertTrue(z.length == 4 || z.length == 5, name);
            assertEquals(0, zModG(spec, z), name + " a,b,c,d=" + java.util.Arrays.toString(z));
        }
    }

    @Test
    void equalsJdkOnLongInputsInRandomPieces() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        CrcSpec crc32 = CrcCatalogue.byName("CRC-32");
        CrcSpec crc32c = CrcCatalogue.byName("CRC-32C");
        for (int trial = 0; trial < 12; trial++) {
            byte[] data = new byte[16384 + random.nextInt(300_000)];
            random.nextBytes(data);
            CRC32 jdk = new CRC32();
            jdk.update(data);
            CRC32C jdkC = new CRC32C();
            jdkC.update(data);
            for (Feed feed : new Feed[] {Feed.ARRAY, Feed.HEAP_BUFFER, Feed.DIRECT_BUFFER}) {
                Checksum c = new FoldingCrc(crc32);
                Checksum cc = new FoldingCrc(crc32c);
                if (random.nextBoolean()) {
                    feed.piece(c, data, 0, data.length);
                    feed.piece(cc, data, 0, data.length);
                } else {
                    int cut = random.nextInt(data.length);
                    feed.piece(c, data, 0, cut);
                    feed.piece(c, data, cut, data.length - cut);
                    feed.piece(cc, data, 0, cut);
                    feed.piece(cc, data, cut, data.length - cut);
                }
                assertEquals(jdk.getValue(), c.getValue(), "CRC-32 length " + data.length + " via " + feed + " seed=" + seed);
                assertEquals(jdkC.getValue(), cc.getValue(), "CRC-32C length " + data.length + " via " + feed + " seed=" + seed);
            }
        }
    }

    @Test
    void equalsTableEngineOnLongInputsForEveryModel() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int folding = 0;
        for (CrcSpec spec : CrcCatalogue.all()) {
            FoldingCrc engine = new FoldingCrc(spec);
            if (engine.zero() != null) {
                folding++;
            }
            byte[] data = new byte[20_000 + random.nextInt(30_000)];
            random.nextBytes(data);
            int off = random.nextInt(16);
            int len = data.length - off - random.nextInt(16);
            Checksum reference = Crc.table(spec);
            reference.update(data, off, len);
            engine.update(data, off, len);
            assertEquals(reference.getValue(), engine.getValue(), spec.name() + " off " + off + " len " + len + " seed=" + seed);
        }
        assertTrue(folding >= 90, "models with a zero polynomial: " + folding);
    }
}
