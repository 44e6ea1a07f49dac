package io.github.dsw.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftAsDetector;
import io.github.dsw.raft.RaftAsDetector.Links;
import io.github.dsw.sim.Latency;
import org.junit.jupiter.api.Test;

/**
 * Multi-Paxos's leader timeout measured as a failure detector ({@link PaxosLeaderAsDetector}). Expected values come
 * from a second implementation and from properties, not from a Multi-Paxos run: the spurious-election rate is bracketed
 * by two followers' worth of mistakes of the fixed-timeout detector ({@code DetectorQos}, heartbeat 10 ms as the
 * leader's) at the shortest and the longest effective timeout, on the same links; constant links shorter than the
 * timeout give no election; a crash cannot be detected before T minus a heartbeat period, and a longer timeout detects
 * later.
 */
class PaxosLeaderAsDetectorTest {

    static final long SEED = 1;

    /**
     * A follower's effective timeout lies between T (the shortest draw) and 2T plus one 10 ms tick (the longest draw,
     * checked on the next tick), so on the same links its mistakes are bracketed by those of fixed-timeout detectors
     * with timeouts T and 2T + 10 ms: two followers make at most twice the first's and at least about twice the second's
     * (every longer silence at a follower of the current leader starts an election it wins). The factor-2 agreement with
     * a detector at 1.5 T that holds for Raft does not hold here: Multi-Paxos draws a follower's timeout once and keeps it
     * until the next election (Raft draws anew at every heartbeat), so a follower that drew long stays long.
     */
    @Test
    void spuriousLeaderChangesLieBetweenTheDetectorsAtTheShortestAndLongestTimeout() {
        Links c = Links.lognormal();
        int timeout = 20;
        long duration = 120_000_000_000L;
        int paxos = PaxosLeaderAsDetector.spuriousElections(c, timeout, duration, SEED);
        double perHour = paxos / (duration / 3.6e12);
        double[] shortest = RaftAsDetector.simulatedFixedTimeout(c, timeout, 300_000_000_000L, SEED, MultiPaxosNode.TICK_NS);
        double[] longest = RaftAsDetector.simulatedFixedTimeout(c, 2 * timeout + 10, 300_000_000_000L, SEED, MultiPaxosNode.TICK_NS);
        double upper = 2 * 3600 / shortest[0];
        double lower = 2 * 3600 / longest[0];
        assertTrue(paxos >= 20, "T=" + timeout + " seed=" + SEED + ": too few elections to compare (" + paxos + ")");
        assertTrue(perHour <= upper && perHour >= lower / 2, "T=" + timeout + " seed=" + SEED + ": Multi-Paxos " + perHour
                + " leader changes/h, detectors at T and 2T+10 ms: " + upper + " and " + lower + " per hour");
        assertTrue(PaxosLeaderAsDetector.spuriousElections(c, 40, duration, SEED) < paxos, "seed=" + SEED + ": a longer timeout must mistake less");
    }

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
