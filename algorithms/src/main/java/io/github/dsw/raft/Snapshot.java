package io.github.dsw.raft;

import java.util.Arrays;

/**
 * A snapshot of the application's state machine after applying every entry up to {@code meta.index()}
 * (extended Raft paper, section 7): Raft's metadata plus opaque bytes that only the application can read.
 * Immutable: the bytes are copied in and {@link #data()} hands out a copy; {@link #size()} and
 * {@link #chunk} read without copying the whole array. Two snapshots are equal when their metadata and
 * bytes are equal.
 *
 * <p>Contract for applications: the bytes must be a deterministic function of the applied prefix (the
 * same entries give the same bytes on every server, e.g. maps written in key order), so that a checker
 * can compare a snapshot with the committed entries ({@code RaftInvariants}, in scenarios).
 *
 * @param meta index and term of the last entry covered
 */
public record Snapshot(SnapshotMeta meta, byte[] data) {

    /** No snapshot: the empty prefix, no bytes. */
    public static final Snapshot NONE = new Snapshot(SnapshotMeta.NONE, new byte[0]);

    public Snapshot {
        if (meta == null || data == null) {
            throw new IllegalArgumentException("meta and data must not be null");
        }
        data = data.clone();
    }

    /** Index of the last entry covered. */
    public long index() {
        return meta.index();
    }

    /** Term of the last entry covered. */
    public long term() {
        return meta.term();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** Length of the data in bytes. */
    public int size() {
        return data.length;
    }

    /** A copy of {@code length} bytes from {@code offset} (both must lie within the data). */
    public byte[] chunk(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("need 0 <= offset, 0 <= length, offset + length <= " + data.length + "; got " + offset + ", " + length);
        }
        return Arrays.copyOfRange(data, offset, offset + length);
    }

    /** True if the data equals {@code bytes}. */
    public boolean dataEquals(byte[] bytes) {
        return Arrays.equals(data, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Snapshot s && meta.equals(s.meta) && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return 31 * meta.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Snapshot[index=" + meta.index() + ", term=" + meta.term() + ", " + data.length + " bytes]";
    }
}
