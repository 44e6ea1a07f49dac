package io.github.dsw.raft;

/**
 * What a leader knows of one server (see {@link Progress}): its replication state, matchIndex and
 * nextIndex, AppendEntries in flight, whether a snapshot is being sent to it, and, for a learner,
 * whether it finished a catch-up round within an election timeout (dissertation 4.2.1: it may be promoted).
 */
public record PeerStatus(Progress.State state, long match, long next, int inflight, boolean sendingSnapshot,
                         boolean learnerCaughtUp) {
}
