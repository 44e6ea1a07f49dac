package io.github.dsw.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.check.HistoryEvent;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Multi-Paxos key-value store judged from outside: the {@link LogMonitor} (one command per slot,
 * checked after every event), the {@link io.github.dsw.check.LinearizabilityChecker} on the client
 * history (Herlihy and Wing's definition, an independent checker from the simulation chapter), and
 * liveness once the faults stop.
 */
class MultiPaxosKvTest {
    private static final Set<Nemesis.Kind> ALL = EnumSet.allOf(Nemesis.Kind.class);

    private static String replay(PaxosKvRun.Settings s) {
        return "seed=" + s.seed() + " " + s;
    }

    private static PaxosKvRun.Outcome run(PaxosKvRun.Settings s) {
        try {
            return PaxosKvRun.run(s);
        } catch (IllegalStateException e) {
            fail(replay(s) + ": " + e.getMessage(), e);
            return null;
        }
    }

    /**
     * Liveness: every operation invoked after {@code fromNs} completes ok (or fails as a cas whose
     * expected value did not match, which is an answer, not a timeout: timeouts give info or a failed read).
     */
    static void assertLiveAfter(PaxosKvRun.Outcome o, long fromNs, String where) {
        Map<Integer, HistoryEvent> open = new HashMap<>();
        int checked = 0;
        for (HistoryEvent e : o.history().events()) {
            if (e.type() == HistoryEvent.Type.INVOKE) {
                open.put(e.process(), e);
                continue;
            }
            HistoryEvent inv = open.remove(e.process());
            if (inv == null || inv.timeNs() <= fromNs) {
                continue;
            }
            checked++;
            boolean answered = e.type() == HistoryEvent.Type.OK || (e.type() == HistoryEvent.Type.FAIL && e.f() == HistoryEvent.Fn.CAS);
            if (!answered) {
                fail(where + ": after the faults stopped, " + inv + " ended " + e);
            }
        }
        assertTrue(checked > 0, where + ": no operation was invoked after the faults stopped");
    }

    @Test
    void withoutFaultsEveryOperationCompletes() {
        PaxosKvRun.Settings s = PaxosKvRun.Settings.defaults(7);
        PaxosKvRun.Outcome o = run(s);
        assertTrue(o.completed(), replay(s));
        assertEquals(300, o.history().counts().get(HistoryEvent.Type.OK) + o.history().counts().get(HistoryEvent.Type.FAIL), replay(s));
        assertEquals(0, o.history().counts().get(HistoryEvent.Type.INFO), replay(s));
        assertTrue(o.verdict().linearizable(), replay(s) + o.verdict().describe());
        System.out.println(o.summary());
    }

    @Test
    void linearizableAndLiveUnderEveryNemesis() {
        int seeds = Boolean.getBoolean("dsw.soak") ? 5000 : 400;
        long faultsUntil = 1_200_000_000L;
        long infos = 0;
        long elections = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            PaxosKvRun.Settings s = new PaxosKvRun.Settings(seed, seed % 2 == 0 ? 3 : 5, 4, 600, ALL, faultsUntil, 4, (int) (seed % 3) + 1,
                    Trace.Level.COUNTS, false);
            PaxosKvRun.Outcome o = run(s);
            assertTrue(o.completed(), replay(s));
            assertTrue(o.verdict().linearizable(), replay(s) + "\n" + o.verdict().describe());
            assertLiveAfter(o, faultsUntil + 300_000_000L, replay(s));
            if (seed <= 2) {
                System.out.println(replay(s) + "\n" + o.summary());
            }
            infos += o.history().counts().get(HistoryEvent.Type.INFO);
            elections += o.leaderChanges();
        }
        System.out.println("infos " + infos + " elections " + elections);
    }

    @Test
    void flexibleQuorumsAreSafeToo() {
        int seeds = Boolean.getBoolean("dsw.soak") ? 500 : 40;
        for (long seed = 1; seed <= seeds; seed++) {
            PaxosKvRun.Settings s = new PaxosKvRun.Settings(seed, 5, 4, 300, ALL, 600_000_000L, 4, 2, Trace.Level.COUNTS, false,
                    Quorums.flexible(5, 4, 2), MultiPaxosNode.Mutation.NONE);
            PaxosKvRun.Outcome o = run(s);
            assertTrue(o.completed(), replay(s));
            assertTrue(o.verdict().linearizable(), replay(s) + "\n" + o.verdict().describe());
        }
    }

    /** The checks have teeth: a leader that skips recovery is caught (monitor or checker) within a few seeds. */
    @Test
    void skippingRecoveryAfterALeaderChangeIsCaught() {
        long caught = -1;
        for (long seed = 1; seed <= 100 && caught < 0; seed++) {
            PaxosKvRun.Settings s = new PaxosKvRun.Settings(seed, 3, 4, 300, ALL, 1_000_000_000L, 4, 2, Trace.Level.COUNTS, false,
                    null, MultiPaxosNode.Mutation.SKIP_RECOVERY);
            try {
                if (!PaxosKvRun.run(s).verdict().linearizable()) {
                    caught = seed;
                }
            } catch (IllegalStateException e) {
                caught = seed;
            }
        }
        assertTrue(caught > 0, "SKIP_RECOVERY was not caught in seeds 1..100");
        System.out.println("SKIP_RECOVERY caught at seed " + caught);
    }
}
