package io.github.dsw.raft;

/**
 * What Raft itself must know about a snapshot: the index and term of the last log entry it covers
 * (the paper's {@code lastIncludedIndex} and {@code lastIncludedTerm}, extended paper section 7,
 * Figure 12). It stands in for the discarded log prefix: {@code termAt(index)} is {@code term}, so the
 * AppendEntries consistency check still works for the first entry after the snapshot.
 *
 * <p>As in Ongaro's dissertation (section 5.1, Figure 5.3) it also holds the latest cluster
 * configuration as of {@code index}: once the entries that changed the membership are compacted away,
 * the snapshot is the only place a server (one restarting, or one that installs it) can learn which
 * servers vote. Both {@link Snapshot} and {@link RaftMessage.InstallSnapshot} carry this record.
 *
 * @param index      last log index the snapshot covers (0 with term 0: no snapshot, the empty log)
 * @param term       term of the entry at {@code index}
 * @param membership the configuration in effect after applying the entries through {@code index}, or null
 *                   if no membership change is among them (then the boot configuration,
 *                   {@link RaftConfig#initialVoters()}, is in effect)
 */
public record SnapshotMeta(long index, long term, Membership membership) {

    /** The empty prefix: no snapshot yet. */
    public static final SnapshotMeta NONE = new SnapshotMeta(0, 0);

    public SnapshotMeta {
        if (index < 0 || term < 0 || (index == 0) != (term == 0)) {
            throw new IllegalArgumentException("need index >= 1 and term >= 1, or both 0; got index " + index + ", term " + term);
        }
        if (index == 0 && membership != null) {
            throw new IllegalArgumentException("the empty prefix has no membership change, got " + membership);
        }
    }

    /** A snapshot covering no membership change (the boot configuration is in effect at {@code index}). */
    public SnapshotMeta(long index, long term) {
        this(index, term, null);
    }
}
