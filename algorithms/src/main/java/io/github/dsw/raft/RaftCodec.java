package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.OperationValue;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import io.github.dsw.raft.RaftMessage.InstallSnapshot;
import io.github.dsw.raft.RaftMessage.InstallSnapshotResponse;
import io.github.dsw.raft.RaftMessage.RequestVote;
import io.github.dsw.raft.RaftMessage.TimeoutNow;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.WireReader;
import io.github.dsw.runtime.WireWriter;

/**
 * Binary codecs of Raft: its {@link RaftMessage}s and what {@link RaftStorage} persists. Frame and
 * field encodings: {@link Codec} and {@link WireWriter}.
 *
 * <p>Shared pieces. A membership is {@code int set voters, int set learners}; a snapshot meta
 * ({@link SnapshotMeta}) is {@code long index, long term, nullable membership}; a log entry
 * ({@link LogEntry}) is {@code long term, command}. A command is typed {@code Object} in the log, so it
 * carries its own tag; these are every command type the workbench proposes:
 * <pre>
 * tag  command                 fields
 *  0   null (a leader's no-op)
 *  1   Long                    long
 *  2   Integer                 int
 *  3   String                  string (not null)
 *  4   ConfChange              enum type, int node
 *  5   KvStore.Command    int client, long requestId, enum f, string key, op value, long firstUnanswered
 * </pre>
 * Any other command type cannot be encoded ({@link CodecException} names it). Messages, after the
 * version byte 1:
 * <pre>
 * tag  record                   fields
 *  1   RequestVote              long term, long lastLogIndex, long lastLogTerm, boolean preVote, boolean leaderTransfer
 *  2   VoteResponse             long term, boolean granted, boolean preVote
 *  3   AppendEntries            long term, long prevLogIndex, long prevLogTerm, list of log entry, long leaderCommit,
 *                               long readContext
 *  4   AppendResponse           long term, boolean success, long matchIndex, long rejectedIndex, long conflictTerm,
 *                               long conflictIndex, long readContext
 *  5   InstallSnapshot          long term, snapshot meta, long offset, bytes data, boolean done, long readContext
 *  6   InstallSnapshotResponse  long term, snapshot meta, boolean installed, long matchIndex, long nextOffset,
 *                               long readContext
 *  7   TimeoutNow               long term
 * </pre>
 * Durable values ({@link #DURABLE}), as {@link RaftStorage} writes them: {@code term} and {@code last}
 * (Long), {@code vote} (Integer), {@code snap} (Snapshot), {@code e/<index>} (LogEntry); and the
 * snapshot meta alone, for a store that keeps it apart from the snapshot's bytes:
 * <pre>
 * tag  value          fields
 *  1   Long           long
 *  2   Integer        int
 *  3   Snapshot       snapshot meta, bytes data
 *  4   LogEntry       log entry
 *  5   SnapshotMeta   snapshot meta
 * </pre>
 */
public final class RaftCodec {

    public static final int REQUEST_VOTE = 1;
    public static final int VOTE_RESPONSE = 2;
    public static final int APPEND_ENTRIES = 3;
    public static final int APPEND_RESPONSE = 4;
    public static final int INSTALL_SNAPSHOT = 5;
    public static final int INSTALL_SNAPSHOT_RESPONSE = 6;
    public static final int TIMEOUT_NOW = 7;

    public static final int COMMAND_NOOP = 0;
    public static final int COMMAND_LONG = 1;
    public static final int COMMAND_INT = 2;
    public static final int COMMAND_STRING = 3;
    public static final int COMMAND_CONF_CHANGE = 4;
    public static final int COMMAND_KV = 5;

    public static final int LONG = 1;
    public static final int INT = 2;
    public static final int SNAPSHOT = 3;
    public static final int LOG_ENTRY = 4;
    public static final int SNAPSHOT_META = 5;

    /** Every {@link RaftMessage}. */
    public static final Codec<RaftMessage> MESSAGES = Codec.framed("RaftMessage", RaftCodec::writeMessage, RaftCodec::readMessage);

    /** What {@link RaftStorage} persists: a Long, an Integer, a {@link Snapshot} or a {@link LogEntry} (or a {@link SnapshotMeta}). */
    public static final Codec<Object> DURABLE = Codec.framed("Raft durable value", RaftCodec::writeDurable, RaftCodec::readDurable);

    private RaftCodec() {
    }

    // ------------------------------------------------------------------ shared pieces

    private static void writeMembership(WireWriter out, Membership m) {
        out.writeIntSet(m.voters());
        out.writeIntSet(m.learners());
    }

    private static Membership readMembership(WireReader in) {
        return new Membership(in.readIntSet(), in.readIntSet());
    }

    private static void writeMeta(WireWriter out, SnapshotMeta m) {
        WireWriter.required(m, "snapshot meta");
        out.writeLong(m.index());
        out.writeLong(m.term());
        out.writeNullable(m.membership(), RaftCodec::writeMembership);
    }

    private static SnapshotMeta readMeta(WireReader in) {
        return new SnapshotMeta(in.readLong(), in.readLong(), in.readNullable(RaftCodec::readMembership));
    }

    /** A log entry and its encoding ({@link #writeEntry}); final fields, so a reader on another thread sees both or none. */
    private record Encoded(LogEntry entry, byte[] bytes) {
    }

    /** Slots of {@link #ENCODED} (a power of two): several AppendEntries of 64 entries. */
    private static final int ENCODED_SLOTS = 4096;

    /**
     * The encodings of recently written log entries, by identity (a direct-mapped cache): a leader sends each new
     * entry to every follower (and writes it to its disk), as the SAME {@link LogEntry} object, so it is encoded
     * once instead of once per follower. An entry is immutable (a record whose command types, below, are
     * immutable), so its bytes never change; a slot is overwritten by a colliding entry at worst, and a race
     * between two threads at worst encodes an entry twice: the bytes written are the same either way.
     */
    private static final Encoded[] ENCODED = new Encoded[ENCODED_SLOTS];

    private static void writeEntry(WireWriter out, LogEntry e) {
        WireWriter.required(e, "log entry");
        int slot = System.identityHashCode(e) & (ENCODED_SLOTS - 1);
        Encoded cached = ENCODED[slot];
        if (cached != null && cached.entry() == e) {
            out.writeEncoded(cached.bytes());
            return;
        }
        int start = out.size();
        out.writeLong(e.term());
        writeCommand(out, e.command());
        ENCODED[slot] = new Encoded(e, out.copyFrom(start));
    }

    private static LogEntry readEntry(WireReader in) {
        return new LogEntry(in.readLong(), readCommand(in));
    }

    private static void writeCommand(WireWriter out, Object command) {
        switch (command) {
            case null -> out.writeTag(COMMAND_NOOP);
            case Long n -> {
                out.writeTag(COMMAND_LONG);
                out.writeLong(n);
            }
            case Integer n -> {
                out.writeTag(COMMAND_INT);
                out.writeInt(n);
            }
            case String s -> {
                out.writeTag(COMMAND_STRING);
                out.writeString(s);
            }
            case ConfChange c -> {
                out.writeTag(COMMAND_CONF_CHANGE);
                out.writeEnum(c.type());
                out.writeInt(c.node());
            }
            case KvStore.Command c -> {
                out.writeTag(COMMAND_KV);
                out.writeInt(c.client());
                out.writeLong(c.requestId());
                out.writeEnum(c.f());
                out.writeString(c.key());
                OperationValue.write(out, c.value());
                out.writeLong(c.firstUnanswered());
            }
            default -> throw new CodecException("no encoding for a log command of type " + command.getClass().getName() + ": " + command);
        }
    }

    private static Object readCommand(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case COMMAND_NOOP -> null;
            case COMMAND_LONG -> in.readLong();
            case COMMAND_INT -> in.readInt();
            case COMMAND_STRING -> {
                int at = in.position();
                String s = in.readString();
                if (s == null) {
                    throw in.error(at, "null string command (a no-op has its own tag)");
                }
                yield s;
            }
            case COMMAND_CONF_CHANGE -> new ConfChange(in.readEnum(ConfChange.Type.class), in.readInt());
            case COMMAND_KV -> new KvStore.Command(in.readInt(), in.readLong(), in.readEnum(Fn.class), in.readString(),
                    OperationValue.read(in), in.readLong());
            default -> throw in.unknownTag(tag, "a log command");
        };
    }

    // ------------------------------------------------------------------ messages

    /** A message's tag and fields, without the version byte: also the body of {@link KvCodec}'s Peer. */
    static void writeMessage(WireWriter out, RaftMessage m) {
        switch (m) {
            case RequestVote v -> {
                out.writeTag(REQUEST_VOTE);
                out.writeLong(v.term());
                out.writeLong(v.lastLogIndex());
                out.writeLong(v.lastLogTerm());
                out.writeBoolean(v.preVote());
                out.writeBoolean(v.leaderTransfer());
            }
            case VoteResponse v -> {
                out.writeTag(VOTE_RESPONSE);
                out.writeLong(v.term());
                out.writeBoolean(v.granted());
                out.writeBoolean(v.preVote());
            }
            case AppendEntries a -> {
                out.writeTag(APPEND_ENTRIES);
                out.writeLong(a.term());
                out.writeLong(a.prevLogIndex());
                out.writeLong(a.prevLogTerm());
                out.writeList(a.entries(), RaftCodec::writeEntry);
                out.writeLong(a.leaderCommit());
                out.writeLong(a.readContext());
            }
            case AppendResponse a -> {
                out.writeTag(APPEND_RESPONSE);
                out.writeLong(a.term());
                out.writeBoolean(a.success());
                out.writeLong(a.matchIndex());
                out.writeLong(a.rejectedIndex());
                out.writeLong(a.conflictTerm());
                out.writeLong(a.conflictIndex());
                out.writeLong(a.readContext());
            }
            case InstallSnapshot s -> {
                out.writeTag(INSTALL_SNAPSHOT);
                out.writeLong(s.term());
                writeMeta(out, s.meta());
                out.writeLong(s.offset());
                out.writeBytes(s.data());
                out.writeBoolean(s.done());
                out.writeLong(s.readContext());
            }
            case InstallSnapshotResponse s -> {
                out.writeTag(INSTALL_SNAPSHOT_RESPONSE);
                out.writeLong(s.term());
                writeMeta(out, s.meta());
                out.writeBoolean(s.installed());
                out.writeLong(s.matchIndex());
                out.writeLong(s.nextOffset());
                out.writeLong(s.readContext());
            }
            case TimeoutNow t -> {
                out.writeTag(TIMEOUT_NOW);
                out.writeLong(t.term());
            }
        }
    }

    /** Reads what {@link #writeMessage} wrote. */
    static RaftMessage readMessage(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case REQUEST_VOTE -> new RequestVote(in.readLong(), in.readLong(), in.readLong(), in.readBoolean(), in.readBoolean());
            case VOTE_RESPONSE -> new VoteResponse(in.readLong(), in.readBoolean(), in.readBoolean());
            case APPEND_ENTRIES -> new AppendEntries(in.readLong(), in.readLong(), in.readLong(), in.readList(RaftCodec::readEntry),
                    in.readLong(), in.readLong());
            case APPEND_RESPONSE -> new AppendResponse(in.readLong(), in.readBoolean(), in.readLong(), in.readLong(), in.readLong(),
                    in.readLong(), in.readLong());
            case INSTALL_SNAPSHOT -> new InstallSnapshot(in.readLong(), readMeta(in), in.readLong(), in.readBytes(), in.readBoolean(),
                    in.readLong());
            case INSTALL_SNAPSHOT_RESPONSE -> new InstallSnapshotResponse(in.readLong(), readMeta(in), in.readBoolean(), in.readLong(),
                    in.readLong(), in.readLong());
            case TIMEOUT_NOW -> new TimeoutNow(in.readLong());
            default -> throw in.unknownTag(tag, "RaftMessage");
        };
    }

    // ------------------------------------------------------------------ durable values

    private static void writeDurable(WireWriter out, Object value) {
        switch (value) {
            case Long n -> {
                out.writeTag(LONG);
                out.writeLong(n);
            }
            case Integer n -> {
                out.writeTag(INT);
                out.writeInt(n);
            }
            case Snapshot s -> {
                out.writeTag(SNAPSHOT);
                writeMeta(out, s.meta());
                out.writeBytes(s.data());
            }
            case LogEntry e -> {
                out.writeTag(LOG_ENTRY);
                writeEntry(out, e);
            }
            case SnapshotMeta m -> {
                out.writeTag(SNAPSHOT_META);
                writeMeta(out, m);
            }
            default -> throw new CodecException("no Raft durable encoding for a " + value.getClass().getName() + ": " + value);
        }
    }

    private static Object readDurable(WireReader in) {
        int tag = in.readTag();
        return switch (tag) {
            case LONG -> in.readLong();
            case INT -> in.readInt();
            case SNAPSHOT -> new Snapshot(readMeta(in), in.readBytes());
            case LOG_ENTRY -> readEntry(in);
            case SNAPSHOT_META -> readMeta(in);
            default -> throw in.unknownTag(tag, "Raft durable value");
        };
    }
}
