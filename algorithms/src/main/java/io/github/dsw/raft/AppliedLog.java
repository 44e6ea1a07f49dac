package io.github.dsw.raft;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The simplest {@link StateMachine}: its state is the sequence of applied entries (opaque commands), the
 * one the Raft tests and scenarios replicate. Its state IS its history, so its snapshot grows with it,
 * unlike a real state machine's ({@link KvStore}); that makes the bytes checkable against the committed
 * entries and keeps {@link #applied()} whole across compaction and restore.
 */
public final class AppliedLog implements StateMachine {

    private final List<LogEntry> applied = new ArrayList<>();

    /** Appends the entry; no result (nobody waits for one here). */
    @Override
    public Object apply(long index, LogEntry entry) {
        if (index != applied.size() + 1) {
            throw new IllegalStateException("applies index " + index + " after " + applied.size());
        }
        applied.add(entry);
        return null;
    }

    @Override
    public byte[] snapshot() {
        return encodeSnapshot(applied);
    }

    @Override
    public void restore(byte[] state) {
        List<LogEntry> entries = decode(state);
        applied.clear();
        applied.addAll(entries);
    }

    /** Entries applied by this incarnation (or restored), index 1 first. */
    public List<LogEntry> applied() {
        return Collections.unmodifiableList(applied);
    }

    /**
     * This state machine's snapshot encoding (big-endian, {@link DataOutputStream}): an int count, then
     * per applied entry its term (long), a tag byte and the command: 0 no-op (null, nothing follows),
     * 1 Long (8 bytes), 2 Integer (4 bytes), 3 String (modified UTF-8, {@link DataOutputStream#writeUTF}),
     * 4 {@link ConfChange} (the type's ordinal as a byte, then the node id as an int).
     * Deterministic: the same entries give the same bytes.
     *
     * @throws IllegalArgumentException for a command of another type (this log only runs tests' commands)
     */
    public static byte[] encodeSnapshot(List<LogEntry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (LogEntry e : entries) {
                out.writeLong(e.term());
                switch (e.command()) {
                    case null -> out.writeByte(0);
                    case Long l -> {
                        out.writeByte(1);
                        out.writeLong(l);
                    }
                    case Integer i -> {
                        out.writeByte(2);
                        out.writeInt(i);
                    }
                    case String str -> {
                        out.writeByte(3);
                        out.writeUTF(str);
                    }
                    case ConfChange c -> {
                        out.writeByte(4);
                        out.writeByte(c.type().ordinal());
                        out.writeInt(c.node());
                    }
                    default -> throw new IllegalArgumentException("AppliedLog snapshots encode null, Long, Integer, String or ConfChange commands, got "
                            + e.command().getClass().getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Decodes {@link #encodeSnapshot}; the count must equal the snapshot's index. */
    static List<LogEntry> decodeSnapshot(Snapshot snapshot) {
        List<LogEntry> entries = decode(snapshot.data());
        if (entries.size() != snapshot.index()) {
            throw new IllegalStateException("snapshot at index " + snapshot.index() + " holds " + entries.size() + " entries");
        }
        return entries;
    }

    private static List<LogEntry> decode(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int count = in.readInt();
            List<LogEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long term = in.readLong();
                Object command = switch (in.readByte()) {
                    case 0 -> null;
                    case 1 -> in.readLong();
                    case 2 -> in.readInt();
                    case 3 -> in.readUTF();
                    case 4 -> new ConfChange(ConfChange.Type.values()[in.readByte()], in.readInt());
                    default -> throw new IllegalStateException("bad command tag in snapshot at entry " + (i + 1));
                };
                entries.add(new LogEntry(term, command));
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("truncated snapshot of " + data.length + " bytes", e);
        }
    }
}
