package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.consistency.pbs.Pbs;
import io.github.dsw.runtime.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PBS: the closed forms against enumeration, the Monte-Carlo model against quorum intersection and hand-derived cases. */
class PbsTest {

    static final long SEED = Long.getLong("dsw.seed", 2012L);

    /** Enumerates every R-subset of N replicas: the fraction that meets the first W (the acknowledging ones). */
    static double enumerateMeets(int n, int r, int w) {
        int meets = 0;
        int all = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) == r) {
                all++;
                meets += (mask & ((1 << w) - 1)) != 0 ? 1 : 0;
            }
        }
        return meets / (double) all;
    }

    @Test
    void closedFormsAgreeWithEnumeration() {
        for (int n = 1; n <= 7; n++) {
            for (int r = 1; r <= n; r++) {
                for (int w = 1; w <= n; w++) {
                    double p = enumerateMeets(n, r, w);
                    assertEquals(p, Pbs.commitTimeLowerBound(n, r, w), 1e-12, n + "/" + r + "/" + w);
                    assertEquals(1 - Math.pow(1 - p, 3), Pbs.kStaleness(n, r, w, 3), 1e-12);
                }
            }
        }
        assertEquals(1.0 / 3, Pbs.commitTimeLowerBound(3, 1, 1), 1e-12);
    }

    @Test
    void strictQuorumsAreAlwaysConsistentAndPartialOnesConvergeToOne() {
        double[] t = {0, 0.5, 1, 2, 5, 10, 50};
        Pbs.Wars exp = Pbs.Wars.all(Pbs.Dist.exponential(1));
        double[] strict = Pbs.tVisibility(3, 2, 2, exp, t, 20_000, new SplitMix64(SEED));
        for (double p : strict) {
            assertEquals(1.0, p, 0.0, "R + W > N: every read quorum meets the write quorum (seed " + SEED + ")");
        }
        double[] partial = Pbs.tVisibility(3, 1, 1, exp, t, 20_000, new SplitMix64(SEED));
        for (int i = 1; i < t.length; i++) {
            assertTrue(partial[i] >= partial[i - 1], "monotone in t, seed " + SEED);
        }
        assertTrue(partial[0] >= Pbs.commitTimeLowerBound(3, 1, 1) && partial[0] < 1, "at commit: above the closed form, below 1");
        assertEquals(1.0, partial[t.length - 1], 1e-3, "long after the write every replica has it");
    }

    @Test
    void constantDelaysGiveTheHandDerivedStep() {
        // N=3, R=W=1, W and A legs 1 ms, R and S legs 0 ms: all replicas get the write at 1 ms, the commit is at 2 ms;
        // a read at commit + t reaches a replica at 2 + t >= 1: always consistent.
        Pbs.Wars w = new Pbs.Wars(Pbs.Dist.constant(1), Pbs.Dist.constant(1), Pbs.Dist.constant(0), Pbs.Dist.constant(0));
        assertEquals(1.0, Pbs.tVisibility(3, 1, 1, w, new double[] {0}, 100, new SplitMix64(SEED))[0]);
        // at t = 0 at least the closed form's share of reads meets an acknowledging replica
        List<Double> ps = new ArrayList<>();
        for (double p : Pbs.tVisibility(5, 2, 3, Pbs.Wars.all(Pbs.Dist.exponential(0.5)), new double[] {0}, 10_000, new SplitMix64(SEED))) {
            ps.add(p);
        }
        assertTrue(ps.get(0) >= Pbs.commitTimeLowerBound(5, 2, 3), "seed " + SEED);
    }
}
