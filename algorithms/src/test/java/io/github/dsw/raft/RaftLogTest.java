package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftLog}'s index arithmetic over a snapshot base (extended paper section 7) and the back-off
 * searches of section 5.3. Expected values are read off the logs written in each test by hand.
 */
class RaftLogTest {

    /** Terms 1 1 2 2 3 at indexes 1..5 (no snapshot). */
    private static RaftLog fiveEntries() {
        return new RaftLog(Snapshot.NONE, List.of(e(1), e(1), e(2), e(2), e(3)));
    }

    private static LogEntry e(long term) {
        return new LogEntry(term, "t" + term);
    }

    @Test
    void termAtTheBaseIsTheSnapshotsTermAndEntriesFollowIt() {
        RaftLog log = new RaftLog(new Snapshot(new SnapshotMeta(10, 4), new byte[] {1}), List.of(e(4), e(5)));
        assertEquals(12, log.lastIndex());
        assertEquals(5, log.lastTerm());
        assertEquals(4, log.termAt(10), "the snapshot's last entry");
        assertEquals(4, log.termAt(11));
        assertEquals(e(5), log.entry(12));
        assertThrows(IllegalArgumentException.class, () -> log.termAt(9), "compacted");
        assertThrows(IllegalArgumentException.class, () -> log.entry(10), "compacted: only its term is known");
        assertThrows(IllegalArgumentException.class, () -> log.termAt(13), "beyond the last entry");
        assertEquals(List.of(e(4), e(5)), log.slice(11, 13));
        assertEquals(List.of(), log.slice(13, 13));
    }

    @Test
    void truncateDropsTheSuffixAndTheDurableEndFollows() {
        RaftLog log = fiveEntries();
        assertEquals(List.of(), log.takeUnstable(), "restored from storage: all durable");
        log.truncateFrom(4);
        log.append(e(4));
        assertEquals(4, log.firstUnstableIndex(), "the rewritten suffix must be persisted again");
        assertEquals(List.of(e(4)), log.takeUnstable());
        assertEquals(5, log.firstUnstableIndex());
    }

    @Test
    void restoreKeepsTheEntriesAfterAMatchingSnapshotAndDropsAllOtherwise() {
        RaftLog kept = fiveEntries();
        kept.restoreTo(new Snapshot(new SnapshotMeta(3, 2), new byte[0]));
        assertEquals(5, kept.lastIndex(), "Figure 13 step 6: index 3 has term 2 here, entries 4 and 5 stay");
        assertEquals(2, kept.termAt(4));

        RaftLog dropped = fiveEntries();
        dropped.restoreTo(new Snapshot(new SnapshotMeta(3, 7), new byte[0]));
        assertEquals(3, dropped.lastIndex(), "step 7: a different term at index 3, nothing after it is valid");
        assertEquals(7, dropped.lastTerm());
    }

    @Test
    void backOffSearchesFindTheEdgesOfATerm() {
        RaftLog log = fiveEntries();
        assertEquals(4, log.lastIndexOfTerm(2));
        assertEquals(0, log.lastIndexOfTerm(9), "a term this log does not hold");
        assertEquals(3, log.firstIndexOfTermAt(4, 0));
        assertEquals(4, log.firstIndexOfTermAt(4, 3), "never down to the floor (the commit index)");
    }

    @Test
    void upToDateComparesLastTermThenLength() {
        RaftLog log = fiveEntries();
        assertTrue(log.isUpToDate(1, 4), "a later last term wins even when shorter");
        assertTrue(log.isUpToDate(5, 3));
        assertFalse(log.isUpToDate(4, 3), "same last term, shorter");
        assertFalse(log.isUpToDate(9, 2), "an earlier last term loses even when longer");
    }
}
