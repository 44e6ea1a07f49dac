package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvStore.Command;
import io.github.dsw.raft.KvStore.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key-value state machine on its own: the StateMachine contract and the sessions of dissertation section 6.3. */
class KvStoreTest {

    private static LogEntry entry(Command c) {
        return new LogEntry(1, c);
    }

    @Test
    void aDuplicateCommandChangesNothingAndGetsTheFirstResult() {
        KvStore s = new KvStore();
        assertEquals(new Result(true, null), s.apply(1, entry(new Command(7, 1, Fn.WRITE, "k", 1L))));
        Command cas = new Command(7, 2, Fn.CAS, "k", new Cas(1, 2));
        assertEquals(new Result(true, null), s.apply(2, entry(cas)));
        assertEquals(new Result(true, null), s.apply(3, entry(cas)), "the copy gets the first answer, not a failed cas");
        assertEquals(2L, s.read("k"));
    }

    @Test
    void aLateCopyBelowTheFloorIsNeverExecuted() {
        KvStore s = new KvStore();
        s.apply(1, entry(new Command(7, 5, Fn.WRITE, "k", 5L)));
        assertNull(s.apply(2, entry(new Command(7, 4, Fn.WRITE, "k", 4L))));
        assertEquals(5L, s.read("k"));
        assertTrue(s.belowFloor(7, 4));
        assertFalse(s.belowFloor(7, 5));
        assertEquals(1, s.sessionResponses());
    }

    @Test
    void noOpsAndConfigurationChangesHaveNoResult() {
        KvStore s = new KvStore();
        assertNull(s.apply(1, new LogEntry(1, null)));
        assertNull(s.apply(2, new LogEntry(1, new ConfChange(ConfChange.Type.ADD_LEARNER, 3))));
    }

    @Test
    void restoreReplacesTheMapAndTheSessions() {
        List<LogEntry> prefix = List.of(entry(new Command(1, 1, Fn.WRITE, "a", 1L)), entry(new Command(2, 1, Fn.WRITE, "b", 2L)),
                entry(new Command(1, 2, Fn.READ, "b", null)));
        byte[] snapshot = KvStore.referenceSnapshot(prefix);
        KvStore other = new KvStore();
        other.apply(1, entry(new Command(9, 1, Fn.WRITE, "z", 9L)));
        other.restore(snapshot);
        assertNull(other.read("z"), "restore replaces, it does not merge");
        assertEquals(2L, other.read("b"));
        assertEquals(new Result(true, 2L), other.response(1, 2));
        assertArrayEquals(snapshot, other.snapshot());
    }

    @Test
    void theHostRejectsBadArguments() {
        RaftConfig c = RaftConfig.defaults(0, 3);
        assertThrows(IllegalArgumentException.class, () -> KvService.server(c, 0, KvService.ReadMode.LOG));
        assertThrows(IllegalArgumentException.class, () -> KvService.server(c, 1, KvService.ReadMode.LOG, -1));
        assertThrows(IllegalArgumentException.class, () -> KvService.server(c, 1, null));
    }
}
