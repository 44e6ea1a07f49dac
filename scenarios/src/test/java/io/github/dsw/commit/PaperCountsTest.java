package io.github.dsw.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.sim.Latency;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gray and Lamport, "Consensus on Transaction Commit" (ACM TODS 31(1), 2006), the table comparing the
 * normal-case costs of Two-Phase Commit, Paxos Commit and Faster Paxos Commit: message delays, messages
 * and stable-storage writes, with the coordinator (and acceptors) on separate processes and co-located
 * with RMs. Every number on the left is the paper's formula; every number on the right is counted by the
 * simulator in a failure-free run of one transaction (messages sent, forced writes counted outside the
 * protocol, delays = latency over a constant 1 ms link). Paxos Commit's variant is the paper's normal case:
 * RMs send their ballot-0 phase 2a to F+1 acceptors, acceptors bundle their phase 2b messages.
 */
class PaperCountsTest {

    private static Outcome count(Protocol p, int n, int f, boolean colocated) {
        Outcome o = CommitRun.run(CommitRun.Settings.counting(p, n, f, colocated));
        assertEquals(1, o.commits(), p + " N=" + n + " F=" + f + ": the failure-free transaction must commit; " + o.violations());
        return o;
    }

    /**
     * The paper's delays assume other RMs to prepare (N >= 2): with N = 1 there is no Prepare message and no
     * second vote, so the critical path is two delays shorter; that case is checked with {@code delays - 2}.
     */
    private static void check(String what, Outcome o, long messages, int delays, long writes) {
        assertEquals(messages, o.messages(), what + ": messages");
        int expected = what.contains("N=1 ") || what.endsWith("N=1") ? delays - 2 : delays;
        if (delays > 0) {
            assertEquals(expected, o.messageDelays(0, 1_000_000), 1e-9, what + ": message delays");
        }
        assertEquals(writes, o.forcedWrites(), what + ": stable-storage writes");
    }

    @Test
    void twoPhaseCommitIsFourDelaysAndThreeNMinusOneMessages() {
        for (int n = 1; n <= 9; n++) {
            check("2PC N=" + n, count(Protocol.TWO_PC, n, 0, false), 3L * n - 1, 4, n + 1);
        }
    }

    @Test
    void twoPhaseCommitWithTheCoordinatorAtAParticipant() {
        for (int n = 2; n <= 9; n++) { // N = 1 co-located sends nothing at all
            check("2PC co-located N=" + n, count(Protocol.TWO_PC, n, 0, true), 3L * n - 3, 3, n + 1);
        }
    }

    @Test
    void paxosCommitIsFiveDelaysAndNPlusOneTimesFPlusThreeMinusTwoMessages() {
        for (int n = 1; n <= 9; n++) {
            for (int f = 0; f <= 3; f++) {
                check("Paxos Commit N=" + n + " F=" + f, count(Protocol.PAXOS_COMMIT, n, f, false), (n + 1L) * (f + 3) - 2, 5, n + f + 1);
            }
        }
    }

    @Test
    void fasterPaxosCommitIsFourDelaysAndNTimesTwoFPlusThreeMessages() {
        for (int n = 1; n <= 9; n++) {
            for (int f = 0; f <= 3; f++) {
                check("Faster Paxos Commit N=" + n + " F=" + f, count(Protocol.FASTER_PAXOS_COMMIT, n, f, false), n * (2L * f + 3), 4,
                        n + f + 1);
            }
        }
    }

    /**
     * Co-located: the leader on RM 0, acceptor a on RM a's process; the formulas need the F+1 voting acceptors on RMs
     * (N >= F+1). One delay fewer than separate processes (BeginCommit is local); with F = 0 the only acceptor sits with
     * the leader, its phase 2b is local too, and Paxos Commit is 2PC: 3 delays and 3N-3 messages (sections 3.2 and 5). With N = 2
     * and F = 1, acceptor 1 holds both votes one delay early (RM 1's is local): 3 delays, so delays are checked from N = 3.
     */
    @Test
    void paxosCommitCoLocated() {
        for (int n = 2; n <= 9; n++) {
            for (int f = 0; f <= 3 && f + 1 <= n; f++) {
                check("Paxos Commit co-located N=" + n + " F=" + f, count(Protocol.PAXOS_COMMIT, n, f, true), (long) n * (f + 3) - 3, f == 0 ? 3 : n >= 3 ? 4 : -1,
                        n + f + 1);
                check("Faster Paxos Commit co-located N=" + n + " F=" + f, count(Protocol.FASTER_PAXOS_COMMIT, n, f, true),
                        (n - 1L) * (2 * f + 3), 3, n + f + 1);
            }
        }
    }

    /**
     * The paper's stable-storage write <em>delays</em> (section 3.2 for 2PC; section 5: "Both algorithms have the same three
     * stable storage write delays"): the forced writes on the critical path, counted as message delays are, but with the
     * roles reversed: links take no time and an fsync takes 1 ms, so the time from Begin at RM 0 to the last decision is
     * the number of fsyncs one after another on the longest chain (RM 0's prepared record, the other RMs' prepared
     * records, then the TM's commit record or the acceptors' one bundled write). The paper's "two if all RMs prepare
     * concurrently" is a variant this code does not run (RM 0 always prepares first). With N = 1 there are no other RMs:
     * one write fewer.
     */
    @Test
    void everyProtocolHasThreeStableStorageWriteDelays() {
        List<String> wrong = new ArrayList<>();
        for (Protocol p : new Protocol[] {Protocol.TWO_PC, Protocol.PAXOS_COMMIT, Protocol.FASTER_PAXOS_COMMIT}) {
            for (boolean colocated : new boolean[] {false, true}) {
                for (int n = 1; n <= 9; n++) {
                    for (int f = 0; f <= (p == Protocol.TWO_PC ? 0 : 3); f++) {
                        if (colocated && (n < 2 || f + 1 > n)) {
                            continue; // co-located counts need N >= 2 and the F+1 voting acceptors on RMs (as above)
                        }
                        String what = p + (colocated ? " co-located" : "") + " N=" + n + " F=" + f;
                        Outcome o = CommitRun.run(CommitRun.Settings.counting(p, n, f, colocated).withLatency(new Latency.Constant(0), 1_000_000));
                        assertEquals(1, o.commits(), what + ": must commit; " + o.violations());
                        double expected = n == 1 ? 2 : 3;
                        if (o.messageDelays(0, 1_000_000) != expected) {
                            wrong.add(what + ": " + o.messageDelays(0, 1_000_000) + " write delays, expected " + expected);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /**
     * The paper's "(two if all RMs prepare concurrently)" (section 5, for both 2PC and Paxos Commit): RM 0 sends BeginCommit
     * before it forces its prepared record, so that its write overlaps the other RMs'. Counted as above (links 0, fsync 1 ms):
     * two write delays for every protocol and layout; and with the counting settings (links 1 ms, fsync 0) the same message
     * delays as the normal case, and the same messages except 2PC with a separate TM, which needs the one BeginCommit
     * message that RM 0's Prepared vote otherwise stands in for: 3N instead of 3N-1.
     */
    @Test
    void concurrentPrepareSavesOneWriteDelayAndNothingElse() {
        List<String> wrong = new ArrayList<>();
        for (Protocol p : new Protocol[] {Protocol.TWO_PC, Protocol.PAXOS_COMMIT, Protocol.FASTER_PAXOS_COMMIT}) {
            for (boolean colocated : new boolean[] {false, true}) {
                for (int n = 2; n <= 9; n++) {
                    for (int f = 0; f <= (p == Protocol.TWO_PC ? 0 : 3); f++) {
                        if (colocated && f + 1 > n) {
                            continue;
                        }
                        String what = p + (colocated ? " co-located" : "") + " N=" + n + " F=" + f + " concurrent prepare";
                        CommitRun.Settings c = CommitRun.Settings.counting(p, n, f, colocated).withConcurrentPrepare(true);
                        Outcome w = CommitRun.run(c.withLatency(new Latency.Constant(0), 1_000_000));
                        assertEquals(1, w.commits(), what + ": must commit; " + w.violations());
                        if (w.messageDelays(0, 1_000_000) != 2) {
                            wrong.add(what + ": " + w.messageDelays(0, 1_000_000) + " write delays, expected 2");
                        }
                        Outcome o = count(p, n, f, colocated);
                        Outcome m = CommitRun.run(c);
                        assertEquals(1, m.commits(), what + ": must commit; " + m.violations());
                        long extra = p == Protocol.TWO_PC && !colocated ? 1 : 0;
                        if (m.messages() != o.messages() + extra || m.messageDelays(0, 1_000_000) != o.messageDelays(0, 1_000_000)
                                || m.forcedWrites() != o.forcedWrites()) {
                            wrong.add(what + ": " + m.messages() + " messages, " + m.messageDelays(0, 1_000_000) + " delays, " + m.forcedWrites()
                                    + " writes; normal case " + o.messages() + ", " + o.messageDelays(0, 1_000_000) + ", " + o.forcedWrites());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The worked example: N = 5, F = 1, co-located: 12 / 17 / 20 messages. */
    @Test
    void fiveParticipantsOneFaultCoLocatedGive12And17And20() {
        assertEquals(12, count(Protocol.TWO_PC, 5, 0, true).messages());
        assertEquals(17, count(Protocol.PAXOS_COMMIT, 5, 1, true).messages());
        assertEquals(20, count(Protocol.FASTER_PAXOS_COMMIT, 5, 1, true).messages());
    }
}
