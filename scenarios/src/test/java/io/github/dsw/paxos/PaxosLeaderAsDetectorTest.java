package io.github.dsw.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftAsDetector;
import io.github.dsw.raft.RaftAsDetector.Links;
import io.github.dsw.sim.Latency;
import org.junit.jupiter.api.Test;

/**
 * Multi-Paxos's leader timeout measured as a failure detector ({@link PaxosLeaderAsDetector}). Expected values come
 * from a second implementation and from properties, not from a Multi-Paxos run: the spurious-election rate is compared
 * with two followers' worth of mistakes of the fixed-timeout detector ({@code DetectorQos}, heartbeat 10 ms as the
 * leader's, timeout 1.5 T, the mean of [T, 2T)) on the same links; constant links shorter than the timeout give no
 * election; a crash cannot be detected before T minus a heartbeat period, and a longer timeout detects later.
 */
class PaxosLeaderAsDetectorTest {

    static final long SEED = 1;

    @Test
    void spuriousLeaderChangesAreTheDetectorsMistakes() {
        Links c = Links.lognormal();
        int timeout = PaxosLeaderAsDetectorTest.COMPARED_T_MS;
        long duration = 120_000_000_000L;
        int paxos = PaxosLeaderAsDetector.spuriousElections(c, timeout, duration, SEED);
        double perHour = paxos / (duration / 3.6e12);
        double[] detector = RaftAsDetector.simulatedDetector(c, timeout, 300_000_000_000L, SEED, MultiPaxosNode.TICK_NS);
        double expected = 2 * 3600 / detector[0];
        assertTrue(paxos >= 20, "T=" + timeout + " seed=" + SEED + ": too few elections to compare (" + paxos + ")");
        assertTrue(perHour > expected / 2 && perHour < expected * 2, "T=" + timeout + " seed=" + SEED + ": Multi-Paxos " + perHour
                + " leader changes/h vs two fixed-timeout detectors " + expected + "/h");
    }

    /** The T at which both Multi-Paxos and the detector make enough mistakes in 120 s / 300 s to compare. */
    static final int COMPARED_T_MS = 30;

    @Test
    void constantLinksShorterThanTheTimeoutNeverCauseAnElection() {
        Links c = new Links("constant", new Latency.Constant(5_000_000), 0, 0, 0);
        assertEquals(0, PaxosLeaderAsDetector.spuriousElections(c, 30, 60_000_000_000L, SEED), "seed=" + SEED);
    }

    @Test
    void aCrashIsDetectedNoSoonerThanTheTimeoutAndLaterWithALongerOne() {
        Links c = Links.lognormal();
        double shortSum = 0;
        double longSum = 0;
        for (long t = 0; t < 8; t++) {
            shortSum += PaxosLeaderAsDetector.detection(c, 60, SEED * 1000 + t);
            longSum += PaxosLeaderAsDetector.detection(c, 300, SEED * 1000 + t);
        }
        assertTrue(shortSum / 8 >= 60e6 - 10e6 && longSum / 8 >= 300e6 - 10e6, "seed=" + SEED + ": mean detection " + shortSum / 8e6 + " / "
                + longSum / 8e6 + " ms; a follower times out T after the last heartbeat it heard, sent at most a period before the crash "
                + "unless lost");
        assertTrue(longSum > shortSum, "seed=" + SEED);
    }
}
