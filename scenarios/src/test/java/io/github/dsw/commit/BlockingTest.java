package io.github.dsw.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.commit.CommitBlocking.Blocked;
import io.github.dsw.commit.CommitRun.Episode;
import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.sim.Fault;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gray and Lamport, section 3: in 2PC "the RMs ... cannot decide alone" once prepared, so a coordinator crash after
 * the votes blocks them for as long as it is down; section 4: Paxos Commit decides while F+1 acceptors of each
 * instance are up, whatever happened to the leader. Checked in virtual time on the simulator (no wall clock).
 */
class BlockingTest {

    @Test
    void preparedTwoPhaseCommitParticipantsWaitForTheCoordinatorToComeBack() {
        for (long downtimeMs : new long[] {50, 200, 800}) {
            for (long seed = 1; seed <= 5; seed++) {
                for (Blocked b : CommitBlocking.measure(Protocol.TWO_PC, 3, 0, downtimeMs * 1_000_000, seed)) {
                    long back = CommitBlocking.crashAtNs(Protocol.TWO_PC) + downtimeMs * 1_000_000;
                    assertTrue(b.decidedNs() >= back, "seed=" + seed + " rm " + b.rm() + " decided at " + b.decidedNs()
                            + " while the TM was down until " + back);
                    assertEquals(false, b.commit(), "presumed abort: the TM lost the votes in its crash, so it answers abort");
                }
            }
        }
    }

    @Test
    void withTheCoordinatorDownForGoodTwoPhaseCommitNeverDecides() {
        for (Blocked b : CommitBlocking.measure(Protocol.TWO_PC, 3, 0, -1, 1)) {
            assertEquals(-1, b.decidedNs(), "rm " + b.rm() + " must stay blocked");
        }
    }

    @Test
    void paxosCommitDecidesWithItsLeaderDownForGood() {
        for (int f = 1; f <= 2; f++) {
            for (long seed = 1; seed <= 5; seed++) {
                for (Blocked b : CommitBlocking.measure(Protocol.PAXOS_COMMIT, 3, f, -1, seed)) {
                    assertTrue(b.decidedNs() > 0, "F=" + f + " seed=" + seed + " rm " + b.rm() + " never decided");
                    assertTrue(b.commit(), "every RM voted yes and the acceptors hold the votes: the recovery ballot must commit");
                }
            }
        }
    }

    /** The leader and F acceptors (among them F that voted in ballot 0) down for good: the F+1 others still decide. */
    @Test
    void paxosCommitDecidesWithTheLeaderAndFAcceptorsDown() {
        for (int f = 1; f <= 3; f++) {
            CommitRun.Settings s = CommitBlocking.settings(Protocol.PAXOS_COMMIT, 3, f, -1, 1, false);
            Layout layout = s.layout();
            List<Episode> script = new ArrayList<>(s.script());
            for (int a = 0; a < f; a++) {
                script.add(new Episode(new Nemesis.Step(CommitBlocking.crashAtNs(Protocol.PAXOS_COMMIT), new Fault.Crash(layout.acceptor(a))), null));
            }
            Outcome o = CommitRun.run(s.withScript(script));
            assertTrue(o.ok(), "F=" + f + ": " + o.violations());
            assertEquals(1, o.commits(), "F=" + f);
            for (int rm = 0; rm < 3; rm++) {
                assertTrue(o.checker().decidedNs(0, rm) > 0, "F=" + f + " rm " + rm);
            }
        }
    }
}
