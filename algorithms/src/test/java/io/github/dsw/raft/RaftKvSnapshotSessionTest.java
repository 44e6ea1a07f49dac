package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session table travels inside the snapshot (dissertation section 5.1: "the state machine's
 * snapshot must include the session information"; section 6.3 for the sessions): a follower that was
 * down while the leader compacted its log gets the state by InstallSnapshot, then becomes leader, and
 * must still (a) ignore a late copy of a request below its client's floor and (b) answer a copy of a
 * request at the floor with the recorded result, without executing either again. Expected values are
 * those of one register executing each request id at most once, as in {@link RaftKvSessionTest}.
 */
class RaftKvSnapshotSessionTest {
    private static final long MS = 1_000_000;

    private static KvMessage.Request write(long id, long value, long floor) {
        return new KvMessage.Request(id, Fn.WRITE, "k", value, floor);
    }

    private static int leader(Simulator<KvMessage> sim, int n) {
        for (int i = 0; i < n; i++) {
            RaftHost<KvStore, KvMessage> s = (RaftHost<KvStore, KvMessage>) sim.node(i);
            if (s != null && s.raft() != null && s.raft().role() == RaftNode.Role.LEADER) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aLateDuplicateIsStillIgnoredByAServerRestoredFromASnapshot() {
        int n = 3;
        List<RaftKvSessionTest.ScriptedClient.Send> script = List.of(
                new RaftKvSessionTest.ScriptedClient.Send(1100, write(1, 1, 1)),
                new RaftKvSessionTest.ScriptedClient.Send(1200, write(2, 2, 2)),
                new RaftKvSessionTest.ScriptedClient.Send(1300, write(3, 3, 3)),
                new RaftKvSessionTest.ScriptedClient.Send(1400, write(4, 4, 4)),
                new RaftKvSessionTest.ScriptedClient.Send(1500, write(5, 5, 5)),
                // after the follower restored from a snapshot and took over as leader:
                new RaftKvSessionTest.ScriptedClient.Send(2600, write(1, 1, 1)),  // late copy below the floor (5): ignored
                new RaftKvSessionTest.ScriptedClient.Send(2700, write(5, 5, 5)),  // copy at the floor: the recorded answer, from every server
                new RaftKvSessionTest.ScriptedClient.Send(2800, new KvMessage.Request(6, Fn.READ, "k", null, 6)));
        SimConfig cfg = SimConfig.defaults(9, n).withTrace(Trace.Level.HASH, false);
        Simulator<KvMessage> sim = new Simulator<>(cfg,
                id -> KvService.server(RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2).build(), 10 * MS, KvService.ReadMode.LOG, 2));
        RaftKvSessionTest.ScriptedClient client = new RaftKvSessionTest.ScriptedClient(script);
        sim.addClient(client);

        sim.runUntil(1000 * MS);
        int oldLeader = leader(sim, n);
        assertTrue(oldLeader >= 0, "a leader by 1 s");
        int follower = (oldLeader + 1) % n;
        sim.crash(follower); // misses writes 1-5 while the leader compacts every 2 applied entries
        sim.runUntil(1600 * MS);
        RaftNode l = ((RaftHost<KvStore, KvMessage>) sim.node(oldLeader)).raft();
        assertTrue(l.snapshotIndex() >= 4, "the leader compacted its log: snapshot index " + l.snapshotIndex());
        sim.restart(follower);
        sim.runUntil(2000 * MS);
        RaftHost<KvStore, KvMessage> f = (RaftHost<KvStore, KvMessage>) sim.node(follower);
        assertTrue(f.raft().status().snapshotsInstalled() >= 1, "the restarted follower caught up by InstallSnapshot");
        // same map and same session table (floor 5 and request 5's result), byte for byte
        RaftHost<KvStore, KvMessage> leaderServer = (RaftHost<KvStore, KvMessage>) sim.node(oldLeader);
        assertEquals(leaderServer.raft().lastApplied(), f.raft().lastApplied());
        assertArrayEquals(leaderServer.stateMachine().snapshot(), f.stateMachine().snapshot());
        assertEquals(1, f.stateMachine().sessionResponses(), "only request 5's response is at or above the floor");

        assertTrue(leaderServer.raft().transferLeadership(follower).started(), "transfer to the restored follower");
        sim.runUntil(2500 * MS);
        assertEquals(follower, leader(sim, n), "the restored follower leads");
        long appliedBefore = f.raft().lastApplied();
        sim.runUntil(3000 * MS);

        assertEquals(1, client.repliesTo(1).size(), "one answer to request 1 (its first execution), none to the late copy: " + client.replies);
        // the copy went to every server, and each (the restored one too) answers from its session table
        assertEquals(1 + n, client.repliesTo(5).size(), "request 5 answered at first and then by every server's table: " + client.repliesTo(5));
        assertTrue(client.repliesTo(5).stream().allMatch(KvMessage.Reply::ok));
        assertEquals(List.of(5L), client.repliesTo(6).stream().map(KvMessage.Reply::value).toList(),
                "the late copy of write(1) did not execute on the new leader");
        // the new leader proposed only the read (and nothing for the two copies): its no-op and entry 6
        assertTrue(f.raft().lastApplied() - appliedBefore <= 2, "entries applied after the transfer: " + (f.raft().lastApplied() - appliedBefore));
    }
}
