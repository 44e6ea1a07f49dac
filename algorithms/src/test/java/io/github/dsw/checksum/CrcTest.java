package io.github.dsw.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;

/**
 * Every engine against the CRC RevEng catalogue (check and residue of every model), against the JDK's
 * CRC32/CRC32C on random data, against the bitwise definition on long inputs, and combine against the
 * CRC of the concatenation. Randomised tests print the seed that reproduces a failure.
 */
class CrcTest {

    static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    static Map<String, Function<CrcSpec, Checksum>> engines() {
        Map<String, Function<CrcSpec, Checksum>> e = new LinkedHashMap<>();
        e.put("bitwise", Crc::bitwise);
        e.put("table", Crc::table);
        e.put("slicing4", s -> Crc.slicing(s, 4));
        e.put("slicing8", s -> Crc.slicing(s, 8));
        e.put("slicing16", s -> Crc.slicing(s, 16));
        e.put("of", Crc::of);
        return e;
    }

    @Test
    void everyEngineGivesTheCatalogueCheckForEveryModel() {
        for (CrcSpec spec : CrcCatalogue.all()) {
            for (var engine : engines().entrySet()) {
                for (Feed feed : Feed.values()) {
                    Checksum c = engine.getValue().apply(spec);
                    feed.piece(c, CHECK_INPUT, 0, CHECK_INPUT.length);
                    assertEquals(spec.check(), c.getValue(), spec.name() + " " + engine.getKey() + " via " + feed);
                    c.reset();
                    feed.piece(c, CHECK_INPUT, 0, CHECK_INPUT.length);
                    assertEquals(spec.check(), c.getValue(), spec.name() + " " + engine.getKey() + " after reset");
                }
            }
        }
    }

    /** Independent of the engines: residue = xorOut * x^width mod P (see CrcSpec), by plain long division. */
    @Test
    void catalogueResidueIsXorOutTimesXToTheWidthModP() {
        for (CrcSpec spec : CrcCatalogue.all()) {
            int w = spec.width();
            long mask = spec.mask();
            long r = spec.xorOut();
            for (int k = 0; k < w; k++) {
                boolean top = ((r >>> (w - 1)) & 1) == 1;
                r = (r << 1) & mask;
                if (top) {
                    r ^= spec.poly();
                }
            }
            long expected = spec.refOut() ? Long.reverse(r) >>> (64 - w) : r;
            assertEquals(spec.residue(), expected, spec.name());
        }
    }

    /** An error-free codeword (message, then its CRC in transmission order) leaves the residue. */
    @Test
    void everyEngineLeavesTheCatalogueResidueAfterACodeword() {
        int checked = 0;
        for (CrcSpec spec : CrcCatalogue.all()) {
            if (spec.width() % 8 != 0 || spec.refIn() != spec.refOut()) {
                continue;   // the CRC is not a whole number of bytes in the message's bit order
            }
            int n = spec.width() / 8;
            byte[] codeword = new byte[CHECK_INPUT.length + n];
            System.arraycopy(CHECK_INPUT, 0, codeword, 0, CHECK_INPUT.length);
            for (int k = 0; k < n; k++) {   // reflected CRCs go out LSB first: little-endian bytes
                int shift = spec.refOut() ? 8 * k : 8 * (n - 1 - k);
                codeword[CHECK_INPUT.length + k] = (byte) (spec.check() >>> shift);
            }
            for (var engine : engines().entrySet()) {
                Checksum c = engine.getValue().apply(spec);
                c.update(codeword, 0, codeword.length);
                assertEquals(spec.residue() ^ spec.xorOut(), c.getValue(), spec.name() + " " + engine.getKey());
            }
            checked++;
        }
        assertEquals(79, checked, "byte-aligned models checked");
    }

    @Test
    void equalsJdkCrc32AndCrc32cOnRandomDataInRandomPieces() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        CrcSpec crc32 = CrcCatalogue.byName("CRC-32/ISO-HDLC");
        CrcSpec crc32c = CrcCatalogue.byName("CRC-32/ISCSI");
        for (int trial = 0; trial < 120; trial++) {
            byte[] data = new byte[trial < 20 ? trial : random.nextInt(4097)];
            random.nextBytes(data);
            CRC32 jdk = new CRC32();
            jdk.update(data);
            CRC32C jdkC = new CRC32C();
            jdkC.update(data);
            for (var engine : engines().entrySet()) {
                for (Feed feed : Feed.values()) {
                    if (feed == Feed.SINGLE_BYTES && engine.getKey().equals("bitwise") && data.length > 600) {
                        continue;
                    }
                    Checksum c = engine.getValue().apply(crc32);
                    feed.all(c, data, random);
                    assertEquals(jdk.getValue(), c.getValue(), "CRC-32 " + engine.getKey() + " via " + feed
                            + " length " + data.length + " seed=" + seed);
                    Checksum cc = engine.getValue().apply(crc32c);
                    feed.all(cc, data, random);
                    assertEquals(jdkC.getValue(), cc.getValue(), "CRC-32C " + engine.getKey() + " via " + feed
                            + " length " + data.length + " seed=" + seed);
                }
            }
        }
    }

    /** Long inputs reach the slicing loops (the 9-byte check string never fills a 16-byte block). */
    @Test
    void everyEngineEqualsTheBitwiseDefinitionOnLongInputsForEveryModel() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (CrcSpec spec : CrcCatalogue.all()) {
            byte[] data = new byte[1 + random.nextInt(200)];
            random.nextBytes(data);
            Checksum reference = Crc.bitwise(spec);
            reference.update(data, 0, data.length);
            for (var engine : engines().entrySet()) {
                Feed feed = Feed.values()[random.nextInt(Feed.values().length)];
                Checksum c = engine.getValue().apply(spec);
                feed.all(c, data, random);
                assertEquals(reference.getValue(), c.getValue(), spec.name() + " " + engine.getKey() + " via " + feed
                        + " length " + data.length + " seed=" + seed);
            }
        }
    }

    @Test
    void combineEqualsTheCrcOfTheConcatenationForEveryModel() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (CrcSpec spec : CrcCatalogue.all()) {
            for (int trial = 0; trial < 8; trial++) {
                byte[] a = new byte[trial == 0 ? 0 : random.nextInt(100)];
                byte[] b = new byte[trial == 1 ? 0 : random.nextInt(100)];
                random.nextBytes(a);
                random.nextBytes(b);
                long whole = crc(spec, a, b);
                long combined = Crc.combine(spec, crc(spec, a), crc(spec, b), b.length);
                assertEquals(whole, combined, spec.name() + " |A|=" + a.length + " |B|=" + b.length + " seed=" + seed);
            }
        }
    }

    @Test
    void combineAgreesWithJdkCrc32ForLengths0To1000AndALargeOne() {
        CrcSpec spec = CrcCatalogue.byName("CRC-32");
        byte[] a = "hello ".getBytes(StandardCharsets.US_ASCII);
        byte[] big = new byte[(1 << 24) - 1];
        new Random(1).nextBytes(big);
        CRC32 jdkA = new CRC32();
        jdkA.update(a);
        for (int n = 0; n <= 1000; n += (n < 40 ? 1 : 37)) {
            CRC32 jdkB = new CRC32();
            jdkB.update(big, 0, n);
            CRC32 jdkAB = new CRC32();
            jdkAB.update(a);
            jdkAB.update(big, 0, n);
            assertEquals(jdkAB.getValue(), Crc.combine(spec, jdkA.getValue(), jdkB.getValue(), n), "lengthB=" + n);
        }
        CRC32 jdkB = new CRC32();
        jdkB.update(big);
        CRC32 jdkAB = new CRC32();
        jdkAB.update(a);
        jdkAB.update(big);
        assertEquals(jdkAB.getValue(), Crc.combine(spec, jdkA.getValue(), jdkB.getValue(), big.length));
    }

    /** The worked example from the chapter's notes: crc32("hello ") and crc32("world") give crc32("hello world"). */
    @Test
    void combineWorkedExample() {
        CrcSpec spec = CrcCatalogue.byName("CRC-32");
        assertEquals(0x0d4a1185L, Crc.combine(spec, 0xed81f9f6L, 0x3a771143L, 5));
    }

    @Test
    void combineRejectsBadArguments() {
        CrcSpec spec = CrcCatalogue.byName("CRC-16/ARC");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Crc.combine(spec, 0, 0, -1)).getMessage().contains("lengthB"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Crc.combine(spec, 0x10000, 0, 1)).getMessage().contains("crcA"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Crc.combine(spec, 0, 0x10000, 1)).getMessage().contains("crcB"));
    }

    @Test
    void slicingRejectsUnsupportedSliceCounts() {
        CrcSpec spec = CrcCatalogue.byName("CRC-32");
        for (int slices : List.of(0, 1, 2, 5, 32)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Crc.slicing(spec, slices))
                    .getMessage().contains("slices"));
        }
    }

    @Test
    void updateRejectsOutOfBoundsRanges() {
        Checksum c = Crc.of(CrcCatalogue.byName("CRC-32"));
        assertThrows(IndexOutOfBoundsException.class, () -> c.update(new byte[4], 2, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> c.update(new byte[4], -1, 1));
    }

    static long crc(CrcSpec spec, byte[]... parts) {
        Checksum c = Crc.table(spec);
        for (byte[] p : parts) {
            c.update(p, 0, p.length);
        }
        return c.getValue();
    }
}
