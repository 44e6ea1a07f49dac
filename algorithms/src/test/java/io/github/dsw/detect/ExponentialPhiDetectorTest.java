package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link ExponentialPhiDetector} against the exponential distribution it assumes: φ must equal
 * −log10(P(X > Δt)) for X exponential with the window's mean, computed here with {@code Math.exp} and
 * {@code Math.log10}, and Cassandra's conviction point at φ = 8 with a 1 s mean is 8 · ln 10 s.
 */
class ExponentialPhiDetectorTest {

    private static final long S = 1_000_000_000L;

    @Test
    void phiIsMinusLog10OfTheExponentialTail() {
        ExponentialPhiDetector fd = new ExponentialPhiDetector(ExponentialPhiDetector.Settings.cassandraDefaults());
        fd.heartbeat(10 * S); // window = [2 s], Cassandra's initial value
        assertEquals(2.0 * S, fd.meanNs(), 1e-6);
        for (long dt : new long[] {0, S / 2, S, 3 * S, 10 * S, 40 * S}) {
            double tail = Math.exp(-(double) dt / (2.0 * S));
            assertEquals(-Math.log10(tail), fd.suspicion(10 * S + dt), 1e-9, "dt=" + dt);
        }
    }

    @Test
    void convictsAfterEightTimesLn10MeansOfSilence() {
        ExponentialPhiDetector fd = new ExponentialPhiDetector(ExponentialPhiDetector.Settings.cassandraDefaults());
        long t = 0;
        for (int i = 0; i <= 1000; i++) { // 1001 heartbeats: the initial 2 s sample has left the 1000-wide window
            fd.heartbeat(t);
            t += S;
        }
        long last = t - S;
        assertEquals(1.0 * S, fd.meanNs(), 1e-6);
        double expectedNs = 8 * Math.log(10) * S; // 18.42068 s
        assertEquals(expectedNs, fd.suspectAtNs() - last, 1.0);
        assertTrue(fd.isAvailable(fd.suspectAtNs() - 1));
        assertFalse(fd.isAvailable(fd.suspectAtNs()));
    }

    @Test
    void intervalsLongerThanTheMaximumAreNotRecorded() {
        ExponentialPhiDetector fd = new ExponentialPhiDetector(ExponentialPhiDetector.Settings.cassandraDefaults());
        fd.heartbeat(0);
        fd.heartbeat(S); // window [2 s, 1 s]
        fd.heartbeat(S + 3 * S); // a 3 s gap: ignored, only restarts the clock
        assertEquals(1.5 * S, fd.meanNs(), 1e-6);
        fd.heartbeat(4 * S + 2 * S); // exactly the maximum: recorded
        assertEquals((2.0 + 1 + 2) / 3 * S, fd.meanNs(), 1e-3);
    }

    @Test
    void trustsBeforeTheFirstHeartbeat() {
        ExponentialPhiDetector fd = new ExponentialPhiDetector(ExponentialPhiDetector.Settings.cassandraDefaults());
        assertTrue(fd.isAvailable(1000 * S));
        assertEquals(Long.MAX_VALUE, fd.suspectAtNs());
    }
}
