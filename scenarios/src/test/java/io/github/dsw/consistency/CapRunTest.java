package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.LinearizabilityChecker;
import org.junit.jupiter.api.Test;

/** CAP shown on one partition schedule: Raft gives up the minority side and stays linearizable; Dynamo answers everywhere and is not. */
class CapRunTest {

    static final long SEED = Long.getLong("dsw.seed", 7L);

    @Test
    void raftRefusesTheMinoritySideAndStaysLinearizable() {
        CapRun.Outcome o = CapRun.run(CapRun.Store.RAFT, SEED, true);
        assertEquals(0, o.minority().ok(), "seed " + SEED + ":\n" + o.summary());
        assertTrue(o.minority().total() > 0 && o.majority().ok() > 50, "seed " + SEED + ":\n" + o.summary());
        assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, o.verdict().outcome(), "seed " + SEED + ":\n" + o.summary());
    }

    @Test
    void dynamoAnswersOnBothSidesAndItsHistoryIsNotLinearizable() {
        CapRun.Outcome o = CapRun.run(CapRun.Store.DYNAMO_QUORUM, SEED, true);
        assertEquals(o.minority().total(), o.minority().ok(), "seed " + SEED + ":\n" + o.summary());
        assertEquals(o.majority().total(), o.majority().ok(), "seed " + SEED + ":\n" + o.summary());
        assertTrue(o.divergentAtHeal() > 0, "seed " + SEED + ":\n" + o.summary());
        assertEquals(LinearizabilityChecker.Outcome.NOT_LINEARIZABLE, o.verdict().outcome(), "seed " + SEED + ":\n" + o.summary());
    }

    @Test
    void withoutPartitionRaftPaysMoreLatencyThanDynamoWithOneReplica() {
        CapRun.Outcome raft = CapRun.run(CapRun.Store.RAFT, SEED, false);
        CapRun.Outcome one = CapRun.run(CapRun.Store.DYNAMO_ONE, SEED, false);
        CapRun.Outcome quorum = CapRun.run(CapRun.Store.DYNAMO_QUORUM, SEED, false);
        // virtual time, not wall time: these are message delays, deterministic for the seed
        assertTrue(one.p50Ns() < quorum.p50Ns() && quorum.p50Ns() < raft.p50Ns(),
                "seed " + SEED + ": r1w1 " + one.p50Ns() + " r2w2 " + quorum.p50Ns() + " raft " + raft.p50Ns());
    }
}
