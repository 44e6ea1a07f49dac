package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of the MIT 6.5840 Raft lab tests (test_test.go: TestInitialElection3A,
 * TestReElection3A, TestBasicAgree3B, TestFailAgree3B, TestFailNoAgree3B, TestRejoin3B, TestBackup3B,
 * TestPersist13C, TestPersist23C, TestPersist33C, TestUnreliableAgree3C), re-expressed on the
 * deterministic simulator. Expected outcomes come from the lab's assertions (what Raft must do), and
 * the four invariants of the paper's Figure 3 are checked after every event of every run.
 */
class RaftScenarioTest {

    @Test
    void initialElection() {
        RaftCluster c = new RaftCluster(1, 3);
        c.checkOneLeader();
        long term1 = c.checkTerms();
        assertTrue(term1 >= 1, "all servers agree on a term >= 1");
        c.run(2_000); // the lab: no spurious election while nothing fails
        assertEquals(term1, c.checkTerms(), "term changed with no failure");
        c.checkOneLeader();
        assertTrue(c.invariants.checks() > 1000, "invariants ran after every event: " + c.invariants.checks());
    }

    @Test
    void reElection() {
        RaftCluster c = new RaftCluster(2, 3);
        int leader1 = c.checkOneLeader();
        c.isolate(leader1);
        int leader2 = c.checkOneLeader();
        assertTrue(leader2 != leader1);
        c.heal(); // the old leader rejoins: must not disturb the new one (lower term, steps down)
        int leader3 = c.checkOneLeader();
        // no majority: no leader
        c.sim.setPartition(io.github.dsw.sim.Partition.split(3, List.of(List.of(0), List.of(1), List.of(2))));
        c.run(2_000);
        assertEquals(0, c.leadersWithMajority());
        // CheckQuorum: the leader cut off from everyone has stepped down
        assertTrue(c.server(leader3).raft().role() != RaftNode.Role.LEADER, "isolated leader stepped down");
        c.heal();
        c.checkOneLeader();
    }

    @Test
    void manyElectionsUnderChurn() {
        RaftCluster c = new RaftCluster(3, 7);
        c.checkOneLeader();
        var r = new java.util.Random(3);
        for (int iter = 0; iter < 10; iter++) {
            // cut three random servers off: four remain, a majority of seven
            List<Integer> out = new ArrayList<>();
            while (out.size() < 3) {
                int k = r.nextInt(7);
                if (!out.contains(k)) {
                    out.add(k);
                }
            }
            List<Integer> in = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                if (!out.contains(i)) {
                    in.add(i);
                }
            }
            List<List<Integer>> groups = new ArrayList<>();
            groups.add(in);
            for (int k : out) {
                groups.add(List.of(k));
            }
            c.split(groups);
            int leader = c.checkOneLeader();
            assertTrue(in.contains(leader));
            c.heal();
        }
        c.checkOneLeader();
    }

    @Test
    void basicAgree() {
        RaftCluster c = new RaftCluster(4, 5);
        c.checkOneLeader();
        long prev = 0;
        for (int i = 0; i < 3; i++) {
            Long cmd = c.freshCommand();
            long index = c.one(cmd, 5, false);
            assertTrue(index > prev, "indexes increase");
            prev = index;
        }
    }

    @Test
    void failAgree() {
        RaftCluster c = new RaftCluster(5, 3);
        c.one(c.freshCommand(), 3, false);
        int leader = c.checkOneLeader();
        int follower = (leader + 1) % 3;
        c.isolate(follower);
        for (int i = 0; i < 4; i++) {
            c.one(c.freshCommand(), 2, false);
        }
        c.heal();
        c.one(c.freshCommand(), 3, true);
        c.one(c.freshCommand(), 3, true);
    }

    @Test
    void failNoAgree() {
        RaftCluster c = new RaftCluster(6, 5);
        c.one(c.freshCommand(), 5, false);
        int leader = c.checkOneLeader();
        List<Integer> minority = List.of(leader, (leader + 1) % 5);
        List<Integer> majority = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            if (!minority.contains(i)) {
                majority.add(i);
            }
        }
        // only the leader and one follower can talk: no majority, nothing commits
        c.split(List.of(minority, majority.subList(0, 1), majority.subList(1, 2), majority.subList(2, 3)));
        long index = RaftCluster.indexOf(c.server(leader).propose(20L));
        assertTrue(index >= 2, "leader accepted the command at index " + index);
        c.run(2_000);
        assertEquals(0, c.nCommitted(index, null), "committed without a majority");
        c.heal();
        int leader2 = c.checkOneLeader();
        long index2 = c.one(30L, 5, true);
        // the lab expects index 2 or 3; here every new leader also appends a no-op (section 8), and the
        // minority leader's entry at `index` may have been overwritten, so allow a few no-ops
        assertTrue(index2 > index - 1 && index2 <= index + 4, "index2 " + index2 + " (leader2 " + leader2 + ")");
    }

    @Test
    void rejoin() {
        RaftCluster c = new RaftCluster(7, 3);
        c.one(101L, 3, true);
        int leader1 = c.checkOneLeader();
        c.isolate(leader1);
        // the old leader takes commands it cannot commit
        c.server(leader1).propose(102L);
        c.server(leader1).propose(103L);
        c.server(leader1).propose(104L);
        // the others elect a new leader and commit 103 at the same index range
        c.sim.setPartition(io.github.dsw.sim.Partition.split(3, List.of(List.of(leader1), others(3, leader1))));
        c.one(103L, 2, true);
        int leader2 = c.checkOneLeader();
        // new leader cut off, old one back with its stale log
        c.sim.setPartition(io.github.dsw.sim.Partition.split(3, List.of(List.of(leader2), others(3, leader2))));
        c.one(104L, 2, true);
        c.heal();
        c.one(105L, 3, true);
    }

    @Test
    void backupOverLongDivergentLogs() {
        RaftCluster c = new RaftCluster(8, 5);
        c.one(c.freshCommand(), 5, true);
        int leader1 = c.checkOneLeader();
        int f1 = (leader1 + 1) % 5;
        // leader1 and f1 on one side: 50 uncommitted entries pile up
        c.split(List.of(List.of(leader1, f1), others(5, leader1, f1)));
        for (int i = 0; i < 50; i++) {
            c.server(leader1).propose(c.freshCommand());
        }
        c.run(500);
        // the other three elect a leader and commit 50 entries
        for (int i = 0; i < 50; i++) {
            c.one(c.freshCommand(), 3, true);
        }
        int leader2 = c.checkOneLeader();
        int other = others(5, leader1, f1, leader2).get(0);
        // leader2 and one follower isolated with 50 more uncommitted entries
        List<Integer> side = List.of(leader2, other);
        List<Integer> rest = others(5, leader2, other);
        c.split(List.of(side, rest));
        for (int i = 0; i < 50; i++) {
            c.server(leader2).propose(c.freshCommand());
        }
        c.run(500);
        // the original pair plus the third server form a majority and commit 50 entries
        for (int i = 0; i < 50; i++) {
            c.one(c.freshCommand(), 3, true);
        }
        long rejectionsBefore = 0;
        for (int i = 0; i < 5; i++) {
            rejectionsBefore += c.server(i).raft().status().rejectionsReceived();
        }
        c.heal();
        c.one(c.freshCommand(), 5, true);
        long rejections = -rejectionsBefore;
        for (int i = 0; i < 5; i++) {
            rejections += c.server(i).raft().status().rejectionsReceived();
        }
        // One back-off step per term of divergence (section 5.3), not one per entry: far below 50.
        assertTrue(rejections <= 20, "rejections while catching up: " + rejections + " (seed 8)");
    }

    @Test
    void persistAcrossRestarts() {
        RaftCluster c = new RaftCluster(9, 3);
        c.one(11L, 3, true);
        // crash and restart everyone
        for (int i = 0; i < 3; i++) {
            c.sim.crash(i);
        }
        for (int i = 0; i < 3; i++) {
            c.sim.restart(i);
        }
        c.one(12L, 3, true);
        int leader1 = c.checkOneLeader();
        c.sim.crash(leader1);
        c.sim.restart(leader1);
        c.one(13L, 3, true);
        int leader2 = c.checkOneLeader();
        c.sim.crash(leader2);
        c.one(14L, 2, true);
        c.sim.restart(leader2);
        c.one(15L, 3, true);
        // every restarted server replays the whole committed log: 11..15 in order, no-ops between
        List<Object> cmds = new ArrayList<>();
        for (LogEntry e : c.server(leader2).stateMachine().applied()) {
            if (e.command() != null) {
                cmds.add(e.command());
            }
        }
        assertEquals(List.of(11L, 12L, 13L, 14L, 15L), cmds);
    }

    @Test
    void persistWhilePartitioned() {
        // TestPersist33C: a server crashed while partitioned keeps its vote and log
        RaftCluster c = new RaftCluster(10, 3);
        c.one(101L, 3, true);
        int leader = c.checkOneLeader();
        int f = (leader + 2) % 3;
        c.isolate(f);
        c.one(102L, 2, true);
        c.sim.crash(leader);
        c.sim.crash((leader + 1) % 3);
        c.heal();
        c.sim.restart(leader);
        c.one(103L, 2, true);
        c.sim.restart((leader + 1) % 3);
        c.one(104L, 3, true);
    }

    @Test
    void unreliableAgree() {
        RaftCluster c = new RaftCluster(11, 5);
        c.links(RaftCluster.unreliable());
        List<Long> cmds = new ArrayList<>();
        for (int iter = 1; iter < 20; iter++) {
            for (int j = 0; j < 4; j++) {
                long cmd = 100L * iter + j;
                cmds.add(cmd);
                c.proposeAnywhere(cmd);
            }
            c.one(100L * iter + 99, 1, true);
        }
        c.links(io.github.dsw.sim.LinkModel.reliable(new io.github.dsw.sim.Latency.LogNormal(1_000_000, 0.3)));
        c.one(100L * 99, 5, true);
        assertTrue(c.invariants.committedCount() >= 20);
    }

    @Test
    void sameSeedSameRun() {
        RaftCluster a = new RaftCluster(12, 5);
        RaftCluster b = new RaftCluster(12, 5);
        a.links(RaftCluster.unreliable());
        b.links(RaftCluster.unreliable());
        a.one(1L, 5, true);
        b.one(1L, 5, true);
        a.run(1000);
        b.run(1000);
        assertEquals(a.sim.trace().hash(), b.sim.trace().hash());
    }

    private static long sent(RaftCluster c, String type) {
        Trace.Counts counts = c.sim.trace().messageCounts().get(type);
        return counts == null ? 0 : counts.sent();
    }

    @Test
    void messageCountsPerElectionAndAgreement() {
        // the lab's TestCount3B: an election costs few RPCs, and agreement about one RPC per follower per
        // command, plus heartbeats
        RaftCluster c = new RaftCluster(13, 3);
        c.checkOneLeader();
        long votes = sent(c, "RequestVote");
        assertTrue(votes >= 2 && votes <= 30, "RequestVote messages for the first election (PreVote included): " + votes);
        c.run(500);
        long before = sent(c, "AppendEntries");
        long t0 = c.sim.now();
        int k = 10;
        for (int i = 0; i < k; i++) {
            c.one(c.freshCommand(), 3, false);
        }
        long window = c.sim.now() - t0;
        // heartbeat rounds in the window (one every 2 ticks), plus one round of slack at each end of it
        long heartbeats = (window / (2 * RaftCluster.TICK_NS) + 3) * 2;
        long appends = sent(c, "AppendEntries") - before;
        // per command and follower: one AppendEntries with the entry, one announcing the new commit index
        assertTrue(appends <= k * 2 * 2 + heartbeats, "AppendEntries for " + k + " agreements: " + appends + " (heartbeats " + heartbeats + ")");
    }

    static List<Integer> others(int n, int... excluded) {
        List<Integer> list = new ArrayList<>();
        outer:
        for (int i = 0; i < n; i++) {
            for (int e : excluded) {
                if (e == i) {
                    continue outer;
                }
            }
            list.add(i);
        }
        return list;
    }
}
