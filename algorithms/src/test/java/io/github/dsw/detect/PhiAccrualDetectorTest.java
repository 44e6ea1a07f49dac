package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link PhiAccrualDetector} against two independent sources: the values in Akka's own test suite
 * ({@code akka-remote/src/test/scala/akka/remote/AccrualFailureDetectorSpec.scala}, which are normal-table
 * values and scenarios with a fake clock) and the exact normal CDF, computed here from the error function
 * by its Taylor series (Abramowitz and Stegun 7.1.5) and its continued fraction (A&S 7.1.14), not from the
 * logistic approximation the detector uses.
 */
class PhiAccrualDetectorTest {

    private static final long MS = 1_000_000L;

    /** Akka's test settings: threshold, window, min std 100 ms, the given pause, heartbeat estimate 1 s. */
    private static PhiAccrualDetector akka(double threshold, int maxSampleSize, long acceptablePauseMs) {
        return new PhiAccrualDetector(new PhiAccrualDetector.Settings(threshold, maxSampleSize, 100 * MS, acceptablePauseMs * MS,
                1000 * MS));
    }

    private static double cdf(double phi) {
        return 1.0 - Math.pow(10, -phi);
    }

    // ------------------------------------------------------------ exact normal CDF, independent of the logistic

    /** erf(x) for x >= 0: Taylor series below 3, Lentz continued fraction of erfc above. */
    static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 3) {
            double sum = 0;
            double term = x;
            for (int n = 0; n < 200; n++) {
                sum += term / (2 * n + 1);
                term *= -x * x / (n + 1);
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        // erfc(x) = exp(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double f = x;
        for (int k = 200; k >= 1; k--) {
            f = x + (k / 2.0) / f;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** Upper tail of the standard normal, 1 − Φ(y) = erfc(y/√2)/2. */
    static double normalTail(double y) {
        return erfc(y / Math.sqrt(2)) / 2;
    }

    @Test
    void theErfUsedAsReferenceMatchesPublishedValues() {
        // A&S Table 7.1 and the usual normal table: erf(1) = 0.8427007929, Φ(1.96) = 0.9750021, 1 − Φ(5) = 2.8665e-7.
        assertEquals(0.8427007929, 1 - erfc(1), 1e-9);
        assertEquals(0.9750021048, 1 - normalTail(1.96), 1e-9);
        assertEquals(2.866515719e-7, normalTail(5), 1e-15);
    }

    // ------------------------------------------------------------ Akka's published values

    @Test
    void logisticCdfIsGoodEnoughAsInAkkasSpec() {
        assertEquals(0.5, cdf(PhiAccrualDetector.phi(0, 0, 10)), 0.001);
        assertEquals(0.7257, cdf(PhiAccrualDetector.phi(6, 0, 10)), 0.001);
        assertEquals(0.9332, cdf(PhiAccrualDetector.phi(15, 0, 10)), 0.001);
        assertEquals(0.97725, cdf(PhiAccrualDetector.phi(20, 0, 10)), 0.001);
        assertEquals(0.99379, cdf(PhiAccrualDetector.phi(25, 0, 10)), 0.001);
        assertEquals(0.99977, cdf(PhiAccrualDetector.phi(35, 0, 10)), 0.001);
        assertEquals(0.99997, cdf(PhiAccrualDetector.phi(40, 0, 10)), 0.0001);
        assertEquals(0.7475, cdf(PhiAccrualDetector.phi(22, 20.0, 3)), 0.001);
        for (int x = 0; x < 40; x++) {
            assertTrue(PhiAccrualDetector.phi(x, 0, 10) < PhiAccrualDetector.phi(x + 1, 0, 10), "phi increases at " + x);
        }
    }

    @Test
    void realisticPhiValuesAsInAkkasSpec() {
        int[] timeDiff = {0, 500, 1000, 1200, 1400, 1600, 1700};
        double[] expected = {0.0, 0.1, 0.3, 1.6, 4.7, 10.8, 15.3};
        for (int i = 0; i < timeDiff.length; i++) {
            assertEquals(expected[i], PhiAccrualDetector.phi(timeDiff[i], 1000, 100), 0.1, "timeDiff " + timeDiff[i]);
        }
        assertTrue(PhiAccrualDetector.phi(1100, 1000, 500) < PhiAccrualDetector.phi(1100, 1000, 100), "larger std, lower phi");
        assertEquals(38.0, PhiAccrualDetector.phi(10, 0, 1), 1.0);
        assertEquals(0.0, PhiAccrualDetector.phi(-25, 0, 1), 1e-12);
    }

    @Test
    void logisticCdfStaysWithinItsStatedErrorOfTheExactNormal() {
        // Bowling et al. (2009) state a maximum absolute error of 0.00014 (at |y| = 3.16).
        double worst = 0;
        for (double y = -6; y <= 6; y += 0.01) {
            double exact = 1 - normalTail(y);
            double logistic = cdf(PhiAccrualDetector.phi(y, 0, 1));
            worst = Math.max(worst, Math.abs(exact - logistic));
        }
        assertTrue(worst < 0.00015, "max |logistic - Phi| = " + worst);
        assertTrue(worst > 0.0001, "the approximation is not exact either: " + worst);
    }

    /**
     * Where the logistic reaches φ = 8, by Cardano's formula: e/(1+e) = 1e-8 means
     * 0.070566 y³ + 1.5976 y = ln(10⁸ − 1), a depressed cubic with one real root.
     */
    static double logisticPhi8Point() {
        double p = 1.5976 / 0.070566;
        double q = -Math.log(1e8 - 1) / 0.070566;
        double r = Math.sqrt(q * q / 4 + p * p * p / 27);
        return Math.cbrt(-q / 2 + r) + Math.cbrt(-q / 2 - r);
    }

    @Test
    void phiReachesTheDefaultThresholdWhereCardanoSaysAndOverstatesTheExactNormalThere() {
        double yCardano = logisticPhi8Point();
        double yScan = Double.NaN;
        for (double y = 4; y < 7; y += 1e-5) {
            if (PhiAccrualDetector.phi(y, 0, 1) >= 8) {
                yScan = y;
                break;
            }
        }
        assertEquals(yCardano, yScan, 2e-5);
        // The exact normal reaches 1 − Φ = 1e-8 only at y = 5.612: at the logistic's φ = 8 point the true tail
        // is about 9e-8, so the exact φ is about 7.05. In the far tail the approximation is a different detector.
        assertEquals(1e-8, normalTail(5.612), 0.02e-8);
        double exactPhi = -Math.log10(normalTail(yCardano));
        assertTrue(exactPhi > 6.9 && exactPhi < 7.2, "exact φ at the logistic's φ = 8 point: " + exactPhi);
    }

    // ------------------------------------------------------------ Akka's scenarios with a fake clock (times in ms)

    @Test
    void zeroBeforeAnyHeartbeat() {
        PhiAccrualDetector fd = akka(8, 1000, 0);
        assertEquals(0.0, fd.suspicion(0));
        assertTrue(fd.isAvailable(123_456 * MS));
        assertEquals(Long.MAX_VALUE, fd.suspectAtNs());
    }

    @Test
    void phiFromTheBootstrapGuessAfterOneHeartbeat() {
        PhiAccrualDetector fd = akka(8, 1000, 0);
        fd.heartbeat(0);
        assertEquals(0.3, fd.suspicion(1000 * MS), 0.2);
        assertEquals(4.5, fd.suspicion(2000 * MS), 0.3);
        assertTrue(fd.suspicion(3000 * MS) > 15.0);
    }

    @Test
    void deadWhenHeartbeatsAreMissed() {
        PhiAccrualDetector fd = akka(3, 1000, 0);
        fd.heartbeat(0);
        fd.heartbeat(1000 * MS);
        fd.heartbeat(1100 * MS);
        assertTrue(fd.isAvailable(1200 * MS));
        assertFalse(fd.isAvailable(8200 * MS));
    }

    @Test
    void availableAgainAfterTheLongPauseAndDeadAfterTheSevenSecondOne() {
        // The spec's fake clock gives one reading per call: 1000 regular heartbeats (0 .. 999 000 ms), then
        // readings 5 min, 100, 900, 100, 7000, 100, 900, 100, 900 ms apart, alternately checks and heartbeats.
        PhiAccrualDetector fd = akka(8, 1000, 3000);
        for (int i = 0; i < 1000; i++) {
            fd.heartbeat(i * 1000L * MS);
        }
        assertFalse(fd.isAvailable(1_299_000 * MS), "after the long pause");
        fd.heartbeat(1_299_100 * MS);
        assertTrue(fd.isAvailable(1_300_000 * MS));
        fd.heartbeat(1_300_100 * MS);
        assertFalse(fd.isAvailable(1_307_100 * MS), "after the 7 seconds pause");
        fd.heartbeat(1_307_200 * MS);
        assertTrue(fd.isAvailable(1_308_100 * MS));
        fd.heartbeat(1_308_200 * MS);
        assertTrue(fd.isAvailable(1_309_100 * MS));
    }

    @Test
    void acceptsTheConfiguredMissingHeartbeats() {
        // Clock readings 0, 1000, 2000, 3000 (heartbeats), 7000 (check), 8000 (heartbeat), 9000 (check).
        PhiAccrualDetector fd = akka(8, 1000, 3000);
        for (long at : new long[] {0, 1000, 2000, 3000}) {
            fd.heartbeat(at * MS);
        }
        assertTrue(fd.isAvailable(7000 * MS));
        fd.heartbeat(8000 * MS);
        assertTrue(fd.isAvailable(9000 * MS));
    }

    @Test
    void failsAfterTheConfiguredMissingHeartbeats() {
        // Clock readings 0 .. 5000 (six heartbeats), 5500 (check), 6000 (heartbeat), 11000 (check).
        PhiAccrualDetector fd = akka(8, 1000, 3000);
        for (long at : new long[] {0, 1000, 2000, 3000, 4000, 5000}) {
            fd.heartbeat(at * MS);
        }
        assertTrue(fd.isAvailable(5500 * MS));
        fd.heartbeat(6000 * MS);
        assertFalse(fd.isAvailable(11000 * MS));
    }

    @Test
    void usesOnlyTheLastMaxSampleSizeIntervals() {
        PhiAccrualDetector fd = akka(8, 3, 0);
        fd.heartbeat(0);
        fd.heartbeat(100 * MS);
        fd.heartbeat(200 * MS);
        fd.heartbeat(300 * MS);
        double phi1 = fd.suspicion(400 * MS);
        fd.heartbeat(1000 * MS);
        fd.heartbeat(1500 * MS);
        fd.heartbeat(2000 * MS);
        fd.heartbeat(2500 * MS);
        double phi2 = fd.suspicion(3000 * MS);
        assertEquals(phi1, phi2, 0.001);
    }

    @Test
    void meanAndVarianceOfACappedWindowAsInAkkasSpec() {
        PhiAccrualDetector fd = akka(1e9, 3, 0); // never suspects, so every interval is recorded
        long t = 0;
        fd.heartbeat(t);
        for (long d : new long[] {100, 110, 90}) {
            t += d * MS;
            fd.heartbeat(t);
        }
        assertEquals(100.0, fd.meanMs(), 1e-5);
        assertEquals(66.6666667, fd.varianceMs2(), 1e-5);
        t += 140 * MS;
        fd.heartbeat(t);
        assertEquals(113.333333, fd.meanMs(), 1e-5);
        assertEquals(422.222222, fd.varianceMs2(), 1e-5);
        t += 80 * MS;
        fd.heartbeat(t);
        assertEquals(103.333333, fd.meanMs(), 1e-5);
        assertEquals(688.88888889, fd.varianceMs2(), 1e-5);
    }

    // ------------------------------------------------------------ suspectAtNs, against the exact normal

    @Test
    void suspectAtIsWhereTheLogisticReachesTheThreshold() {
        // Regular 1 s heartbeats with Akka's defaults: mean 1000 ms (the bootstrap 750/1250 averages to it too),
        // std below the 100 ms floor, so F is N(1000 + 3000, 100), and φ = 8 at 4000 + y·100 ms with y from
        // Cardano (5.226), not at the exact normal's 5.612 (4561 ms).
        PhiAccrualDetector fd = new PhiAccrualDetector(PhiAccrualDetector.Settings.akkaDefaults());
        long t = 0;
        for (int i = 0; i < 200; i++) {
            fd.heartbeat(t);
            t += 1000 * MS;
        }
        long last = t - 1000 * MS;
        double afterMs = (fd.suspectAtNs() - last) / 1e6;
        assertEquals(4000 + logisticPhi8Point() * 100, afterMs, 1e-5, "suspect after " + afterMs + " ms");
        assertTrue(fd.isAvailable(fd.suspectAtNs() - 1));
        assertFalse(fd.isAvailable(fd.suspectAtNs()));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PhiAccrualDetector.Settings(0, 1000, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PhiAccrualDetector.Settings(8, 0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PhiAccrualDetector.Settings(8, 10, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new PhiAccrualDetector.Settings(8, 10, 1, -1, 1));
    }
}
