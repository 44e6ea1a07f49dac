package io.github.dsw.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The four safety properties of the Raft paper's Figure 3, checked incrementally over the live servers
 * after every event ({@link #check}) and over applied entries ({@link #applied}); each violation throws
 * {@link IllegalStateException} naming the property.
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
 * Cost per event: O(servers) plus the entries of logs that changed since the last check.
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

    private record Committed(LogEntry entry, long commitTerm) {
    }

    private final Map<Long, Integer> leaderOfTerm = new HashMap<>();
    private final Map<Long, Map<Long, Seen>> seen = new HashMap<>(); // index -> term -> entry
    private final List<Committed> committed = new ArrayList<>(); // committed.get(i - 1) is index i
    private final Map<Long, LogEntry> appliedAt = new HashMap<>();
    private final Map<RaftNode, long[]> progress = new IdentityHashMap<>(); // {logVersion checked, commitIndex checked, leader term checked}
    private long checks;

    /** Checks every property on the live servers ({@code null} entries are crashed servers). */
    public void check(List<RaftNode> nodes) {
        checks++;
        for (RaftNode r : nodes) {
            if (r == null) {
                continue;
            }
            long[] p = progress.computeIfAbsent(r, k -> new long[] {-1, 0, 0});
            if (r.logVersion() != p[0]) {
                checkLogMatching(r);
                p[0] = r.logVersion();
            }
            if (r.commitIndex() > p[1]) {
                recordCommitted(r, p[1] + 1, r.commitIndex(), nodes);
                p[1] = r.commitIndex();
            }
            if (r.role() == RaftNode.Role.LEADER) {
                Integer other = leaderOfTerm.putIfAbsent(r.currentTerm(), r.config().id());
                if (other != null && other != r.config().id()) {
                    fail("Election Safety", "servers " + other + " and " + r.config().id() + " both lead term " + r.currentTerm());
                }
                if (p[2] != r.currentTerm()) {
                    p[2] = r.currentTerm();
                    for (int i = 0; i < committed.size(); i++) {
                        checkLeaderHas(r, i + 1);
                    }
                }
            }
        }
        if (progress.size() > 4 * Math.max(1, nodes.size()) + 64) {
            // forget crashed incarnations: keep only the live ones
            Map<RaftNode, long[]> live = new IdentityHashMap<>();
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

    private void checkLogMatching(RaftNode r) {
        for (long i = 1; i <= r.lastIndex(); i++) {
            LogEntry e = r.entry(i);
            Seen s = new Seen(e, r.termAt(i - 1));
            Seen before = seen.computeIfAbsent(i, k -> new HashMap<>()).putIfAbsent(e.term(), s);
            if (before != null && !before.equals(s)) {
                fail("Log Matching", "server " + r.config().id() + " holds " + e + " after term " + s.prevTerm() + " at index " + i
                        + ", another log held " + before.entry() + " after term " + before.prevTerm());
            }
        }
    }

    private void recordCommitted(RaftNode r, long from, long to, List<RaftNode> nodes) {
        for (long i = from; i <= to; i++) {
            LogEntry e = r.entry(i);
            if (i <= committed.size()) {
                Committed c = committed.get((int) i - 1);
                if (!c.entry().equals(e)) {
                    fail("State Machine Safety", "server " + r.config().id() + " commits " + e + " at index " + i + " where " + c.entry() + " was committed");
                }
                if (r.currentTerm() < c.commitTerm()) {
                    committed.set((int) i - 1, new Committed(e, r.currentTerm()));
                }
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
                    committed.add(new Committed(r.entry(j), r.currentTerm()));
                }
                committed.add(new Committed(e, r.currentTerm()));
            }
        }
    }

    private void checkLeaderHas(RaftNode leader, long index) {
        Committed c = committed.get((int) index - 1);
        if (leader.currentTerm() > c.commitTerm()
                && (leader.lastIndex() < index || !Objects.equals(leader.entry(index), c.entry()))) {
            fail("Leader Completeness", "leader " + leader.config().id() + " of term " + leader.currentTerm() + " lacks " + c.entry()
                    + " committed at index " + index + " in term " + c.commitTerm());
        }
    }

    private static void fail(String property, String detail) {
        throw new IllegalStateException(property + " violated: " + detail);
    }
}
