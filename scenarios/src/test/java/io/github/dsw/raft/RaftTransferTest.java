package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Leadership transfer (Ongaro's dissertation, section 3.10) on the simulator, invariants checked after
 * every event. Expectations from the dissertation: the leader stops accepting client requests, brings
 * the target's log up to date, sends TimeoutNow; the target, having the whole log, wins the next term
 * at once (about one round trip, far below an election timeout, since nobody waits for a timeout);
 * a transfer that does not complete within an election timeout is aborted and the leader resumes.
 */
class RaftTransferTest {
    private static final long MS = RaftCluster.MS;
    private static final long ELECTION_MS = 100; // RaftCluster: 10 ticks of 10 ms

    /** Steps the simulator until {@code target} leads or {@code ms} of virtual time pass; returns the time it took. */
    private static long untilLeader(RaftCluster c, int target, long ms) {
        long start = c.sim.now();
        while (c.sim.now() - start < ms * MS) {
            RaftHost<AppliedLog, RaftMessage> s = c.server(target);
            if (s != null && s.raft().role() == RaftNode.Role.LEADER) {
                return (c.sim.now() - start) / MS;
            }
            c.sim.step();
        }
        return -1;
    }

    @Test
    void transferToAnUpToDateFollowerTakesOneElectionWithoutTimeout() {
        for (long seed = 1; seed <= 20; seed++) {
            RaftCluster c = new RaftCluster(seed, 5);
            int leader = c.checkOneLeader();
            c.one(c.freshCommand(), 5, false);
            int target = (leader + 1 + (int) (seed % 4)) % 5;
            RaftNode l = c.server(leader).raft();
            long term = l.currentTerm();
            assertTrue(l.transferLeadership(target).started(), "seed " + seed);
            assertInstanceOf(Proposal.Refused.class, l.propose(c.freshCommand()), "seed " + seed + ": no proposals during a transfer");
            long took = untilLeader(c, target, 1_000);
            assertTrue(took >= 0 && took < ELECTION_MS / 2, "seed " + seed + ": target led after " + took + " ms");
            assertEquals(term + 1, c.server(target).raft().currentTerm(), "seed " + seed + ": one election, one term");
            c.one(c.freshCommand(), 5, true);
            assertEquals(target, c.checkOneLeader(), "seed " + seed);
        }
    }

    @Test
    void laggingTargetIsCaughtUpFirst() {
        RaftCluster c = new RaftCluster(31, 5);
        int leader = c.checkOneLeader();
        int target = (leader + 2) % 5;
        c.isolate(target);
        for (int i = 0; i < 30; i++) {
            c.one(c.freshCommand(), 4, false);
        }
        RaftNode l = c.server(leader).raft();
        long last = l.lastIndex();
        assertTrue(c.server(target).raft().lastIndex() < last - 20, "the target lags");
        c.heal();
        assertTrue(l.transferLeadership(target).started());
        long took = untilLeader(c, target, 1_000);
        assertTrue(took >= 0 && took < ELECTION_MS, "target led after " + took + " ms");
        RaftNode t = c.server(target).raft();
        assertTrue(t.lastIndex() > last, "holds every entry of the old leader, then its own no-op");
        assertEquals(l.entry(last), t.entry(last));
        c.one(c.freshCommand(), 5, true);
    }

    @Test
    void transferAbortsAfterAnElectionTimeout() {
        RaftCluster c = new RaftCluster(32, 3);
        int leader = c.checkOneLeader();
        c.one(c.freshCommand(), 3, false);
        int target = (leader + 1) % 3;
        c.sim.crash(target);
        RaftNode l = c.server(leader).raft();
        long term = l.currentTerm();
        assertTrue(l.transferLeadership(target).started());
        assertEquals(new Transfer.Refused("already transferring to " + target), l.transferLeadership((leader + 2) % 3),
                "one transfer at a time");
        assertFalse(l.status().leaseValid(), "no lease reads once a transfer began");
        c.run(ELECTION_MS / 2);
        assertEquals(target, l.status().leadTransferee());
        assertInstanceOf(Proposal.Refused.class, l.propose(c.freshCommand()));
        c.run(ELECTION_MS);
        assertEquals(RaftNode.NONE, l.status().leadTransferee(), "aborted");
        assertEquals(RaftNode.Role.LEADER, l.role());
        assertEquals(term, l.currentTerm());
        assertInstanceOf(Proposal.Accepted.class, l.propose(c.freshCommand()), "proposals resume");
        c.run(ELECTION_MS);
        assertFalse(l.status().leaseValid(), "and lease reads stay off for the rest of the term");
        assertTrue(l.readIndex("r"), "ReadIndex still works");
    }

    @Test
    void refusedTargets() {
        RaftCluster c = new RaftCluster(33, 3, id -> RaftConfig.builder(id, 3).electionTicks(10, 19).heartbeatTicks(2)
                .initialVoters(java.util.Set.of(0, 1)).build());
        int leader = c.checkOneLeader();
        RaftNode l = c.server(leader).raft();
        assertEquals(new Transfer.Refused("the target is this leader"), l.transferLeadership(leader), "not to itself");
        assertEquals(new Transfer.Refused("server 2 is not a voter"), l.transferLeadership(2), "not to a server outside the voters");
        assertEquals(new Transfer.Refused("not the leader"), c.server(1 - leader).raft().transferLeadership(leader), "only a leader transfers");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> l.transferLeadership(3));
    }

    @Test
    void transferVoteIgnoresTheLeaseButAnOrdinaryOneDoesNot() {
        // every voter heard from the leader just now: an ordinary RequestVote for the next term is ignored
        // (CheckQuorum), the transfer's is granted (etcd's campaignTransfer)
        RaftCluster c = new RaftCluster(34, 3);
        int leader = c.checkOneLeader();
        c.one(c.freshCommand(), 3, false);
        int voter = (leader + 1) % 3;
        RaftNode v = c.server(voter).raft();
        long term = v.currentTerm();
        int other = (leader + 2) % 3;
        v.step(other, new RaftMessage.RequestVote(term + 1, v.lastIndex(), v.status().lastTerm(), false));
        assertEquals(term, v.currentTerm(), "ignored while in lease");
        v.step(other, new RaftMessage.RequestVote(term + 1, v.lastIndex(), v.status().lastTerm(), false, true));
        assertEquals(term + 1, v.currentTerm());
        assertEquals(other, v.status().vote(), "granted: the transfer vote passes the lease");
    }
}
