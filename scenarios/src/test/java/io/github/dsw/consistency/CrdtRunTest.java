package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Nemesis;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The replicated CRDT store converges after partitions, loss, duplication, reordering and crashes heal. */
class CrdtRunTest {

    static final long SEED = Long.getLong("dsw.seed", 2011L);

    @Test
    void replicasConvergeAndMatchTheClientsOracle() {
        EnumSet<Nemesis.Kind> kinds = EnumSet.of(Nemesis.Kind.PARTITION, Nemesis.Kind.LOSS, Nemesis.Kind.DUPLICATE, Nemesis.Kind.REORDER,
                Nemesis.Kind.CRASH);
        int divergedSomewhere = 0;
        for (long seed = SEED; seed < SEED + 5; seed++) {
            CrdtRun.Outcome o = CrdtRun.run(CrdtRun.Settings.defaults(seed).withNemesis(kinds));
            assertTrue(o.ok(), "seed " + seed + ":\n" + o.summary());
            divergedSomewhere += o.divergedAtHeal();
        }
        assertTrue(divergedSomewhere > 0, "the faults never made replicas differ (seeds " + SEED + "..): the test shows nothing");
    }
}
