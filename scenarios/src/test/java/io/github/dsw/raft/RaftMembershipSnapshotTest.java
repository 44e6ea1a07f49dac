package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.ConfChange.Type;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Membership changes meet log compaction (dissertation section 5.1, Figure 5.3): once the entries that
 * changed the configuration are compacted away, the snapshot must carry the configuration, or a server
 * that restarts from it, or installs it, falls back to the boot configuration and counts the wrong
 * majorities. Expected configurations come from the changes the test made, not from the code.
 */
class RaftMembershipSnapshotTest {

    private static RaftCluster cluster(long seed) {
        // ids 0..4; 0, 1, 2 vote at boot; every server snapshots after 4 applied entries
        return new RaftCluster(seed, 5, id -> RaftConfig.builder(id, 5).electionTicks(10, 19).heartbeatTicks(2).initialVoters(Set.of(0, 1, 2))
                .snapshotChunkBytes(16).build(), 4);
    }

    @Test
    void theConfigurationSurvivesCompactionRestartAndInstallSnapshot() {
        for (long seed = 1; seed <= 5; seed++) {
            RaftCluster c = cluster(seed);
            c.checkLeaderOfItsVoters();
            c.addVoter(3);
            for (int i = 0; i < 30; i++) {
                c.one(c.freshCommand(), 4, true);
            }
            c.run(500);
            Membership expected = new Membership(new java.util.TreeSet<>(Set.of(0, 1, 2, 3)), new java.util.TreeSet<>());
            for (int i = 0; i < 4; i++) {
                RaftNode r = c.server(i).raft();
                assertTrue(r.snapshotIndex() > r.status().configurationIndex() || r.status().configurationIndex() == 0 || r.snapshotIndex() > 0,
                        "seed " + seed + ": server " + i + " compacted");
                assertEquals(expected, r.status().configuration(), "seed " + seed + ": server " + i + " after compaction");
            }
            // every server crashes and restarts from its durable snapshot + log: the configuration is back
            for (int i = 0; i < 5; i++) {
                c.sim.crash(i);
            }
            c.run(50);
            for (int i = 0; i < 5; i++) {
                c.sim.restart(i);
            }
            c.run(1_000);
            for (int i = 0; i < 4; i++) {
                RaftNode r = c.server(i).raft();
                assertNotNull(r, "seed " + seed + ": server " + i + " restarted");
                assertEquals(expected, r.status().configuration(), "seed " + seed + ": server " + i + " after restart from its snapshot");
            }
            // with 4 voters a majority is 3: losing two of them must stop commitment (it would not with 3 of 3 counted)
            int leader = c.checkLeaderOfItsVoters();
            assertTrue(leader < 4, "seed " + seed + ": a voter leads, got " + leader);
            // server 4 joins with an empty log; the entries it needs are compacted, so it gets a snapshot
            long installsBefore = c.installSnapshotsDelivered();
            c.changeMembership(new ConfChange(Type.ADD_LEARNER, 4));
            c.one(c.freshCommand(), 5, true);
            c.run(500);
            assertTrue(c.installSnapshotsDelivered() > installsBefore, "seed " + seed + ": the learner got InstallSnapshot");
            Membership withLearner = new Membership(new java.util.TreeSet<>(Set.of(0, 1, 2, 3)), new java.util.TreeSet<>(Set.of(4)));
            assertEquals(withLearner, c.server(4).raft().status().configuration(),
                    "seed " + seed + ": the learner knows the voters from the snapshot and itself from the log");
        }
    }
}
