package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyHashTest {

    /** Published XXH64 vectors (xxHash's own tests and widely reproduced tables, e.g. ClickHouse's 00803_xxhash.sql). */
    @Test
    void matchesPublishedVectors() {
        assertEquals(0xEF46DB3751D8E999L, KeyHash.of(""));
        assertEquals(0xD24EC4F1A98C6E5BL, KeyHash.of("a"));
        assertEquals(0x44BC2CF5AD770999L, KeyHash.of("abc"));
        assertEquals(0x32DD38952C4BC720L, KeyHash.of("xxhash"));
        assertEquals(0x0B242D361FDA71BCL, KeyHash.of("The quick brown fox jumps over the lazy dog"));
        assertEquals(0xFBCEA83C8A378BF1L, KeyHash.of("Nobody inspects the spammish repetition"));
        assertEquals(0xA2F5C44D0F46C872L, KeyHash.xxh64(new byte[0], 0x1234567890ABCDEFL));
    }

    /** Every length 0..100 (all tail paths, one and several stripes) against the reference C library. */
    @Test
    void matchesReferenceLibraryForEveryLength() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("../datasets/hashing/xxh64-vectors.csv"));
        int checked = 0;
        for (String line : lines) {
            if (line.startsWith("#") || line.startsWith("length")) {
                continue;
            }
            String[] f = line.split(",");
            int length = Integer.parseInt(f[0]);
            long seed = Long.parseUnsignedLong(f[1], 16);
            long expected = Long.parseUnsignedLong(f[2], 16);
            byte[] data = new byte[length];
            for (int i = 0; i < length; i++) {
                data[i] = (byte) i;
            }
            assertEquals(expected, KeyHash.xxh64(data, seed), "length=" + length + " seed=" + f[1]);
            checked++;
        }
        assertEquals(208, checked);
    }

    @Test
    void hashLongEqualsHashOfItsLittleEndianBytes() {
        long seed = 20261125L;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 10_000; i++) {
            long value = random.nextLong();
            long s = random.nextLong();
            byte[] bytes = new byte[8];
            for (int b = 0; b < 8; b++) {
                bytes[b] = (byte) (value >>> (8 * b));
            }
            assertEquals(KeyHash.xxh64(bytes, s), KeyHash.hashLong(value, s), "seed=" + seed + " i=" + i);
        }
    }

    @Test
    void offsetAndLengthSelectASlice() {
        byte[] data = "xxabcyy".getBytes(StandardCharsets.UTF_8);
        assertEquals(0x44BC2CF5AD770999L, KeyHash.xxh64(data, 2, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> KeyHash.xxh64(data, 5, 3, 0));
        assertThrows(IllegalArgumentException.class, () -> KeyHash.of((String) null));
    }

    @Test
    void toRangeStaysInRangeAndIsRoughlyUniform() {
        assertEquals(0, KeyHash.toRange(0L, 7));
        assertEquals(6, KeyHash.toRange(-1L, 7));
        int[] counts = new int[10];
        for (int i = 0; i < 100_000; i++) {
            counts[KeyHash.toRange(KeyHash.of(i), 10)]++;
        }
        for (int c : counts) {
            assertTrue(Math.abs(c - 10_000) < 500, "count " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> KeyHash.toRange(1L, 0));
        assertEquals("ef46db3751d8e999", HexFormat.of().toHexDigits(KeyHash.of("")));
    }
}
