package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The key-value service's membership-change request ({@link KvMessage.Admin}): an administrator asks the leader for
 * single-server changes and learns the committed configuration from applied entries. Expected outcomes from the
 * dissertation's section 4 rules, not from the implementation: a learner can be added and, once caught up, promoted
 * (five voters); promoting a server that is not a learner is refused; a server that does not lead answers "retry"
 * (no definite answer); a removed voter leaves the voters. Seeds printed on failure.
 */
class RaftKvAdminTest {

    private static int leader(Simulator<KvMessage> sim, int n) {
        for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked")
            RaftHost<KvStore, KvMessage> h = (RaftHost<KvStore, KvMessage>) sim.node(i);
            if (h != null && h.raft() != null && h.raft().role() == RaftNode.Role.LEADER) {
                return i;
            }
        }
        return -1;
    }

    private static Boolean ask(Simulator<KvMessage> sim, RaftKvRun.AdminClient admin, int at, Adversary.Admin.Change c, int node) {
        List<Boolean> answer = new ArrayList<>();
        admin.request(at, c, node, answer::add);
        sim.runUntil(sim.now() + 500_000_000L, () -> !answer.isEmpty());
        return answer.isEmpty() ? null : answer.get(0);
    }

    @Test
    void anAdminAddsALearnerPromotesItAndRemovesAVoter() {
        for (long seed = 1; seed <= 3; seed++) {
            Simulator<KvMessage> sim = new Simulator<>(SimConfig.defaults(seed, 5), id -> KvService.server(RaftConfig.builder(id, 5)
                    .electionTicks(10, 19).heartbeatTicks(2).initialVoters(Set.of(0, 1, 2, 3)).build(), 10_000_000, KvService.ReadMode.LOG));
            RaftKvRun.AdminClient admin = new RaftKvRun.AdminClient(Membership.of(Set.of(0, 1, 2, 3)));
            sim.addClient(admin);
            sim.onOutput(admin::output);
            sim.runUntil(1_000_000_000L);
            int l = leader(sim, 5);
            assertTrue(l >= 0 && l < 4, "seed " + seed + ": a voter leads, got " + l);
            int follower = (l + 1) % 4;
            assertEquals(null, ask(sim, admin, follower, Adversary.Admin.Change.ADD_LEARNER, 4), "seed " + seed + ": a follower gives no answer");
            assertEquals(Boolean.FALSE, ask(sim, admin, l, Adversary.Admin.Change.PROMOTE, 4), "seed " + seed + ": 4 is no learner yet");
            assertEquals(Boolean.TRUE, ask(sim, admin, l, Adversary.Admin.Change.ADD_LEARNER, 4), "seed " + seed);
            assertEquals(Set.of(4), admin.learners(), "seed " + seed);
            sim.runUntil(sim.now() + 300_000_000L); // the learner catches up
            assertEquals(Boolean.TRUE, ask(sim, admin, l, Adversary.Admin.Change.PROMOTE, 4), "seed " + seed);
            assertEquals(Set.of(0, 1, 2, 3, 4), admin.voters(), "seed " + seed);
            assertEquals(Boolean.TRUE, ask(sim, admin, l, Adversary.Admin.Change.REMOVE, follower), "seed " + seed);
            assertTrue(!admin.voters().contains(follower) && admin.voters().size() == 4, "seed " + seed + ": " + admin.voters());
        }
    }
}
