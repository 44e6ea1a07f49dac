package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.RequestVote;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import io.github.dsw.raft.RaftNode.CommitRule;
import io.github.dsw.raft.RaftNode.HardState;
import io.github.dsw.raft.RaftNode.Ready;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The scenario of Figure 8 of the Raft paper (extended version, section 5.4.2), scripted message by
 * message on five {@link RaftNode}s with no simulator: the test is the network, delivering or dropping
 * each message, and the disk, keeping what each {@link Ready} asked to persist. Servers S1..S5 of the
 * figure are 0..4 here. Every server's log starts with the no-op of term 1 (the figure's index 1), and
 * each new leader's no-op plays the role of the figure's new entries:
 * <ol>
 *   <li>(a) S1 leads and replicates X at index 2 to S2 only;</li>
 *   <li>(b) S1 crashes; S5 wins an election with votes from S3, S4 and puts its own no-op (a different
 *       entry, of a later term) at index 2, then crashes before sending it;</li>
 *   <li>(c) S1 restarts and wins a later term; it brings X to S3 and S4, so X is on a majority, while its
 *       own no-op of the current term stays on S1 alone. The naive rule commits X now; Raft's does not;</li>
 *   <li>(d) S1 crashes; S5 (last log term higher than the others') wins and overwrites index 2.</li>
 * </ol>
 * With the naive rule a committed entry is lost (the invariant checker reports Leader Completeness
 * broken, and two servers apply different entries at index 2); with Raft's rule nothing committed is
 * lost, and (e) if S1 first replicates an entry of its own term to a majority, S5 can never win.
 */
class Figure8Test {

    private static final Object X = "X";

    /** Five RaftNodes wired by hand. */
    private static final class Cluster {
        final int n = 5;
        final RaftNode.Config[] configs = new RaftNode.Config[n];
        final RaftNode[] nodes = new RaftNode[n];
        final HardState[] hard = new HardState[n];
        final List<List<LogEntry>> disk = new ArrayList<>();
        final Deque<Object[]> wire = new ArrayDeque<>(); // {from, to, message}
        final RaftInvariants invariants;
        final Map<Long, Map<Integer, LogEntry>> appliedAt = new HashMap<>();

        Cluster(CommitRule rule, boolean checkInvariants) {
            invariants = checkInvariants ? new RaftInvariants() : null;
            for (int i = 0; i < n; i++) {
                // no PreVote/CheckQuorum: the figure is about the basic algorithm; one entry per message
                // so the script decides which entries travel; timeout = exactly electionTicks
                configs[i] = RaftNode.Config.defaults(i, n).withElection(false, false).withMaxEntriesPerAppend(1).withCommitRule(rule);
                hard[i] = new HardState(0, RaftNode.NONE);
                disk.add(new ArrayList<>());
                nodes[i] = RaftNode.create(configs[i], b -> 0);
            }
        }

        void crash(int i) {
            nodes[i] = null;
        }

        void restart(int i) {
            nodes[i] = RaftNode.restart(configs[i], b -> 0, hard[i], List.copyOf(disk.get(i)));
        }

        /** Handles node i's Ready: persist, put messages on the wire, apply committed entries. */
        void process(int i) {
            Ready rd = nodes[i].ready();
            if (rd.hardState() != null) {
                hard[i] = rd.hardState();
            }
            if (!rd.entries().isEmpty()) {
                List<LogEntry> d = disk.get(i);
                d.subList((int) rd.firstEntryIndex() - 1, d.size()).clear();
                d.addAll(rd.entries());
            }
            for (RaftNode.Envelope e : rd.messages()) {
                wire.add(new Object[] {i, e.to(), e.message()});
            }
            long index = rd.firstCommittedIndex();
            for (LogEntry e : rd.committed()) {
                appliedAt.computeIfAbsent(index, k -> new HashMap<>()).put(i, e);
                if (invariants != null) {
                    invariants.applied(i, index, e);
                }
                index++;
            }
            check();
        }

        void check() {
            if (invariants != null) {
                invariants.check(Arrays.asList(nodes));
            }
        }

        /** Delivers messages among {@code among} that {@code allow} accepts, until none is left; drops the others. */
        void deliver(Set<Integer> among, Predicate<RaftMessage> allow) {
            deliver(among, (to, m) -> allow.test(m));
        }

        /** As above, with a filter that also sees the receiver. */
        void deliver(Set<Integer> among, BiPredicate<Integer, RaftMessage> allow) {
            while (!wire.isEmpty()) {
                Object[] m = wire.poll();
                int from = (Integer) m[0];
                int to = (Integer) m[1];
                RaftMessage msg = (RaftMessage) m[2];
                if (among.contains(from) && among.contains(to) && nodes[to] != null && allow.test(to, msg)) {
                    nodes[to].step(from, msg);
                    process(to);
                }
            }
        }

        /** Times server i out (and only it) until it wins among {@code among}; returns whether it won. */
        boolean elect(int i, Set<Integer> among, Predicate<RaftMessage> allow) {
            for (int attempt = 0; attempt < 5; attempt++) {
                for (int t = 0; t < 2 * configs[i].electionTicks() && nodes[i].role() != RaftNode.Role.CANDIDATE; t++) {
                    nodes[i].tick();
                }
                process(i);
                deliver(among, allow);
                if (nodes[i].role() == RaftNode.Role.LEADER) {
                    return true;
                }
                if (nodes[i].role() == RaftNode.Role.CANDIDATE) {
                    // lost or split: time out again in a new term
                    for (int t = 0; t < 2 * configs[i].electionTicks() && nodes[i].role() == RaftNode.Role.CANDIDATE
                            && nodes[i].currentTerm() == hard[i].currentTerm(); t++) {
                        nodes[i].tick();
                    }
                }
            }
            return false;
        }

        LogEntry applied(int server, long index) {
            return appliedAt.getOrDefault(index, Map.of()).get(server);
        }
    }

    private static final Set<Integer> ALL = Set.of(0, 1, 2, 3, 4);

    private static boolean votesOnly(RaftMessage m) {
        return m instanceof RequestVote || m instanceof VoteResponse;
    }

    /** Steps (a) to (c); returns S1's term in (c). */
    private static long stepsAToC(Cluster c, boolean letCurrentTermEntryThrough) {
        // index 1: S1 leads term 1, its no-op reaches and commits everywhere
        assertTrue(c.elect(0, ALL, m -> true));
        assertEquals(1, c.nodes[0].commitIndex());
        // (a) X at index 2 reaches S2 only
        assertEquals(2, c.nodes[0].propose(X));
        c.process(0);
        c.deliver(Set.of(0, 1), m -> true);
        assertEquals(X, c.nodes[1].entry(2).command());
        // (b) S1 crashes; S5 wins with S3 and S4, appends its no-op at index 2, crashes before sending it
        c.crash(0);
        assertTrue(c.elect(4, Set.of(2, 3, 4), Figure8Test::votesOnly));
        long s5term = c.nodes[4].currentTerm();
        assertEquals(s5term, c.nodes[4].termAt(2));
        c.crash(4);
        // (c) S1 restarts and wins a later term with S2, S3, S4
        c.restart(0);
        assertTrue(c.elect(0, Set.of(0, 1, 2, 3), Figure8Test::votesOnly));
        long s1term = c.nodes[0].currentTerm();
        assertTrue(s1term > s5term);
        // X travels to S3 and S4 (a heartbeat, a rejection, a back-off); S1's own no-op (index 3,
        // current term) only if allowed
        c.nodes[0].tick();
        c.process(0);
        // (a message its receiver will reject anyway may pass: it carries nothing into a log)
        c.deliver(Set.of(0, 1, 2, 3), (to, m) -> letCurrentTermEntryThrough
                || !(m instanceof AppendEntries ae) || ae.entries().stream().allMatch(e -> e.term() < s1term)
                || ae.prevLogIndex() > c.nodes[to].lastIndex());
        for (int s = 0; s <= 3; s++) {
            assertEquals(X, c.nodes[s].entry(2).command(), "X on S" + (s + 1));
        }
        return s1term;
    }

    @Test
    void naiveCommitRuleLosesACommittedEntry() {
        Cluster c = new Cluster(CommitRule.NAIVE_COUNTING, false);
        stepsAToC(c, false);
        assertEquals(2, c.nodes[0].commitIndex(), "naive rule: X on a majority counts as committed");
        assertEquals(X, c.applied(0, 2).command(), "S1 applied X at index 2");
        // (d) S1 crashes, S5 comes back and wins with S2, S3, S4 (its last log term is higher)
        c.crash(0);
        c.restart(4);
        assertTrue(c.elect(4, Set.of(1, 2, 3, 4), m -> true), "S5 can win: its last term beats theirs");
        c.deliver(Set.of(1, 2, 3, 4), m -> true);
        // index 2 is now S5's old no-op everywhere, and it is applied: S1 and S2 applied different entries
        LogEntry atTwo = c.applied(1, 2);
        assertTrue(atTwo != null && atTwo.command() == null, "S2 applied S5's entry at index 2: " + atTwo);
        assertNotEquals(c.applied(0, 2), atTwo, "State Machine Safety broken by the naive rule");
    }

    @Test
    void naiveCommitRuleIsCaughtByTheInvariantChecker() {
        Cluster c = new Cluster(CommitRule.NAIVE_COUNTING, true);
        stepsAToC(c, false);
        c.crash(0);
        c.restart(4);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            c.elect(4, Set.of(1, 2, 3, 4), m -> true);
            c.deliver(Set.of(1, 2, 3, 4), m -> true);
        });
        assertTrue(e.getMessage().startsWith("Leader Completeness violated"), e.getMessage());
    }

    @Test
    void raftCommitRuleDoesNotCommitXByCounting() {
        Cluster c = new Cluster(CommitRule.CURRENT_TERM_ONLY, true);
        stepsAToC(c, false);
        // commitIndex is volatile: restarted S1 knows nothing committed, and counting cannot teach it
        assertTrue(c.nodes[0].commitIndex() < 2, "X is on a majority but not of the current term: not committed");
        assertEquals(null, c.applied(0, 2));
        // (d) S5 may now overwrite X: that is allowed, X was never committed, and the checker agrees
        c.crash(0);
        c.restart(4);
        assertTrue(c.elect(4, Set.of(1, 2, 3, 4), m -> true));
        c.deliver(Set.of(1, 2, 3, 4), m -> true);
        for (int s = 1; s <= 4; s++) {
            assertEquals(null, c.nodes[s].entry(2).command(), "X replaced on S" + (s + 1));
        }
        assertTrue(c.nodes[4].commitIndex() >= 3);
    }

    @Test
    void raftCommitRuleCommitsXIndirectlyAndS5CannotWin() {
        Cluster c = new Cluster(CommitRule.CURRENT_TERM_ONLY, true);
        long s1term = stepsAToC(c, true);
        // (e) the current-term no-op at index 3 is on a majority: it commits, and X with it
        assertEquals(s1term, c.nodes[0].termAt(3));
        assertEquals(3, c.nodes[0].commitIndex());
        assertEquals(X, c.applied(0, 2).command());
        c.crash(0);
        c.restart(4);
        assertTrue(!c.elect(4, Set.of(1, 2, 3, 4), m -> true), "S5 must not win: S2, S3 hold a later last term");
        for (int s = 1; s <= 3; s++) {
            assertEquals(X, c.nodes[s].entry(2).command(), "X kept on S" + (s + 1));
        }
    }
}
