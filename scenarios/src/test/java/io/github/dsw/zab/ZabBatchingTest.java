package io.github.dsw.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Zab with the leader batching proposals ({@code ZabNode}'s batch switch): the same random fault schedules as
 * {@link ZabKvLinearizabilityTest} (its seeds' shapes), with batches of 2 to 16, must keep every Zab property after every
 * event and give linearizable histories, with 1 to 3 batches in flight (pipelining); and batches must really form (ProposalBatch messages delivered), and make
 * fewer messages and fsyncs per transaction than no batching at 16 clients on the same seeds: one PROPOSAL, one ACK
 * per follower, one COMMIT and one fsync per server serve a whole batch (the property batching exists for; the
 * comparison is against the unbatched run, not a recorded number). A failure names the seed and the replay command.
 */
class ZabBatchingTest {

    @Test
    void batchedRunsKeepZabPropertiesAndLinearizabilityOverRandomFaultSchedules() {
        int seeds = Boolean.getBoolean("dsw.soak") ? 3000 : 300;
        long batchMessages = 0;
        List<Long> unknown = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            ZabKvRun.Settings s = ZabKvLinearizabilityTest.schedule(seed).withBatch(2 + (int) (seed % 15))
                    .withWindow(1 + (int) (seed % 3)).withTraceLevel(Trace.Level.COUNTS);
            ZabKvRun.Outcome o = ZabKvLinearizabilityTest.runChecked(s);
            if (o.verdict().outcome() == LinearizabilityChecker.Outcome.UNKNOWN) {
                unknown.add(seed);
            }
            Trace.Counts c = o.trace().messageCounts().get("ProposalBatch");
            batchMessages += c == null ? 0 : c.delivered();
        }
        System.out.printf("zab-kv batched: %d schedules, %d ProposalBatch messages delivered, checker unknown in %s%n", seeds, batchMessages,
                unknown);
        assertEquals(List.of(), unknown, "histories the checker could not decide within its budget");
        assertTrue(batchMessages > seeds, "batches hardly formed: " + batchMessages + " ProposalBatch messages in " + seeds + " runs");
    }

    @Test
    void batchingSpendsFewerMessagesAndFsyncsPerTransaction() {
        for (long seed = 1; seed <= 3; seed++) {
            ZabKvRun.Settings base = ZabKvRun.Settings.of(seed, 3, 16, 1600, Set.of()).withTraceLevel(Trace.Level.COUNTS);
            ConsensusComparison.Steady off = ConsensusComparison.steady("zab", seed, 16, 1600, 1);
            ConsensusComparison.Steady on = ConsensusComparison.steady("zab", seed, 16, 1600, 32, 2); // 2 batches in flight
            String where = "seed " + seed + " (replay: " + base.withBatch(32).withWindow(2).replayCommand() + "): off " + off + ", on " + on;
            assertTrue(off.okOps() > 1000 && on.okOps() > 1000, where); // cas may fail, the rest completes
            assertTrue(on.messagesPerCommit() < off.messagesPerCommit(), where);
            assertTrue(on.fsyncsPerCommit() < off.fsyncsPerCommit(), where);
        }
    }
}
