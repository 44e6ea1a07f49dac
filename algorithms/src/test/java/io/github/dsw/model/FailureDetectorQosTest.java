package io.github.dsw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link FailureDetectorQos} against cases solved by hand: a constant delay (gaps are exactly η, or Lη
 * with losses), a uniform delay (D' − D is triangular), and published normal quantiles.
 */
class FailureDetectorQosTest {

    @Test
    void normalCdfAndQuantileMatchPublishedValues() {
        assertEquals(0.975002104851780, FailureDetectorQos.normalCdf(1.96), 1e-12);
        assertEquals(1.959963984540054, FailureDetectorQos.normalQuantile(0.975), 1e-9);
        assertEquals(3.090232306167814, FailureDetectorQos.normalQuantile(0.999), 1e-9);
        assertEquals(-2.326347874040841, FailureDetectorQos.normalQuantile(0.01), 1e-9);
        assertEquals(2.866515718791939e-7, 1 - FailureDetectorQos.normalCdf(5), 1e-15);
    }

    @Test
    void timeoutShorterThanTheIntervalWithConstantDelayMistakesEveryPeriod() {
        // Gaps are exactly η = 1: a mistake every period, lasting 1 − TO; trusted a fraction TO of the time.
        var q = FailureDetectorQos.fixedTimeout(1.0, 0.7, 0, FailureDetectorQos.constant(0.01), 10);
        assertEquals(1.0, q.mistakeRecurrence(), 1e-12);
        assertEquals(0.3, q.mistakeDuration(), 1e-12);
        assertEquals(0.7, q.queryAccuracy(), 1e-12);
    }

    @Test
    void timeoutAboveTheIntervalWithConstantDelayNeverMistakes() {
        var q = FailureDetectorQos.fixedTimeout(1.0, 1.5, 0, FailureDetectorQos.constant(0.01), 10);
        assertEquals(Double.POSITIVE_INFINITY, q.mistakeRecurrence());
        assertTrue(Double.isNaN(q.mistakeDuration()));
        assertEquals(1.0, q.queryAccuracy(), 1e-12);
        assertEquals(1.5 + 0.01 - 0.5, q.detectionTime(), 1e-12);
    }

    @Test
    void lossesWithConstantDelay() {
        // η < TO < 2η: a mistake iff a heartbeat is lost after a received one, rate p(1 − p)/η; it lasts until the
        // next received one: (L + 1)η − TO with L ≥ 1 lost, E[L] = 1/(1 − p).
        double p = 0.1;
        double to = 1.4;
        var q = FailureDetectorQos.fixedTimeout(1.0, to, p, FailureDetectorQos.constant(0.02), 10);
        assertEquals(1 / (p * (1 - p)), q.mistakeRecurrence(), 1e-9);
        assertEquals(1 + 1 / (1 - p) - to, q.mistakeDuration(), 1e-9);
        assertEquals(1 - q.mistakeDuration() / q.mistakeRecurrence(), q.queryAccuracy(), 1e-12);
    }

    @Test
    void uniformDelayGivesTheTriangularTail() {
        // D ~ U(0, a): P(D' − D > x) = (a − x)² / (2a²) for 0 ≤ x ≤ a, and E[(D' − D − x)⁺] = (a − x)³ / (6a²).
        double a = 0.4;
        double x = 0.1;
        var q = FailureDetectorQos.fixedTimeout(1.0, 1.0 + x, 0, u -> a * u, 4000);
        double pExceed = (a - x) * (a - x) / (2 * a * a);
        double excess = Math.pow(a - x, 3) / (6 * a * a);
        assertEquals(1 / pExceed, q.mistakeRecurrence(), 1e-3 / pExceed);
        assertEquals(excess / pExceed, q.mistakeDuration(), 1e-4);
        assertEquals(1 - excess, q.queryAccuracy(), 1e-6);
    }
}
