package io.github.dsw.raft;

import io.github.dsw.sim.InvariantViolation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The four safety properties of the Raft paper's Figure 3, checked incrementally over the live servers
 * after every event ({@link #check}) and over applied entries ({@link #applied}); each violation throws
 * {@link InvariantViolation} (an {@link IllegalStateException}) naming the property.
 * <ul>
 *   <li><b>Election Safety</b>: at most one leader per term (remembered across the whole run).</li>
 *   <li><b>Log Matching</b>: two logs with an entry of the same index and term hold the same entry and
 *       agree on the term of the entry before it, so (by induction) are identical up to that index.
 *       Checked against a registry of every (index, term) ever seen in any log.</li>
 *   <li><b>Leader Completeness</b>: an entry committed in term T is in the log of every leader of a term
 *       above T. The commit term of an entry is the smallest currentTerm of a server seen with it under
 *       its commitIndex; the committing leader is seen first.</li>
 *   <li><b>State Machine Safety</b>: no two servers commit or apply different entries at one index.</li>
 * </ul>
 * With log compaction (extended paper section 7) a log holds only the entries after its snapshot:
 * Log Matching and Leader Completeness compare only the indexes a log still holds, and a snapshot
 * stands for the prefix it replaced, so it is checked instead: it must cover only entries seen
 * committed, its term must be that of the committed entry at its index, and, given the application's
 * encoding ({@link #checkSnapshotsWith}), its bytes must equal the encoding of the committed prefix, as
 * must the state an application reports right after restoring one ({@link #restored}). A server
 * that compacts must do so only after this checker has run on the event that committed the entries
 * (the servers here compact at the start of the next step), else the entries are never seen.
 * Cost per event: O(servers) plus the entries that changed since the last check, plus, per new
 * snapshot index, one encoding of the committed prefix (cached).
 *
 * <p>Incremental Log Matching: for each server (each incarnation) the checker keeps the stretch of its
 * log already verified against the registry (the same entry objects, index by index), and after a
 * change re-verifies only from the first index that differs. Finding that index costs O(1) when the log
 * only grew: {@link RaftNode#logVersion()} counts one per appended entry and one per truncation,
 * compaction or installed snapshot, so if the version grew by exactly as much as the last index, the
 * snapshot index is the same and the old last entry is still the same object, nothing but appends
 * happened. Otherwise (a truncation, a compaction, a snapshot) the verified stretch is compared with the
 * log object by object from its start, which is exact whatever changed, and the rest is re-verified.
 * A new incarnation (a restart, a log built by hand) is verified in full once.
 *
 * <p>Membership changes (dissertation chapter 4): none of the four checks counts servers or assumes a
 * fixed majority. Election Safety is per term over whoever leads; Log Matching compares entries by
 * (index, term); the commit term of an entry is observed (the term of the first server seen with it
 * under its commitIndex), not derived from a quorum; State Machine Safety compares entries by index.
 * So they hold unchanged while voters come and go, and servers outside the configuration are checked
 * like any other (they may hold old logs, but never lead or commit what no voter majority stored).
 */
public final class RaftInvariants {

    private record Seen(LogEntry entry, long prevTerm) {
    }

    /** What was already checked of one server incarnation. */
    private static final class Verified {
        long logVersion = -1; // -1: its log was never verified
        long commitIndex;
        long leaderTerm;
        long snapshotIndex;
        long base; // verified.get(k) is the entry at index base + 1 + k, verified against the registry
        final List<LogEntry> verified = new ArrayList<>();

        long verifiedLast() {
            return base + verified.size();
        }

        LogEntry verifiedAt(long index) {
            return verified.get((int) (index - base - 1));
        }
    }

    private record Committed(LogEntry entry, long commitTerm) {
    }

    private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
    private final Map<Long, Map<Long, Seen>> seen = new HashMap<>(); // index -> term -> entry
    private final List<Committed> committed = new ArrayList<>(); // committed.get(i - 1) is index i
    private final Map<Long, LogEntry> appliedAt = new HashMap<>();
    private final Map<RaftNode, Verified> progress = new IdentityHashMap<>();
    private long checks;
    private Function<List<LogEntry>, byte[]> snapshotEncoding;
    private final Map<Long, byte[]> referenceSnapshots = new HashMap<>();
    private long snapshotsChecked;

    /**
     * Also compares snapshot bytes with {@code encoding} applied to the committed prefix (entries 1..index,
     * as observed), e.g. {@link AppliedLog#encodeSnapshot} or {@link KvStore#referenceSnapshot}.
     * Without it only a snapshot's index and term are checked.
     */
    public void checkSnapshotsWith(Function<List<LogEntry>, byte[]> encoding) {
        this.snapshotEncoding = encoding;
    }

    /**
     * Records that {@code server} reset its state machine to the snapshot {@code meta} and that its state
     * right after, encoded, is {@code state}; State Machine Safety requires it to equal the committed prefix.
     */
    public void restored(int server, SnapshotMeta meta, byte[] state) {
        checkSnapshot(server, meta, state, "restored state");
    }

    /** Snapshots and restored states compared with the committed prefix so far. */
    public long snapshotsChecked() {
        return snapshotsChecked;
    }

    /** Checks every property on the live servers ({@code null} entries are crashed servers). */
    public void check(List<RaftNode> nodes) {
        checks++;
        for (RaftNode r : nodes) {
            if (r == null) {
                continue;
            }
            Verified p = progress.computeIfAbsent(r, k -> new Verified());
            long version = r.logVersion();
            if (version != p.logVersion) {
                checkLogMatching(r, p);
                p.logVersion = version;
            }
            if (r.commitIndex() > p.commitIndex) {
                recordCommitted(r, p.commitIndex + 1, r.commitIndex(), nodes);
                p.commitIndex = r.commitIndex();
            }
            if (r.snapshotIndex() != p.snapshotIndex) {
                checkSnapshot(r.config().id(), r.snapshot().meta(), r.snapshot().data(), "snapshot");
                p.snapshotIndex = r.snapshotIndex();
            }
            if (r.role() == RaftNode.Role.LEADER) {
                Integer other = leaderOfTerm.putIfAbsent(r.currentTerm(), r.config().id());
                if (other != null && other != r.config().id()) {
                    fail("Election Safety", "servers " + other + " and " + r.config().id() + " both lead term " + r.currentTerm());
                }
                if (p.leaderTerm != r.currentTerm()) {
                    p.leaderTerm = r.currentTerm();
                    for (int i = 0; i < committed.size(); i++) {
                        checkLeaderHas(r, i + 1);
                    }
                }
            }
        }
        if (progress.size() > 4 * Math.max(1, nodes.size()) + 64) {
            // forget crashed incarnations: keep only the live ones
            Map<RaftNode, Verified> live = new IdentityHashMap<>();
            for (RaftNode r : nodes) {
                if (r != null && progress.containsKey(r)) {
                    live.put(r, progress.get(r));
                }
            }
            progress.clear();
            progress.putAll(live);
        }
    }

    /** Records that {@code server} applied {@code entry} at {@code index}. */
    public void applied(int server, long index, LogEntry entry) {
        LogEntry before = appliedAt.putIfAbsent(index, entry);
        if (before != null && !before.equals(entry)) {
            fail("State Machine Safety", "server " + server + " applied " + entry + " at index " + index + " where " + before + " was applied");
        }
    }

    /** Number of committed indexes observed so far. */
    public long committedCount() {
        return committed.size();
    }

    /** The committed entry at {@code index} (1-based), as observed. */
    public LogEntry committedAt(long index) {
        return committed.get((int) index - 1).entry();
    }

    /** How many times {@link #check} ran. */
    public long checks() {
        return checks;
    }

    /**
     * Registers every entry of r's log from the first one that differs from what was verified of it, and
     * fails if another log held a different entry, or a different term before it, at the same (index, term).
     */
    private void checkLogMatching(RaftNode r, Verified p) {
        long base = r.snapshotIndex();
        long last = r.lastIndex();
        long from = firstUnverified(r, p, base, last);
        if (base != p.base) {
            int drop = base < p.base ? p.verified.size() : (int) Math.min(p.verified.size(), base - p.base);
            p.verified.subList(0, drop).clear();
            p.base = base;
            if (base + 1 < from && base + 1 <= last) {
                register(r, base + 1); // compacted or installed: the first entry after the base now follows the snapshot's term
            }
        }
        from = Math.max(from, base + 1);
        if (from <= p.verifiedLast()) {
            p.verified.subList((int) (from - base - 1), p.verified.size()).clear();
        }
        for (long i = from; i <= last; i++) {
            p.verified.add(register(r, i));
        }
    }

    /** Registers r's entry at index i with the term before it; fails if the registry holds another at (i, term). */
    private LogEntry register(RaftNode r, long i) {
        LogEntry e = r.entry(i);
        Seen s = new Seen(e, r.termAt(i - 1));
        Seen before = seen.computeIfAbsent(i, k -> new HashMap<>()).putIfAbsent(e.term(), s);
        if (before != null && !before.equals(s)) {
            fail("Log Matching", "server " + r.config().id() + " holds " + e + " after term " + s.prevTerm() + " at index " + i
                    + ", another log held " + before.entry() + " after term " + before.prevTerm());
        }
        return e;
    }

    /** The first index of r's log whose entry is not the object verified there (last + 1 if none). */
    private static long firstUnverified(RaftNode r, Verified p, long base, long last) {
        long verifiedLast = p.verifiedLast();
        if (p.logVersion < 0 || base < p.base) {
            return base + 1;
        }
        boolean appendedOnly = base == p.base && last > verifiedLast && r.logVersion() - p.logVersion == last - verifiedLast
                && (verifiedLast == base || r.entry(verifiedLast) == p.verifiedAt(verifiedLast));
        if (appendedOnly) {
            return verifiedLast + 1;
        }
        long end = Math.min(last, verifiedLast);
        for (long i = Math.max(base, p.base) + 1; i <= end; i++) {
            if (r.entry(i) != p.verifiedAt(i)) {
                return i;
            }
        }
        return end + 1;
    }

    private void recordCommitted(RaftNode r, long from, long to, List<RaftNode> nodes) {
        for (long i = from; i <= to; i++) {
            boolean compacted = i <= r.snapshotIndex(); // in its snapshot, checked by checkSnapshot
            LogEntry e = compacted ? null : r.entry(i);
            if (i <= committed.size()) {
                Committed c = committed.get((int) i - 1);
                if (!compacted && !c.entry().equals(e)) {
                    fail("State Machine Safety", "server " + r.config().id() + " commits " + e + " at index " + i + " where " + c.entry() + " was committed");
                }
                if (r.currentTerm() < c.commitTerm()) {
                    committed.set((int) i - 1, new Committed(c.entry(), r.currentTerm()));
                }
            } else if (compacted) {
                fail("State Machine Safety", "server " + r.config().id() + " holds index " + i + " as committed in its snapshot, but only "
                        + committed.size() + " entries were seen committed");
            } else if (i == committed.size() + 1) {
                committed.add(new Committed(e, r.currentTerm()));
                for (RaftNode other : nodes) {
                    if (other != null && other.role() == RaftNode.Role.LEADER) {
                        checkLeaderHas(other, i);
                    }
                }
            } else {
                // a gap can only come from a server restarted with commitIndex learned later; the earlier ones are in its log
                for (long j = committed.size() + 1; j < i; j++) {
                    if (j <= r.snapshotIndex()) {
                        fail("State Machine Safety", "server " + r.config().id() + " holds index " + j + " as committed in its snapshot, but only "
                                + committed.size() + " entries were seen committed");
                    }
                    committed.add(new Committed(r.entry(j), r.currentTerm()));
                }
                committed.add(new Committed(e, r.currentTerm()));
            }
        }
    }

    private void checkLeaderHas(RaftNode leader, long index) {
        Committed c = committed.get((int) index - 1);
        if (index <= leader.snapshotIndex()) {
            return; // in the leader's snapshot, which checkSnapshot matched with the committed prefix
        }
        if (leader.currentTerm() > c.commitTerm()
                && (leader.lastIndex() < index || !Objects.equals(leader.entry(index), c.entry()))) {
            fail("Leader Completeness", "leader " + leader.config().id() + " of term " + leader.currentTerm() + " lacks " + c.entry()
                    + " committed at index " + index + " in term " + c.commitTerm());
        }
    }

    /** A snapshot (or restored state) at meta must describe exactly the committed prefix through meta.index(). */
    private void checkSnapshot(int server, SnapshotMeta meta, byte[] data, String what) {
        long index = meta.index();
        if (index == 0) {
            return;
        }
        snapshotsChecked++;
        if (index > committed.size()) {
            fail("State Machine Safety", "server " + server + " has a " + what + " through index " + index + " but only " + committed.size()
                    + " entries were seen committed");
        }
        LogEntry last = committed.get((int) index - 1).entry();
        if (last.term() != meta.term()) {
            fail("State Machine Safety", "server " + server + " has a " + what + " ending at index " + index + " in term " + meta.term()
                    + " where " + last + " was committed");
        }
        if (snapshotEncoding != null) {
            byte[] expected = referenceSnapshots.computeIfAbsent(index, k -> {
                List<LogEntry> prefix = new ArrayList<>((int) index);
                for (int i = 0; i < index; i++) {
                    prefix.add(committed.get(i).entry());
                }
                return snapshotEncoding.apply(prefix);
            });
            if (!java.util.Arrays.equals(expected, data)) {
                fail("State Machine Safety", "server " + server + "'s " + what + " at index " + index + " (" + data.length
                        + " bytes) differs from the committed prefix (" + expected.length + " bytes)");
            }
        }
    }

    private static void fail(String property, String detail) {
        throw new InvariantViolation(property + " violated: " + detail);
    }
}
