package io.github.dsw.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMix64Test {

    @Test
    void sameSequenceAsJdkSplittableRandom() {
        // SplittableRandom(seed) is SplitMix64 with the golden gamma: an independent implementation.
        for (long seed : new long[] {0, 1, 42, -7, 0x123456789abcdefL}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            SplitMix64 ours = new SplitMix64(seed);
            for (int i = 0; i < 1000; i++) {
                assertEquals(jdk.nextLong(), ours.nextLong(), "seed=" + seed + " draw " + i);
            }
        }
    }

    @Test
    void nextDoubleIsTheTop53BitsLikeTheJdk() {
        SplittableRandom jdk = new SplittableRandom(99);
        SplitMix64 ours = new SplitMix64(99);
        for (int i = 0; i < 1000; i++) {
            assertEquals(jdk.nextDouble(), ours.nextDouble(), "draw " + i);
        }
    }

    @Test
    void boundedDrawsStayInRangeAndCoverIt() {
        SplitMix64 r = new SplitMix64(5);
        int[] seen = new int[7];
        for (int i = 0; i < 7000; i++) {
            int v = r.nextInt(7);
            assertTrue(v >= 0 && v < 7);
            seen[v]++;
        }
        for (int c : seen) {
            assertTrue(c > 800 && c < 1200, "roughly uniform: " + c);
        }
    }

    @Test
    void gaussianHasMeanZeroAndUnitVariance() {
        SplitMix64 r = new SplitMix64(11);
        double sum = 0;
        double sq = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, sq / n, 0.01);
    }
}
