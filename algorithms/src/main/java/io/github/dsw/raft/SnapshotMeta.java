package io.github.dsw.raft;

/**
 * What Raft itself must know about a snapshot: the index and term of the last log entry it covers
 * (the paper's {@code lastIncludedIndex} and {@code lastIncludedTerm}, extended paper section 7,
 * Figure 12). It stands in for the discarded log prefix: {@code termAt(index)} is {@code term}, so the
 * AppendEntries consistency check still works for the first entry after the snapshot.
 *
 * <p>Ongaro's dissertation (section 5.1, Figure 5.3) also stores the latest cluster configuration as of
 * {@code index} here; membership changes are not part of this record yet, and that is the component
 * to add when they are (both {@link Snapshot} and {@link RaftMessage.InstallSnapshot} carry this record,
 * so they would follow).
 *
 * @param index last log index the snapshot covers (0 with term 0: no snapshot, the empty log)
 * @param term  term of the entry at {@code index}
 */
public record SnapshotMeta(long index, long term) {

    /** The empty prefix: no snapshot yet. */
    public static final SnapshotMeta NONE = new SnapshotMeta(0, 0);

    public SnapshotMeta {
        if (index < 0 || term < 0 || (index == 0) != (term == 0)) {
            throw new IllegalArgumentException("need index >= 1 and term >= 1, or both 0; got index " + index + ", term " + term);
        }
    }
}
