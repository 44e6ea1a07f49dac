package io.github.dsw.raft;

import java.util.List;

/**
 * A copy of a Raft server's state ({@link RaftNode#status}), for tests, invariant checkers and monitoring (etcd's {@code Status}):
 * Figure 2's persistent and volatile state, the log's bounds, the configuration in effect (the latest in
 * the log, committed or not) and the index of the entry that set it (0: the initial voters), the
 * leadership transfer target ({@link RaftNode#NONE} if none), the ticks this incarnation counted, a log version
 * that increases whenever the log changes (lets checkers skip unchanged logs), the bytes held of a
 * snapshot being received (volatile), counters of this incarnation (snapshots installed from a leader,
 * AppendEntries rejections received as leader, lease reads served), whether {@link RaftNode#leaseRead} would
 * serve now, and, on a leader only (empty otherwise), the progress of every server id, indexed by id.
 */
public record Status(int id, long term, int vote, RaftNode.Role role, int leader, long commitIndex, long lastApplied, long lastIndex,
                     long lastTerm, long snapshotIndex, Membership configuration, long configurationIndex,
                     int leadTransferee, long ticks, long logVersion, long incomingSnapshotBytes, long snapshotsInstalled,
                     long rejectionsReceived, long leaseReads, boolean leaseValid, List<PeerStatus> progress) {
    public Status {
        progress = List.copyOf(progress);
    }
}
