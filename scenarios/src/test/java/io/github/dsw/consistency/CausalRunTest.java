package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The causal store passes the causal check under faults; the variant that skips the dependency check is caught. */
class CausalRunTest {

    static final long SEED = Long.getLong("dsw.seed", 1L);

    /** A history of sequential operations, one per line: process, f, key, value (null: read of nothing). */
    static History history(Object... ops) {
        List<HistoryEvent> e = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < ops.length; i += 4) {
            int p = (Integer) ops[i];
            Fn f = (Fn) ops[i + 1];
            String k = (String) ops[i + 2];
            Long v = ops[i + 3] == null ? null : ((Number) ops[i + 3]).longValue();
            e.add(HistoryEvent.invoke(p, f, k, f == Fn.WRITE ? v : null, t++));
            e.add(HistoryEvent.complete(p, Type.OK, f, k, v, t++));
        }
        return History.of(e);
    }

    @Test
    void theBadPatternsOnHandMadeHistories() {
        // Causal chain x=1 -> (p1 reads it) -> y=2 -> (p2 reads it): p2 must then see x=1 (or a later x)
        assertNull(CausalPatterns.violation(history(0, Fn.WRITE, "x", 1, 1, Fn.READ, "x", 1, 1, Fn.WRITE, "y", 2, 2, Fn.READ, "y", 2,
                2, Fn.READ, "x", 1)));
        assertNotNull(CausalPatterns.violation(history(0, Fn.WRITE, "x", 1, 1, Fn.READ, "x", 1, 1, Fn.WRITE, "y", 2, 2, Fn.READ, "y", 2,
                2, Fn.READ, "x", null)), "WriteCOInitRead");
        assertNotNull(CausalPatterns.violation(history(0, Fn.WRITE, "x", 1, 0, Fn.WRITE, "x", 2, 1, Fn.READ, "x", 2, 1, Fn.READ, "x", 1)),
                "WriteCORead");
        // concurrent writes seen in different orders by two readers: causal, not sequentially consistent
        assertNull(CausalPatterns.violation(history(0, Fn.WRITE, "x", 1, 1, Fn.WRITE, "x", 2, 2, Fn.READ, "x", 1, 2, Fn.READ, "x", 2,
                3, Fn.READ, "x", 2, 3, Fn.READ, "x", 1)));
        assertNotNull(CausalPatterns.violation(history(0, Fn.READ, "x", 9)), "ThinAirRead");
        assertNotNull(CausalPatterns.violation(history(0, Fn.READ, "x", 2, 0, Fn.WRITE, "y", 1, 1, Fn.READ, "y", 1, 1, Fn.WRITE, "x", 2)),
                "CyclicCO");
    }

    @Test
    void theCausalStoreIsCausalUnderFaultsAndTheBrokenOneIsCaught() {
        EnumSet<Nemesis.Kind> kinds = EnumSet.of(Nemesis.Kind.PARTITION, Nemesis.Kind.REORDER, Nemesis.Kind.LOSS, Nemesis.Kind.DUPLICATE);
        int caught = 0;
        for (long seed = SEED; seed < SEED + 10; seed++) {
            CausalRun.Settings s = CausalRun.Settings.defaults(seed).withNemesis(kinds);
            CausalRun.Outcome ok = CausalRun.run(s);
            assertTrue(ok.causal(), "seed " + seed + ":\n" + ok.summary());
            // partitions alone hold a write back for a whole resend period while its dependents get through
            caught += CausalRun.run(s.withNemesis(EnumSet.of(Nemesis.Kind.PARTITION)).broken()).causal() ? 0 : 1;
        }
        assertTrue(caught >= 3, "the broken store was caught on only " + caught + " of 10 seeds from " + SEED); // 4 of 10 from seed 1
    }
}
