package io.github.dsw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fit is checked on synthetic data generated from known parameters (the expected values), with
 * and without seeded noise, and against Gunther's linearised estimator, an independent method.
 */
class UslTest {

    static final double[] N = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32};

    static double[] generate(Usl truth, double[] n) {
        double[] x = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            // Written out from the formula, not through truth.throughput, so a bug there cannot cancel.
            x[i] = truth.lambda() * n[i] / (1 + truth.sigma() * (n[i] - 1) + truth.kappa() * n[i] * (n[i] - 1));
        }
        return x;
    }

    @Test
    void recoversKnownParametersFromExactData() {
        Usl[] truths = {
                new Usl(1000, 0.05, 0.002),
                new Usl(2.5e7, 0.3, 0.0001),
                new Usl(10, 0.0, 0.02),
                new Usl(500, 0.12, 0.0)};
        for (Usl truth : truths) {
            Usl fitted = Usl.fit(N, generate(truth, N));
            assertEquals(truth.lambda(), fitted.lambda(), 1e-6 * truth.lambda(), "lambda for " + truth);
            assertEquals(truth.sigma(), fitted.sigma(), 1e-6, "sigma for " + truth);
            assertEquals(truth.kappa(), fitted.kappa(), 1e-7, "kappa for " + truth);
        }
    }

    @Test
    void linearisedEstimatorAgreesOnExactData() {
        Usl truth = new Usl(1000, 0.05, 0.002);
        Usl lin = Usl.fitLinearized(N, generate(truth, N));
        assertEquals(truth.sigma(), lin.sigma(), 1e-9);
        assertEquals(truth.kappa(), lin.kappa(), 1e-9);
        assertEquals(truth.lambda(), lin.lambda(), 1e-9);
    }

    @Test
    void noisyDataFitIsCloseAndNoWorseThanTheTruth() {
        long seed = 20261125L;
        SplittableRandom rnd = new SplittableRandom(seed);
        Usl truth = new Usl(4.0e6, 0.08, 0.003);
        for (int rep = 0; rep < 20; rep++) {
            double[] x = generate(truth, N);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 1 + 0.01 * rnd.nextGaussian(); // 1 % multiplicative noise
            }
            Usl fitted = Usl.fit(N, x);
            String where = "seed=" + seed + " rep=" + rep + " fitted=" + fitted;
            // Least squares: the minimiser's RSS cannot exceed the RSS at the generating parameters.
            assertTrue(fitted.residualSumOfSquares(N, x) <= truth.residualSumOfSquares(N, x) * (1 + 1e-9), where);
            assertEquals(truth.sigma(), fitted.sigma(), 0.03, where);
            assertEquals(truth.kappa(), fitted.kappa(), 0.001, where);
            assertEquals(truth.peakConcurrency(), fitted.peakConcurrency(), 0.25 * truth.peakConcurrency(), where);
        }
    }

    @Test
    void peakConcurrencyMaximisesThroughput() {
        Usl u = new Usl(1, 0.1, 0.004);
        double bestN = 1;
        for (double n = 1; n <= 200; n += 0.001) {
            if (u.throughput(n) > u.throughput(bestN)) {
                bestN = n;
            }
        }
        assertEquals(bestN, u.peakConcurrency(), 0.002);
        assertEquals(Double.POSITIVE_INFINITY, new Usl(1, 0.1, 0).peakConcurrency());
    }

    @Test
    void amdahlIsTheSpecialCaseKappaZero() {
        Usl amdahl = new Usl(1, 0.25, 0);
        // Amdahl's law with serial fraction s: speed-up n / (1 + s (n - 1)); limit 1/s.
        assertEquals(4.0 / (1 + 0.25 * 3), amdahl.speedup(4), 1e-12);
        assertEquals(4.0, amdahl.speedup(1e9), 1e-6);
    }

    @Test
    void rejectsBadArgumentsNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Usl(0, 0.1, 0.1)).getMessage().contains("lambda"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Usl(1, 1.5, 0.1)).getMessage().contains("sigma"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Usl(1, 0.1, -1)).getMessage().contains("kappa"));
        assertThrows(IllegalArgumentException.class, () -> Usl.fit(new double[]{1, 2}, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Usl.fit(new double[]{1, 2, 3}, new double[]{1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Usl.fit(new double[]{1, 2, 3}, new double[]{1, -2, 3}));
        assertThrows(IllegalArgumentException.class, () -> Usl.fitLinearized(new double[]{2, 3, 4}, new double[]{1, 2, 3}));
    }
}
