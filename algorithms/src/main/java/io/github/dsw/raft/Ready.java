package io.github.dsw.raft;

import java.util.List;

/**
 * Everything the node produced since the last call, to be handled in this order: persist
 * {@code hardState} (if not null), {@code snapshot} (if not null: it replaces the log prefix through
 * its index, whose stored entries become garbage) and {@code entries} (which replace the log from
 * {@code firstEntryIndex} on: the stored log ends at {@code firstEntryIndex + entries.size() - 1}
 * when entries is not empty or a snapshot is given), fsync, then send {@code messages}, then reset the
 * state machine to {@code restore} if not null (a snapshot received from the leader, or the durable
 * one after a restart; never the application's own {@link RaftNode#compact}), then apply {@code committed}
 * (entries {@code firstCommittedIndex, ...}, which follow {@code restore} when both are given).
 */
public record Ready(HardState hardState, long firstEntryIndex, List<LogEntry> entries, List<Envelope> messages,
                    long firstCommittedIndex, List<LogEntry> committed, List<ReadState> readStates, Snapshot snapshot,
                    Snapshot restore) {
    /** True if there is nothing to do. */
    public boolean isEmpty() {
        return hardState == null && entries.isEmpty() && messages.isEmpty() && committed.isEmpty() && readStates.isEmpty()
                && snapshot == null && restore == null;
    }

    /** True if something must be made durable before the messages go out. */
    public boolean mustSync() {
        return hardState != null || !entries.isEmpty() || snapshot != null;
    }
}
