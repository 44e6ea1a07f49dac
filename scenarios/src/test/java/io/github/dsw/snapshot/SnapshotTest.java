package io.github.dsw.snapshot;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.snapshot.BankNode.LocalSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chandy and Lamport (1985), section 3: on FIFO channels the recorded global state is consistent and the bank's
 * total is conserved in it; on channels that reorder, a transfer sent after the sender's marker can overtake it and
 * be counted twice (the receiver's balance and the sender's), which the cut checker must catch.
 */
class SnapshotTest {

    @Test
    void onFifoChannelsEveryRecordedCutIsConsistentAndConservesMoney() {
        for (long seed = 1; seed <= 300; seed++) {
            SnapshotRun.Result r = SnapshotRun.run(seed, 2 + (int) (seed % 5), true);
            if (!r.ok()) {
                fail("seed=" + seed + ": " + r.problems());
            }
        }
    }

    @Test
    void withoutFifoTheSameRecorderProducesAnInconsistentCut() {
        for (long seed = 1; seed <= 300; seed++) {
            SnapshotRun.Result r = SnapshotRun.run(seed, 3, false);
            if (!r.ok()) {
                assertTrue(r.problems().stream().anyMatch(p -> p.startsWith("inconsistent cut")), r.problems().toString());
                return;
            }
        }
        fail("no seed in 1..300 broke the cut without FIFO: the checker or the reordering is too weak");
    }

    @Test
    void theCheckerRejectsAHandMadeCutThatCountsATransferTwice() {
        // 0 sent transfer #1 (50) to 1 after its cut; 1 received it before its own: 50 counted at 1, and never left 0
        LocalSnapshot p0 = new LocalSnapshot(0, 1_000, Map.of(1, 0), Map.of(1, List.of()), Map.of(1, List.of()), Map.of(1, List.of()));
        LocalSnapshot p1 = new LocalSnapshot(1, 1_050, Map.of(0, 0), Map.of(0, List.of(1)), Map.of(0, List.of()), Map.of(0, List.of()));
        SnapshotRun.Result r = SnapshotRun.check(List.of(p0, p1), 2, 2_000);
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).startsWith("inconsistent cut"), r.problems().toString());
    }
}
