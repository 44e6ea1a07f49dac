package io.github.dsw.raft;

import java.io.ByteArrayOutputStream;

/**
 * A follower's volatile buffer for the snapshot a leader is sending in chunks (extended paper Figure 13,
 * steps 2-4): chunks must arrive in order, and bytes of two snapshots, or of two leaders' encodings of one
 * snapshot, are never mixed. A crash loses it, and the leader starts again from offset 0.
 */
final class SnapshotReceiver implements RaftRules.SnapshotAssembler {

    private SnapshotMeta meta;
    private long term;
    private ByteArrayOutputStream bytes;

    /**
     * Offers the chunk {@code data} at {@code offset} of the snapshot {@code meta}, sent by the leader of
     * {@code currentTerm}. Returns the snapshot when {@code done} completes it; otherwise null, and
     * {@link #expected} tells the leader which offset to send next (0 if this server holds nothing of that
     * snapshot from this term's leader).
     */
    @Override
    public Snapshot offer(SnapshotMeta meta, long currentTerm, long offset, byte[] data, boolean done) {
        if (bytes == null || !meta.equals(this.meta) || term != currentTerm) {
            if (offset != 0) {
                return null; // not the start of a snapshot this server could assemble: the answer says 0
            }
            this.meta = meta; // step 2: a new snapshot file at offset 0 (a partial older one is dropped)
            this.term = currentTerm;
            this.bytes = new ByteArrayOutputStream();
        }
        if (offset != bytes.size()) {
            return null; // out of order: the answer names the offset expected
        }
        bytes.writeBytes(data); // step 3
        if (!done) {
            return null; // step 4: reply and wait for more data chunks
        }
        Snapshot s = new Snapshot(meta, bytes.toByteArray());
        clear();
        return s;
    }

    /** The offset of the next chunk this server expects of {@code meta} from the leader of {@code currentTerm}. */
    @Override
    public long expected(SnapshotMeta meta, long currentTerm) {
        return bytes == null || !meta.equals(this.meta) || term != currentTerm ? 0 : bytes.size();
    }

    /** Bytes held of a snapshot being received (0 if none). */
    @Override
    public long held() {
        return bytes == null ? 0 : bytes.size();
    }

    private void clear() {
        meta = null;
        bytes = null;
    }
}
