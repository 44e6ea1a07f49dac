package io.github.dsw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Expected values come from closed forms independent of the binomial-tail code: the minimum and maximum
 * of m draws (F_min = 1 − (1 − F)^m, F_max = F^m), the Beta(k, m − k + 1) mean and variance of uniform
 * order statistics, Rényi's sum for exponential means, published values of Φ, and a seeded Monte Carlo.
 */
class QuorumLatencyTest {

    @Test
    void majorityAndAcks() {
        assertEquals(2, QuorumLatency.majority(3));
        assertEquals(3, QuorumLatency.majority(5));
        assertEquals(4, QuorumLatency.majority(7));
        assertEquals(3, QuorumLatency.majority(4));
        assertEquals(1, QuorumLatency.followerAcks(3));
        assertEquals(2, QuorumLatency.followerAcks(5));
        assertEquals(3, QuorumLatency.followerAcks(7));
    }

    @Test
    void minAndMaxQuantilesMatchClosedForms() {
        DoubleUnaryOperator u = QuorumLatency.uniformCdf(0, 1);
        DoubleUnaryOperator e = QuorumLatency.exponentialCdf(2.0);
        for (int m : new int[] {1, 2, 4, 6, 10}) {
            for (double p : new double[] {0.1, 0.5, 0.9, 0.99}) {
                assertEquals(1 - Math.pow(1 - p, 1.0 / m), QuorumLatency.kthQuantile(u, m, 1, p, 0, 1), 1e-9,
                        "uniform min m=" + m + " p=" + p);
                assertEquals(Math.pow(p, 1.0 / m), QuorumLatency.kthQuantile(u, m, m, p, 0, 1), 1e-9,
                        "uniform max m=" + m + " p=" + p);
                // The minimum of m Exponential(λ) is Exponential(mλ).
                assertEquals(-Math.log(1 - p) / (2.0 * m), QuorumLatency.kthQuantile(e, m, 1, p, 0, 100), 1e-9,
                        "exponential min m=" + m + " p=" + p);
            }
        }
    }

    @Test
    void uniformOrderStatisticIsBetaMeanAndVariance() {
        DoubleUnaryOperator u = QuorumLatency.uniformCdf(0, 1);
        for (int m = 1; m <= 8; m++) {
            for (int k = 1; k <= m; k++) {
                double a = k;
                double b = m - k + 1;
                double mean = a / (a + b);
                double var = a * b / ((a + b) * (a + b) * (a + b + 1));
                assertEquals(mean, QuorumLatency.kthMean(u, m, k, 1, 2000), 1e-9, "mean m=" + m + " k=" + k);
                assertEquals(mean, QuorumLatency.uniformKthMean(0, 1, m, k), 1e-15);
                // E[X²] = ∫ 2t (1 − G(t)) dt, by a midpoint sum.
                int steps = 20000;
                double h = 1.0 / steps;
                double m2 = 0;
                for (int i = 0; i < steps; i++) {
                    double t = (i + 0.5) * h;
                    m2 += 2 * t * (1 - QuorumLatency.kthCdf(u, m, k, t)) * h;
                }
                assertEquals(var, m2 - mean * mean, 1e-7, "variance m=" + m + " k=" + k);
            }
        }
    }

    @Test
    void exponentialMeanMatchesRenyiSum() {
        double rate = 0.5;
        DoubleUnaryOperator e = QuorumLatency.exponentialCdf(rate);
        for (int m : new int[] {2, 4, 6}) {
            for (int k = 1; k <= m; k++) {
                double renyi = 0;
                for (int i = m - k + 1; i <= m; i++) {
                    renyi += 1 / (rate * i);
                }
                assertEquals(renyi, QuorumLatency.exponentialKthMean(rate, m, k), 1e-12);
                assertEquals(renyi, QuorumLatency.kthMean(e, m, k, 80, 20000), 1e-6, "m=" + m + " k=" + k);
            }
        }
    }

    @Test
    void normalCdfMatchesPublishedValues() {
        // Φ values from standard normal tables (Abramowitz and Stegun, Table 26.1).
        assertEquals(0.5, QuorumLatency.normalCdf(0), 1e-7);
        assertEquals(0.8413447460685429, QuorumLatency.normalCdf(1), 2e-7);
        assertEquals(0.9750021048517795, QuorumLatency.normalCdf(1.96), 2e-7);
        assertEquals(0.0227501319481792, QuorumLatency.normalCdf(-2), 2e-7);
    }

    @Test
    void monteCarloAgreesWithFormulaForLogNormal() {
        long seed = 20261125L;
        SplittableRandom rng = new SplittableRandom(seed);
        double mu = Math.log(1.0);
        double sigma = 0.5;
        DoubleUnaryOperator cdf = QuorumLatency.logNormalCdf(mu, sigma);
        int[][] cases = {{2, 1}, {4, 2}, {6, 3}};
        for (int[] c : cases) {
            int m = c[0];
            int k = c[1];
            double[] s = QuorumLatency.sampleKth(r -> Math.exp(mu + sigma * gaussian(r)), m, k, 40_000, rng);
            Arrays.sort(s);
            for (double p : new double[] {0.5, 0.9, 0.99}) {
                double empirical = s[(int) (p * s.length)];
                double model = QuorumLatency.kthQuantile(cdf, m, k, p, 0, 50);
                assertEquals(model, empirical, 0.03 * model, "seed=" + seed + " m=" + m + " k=" + k + " p=" + p);
            }
            double mean = Arrays.stream(s).average().orElseThrow();
            assertEquals(QuorumLatency.kthMean(cdf, m, k, 50, 20000), mean, 0.01, "seed=" + seed + " mean m=" + m);
        }
    }

    @Test
    void monteCarloAgreesWithExponentialClosedForm() {
        long seed = 7L;
        double[] s = QuorumLatency.sampleKth(r -> -Math.log(1 - r.nextDouble()) / 3.0, 6, 3, 50_000,
                new SplittableRandom(seed));
        double mean = Arrays.stream(s).average().orElseThrow();
        assertEquals(QuorumLatency.exponentialKthMean(3.0, 6, 3), mean, 0.005, "seed=" + seed);
    }

    @Test
    void empiricalCdfOfUniformSamplesApproachesUniform() {
        long seed = 11L;
        SplittableRandom r = new SplittableRandom(seed);
        double[] xs = new double[100_000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = r.nextDouble();
        }
        DoubleUnaryOperator e = QuorumLatency.empiricalCdf(xs);
        // The 2nd smallest of 4 uniforms is Beta(2, 3), mean k/(m + 1) = 0.4.
        assertEquals(0.4, QuorumLatency.kthMean(e, 4, 2, 1, 2000), 0.005, "seed=" + seed);
        assertEquals(0.5, e.applyAsDouble(0.5), 0.01, "seed=" + seed);
    }

    @Test
    void constantLatencyIsConstant() {
        DoubleUnaryOperator c = QuorumLatency.constantCdf(2.0);
        assertEquals(2.0, QuorumLatency.kthQuantile(c, 4, 2, 0.5, 0, 10), 1e-9);
        assertEquals(2.0, QuorumLatency.kthMean(c, 4, 2, 10, 10000), 1e-2);
    }

    @Test
    void rejectsBadArguments() {
        DoubleUnaryOperator u = QuorumLatency.uniformCdf(0, 1);
        assertThrows(IllegalArgumentException.class, () -> QuorumLatency.kthCdf(u, 3, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> QuorumLatency.kthCdf(u, 3, 4, 0.5));
        assertThrows(IllegalArgumentException.class, () -> QuorumLatency.kthQuantile(u, 3, 1, 1.0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> QuorumLatency.majority(0));
        assertTrue(QuorumLatency.kthCdfFromF(0.3, 1000, 400) >= 0);
    }

    @Test
    void batchingModel() {
        BatchingThroughput m = new BatchingThroughput(10, 1, 100);
        // Written out from the definition: b/(c0 + b c1) and w b/(R + c0 + b c1).
        assertEquals(1.0 / 11, m.cpuBound(1), 1e-15);
        assertEquals(64.0 / 74, m.cpuBound(64), 1e-15);
        assertEquals(4.0 * 8 / (100 + 10 + 8), m.windowBound(8, 4), 1e-15);
        assertEquals(Math.min(8.0 / 18, 32.0 / 118), m.throughput(8, 4), 1e-15);
        assertTrue(m.throughput(1 << 20, 1 << 10) < 1.0, "asymptote 1/perEntry");
        BatchingThroughput f = BatchingThroughput.fit(new int[] {1, 2, 4, 8}, new double[] {11, 12, 14, 18}, 100);
        assertEquals(10, f.perRound(), 1e-9);
        assertEquals(1, f.perEntry(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> m.throughput(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new BatchingThroughput(0, 0, 1));
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller, so the test does not depend on java.util.Random's algorithm.
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
