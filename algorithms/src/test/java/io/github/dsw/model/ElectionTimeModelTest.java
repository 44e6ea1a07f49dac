package io.github.dsw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ElectionTimeModel} against the dissertation's own worked numbers (chapter 9) and against Monte Carlo
 * simulations written here from the definitions (JDK {@link SplittableRandom}, fixed seeds).
 */
class ElectionTimeModelTest {

    private static final long SEED = 20141001L;

    @Test
    void earliestTimeoutMatchesTheDissertationsExampleAndClosedForms() {
        // Section 9.1: "Pr(M_4 <= 1/4) = 1 - (1 - 1/4)^4 ~ 0.68"; E[M_4] = 1/5.
        assertEquals(0.68, ElectionTimeModel.earliestTimeoutCdf(4, 0.25), 0.005);
        assertEquals(0.2, ElectionTimeModel.earliestTimeoutMean(4), 1e-15);
        assertEquals(0.0, ElectionTimeModel.earliestTimeoutCdf(4, -1), 0);
        assertEquals(1.0, ElectionTimeModel.earliestTimeoutCdf(4, 2), 0);
        for (double q : new double[] {0.1, 0.5, 0.9}) {
            assertEquals(q, ElectionTimeModel.earliestTimeoutCdf(3, ElectionTimeModel.earliestTimeoutQuantile(3, q)), 1e-12);
        }
    }

    @Test
    void earliestTimeoutCdfAndMeanMatchMonteCarlo() {
        SplittableRandom r = new SplittableRandom(SEED);
        int draws = 200_000;
        for (int s : new int[] {1, 2, 4, 8}) {
            double[] min = new double[draws];
            double sum = 0;
            for (int i = 0; i < draws; i++) {
                double m = 1;
                for (int k = 0; k < s; k++) {
                    m = Math.min(m, r.nextDouble());
                }
                min[i] = m;
                sum += m;
            }
            Arrays.sort(min);
            assertEquals(ElectionTimeModel.earliestTimeoutMean(s), sum / draws, 0.003, "mean, s=" + s + " seed=" + SEED);
            for (double t : new double[] {0.05, 0.2, 0.5}) {
                double empirical = (double) upperIndex(min, t) / draws;
                assertEquals(ElectionTimeModel.earliestTimeoutCdf(s, t), empirical, 0.005, "cdf, s=" + s + " t=" + t + " seed=" + SEED);
            }
        }
    }

    @Test
    void splitVoteProbabilityMatchesTheDissertationsExamples() {
        // Section 9.2, n = 5, s = 4, range 100 ms: l = 1 ms "about 0.06%", 10 ms "about 5.2%", 20 ms "about 18.1%".
        assertEquals(3, ElectionTimeModel.splitThreshold(5, 4));
        assertEquals(0.0006, ElectionTimeModel.splitVoteProbability(5, 4, 0.01), 0.00005);
        assertEquals(0.052, ElectionTimeModel.splitVoteProbability(5, 4, 0.1), 0.0005);
        assertEquals(0.181, ElectionTimeModel.splitVoteProbability(5, 4, 0.2), 0.0005);
        // "a five-server cluster with two failures and l = 0.2 will see about half of elections end in split votes"
        assertEquals(0.5, ElectionTimeModel.splitVoteProbability(5, 3, 0.2), 0.03);
        assertEquals(1.0, ElectionTimeModel.splitVoteProbability(5, 4, 1.5), 0);
        assertEquals(1.0, ElectionTimeModel.splitVoteProbability(5, 4, Double.POSITIVE_INFINITY), 0);
        assertEquals(0.0, ElectionTimeModel.splitVoteProbability(5, 4, 0), 0);
    }

    @Test
    void splitVoteProbabilityMatchesMonteCarloOfTheOrderStatistics() {
        // D_{c,s} = T_(c) - T_(1) for s uniform timeouts; a split when D <= l (definition in section 9.2).
        SplittableRandom r = new SplittableRandom(SEED + 1);
        int draws = 200_000;
        int[][] cases = {{5, 4}, {5, 3}, {7, 5}, {9, 6}};
        for (int[] c : cases) {
            int n = c[0];
            int s = c[1];
            int k = ElectionTimeModel.splitThreshold(n, s);
            for (double l : new double[] {0.05, 0.2, 0.4}) {
                int splits = 0;
                double[] t = new double[s];
                for (int i = 0; i < draws; i++) {
                    for (int j = 0; j < s; j++) {
                        t[j] = r.nextDouble();
                    }
                    Arrays.sort(t);
                    splits += t[k - 1] - t[0] <= l ? 1 : 0;
                }
                assertEquals(ElectionTimeModel.splitVoteProbability(n, s, l), (double) splits / draws, 0.005,
                        "n=" + n + " s=" + s + " l=" + l + " seed=" + (SEED + 1));
            }
        }
    }

    @Test
    void expectedElectionTimeReducesToTheNoSplitFormula() {
        // Section 9.1: E[E_s] = 1 + 1/(s+1) + 2E[L] + E[W] - 1/4 when no vote splits.
        double l = 0.05;
        double w = 0.02;
        assertEquals(1 + 1.0 / 5 + 2 * l + w - 0.25, ElectionTimeModel.expectedElectionTime(0, 4, 1, 1, l, w, 0.25), 1e-12);
        // Section 9.3: a split rate p multiplies the per-term time by the geometric mean number of terms 1/(1-p).
        double p = 0.5;
        assertEquals(2 * (1 + 1.0 / 5 + l) + l + w - 0.25, ElectionTimeModel.expectedElectionTime(p, 4, 1, 1, l, w, 0.25), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, ElectionTimeModel.expectedElectionTime(1, 4, 1, 1, l, w, 0.25));
    }

    @Test
    void expectedElectionTimeMatchesMonteCarloOfItsOwnAssumptions() {
        // Simulate the dissertation's process: terms split independently with probability p; a split term costs
        // 1 + M_s + L, the successful one 1 + M_s + 2L + W - U(0, 1/2); fixed L and W.
        SplittableRandom r = new SplittableRandom(SEED + 2);
        int s = 4;
        double p = 0.3;
        double l = 0.04;
        double w = 0.01;
        int draws = 200_000;
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            double e = 0;
            while (r.nextDouble() < p) {
                e += 1 + earliest(r, s) + l;
            }
            e += 1 + earliest(r, s) + 2 * l + w - r.nextDouble() / 2;
            sum += e;
        }
        assertEquals(ElectionTimeModel.expectedElectionTime(p, s, 1, 1, l, w, 0.25), sum / draws, 0.005, "seed=" + (SEED + 2));
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> ElectionTimeModel.earliestTimeoutCdf(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> ElectionTimeModel.earliestTimeoutCdf(3, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ElectionTimeModel.splitVoteProbability(5, 2, 0.1));
        assertThrows(IllegalArgumentException.class, () -> ElectionTimeModel.splitVoteProbability(5, 6, 0.1));
        assertThrows(IllegalArgumentException.class, () -> ElectionTimeModel.splitVoteProbability(5, 4, -0.1));
        assertThrows(IllegalArgumentException.class, () -> ElectionTimeModel.expectedElectionTime(1.5, 4, 1, 1, 0, 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElectionTimeModel.expectedElectionTime(0.1, 4, -1, 1, 0, 0, 0));
        assertTrue(e.getMessage().contains("base"), e.getMessage());
    }

    private static double earliest(SplittableRandom r, int s) {
        double m = 1;
        for (int k = 0; k < s; k++) {
            m = Math.min(m, r.nextDouble());
        }
        return m;
    }

    /** Number of sorted values <= t. */
    private static int upperIndex(double[] sorted, double t) {
        int i = Arrays.binarySearch(sorted, t);
        return i >= 0 ? i + 1 : -i - 1;
    }
}
