package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenario of Figure 8 of the Raft paper (extended version, section 5.4.2), driven step by step by
 * {@link Figure8Scenario} (five {@link RaftNode}s, the scenario is their network and disk; S1..S5 are
 * 0..4). The scenario only runs the script; every expectation here comes from the figure's caption and
 * section 5.4.2, not from the scenario:
 * <ol>
 *   <li>(a) S1 leads and replicates X at index 2 to S2 only;</li>
 *   <li>(b) S1 crashes; S5 wins with S3, S4 and puts a different entry, of a later term, at index 2;</li>
 *   <li>(c) S1 restarts and wins a later term; X reaches a majority. The naive rule commits X now;
 *       Raft's does not;</li>
 *   <li>(d) S1 crashes; S5 (last log term higher than the others') wins and overwrites index 2.</li>
 * </ol>
 * With the naive rule a committed entry is lost (the invariant checker reports Leader Completeness
 * broken, and two servers apply different entries at index 2); with Raft's rule nothing committed is
 * lost, and (e) if S1 first replicates an entry of its own term to a majority, S5 can never win.
 */
class Figure8Test {

    private static final Object X = "X";

    /** Steps (a) to (c), checking after each what the figure shows; returns S1's term in (c). */
    private static long stepsAToC(Figure8Scenario c, boolean letCurrentTermEntryThrough) {
        // index 1: S1 leads term 1, its no-op reaches and commits everywhere
        assertTrue(c.start());
        assertEquals(1, c.node(0).commitIndex());
        // (a) X at index 2 reaches S2 only
        assertEquals(2, c.stepA());
        assertEquals(X, c.node(1).entry(2).command());
        assertEquals(1, c.node(2).lastIndex(), "X did not reach S3");
        // (b) S1 crashes; S5 wins with S3 and S4, appends its entry at index 2, crashes before sending it
        assertTrue(c.stepB());
        assertNull(c.node(0));
        assertNull(c.node(4));
        assertEquals(1, c.node(2).lastIndex(), "S5's entry reached nobody");
        Figure8Scenario.ServerState s5 = last(c).servers().get(4);
        long s5term = s5.term();
        assertEquals(s5term, s5.log().get(1).term(), "S5's durable log holds its own entry of its term at index 2");
        assertNull(s5.log().get(1).command());
        // (c) S1 restarts and wins a later term with S2, S3, S4; X travels to S3 and S4
        assertTrue(c.stepC(letCurrentTermEntryThrough));
        long s1term = c.node(0).currentTerm();
        assertTrue(s1term > s5term);
        for (int s = 0; s <= 3; s++) {
            assertEquals(X, c.node(s).entry(2).command(), "X on S" + (s + 1));
        }
        return s1term;
    }

    private static Figure8Scenario.Snapshot last(Figure8Scenario c) {
        List<Figure8Scenario.Snapshot> all = c.snapshots();
        return all.get(all.size() - 1);
    }

    @Test
    void naiveCommitRuleLosesACommittedEntry() {
        Figure8Scenario c = new Figure8Scenario(Mutation.NAIVE_COUNTING, false);
        stepsAToC(c, false);
        assertEquals(2, c.node(0).commitIndex(), "naive rule: X on a majority counts as committed");
        assertEquals(X, c.applied(0, 2).command(), "S1 applied X at index 2");
        // (d) S1 crashes, S5 comes back and wins with S2, S3, S4 (its last log term is higher)
        assertTrue(c.stepD(), "S5 can win: its last term beats theirs");
        // index 2 is now S5's old no-op everywhere, and it is applied: S1 and S2 applied different entries
        LogEntry atTwo = c.applied(1, 2);
        assertTrue(atTwo != null && atTwo.command() == null, "S2 applied S5's entry at index 2: " + atTwo);
        assertNotEquals(c.applied(0, 2), atTwo, "State Machine Safety broken by the naive rule");
    }

    @Test
    void naiveCommitRuleIsCaughtByTheInvariantChecker() {
        Figure8Scenario c = new Figure8Scenario(Mutation.NAIVE_COUNTING, true);
        stepsAToC(c, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::stepD);
        assertTrue(e.getMessage().startsWith("Leader Completeness violated"), e.getMessage());
    }

    @Test
    void raftCommitRuleDoesNotCommitXByCounting() {
        Figure8Scenario c = new Figure8Scenario(Mutation.NONE, true);
        stepsAToC(c, false);
        // commitIndex is volatile: restarted S1 knows nothing committed, and counting cannot teach it
        assertTrue(c.node(0).commitIndex() < 2, "X is on a majority but not of the current term: not committed");
        assertEquals(null, c.applied(0, 2));
        // (d) S5 may now overwrite X: that is allowed, X was never committed, and the checker agrees
        assertTrue(c.stepD());
        for (int s = 1; s <= 4; s++) {
            assertEquals(null, c.node(s).entry(2).command(), "X replaced on S" + (s + 1));
        }
        assertTrue(c.node(4).commitIndex() >= 3);
    }

    @Test
    void raftCommitRuleCommitsXIndirectlyAndS5CannotWin() {
        Figure8Scenario c = new Figure8Scenario(Mutation.NONE, true);
        long s1term = stepsAToC(c, true);
        // (e) the current-term no-op at index 3 is on a majority: it commits, and X with it
        assertEquals(s1term, c.node(0).termAt(3));
        assertEquals(3, c.node(0).commitIndex());
        assertEquals(X, c.applied(0, 2).command());
        assertFalse(c.stepD(), "S5 must not win: S2, S3 hold a later last term");
        for (int s = 1; s <= 3; s++) {
            assertEquals(X, c.node(s).entry(2).command(), "X kept on S" + (s + 1));
        }
    }

    @Test
    void runRecordsOneSnapshotPerStepWithCrashedServersDurableState() {
        // the paper's (c): with the naive rule S1 has committed index 2; S5 is down with its own entry there
        Figure8Scenario.Outcome o = Figure8Scenario.run(Mutation.NAIVE_COUNTING, false);
        assertEquals(List.of("start", "(a)", "(b)", "(c)", "(d)"), o.snapshots().stream().map(Figure8Scenario.Snapshot::label).toList());
        Figure8Scenario.Snapshot c = o.snapshots().get(3);
        assertEquals(RaftNode.Role.LEADER, c.servers().get(0).role());
        assertEquals(2, c.servers().get(0).commitIndex());
        assertFalse(c.servers().get(4).up());
        assertEquals(-1, c.servers().get(4).commitIndex());
        assertEquals(2, c.servers().get(4).log().size());
        assertTrue(o.s5WonInD());
        // S1 applied X, S2 applied S5's entry: two state machines differ at index 2
        assertEquals(X, o.appliedAtTwo().get(0).command());
        assertNull(o.appliedAtTwo().get(1).command());
        Figure8Scenario.Outcome e = Figure8Scenario.run(Mutation.NONE, true);
        assertEquals("(e)", e.snapshots().get(3).label());
        assertFalse(e.s5WonInD());
        for (int s = 0; s <= 3; s++) {
            LogEntry applied = e.appliedAtTwo().get(s);
            if (applied != null) {
                assertEquals(X, applied.command(), "only X is ever applied at index 2 under Raft's rule");
            }
        }
    }
}
