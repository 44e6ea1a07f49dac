package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.sim.InvariantViolation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftInvariants} on logs built by hand from the definitions of the Raft paper's Figure 3, so the
 * incremental checker is shown to catch what a full rescan would: Log Matching broken deep in the
 * prefix of a new log, by a truncation deep in a log already verified (even when the entries re-appended
 * after it are the very objects that were there), and by an append; Election Safety and Leader
 * Completeness on two hand-made leaders. Legitimate logs (a stale suffix replaced by the leader's) pass.
 */
class RaftInvariantsTest {

    private static final int SERVERS = 3;

    /** Entries {@code from..to} (1-based indexes) of {@code term}, commands named {@code name + index}. */
    private static List<LogEntry> entries(long from, long to, long term, String name) {
        List<LogEntry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(new LogEntry(term, name + i));
        }
        return out;
    }

    private static List<LogEntry> concat(List<LogEntry> a, List<LogEntry> b) {
        List<LogEntry> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** A follower restarted from {@code log} at {@code term}: nothing committed, so a leader may still truncate it. */
    private static RaftNode planted(int id, long term, List<LogEntry> log) {
        return RaftNode.restart(RaftConfig.defaults(id, SERVERS), b -> 0, new HardState(term, RaftNode.NONE), log);
    }

    private static AppendEntries append(long term, long prevIndex, long prevTerm, List<LogEntry> entries) {
        return new AppendEntries(term, prevIndex, prevTerm, entries, 0, 0);
    }

    private static void assertViolates(String property, RaftInvariants invariants, RaftNode... nodes) {
        // its own type: the CLI tells a monitor's verdict (exit 1) from a crash (exit 4) by it
        InvariantViolation e = assertThrows(InvariantViolation.class, () -> invariants.check(Arrays.asList(nodes)));
        assertTrue(e.getMessage().startsWith(property + " violated"), e.getMessage());
    }

    @Test
    void logMatchingBrokenDeepInThePrefixOfANewLog() {
        // same (index, term) at 1000 in both logs, but index 3 differs: they are not identical up through 1000
        List<LogEntry> a = concat(entries(1, 2, 1, "a"), entries(3, 1000, 2, "a"));
        List<LogEntry> b = new ArrayList<>(a);
        b.set(2, new LogEntry(1, "b3"));
        RaftInvariants invariants = new RaftInvariants();
        invariants.check(Arrays.asList(planted(0, 2, a), null, null));
        assertViolates("Log Matching", invariants, planted(0, 2, a), planted(1, 2, b), null);

        // same term at the differing index: the entries themselves differ
        List<LogEntry> c = new ArrayList<>(a);
        c.set(499, new LogEntry(2, "c500"));
        RaftInvariants fresh = new RaftInvariants();
        assertViolates("Log Matching", fresh, planted(0, 2, a), planted(2, 2, c));
    }

    @Test
    void logMatchingBrokenByADeepTruncationOfAVerifiedLog() {
        List<LogEntry> a = entries(1, 100, 1, "a");
        RaftNode s0 = planted(0, 1, a);
        RaftNode s1 = planted(1, 1, a);
        RaftInvariants invariants = new RaftInvariants();
        invariants.check(Arrays.asList(s0, s1, null));
        // s1 truncates at 10 and re-appends the very objects it held at 11..100 after a new entry of term 2:
        // (11, term 1) now follows term 2 on s1 and term 1 on s0
        List<LogEntry> sent = concat(List.of(new LogEntry(2, "x10")), a.subList(10, 100));
        s1.step(2, append(2, 9, 1, sent));
        assertSame(a.get(50), s1.entry(51), "the same object is back at index 51");
        assertEquals(2, s1.termAt(10));
        assertViolates("Log Matching", invariants, s0, s1, null);
    }

    @Test
    void logMatchingBrokenByAnAppend() {
        List<LogEntry> prefix = entries(1, 100, 1, "a");
        RaftNode s0 = planted(0, 2, concat(prefix, List.of(new LogEntry(2, "y101"))));
        RaftNode s1 = planted(1, 1, prefix);
        RaftInvariants invariants = new RaftInvariants();
        invariants.check(Arrays.asList(s0, s1, null));
        s1.step(2, append(2, 100, 1, List.of(new LogEntry(2, "z101"))));
        assertEquals(101, s1.lastIndex());
        assertViolates("Log Matching", invariants, s0, s1, null);
    }

    @Test
    void aStaleSuffixReplacedByTheLeadersEntriesIsLegal() {
        List<LogEntry> leader = concat(entries(1, 50, 1, "a"), entries(51, 100, 3, "a"));
        RaftNode s0 = planted(0, 3, leader);
        RaftNode s1 = planted(1, 2, concat(leader.subList(0, 50), entries(51, 55, 2, "stale")));
        RaftNode s2 = planted(2, 3, leader.subList(0, 20));
        RaftInvariants invariants = new RaftInvariants();
        invariants.check(Arrays.asList(s0, s1, s2));
        s1.step(0, append(3, 50, 1, leader.subList(50, 100))); // truncates 51..55, appends the leader's
        s2.step(0, append(3, 20, 1, leader.subList(20, 60)));
        invariants.check(Arrays.asList(s0, s1, s2));
        s2.step(0, append(3, 40, 1, leader.subList(40, 100))); // overlaps what s2 has: a duplicate, then new entries
        invariants.check(Arrays.asList(s0, s1, s2));
        assertEquals(100, s1.lastIndex());
        assertEquals(100, s2.lastIndex());
        // and a later deep conflict on the verified, grown log is still caught
        RaftNode s3 = planted(0, 3, concat(concat(leader.subList(0, 30), List.of(new LogEntry(1, "other31"))), leader.subList(31, 100)));
        assertViolates("Log Matching", invariants, s3, s1, s2);
    }

    /** A server that is the only voter of its own configuration: it elects itself (no messages needed). */
    private static RaftNode soleLeader(int id, long term) {
        RaftConfig config = RaftConfig.builder(id, SERVERS).initialVoters(Set.of(id)).build();
        RaftNode r = RaftNode.restart(config, b -> 0, new HardState(term, RaftNode.NONE), List.of());
        for (int t = 0; t < 100 && r.role() != RaftNode.Role.LEADER; t++) {
            r.tick();
            r.ready();
        }
        assertEquals(RaftNode.Role.LEADER, r.role());
        return r;
    }

    @Test
    void electionSafetyTwoLeadersOfOneTerm() {
        RaftNode s0 = soleLeader(0, 0);
        RaftNode s1 = soleLeader(1, 0);
        assertEquals(s0.currentTerm(), s1.currentTerm());
        assertViolates("Election Safety", new RaftInvariants(), s0, s1, null);
    }

    @Test
    void leaderCompletenessALaterLeaderLacksACommittedEntry() {
        RaftNode s0 = soleLeader(0, 0);
        s0.ready(); // persists and commits its no-op at index 1
        RaftInvariants invariants = new RaftInvariants();
        invariants.check(Arrays.asList(s0, null, null));
        assertTrue(invariants.committedCount() >= 1, "index 1 committed in term " + s0.currentTerm());
        // s1 wins a later term with one vote out of three, without index 1: its own no-op goes there, uncommitted
        RaftConfig config = RaftConfig.builder(1, SERVERS).preVote(false).checkQuorum(false).build();
        RaftNode s1 = RaftNode.restart(config, b -> 0, new HardState(s0.currentTerm(), RaftNode.NONE), List.of());
        for (int t = 0; t < 100 && s1.role() != RaftNode.Role.CANDIDATE; t++) {
            s1.tick();
        }
        s1.step(2, new RaftMessage.VoteResponse(s1.currentTerm(), true, false));
        assertEquals(RaftNode.Role.LEADER, s1.role());
        assertTrue(s1.currentTerm() > s0.currentTerm());
        assertEquals(0, s1.commitIndex());
        assertViolates("Leader Completeness", invariants, null, s1, null);
    }

    @Test
    void stateMachineSafetyTwoEntriesCommittedAtOneIndex() {
        RaftNode s0 = soleLeader(0, 0);
        s0.ready();
        RaftInvariants invariants = new RaftInvariants();
        invariants.check(Arrays.asList(s0, null, null));
        RaftNode s1 = soleLeader(1, s0.currentTerm());
        s1.ready(); // commits its own no-op of a later term at index 1
        assertEquals(1, s1.commitIndex());
        assertViolates("State Machine Safety", invariants, null, s1, null);
    }
}
