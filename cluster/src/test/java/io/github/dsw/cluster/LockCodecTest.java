package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.dsw.lease.LockMessage;
import io.github.dsw.lease.LockStore;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftCodec;
import io.github.dsw.raft.RaftMessage;
import io.github.dsw.runtime.CodecException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock service's codecs: every message and op survives a round trip (the codec contract,
 * {@code decode(encode(x)).equals(x)}), lock commands inside Raft's AppendEntries and durable log entries
 * come back as {@link LockStore.Command} objects while other commands pass untouched, and damaged bytes are
 * refused rather than decoded into something else.
 */
class LockCodecTest {

    private static final List<LockStore.Op> OPS = List.of(new LockStore.Open(42, 10_000_000_000L), new LockStore.KeepAlive(7),
            new LockStore.Acquire(7, "x"), new LockStore.Release(7, "ü-lock", 99), new LockStore.Close(7), new LockStore.Tick());

    @Test
    void everyMessageRoundTrips() {
        for (LockStore.Op op : OPS) {
            LockMessage m = new LockMessage.Request(1L << 40 | 3, op);
            assertEquals(m, LockCodec.MESSAGES.decode(LockCodec.MESSAGES.encode(m)));
        }
        LockStore.Result granted = new LockStore.Result(true, 7, 12, false, -1, null, "");
        LockStore.Result refused = new LockStore.Result(false, -1, -1, false, -1, LockStore.Error.NOT_HOLDER, "lock x token 3");
        for (LockMessage m : List.of(new LockMessage.Reply(5, granted, -1, false), new LockMessage.Reply(6, refused, -1, false),
                LockMessage.Reply.retry(8, 2), new LockMessage.Granted(new LockStore.Grant("x", 7, 1_000_003, 12)))) {
            assertEquals(m, LockCodec.MESSAGES.decode(LockCodec.MESSAGES.encode(m)));
        }
    }

    @Test
    void lockCommandsInsideRaftMessagesAndTheLogComeBackAsCommands() {
        LockStore.Command c1 = new LockStore.Command(1_000_004, 123_456_789L, new LockStore.Acquire(9, "x"));
        LockStore.Command c2 = new LockStore.Command(0, -5L, new LockStore.Tick());
        List<LogEntry> entries = List.of(new LogEntry(3, c1), new LogEntry(3, null), new LogEntry(3, "plain string"), new LogEntry(4, c2));
        LockMessage m = new LockMessage.Peer(new RaftMessage.AppendEntries(4, 10, 3, entries, 9, 0));
        LockMessage back = LockCodec.MESSAGES.decode(LockCodec.MESSAGES.encode(m));
        assertEquals(m, back);
        RaftMessage.AppendEntries a = (RaftMessage.AppendEntries) ((LockMessage.Peer) back).message();
        assertInstanceOf(LockStore.Command.class, a.entries().get(0).command());
        assertEquals("plain string", a.entries().get(2).command());
        for (LogEntry e : entries) {
            assertEquals(e, LockCodec.DURABLE.decode(LockCodec.DURABLE.encode(e)));
        }
        // Raft's own codec sees a String command: what a reader without LockCodec would find on disk
        Object raw = RaftCodec.DURABLE.decode(LockCodec.DURABLE.encode(new LogEntry(3, c1)));
        assertInstanceOf(String.class, ((LogEntry) raw).command());
        assertEquals(c1, LockCodec.commandFromString((String) ((LogEntry) raw).command()));
        assertEquals(5L, LockCodec.DURABLE.decode(LockCodec.DURABLE.encode(5L)));
    }

    @Test
    void damagedBytesAreRefused() {
        byte[] good = LockCodec.MESSAGES.encode(new LockMessage.Request(1, new LockStore.Acquire(7, "x")));
        assertThrows(CodecException.class, () -> LockCodec.MESSAGES.decode(Arrays.copyOf(good, good.length - 1)));
        byte[] tag = good.clone();
        tag[1] = 9;
        assertThrows(CodecException.class, () -> LockCodec.MESSAGES.decode(tag));
        assertThrows(CodecException.class, () -> LockCodec.commandFromString(LockCodec.COMMAND_PREFIX + "!!"));
    }
}
