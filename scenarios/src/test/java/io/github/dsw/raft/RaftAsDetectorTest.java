package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftAsDetector.Links;
import io.github.dsw.sim.Latency;
import org.junit.jupiter.api.Test;

/**
 * Raft's election timeout measured as a failure detector ({@link RaftAsDetector}). Expected values come from a
 * second implementation and from properties, not from a Raft run: the spurious-election rate is compared with two
 * followers' worth of mistakes of the fixed-timeout detector ({@code HeartbeatNode} + {@code FixedTimeoutDetector}
 * via {@code DetectorQos}) simulated on the same links with the mean timeout 1.5 T; with constant links shorter than
 * the timeout there is no mistake at all (every heartbeat gap is exactly 50 ms); and a longer timeout detects later.
 */
class RaftAsDetectorTest {

    static final long SEED = 1;

    @Test
    void spuriousElectionsAreTheDetectorsMistakes() {
        Links c = Links.lognormal();
        int[] timeouts = {60, 80};
        long[] durations = {120_000_000_000L, 300_000_000_000L};
        for (int i = 0; i < timeouts.length; i++) {
            int raft = RaftAsDetector.spuriousElections(c, timeouts[i], durations[i], SEED);
            double perHour = raft / (durations[i] / 3.6e12);
            double[] detector = RaftAsDetector.simulatedDetector(c, timeouts[i], 300_000_000_000L, SEED);
            double expected = 2 * 3600 / detector[0];
            assertTrue(raft >= 20, "T=" + timeouts[i] + " seed=" + SEED + ": too few elections to compare (" + raft + ")");
            assertTrue(perHour > expected / 2 && perHour < expected * 2, "T=" + timeouts[i] + " seed=" + SEED + ": Raft " + perHour
                    + " spurious elections/h vs two fixed-timeout detectors " + expected + "/h");
        }
    }

    @Test
    void constantLinksShorterThanTheTimeoutNeverCauseAnElection() {
        Links c = new Links("constant", new Latency.Constant(5_000_000), 0, 0, 0);
        assertEquals(0, RaftAsDetector.spuriousElections(c, 60, 120_000_000_000L, SEED), "seed=" + SEED);
    }

    @Test
    void aLongerTimeoutDetectsLaterAndMistakesLess() {
        Links c = Links.lognormal();
        double shortSum = 0;
        double longSum = 0;
        for (long t = 0; t < 10; t++) {
            shortSum += RaftAsDetector.detection(c, 60, SEED * 1000 + t);
            longSum += RaftAsDetector.detection(c, 300, SEED * 1000 + t);
        }
        assertTrue(longSum / 10 >= 300 * 1e6 - 50e6, "seed=" + SEED + ": mean detection with T=300 ms was " + longSum / 10 / 1e6
                + " ms; the first follower cannot time out before T minus a heartbeat interval after its last heartbeat");
        assertTrue(longSum > shortSum, "seed=" + SEED);
        assertTrue(RaftAsDetector.spuriousElections(c, 300, 120_000_000_000L, SEED)
                <= RaftAsDetector.spuriousElections(c, 60, 120_000_000_000L, SEED), "seed=" + SEED);
    }
}
