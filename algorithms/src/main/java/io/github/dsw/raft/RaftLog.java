package io.github.dsw.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A server's Raft log after compaction (extended paper section 7; etcd's {@code raftLog}): a snapshot
 * that stands for every entry through its index (the log's base), then the entries after it, and the
 * part of them not yet handed out to be persisted. All the index arithmetic lives here: the entry at
 * index {@code i} sits at array position {@code i - snapshotIndex - 1}, and the term at the base
 * itself is the snapshot's ({@code termAt(snapshotIndex) = snapshotTerm}; index 0 has term 0).
 * Nothing here knows about terms of office, commitment or peers: {@link RaftNode} decides, this class
 * stores.
 *
 * <p>Cost: term and entry lookups are O(1); appending is amortised O(1); truncating and compacting are
 * O(entries kept) (they shift the array); the conflict searches scan back over one term.
 */
final class RaftLog {

    private final ArrayList<LogEntry> entries = new ArrayList<>(); // entries.get(i - snapshot.index() - 1) is the entry at index i
    private Snapshot snapshot; // the base: entries up to snapshot.index() are compacted into it
    private long stableIndex;  // the durable log ends here; ready() hands out the entries after it
    private long version;      // increases whenever the log changes

    /** A log restored from storage: {@code snapshot} then {@code entries} (indexes snapshot.index() + 1, ...), all durable. */
    RaftLog(Snapshot snapshot, List<LogEntry> entries) {
        this.snapshot = snapshot;
        this.entries.addAll(entries);
        this.stableIndex = lastIndex();
    }

    long lastIndex() {
        return snapshot.index() + entries.size();
    }

    long lastTerm() {
        return termAt(lastIndex());
    }

    /** The term of the entry at {@code index}, for snapshotIndex..lastIndex (the snapshot's term at its index). */
    long termAt(long index) {
        long base = snapshot.index();
        if (index < base || index > lastIndex()) {
            throw new IllegalArgumentException("index must be in " + base + ".." + lastIndex() + " (compacted up to " + base + "), got " + index);
        }
        return index == base ? snapshot.term() : entries.get(position(index)).term();
    }

    /** The entry at {@code index}, for snapshotIndex + 1 .. lastIndex. */
    LogEntry entry(long index) {
        long base = snapshot.index();
        if (index <= base || index > lastIndex()) {
            throw new IllegalArgumentException("index must be in " + (base + 1) + ".." + lastIndex() + " (compacted up to " + base + "), got " + index);
        }
        return entries.get(position(index));
    }

    /** The entries {@code lo .. hi - 1} (snapshotIndex < lo <= hi <= lastIndex + 1), an immutable copy. */
    List<LogEntry> slice(long lo, long hi) {
        if (lo <= snapshot.index() || hi < lo || hi > lastIndex() + 1) {
            throw new IllegalArgumentException("need " + snapshot.index() + " < lo <= hi <= " + (lastIndex() + 1) + ", got lo " + lo + ", hi " + hi);
        }
        return List.copyOf(entries.subList(position(lo), position(hi)));
    }

    Snapshot snapshot() {
        return snapshot;
    }

    long snapshotIndex() {
        return snapshot.index();
    }

    long version() {
        return version;
    }

    /**
     * Section 5.4.1: whether a log ending at ({@code index}, {@code term}) is at least as up-to-date as
     * this one: a later last term wins, and with equal last terms the longer log.
     */
    boolean isUpToDate(long index, long term) {
        return term > lastTerm() || (term == lastTerm() && index >= lastIndex());
    }

    void append(LogEntry e) {
        entries.add(e);
        version++;
    }

    /** Drops the entries from {@code index} on (they conflict with the leader's); the durable log shrinks with them. */
    void truncateFrom(long index) {
        entries.subList(position(index), entries.size()).clear();
        stableIndex = Math.min(stableIndex, index - 1);
        version++;
    }

    /**
     * Makes {@code s} the base. If this log holds the snapshot's last entry (same index and term), the
     * entries after it stay valid and are kept (extended paper Figure 13, step 6, and local compaction);
     * otherwise the snapshot has entries this log lacks, and every entry is dropped (step 7).
     */
    void restoreTo(Snapshot s) {
        restoreTo(s, s.index() <= lastIndex() && termAt(s.index()) == s.term());
    }

    /** As {@link #restoreTo(Snapshot)}, with the decision to keep the entries after the snapshot taken by the caller. */
    void restoreTo(Snapshot s, boolean keep) {
        long index = s.index();
        if (keep) {
            entries.subList(0, position(index) + 1).clear();
            stableIndex = Math.max(stableIndex, index);
        } else {
            entries.clear();
            stableIndex = index; // the durable log must end at the snapshot too
        }
        snapshot = s;
        version++;
    }

    /**
     * Leader, fast back-off (section 5.3): the last index holding an entry of {@code term}, or 0 if this
     * log has none of it (entries below the snapshot are unknown, as if absent).
     */
    long lastIndexOfTerm(long term) {
        for (long i = lastIndex(); i >= Math.max(1, snapshot.index()); i--) {
            long t = termAt(i);
            if (t == term) {
                return i;
            }
            if (t < term) {
                return 0;
            }
        }
        return 0;
    }

    /**
     * Follower, fast back-off (section 5.3): the first index of the run of entries with the term at
     * {@code index} that ends there, not going down to {@code floor} or below (entries through the
     * commit index match the leader's, so the hint never needs to reach them).
     */
    long firstIndexOfTermAt(long index, long floor) {
        long term = termAt(index);
        long first = index;
        while (first - 1 > floor && termAt(first - 1) == term) {
            first--;
        }
        return first;
    }

    /** A configuration and the index of the entry (or snapshot) that set it; null and 0: the boot one. */
    record ConfigurationAt(Membership membership, long index) {
    }

    /**
     * The configuration after the entries through {@code index} (>= snapshotIndex): the snapshot's (if its
     * prefix changed it), then every ConfChange in log order, the first applied to {@code bootVoters} if
     * nothing before changed them. The only place that knows where a configuration comes from; membership
     * null means neither the snapshot nor those entries changed the boot configuration (how a new
     * snapshot's metadata records it). Cost: O(entries through index).
     */
    ConfigurationAt configurationThrough(long index, Set<Integer> bootVoters) {
        Membership m = snapshot.meta().membership();
        long at = m != null ? snapshot.index() : 0;
        for (long i = snapshot.index() + 1; i <= index; i++) {
            if (entry(i).command() instanceof ConfChange c) {
                m = (m != null ? m : Membership.of(bootVoters)).apply(c);
                at = i;
            }
        }
        return new ConfigurationAt(m, at);
    }

    /** Index of the first entry not yet handed out to be persisted ({@link #takeUnstable}). */
    long firstUnstableIndex() {
        return stableIndex + 1;
    }

    /**
     * The entries appended or rewritten since the last call (indexes firstUnstableIndex .. lastIndex): the
     * caller persists them, replacing its stored log from firstUnstableIndex on. They count as durable from now.
     */
    List<LogEntry> takeUnstable() {
        List<LogEntry> unstable = slice(stableIndex + 1, lastIndex() + 1);
        stableIndex = lastIndex();
        return unstable;
    }

    private int position(long index) {
        return (int) (index - snapshot.index() - 1);
    }
}
