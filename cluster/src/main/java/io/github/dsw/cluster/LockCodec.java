package io.github.dsw.cluster;

import io.github.dsw.lease.LockMessage;
import io.github.dsw.lease.LockStore;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftCodec;
import io.github.dsw.raft.RaftMessage;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;
import java.util.Base64;
import java.util.List;

/**
 * Binary codecs of the lock service ({@link LockMessage}, and Raft's durable state holding
 * {@link LockStore.Command}s) for the real runtime. Messages, after the version byte 1:
 * <pre>
 * tag  record    fields
 *  1   Peer      bytes: the Raft message as {@link RaftCodec#MESSAGES} encodes it (lock commands in its entries as below)
 *  2   Request   long requestId, op
 *  3   Reply     long requestId, nullable result, int redirect, boolean retry
 *  4   Granted   string lock, long session, int client, long token
 * </pre>
 * An op is a tag and its fields: 1 Open (long nonce, long ttlNs), 2 KeepAlive (long session), 3 Acquire (long
 * session, string lock), 4 Release (long session, string lock, long token), 5 Close (long session), 6 Tick. A result
 * is boolean ok, long session, long token, boolean queued, long predecessor, nullable enum error, string detail.
 *
 * <p><b>Log commands.</b> {@link RaftCodec} encodes a closed set of log commands and the raft package may not
 * depend on this one ({@code DependencyDirectionTest}), so a {@link LockStore.Command} travels and rests in
 * Raft's encodings as a String command: {@link #COMMAND_PREFIX} followed by the Base64 of
 * {@code int client, long stampNs, op}. The conversion happens at the codec boundary only: the node's code
 * sees {@link LockStore.Command} objects, as in the simulator. The lock service proposes no other strings.
 */
public final class LockCodec {

    public static final int PEER = 1;
    public static final int REQUEST = 2;
    public static final int REPLY = 3;
    public static final int GRANTED = 4;

    /** What starts a String log command that is a lock command. */
    public static final String COMMAND_PREFIX = "dsw-lock/1:";

    /** Every {@link LockMessage}. */
    public static final Codec<LockMessage> MESSAGES = Codec.framed("LockMessage", LockCodec::write, LockCodec::read);

    /** Raft's durable values ({@link RaftCodec#DURABLE}) with lock commands in the log entries. */
    public static final Codec<Object> DURABLE = new Codec<>() {
        @Override
        public byte[] encode(Object value) {
            return RaftCodec.DURABLE.encode(value instanceof LogEntry e ? entryOut(e) : value);
        }

        @Override
        public Object decode(byte[] bytes) {
            Object v = RaftCodec.DURABLE.decode(bytes);
            return v instanceof LogEntry e ? entryIn(e) : v;
        }

        @Override
        public String toString() {
            return "Codec[lock service durable, over " + RaftCodec.DURABLE + "]";
        }
    };

    private LockCodec() {
    }

    private static void write(WireWriter out, LockMessage m) {
        switch (m) {
            case LockMessage.Peer p -> {
                out.writeTag(PEER);
                out.writeBytes(RaftCodec.MESSAGES.encode(outward(WireWriter.required(p.message(), "Raft message"))));
            }
            case LockMessage.Request r -> {
                out.writeTag(REQUEST);
                out.writeLong(r.requestId());
                writeOp(out, WireWriter.required(r.op(), "op"));
            }
            case LockMessage.Reply r -> {
                out.writeTag(REPLY);
                out.writeLong(r.requestId());
                out.writeNullable(r.result(), LockCodec::writeResult);
                out.writeInt(r.redirect());
                out.writeBoolean(r.retry());
            }
            case LockMessage.Granted g -> {
                out.writeTag(GRANTED);
                out.writeString(g.grant().lock());
                out.writeLong(g.grant().session());
                out.writeInt(g.grant().client());
                out.writeLong(g.grant().token());
            }
        }
    }

    private static LockMessage read(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case PEER -> new LockMessage.Peer(inward(RaftCodec.MESSAGES.decode(in.readBytes())));
            case REQUEST -> new LockMessage.Request(in.readLong(), readOp(in));
            case REPLY -> new LockMessage.Reply(in.readLong(), in.readNullable(LockCodec::readResult), in.readInt(), in.readBoolean());
            case GRANTED -> new LockMessage.Granted(new LockStore.Grant(in.readString(), in.readLong(), in.readInt(), in.readLong()));
            default -> throw in.unknownTag(tag, "LockMessage");
        };
    }

    static void writeOp(WireWriter out, LockStore.Op op) {
        switch (op) {
            case LockStore.Open o -> {
                out.writeTag(1);
                out.writeLong(o.nonce());
                out.writeLong(o.ttlNs());
            }
            case LockStore.KeepAlive k -> {
                out.writeTag(2);
                out.writeLong(k.session());
            }
            case LockStore.Acquire a -> {
                out.writeTag(3);
                out.writeLong(a.session());
                out.writeString(WireWriter.required(a.lock(), "lock"));
            }
            case LockStore.Release r -> {
                out.writeTag(4);
                out.writeLong(r.session());
                out.writeString(WireWriter.required(r.lock(), "lock"));
                out.writeLong(r.token());
            }
            case LockStore.Close c -> {
                out.writeTag(5);
                out.writeLong(c.session());
            }
            case LockStore.Tick t -> out.writeTag(6);
        }
    }

    static LockStore.Op readOp(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case 1 -> new LockStore.Open(in.readLong(), in.readLong());
            case 2 -> new LockStore.KeepAlive(in.readLong());
            case 3 -> new LockStore.Acquire(in.readLong(), required(in, in.readString(), "lock"));
            case 4 -> new LockStore.Release(in.readLong(), required(in, in.readString(), "lock"), in.readLong());
            case 5 -> new LockStore.Close(in.readLong());
            case 6 -> new LockStore.Tick();
            default -> throw in.unknownTag(tag, "lock op");
        };
    }

    private static String required(WireReader in, String s, String what) {
        if (s == null) {
            throw in.error(in.position(), "null " + what);
        }
        return s;
    }

    private static void writeResult(WireWriter out, LockStore.Result r) {
        out.writeBoolean(r.ok());
        out.writeLong(r.session());
        out.writeLong(r.token());
        out.writeBoolean(r.queued());
        out.writeLong(r.predecessor());
        out.writeNullable(r.error(), WireWriter::writeEnum);
        out.writeString(r.detail() == null ? "" : r.detail());
    }

    private static LockStore.Result readResult(WireReader in) {
        return new LockStore.Result(in.readBoolean(), in.readLong(), in.readLong(), in.readBoolean(), in.readLong(),
                in.readNullable(r -> r.readEnum(LockStore.Error.class)), in.readString());
    }

    // ---------------------------------------------------------------- lock commands inside Raft's encodings

    /** A lock command as the String command Raft's codecs carry. */
    public static String commandToString(LockStore.Command c) {
        WireWriter w = new WireWriter();
        w.writeInt(c.client());
        w.writeLong(c.stampNs());
        writeOp(w, c.op());
        return COMMAND_PREFIX + Base64.getEncoder().withoutPadding().encodeToString(w.toByteArray());
    }

    /** The lock command {@code s} carries. */
    public static LockStore.Command commandFromString(String s) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s.substring(COMMAND_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new CodecException("lock command: not Base64 after " + COMMAND_PREFIX + ": " + e.getMessage());
        }
        WireReader in = new WireReader(bytes, "lock command");
        LockStore.Command c = new LockStore.Command(in.readInt(), in.readLong(), readOp(in));
        in.finish();
        return c;
    }

    private static LogEntry entryOut(LogEntry e) {
        return e.command() instanceof LockStore.Command c ? new LogEntry(e.term(), commandToString(c)) : e;
    }

    private static LogEntry entryIn(LogEntry e) {
        return e.command() instanceof String s && s.startsWith(COMMAND_PREFIX) ? new LogEntry(e.term(), commandFromString(s)) : e;
    }

    private static RaftMessage outward(RaftMessage m) {
        return m instanceof RaftMessage.AppendEntries a && hasLockCommand(a.entries())
                ? new RaftMessage.AppendEntries(a.term(), a.prevLogIndex(), a.prevLogTerm(), a.entries().stream().map(LockCodec::entryOut).toList(),
                        a.leaderCommit(), a.readContext())
                : m;
    }

    private static RaftMessage inward(RaftMessage m) {
        return m instanceof RaftMessage.AppendEntries a
                ? new RaftMessage.AppendEntries(a.term(), a.prevLogIndex(), a.prevLogTerm(), a.entries().stream().map(LockCodec::entryIn).toList(),
                        a.leaderCommit(), a.readContext())
                : m;
    }

    private static boolean hasLockCommand(List<LogEntry> entries) {
        for (LogEntry e : entries) {
            if (e.command() instanceof LockStore.Command) {
                return true;
            }
        }
        return false;
    }
}
