package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JumpHashTest {

    /** Vectors "generated from the reference C++ code" in dgryski/go-jump's jump_test.go, buckets 1..19. */
    @Test
    void matchesVectorsFromTheReferenceCode() {
        long[] keys = {0L, 1L, 0xdeadbeefL, 0x0ddc0ffeebadf00dL};
        int[][] expected = {
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            {0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 17, 17},
            {0, 1, 2, 3, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 16, 16, 16},
            {0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 15, 15, 15, 15},
        };
        for (int k = 0; k < keys.length; k++) {
            int[] got = new int[19];
            for (int b = 1; b <= 19; b++) {
                got[b - 1] = JumpHash.bucket(keys[k], b);
            }
            assertArrayEquals(expected[k], got, "key=" + Long.toHexString(keys[k]));
        }
        // m3db's documentation: FNV-1-64("foo") = 15621798640163566899 goes to bucket 9 of 10.
        assertEquals(9, JumpHash.bucket(Long.parseUnsignedLong("15621798640163566899"), 10));
    }

    /**
     * Keys where the paper's listing and Guava differ (see the course text): the first makes the top 31
     * bits of the state all ones (Guava's int overflows and returns early), the second hits a case where
     * one rounding and two roundings differ. Paper values computed with the paper's C++ listing (g++).
     */
    @Test
    void pinsThePapersBehaviourWhereGuavaDiffers() {
        long overflow = -383274579211869544L;
        assertEquals(1, JumpHash.bucket(overflow, 2));
        assertEquals(7, JumpHash.bucket(overflow, 10));
        assertEquals(222, JumpHash.bucket(overflow, 1000));
        assertEquals(0, Hashing.consistentHash(overflow, 10), "Guava's overflow case");

        long rounding = 1673232497983283878L;
        assertEquals(63, JumpHash.bucket(rounding, 64));
        assertEquals(63, JumpHash.bucket(rounding, 100));
        assertEquals(244, JumpHash.bucket(rounding, 1000));
        assertEquals(48, Hashing.consistentHash(rounding, 64), "Guava's single-rounding case");
    }

    @Test
    void agreesWithGuavaForAMillionRandomKeys() {
        long seed = 0x5EEDL;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 1_000_000; i++) {
            long key = random.nextLong();
            int buckets = 1 + i % 10_000;
            assertEquals(Hashing.consistentHash(key, buckets), JumpHash.bucket(key, buckets),
                    "seed=" + seed + " i=" + i + " key=" + key + " buckets=" + buckets);
        }
    }

    @Test
    void growingMovesKeysOnlyToTheNewBucket() {
        long seed = 7L;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++) {
            long key = random.nextLong();
            int n = 1 + random.nextInt(500);
            int before = JumpHash.bucket(key, n);
            int after = JumpHash.bucket(key, n + 1);
            assertTrue(after == before || after == n, "seed=" + seed + " key=" + key + " n=" + n);
        }
    }

    @Test
    void removesOnlyTheLastBucket() {
        JumpHash jump = new JumpHash(List.of("a", "b", "c"));
        assertEquals(List.of("a", "b"), jump.withoutNode("c").nodes());
        UnsupportedOperationException e =
                assertThrows(UnsupportedOperationException.class, () -> jump.withoutNode("a"));
        assertTrue(e.getMessage().contains("last bucket"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JumpHash.bucket(1L, 0));
        assertThrows(IllegalArgumentException.class, () -> jump.withoutNode("zz"));
    }
}
