package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent;
import io.github.dsw.sim.Nemesis;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The key-value store on Raft judged by the linearizability checker (Wing and Gong's search, the
 * Knossos/Porcupine model of a register per key) over random fault schedules: Raft's guarantee is
 * that the store is linearizable under any crash, partition, pause, loss, duplication, reordering or
 * clock skew, so every history must pass; the invariants of Figure 3 are checked after every event.
 */
class RaftKvTest {
    private static final Set<Nemesis.Kind> ALL = EnumSet.allOf(Nemesis.Kind.class);

    private static String replay(RaftKvRun.Settings s) {
        return "seed=" + s.seed() + " nodes=" + s.nodes() + " clients=" + s.clients() + " ops=" + s.ops() + " nemesis=" + s.nemesis()
                + "\nreplay: " + s.replayCommand();
    }

    /** Seeds per randomized test: 1000 (or -Ddsw.raft.kvseeds), 10,000 with -Ddsw.soak=true. */
    private static int seeds() {
        return Boolean.getBoolean("dsw.soak") ? 10_000 : Integer.getInteger("dsw.raft.kvseeds", 1000);
    }

    /** Runs one simulation; fails, naming the seed, unless it completed with a linearizable history. */
    private static RaftKvRun.Outcome runLinearizable(RaftKvRun.Settings s) {
        RaftKvRun.Outcome o;
        try {
            o = RaftKvRun.run(s);
        } catch (IllegalStateException e) {
            throw new AssertionError(replay(s) + ": " + e.getMessage(), e);
        }
        assertTrue(o.completed(), replay(s));
        assertTrue(o.verdict().linearizable(), replay(s) + "\n" + o.verdict().describe());
        return o;
    }

    @Test
    void linearizableUnderEveryNemesisOverManySeeds() {
        int seeds = seeds();
        long infos = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            RaftKvRun.Settings s = new RaftKvRun.Settings(seed, seed % 2 == 0 ? 3 : 5, 4, 200, ALL, KvService.ReadMode.LOG);
            RaftKvRun.Outcome o = runLinearizable(s);
            infos += o.history().counts().get(HistoryEvent.Type.INFO);
        }
        // the faults did bite: many operations ended indeterminate (crashed or cut-off leaders)
        assertTrue(infos > seeds, "indeterminate operations over " + seeds + " runs: " + infos);
    }

    @Test
    void readIndexIsLinearizableUnderEveryNemesis() {
        int seeds = seeds();
        long okReads = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            RaftKvRun.Settings s = new RaftKvRun.Settings(seed, seed % 2 == 0 ? 3 : 5, 4, 200, ALL, KvService.ReadMode.READ_INDEX);
            RaftKvRun.Outcome o = runLinearizable(s);
            okReads += o.history().events().stream()
                    .filter(e -> e.type() == HistoryEvent.Type.OK && e.f() == HistoryEvent.Fn.READ).count();
        }
        assertTrue(okReads > seeds * 20L, "reads served: " + okReads);
    }

    @Test
    void withoutFaultsEveryOperationCompletes() {
        RaftKvRun.Settings s = new RaftKvRun.Settings(7, 3, 3, 300, Set.of(), KvService.ReadMode.LOG);
        RaftKvRun.Outcome o = RaftKvRun.run(s);
        assertTrue(o.verdict().linearizable(), replay(s));
        long ok = o.history().counts().get(HistoryEvent.Type.OK);
        long fail = o.history().counts().get(HistoryEvent.Type.FAIL);
        assertEquals(0, o.history().counts().get(HistoryEvent.Type.INFO), replay(s));
        assertEquals(300, ok + fail, replay(s));
        assertTrue(ok > 200, "ok " + ok + " (fails are redirects before the first election and failed cas)");
    }

    @Test
    void leaderLocalReadsAreCaughtWithinAFewHundredSeeds() {
        // a leader that answers reads from its own state without checking it still leads (paper section 8)
        long found = -1;
        for (long seed = 1; seed <= 1000 && found < 0; seed++) {
            RaftKvRun.Settings s = new RaftKvRun.Settings(seed, seed % 2 == 0 ? 3 : 5, 4, 200, ALL, KvService.ReadMode.LOG)
                    .withMutation(Mutation.LEADER_LOCAL_READS);
            if (!RaftKvRun.run(s).verdict().linearizable()) {
                found = seed;
            }
        }
        assertTrue(found > 0, "no stale read found in seeds 1..1000");
    }

    @Test
    void sameSeedSameRun() {
        RaftKvRun.Settings s = new RaftKvRun.Settings(42, 5, 3, 100, ALL, KvService.ReadMode.LOG);
        RaftKvRun.Outcome a = RaftKvRun.run(s);
        RaftKvRun.Outcome b = RaftKvRun.run(s);
        assertEquals(a.traceHash(), b.traceHash());
        assertEquals(a.history().events(), b.history().events());
    }
}
