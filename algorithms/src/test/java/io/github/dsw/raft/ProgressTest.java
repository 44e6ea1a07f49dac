package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Progress}: the transitions between etcd's probe, replicate and snapshot states, and a learner's round. */
class ProgressTest {

    @Test
    void aNewFollowerIsProbedAndMatchesNothing() {
        Progress p = new Progress(8, 4);
        assertEquals(Progress.State.PROBE, p.state);
        assertEquals(0, p.match);
        assertEquals(8, p.next);
        assertFalse(p.caughtUp);
        assertEquals(Progress.NEVER, p.ackTick);
    }

    @Test
    void anAcceptedProbeStartsPipeliningAfterTheMatchPoint() {
        Progress p = new Progress(8, 4);
        assertTrue(p.maybeUpdate(5));
        assertFalse(p.maybeUpdate(5), "not news");
        p.becomeReplicate();
        assertEquals(Progress.State.REPLICATE, p.state);
        assertEquals(6, p.next, "from just after the match point, wherever the probe was");
        p.inflights.add(7);
        p.becomeProbe();
        assertEquals(0, p.inflights.count(), "a rejection forgets the window");
        assertFalse(p.probeSent);
    }

    @Test
    void snapshotStateHoldsTheSnapshotUntilLeft() {
        Progress p = new Progress(3, 4);
        Snapshot s = new Snapshot(new SnapshotMeta(10, 2), new byte[] {1, 2});
        p.becomeSnapshot(s);
        assertEquals(Progress.State.SNAPSHOT, p.state);
        assertEquals(s, p.snapshot);
        p.chunkInFlight = true;
        p.maybeUpdate(10);
        p.becomeReplicate();
        assertNull(p.snapshot);
        assertFalse(p.chunkInFlight);
        assertEquals(11, p.next);
    }

    @Test
    void aLearnerCatchesUpOnlyWithARoundShorterThanAnElectionTimeout() {
        Progress p = new Progress(1, 4);
        p.startRound(0, 20);
        p.maybeUpdate(20);
        p.maybeEndRound(15, 30, 10); // reached the target after 15 ticks: too slow, a new round up to 30 starts
        assertFalse(p.caughtUp);
        assertEquals(30, p.roundTarget);
        p.maybeUpdate(30);
        p.maybeEndRound(20, 30, 10); // this round took 5 ticks
        assertTrue(p.caughtUp);
    }
}
