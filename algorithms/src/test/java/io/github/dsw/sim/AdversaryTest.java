package io.github.dsw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The attacks aim where {@link Observations} point, and nowhere else: a run of idle nodes where the test
 * itself plays the driver and names the leader. Expected partitions come from the attack's definition
 * (the named node cut off from both others), not from the implementation's output.
 */
class AdversaryTest {

    private static final long MS = 1_000_000;

    /** A node that does nothing: the attacks must work from outputs alone. */
    private static final class Idle implements Node<String> {
        @Override
        public void start(Context<String> ctx) {
        }

        @Override
        public void receive(Context<String> ctx, int from, String message) {
        }

        @Override
        public void timer(Context<String> ctx, Object tag) {
        }
    }

    @Test
    void isolateLeaderCutsOffTheObservedLeaderThenTheNextOne() {
        Simulator<String> sim = new Simulator<>(SimConfig.defaults(1, 3), id -> new Idle());
        Observations seen = new Observations();
        seen.leader(2, 0);
        Adversary.schedule(sim, Set.of(Adversary.Attack.ISOLATE_LEADER), seen, new Adversary.Timing(10 * MS, 100 * MS, 50 * MS), 0, 1000 * MS);
        sim.runUntil(120 * MS);
        for (int other : new int[] {0, 1}) {
            assertFalse(sim.partition().connected(2, other), "seed 1: the observed leader 2 must be cut off from " + other);
        }
        assertTrue(sim.partition().connected(0, 1), "seed 1: the others stay connected");
        sim.runUntil(160 * MS); // healed after 50 ms
        assertTrue(sim.partition().connected(2, 0), "seed 1: healed after the fault's length");
        seen.leader(0, sim.now()); // the next leader
        sim.runUntil(220 * MS);
        assertFalse(sim.partition().connected(0, 1), "seed 1: the next observed leader 0 is cut off");
        assertFalse(sim.partition().connected(0, 2), "seed 1: the next observed leader 0 is cut off");
        assertTrue(sim.partition().connected(1, 2), "seed 1");
        assertEquals(2, seen.leaderChanges());
    }

    @Test
    void figure8FollowsTheClaimsAndCommitsStepByStep() {
        Simulator<String> sim = new Simulator<>(SimConfig.defaults(1, 3), id -> new Idle());
        Observations seen = new Observations();
        seen.claims(2, 0); // L1 = 2
        Adversary.schedule(sim, Set.of(Adversary.Attack.FIGURE_8), seen, new Adversary.Timing(10 * MS, 100 * MS, 50 * MS), 0, 1000 * MS);
        sim.runUntil(101 * MS);
        // (a) L1 cut off from both others
        assertFalse(sim.partition().connected(2, 0) || sim.partition().connected(2, 1), "seed 1: (a) L1 = 2 cut off");
        assertTrue(sim.partition().connected(0, 1), "seed 1: (a)");
        seen.committed(2); // a commit before (c) changes nothing
        assertFalse(sim.partition().connected(2, 0), "seed 1: a commit before (c) must not move the cut");
        seen.claims(0, sim.now()); // (b) L2 = 0 claims: cut it off, L1 rejoins
        assertFalse(sim.partition().connected(0, 1) || sim.partition().connected(0, 2), "seed 1: (b) L2 = 0 cut off");
        assertTrue(sim.partition().connected(1, 2), "seed 1: (b) L1 rejoined the rest");
        sim.runUntil(150 * MS); // the fault's length is not the end of a Figure 8 schedule, and no other strike starts
        assertFalse(sim.partition().connected(0, 1), "seed 1: still (b) after the fault's usual length");
        seen.claims(2, sim.now()); // (c) L1 leads again
        seen.committed(1); // another server's commit: nothing
        assertTrue(sim.partition().connected(1, 2), "seed 1: (c) a follower's commit must not move the cut");
        seen.committed(2); // (d) L1's first commit as leader: cut it off, L2 rejoins
        assertFalse(sim.partition().connected(2, 0) || sim.partition().connected(2, 1), "seed 1: (d) L1 cut off at its commit");
        assertTrue(sim.partition().connected(0, 1), "seed 1: (d) L2 rejoined the rest");
        seen.claims(0, sim.now());
        seen.committed(0);
        assertFalse(sim.partition().connected(2, 0), "seed 1: after (d) the schedule no longer reacts");
        sim.runUntil(181 * MS); // 8 election timeouts after the strike at 100 ms
        assertTrue(sim.partition().isHealed(), "seed 1: healed at the end of the schedule");
    }

    @Test
    void crashAfterAckCrashesTheServerThatAcknowledgedAndEverythingHealsAtTheEnd() {
        Simulator<String> sim = new Simulator<>(SimConfig.defaults(1, 3), id -> new Idle());
        Observations seen = new Observations();
        Adversary.schedule(sim, Set.of(Adversary.Attack.CRASH_AFTER_ACK), seen, new Adversary.Timing(10 * MS, 100 * MS, 50 * MS), 0, 300 * MS);
        sim.runUntil(110 * MS); // armed at 100 ms
        sim.schedule(110 * MS, () -> seen.acknowledged(1));
        sim.runUntil(111 * MS);
        assertFalse(sim.isUp(1), "seed 1: server 1 acknowledged and must be down");
        assertTrue(sim.isUp(0) && sim.isUp(2), "seed 1");
        sim.runUntil(400 * MS);
        for (int i = 0; i < 3; i++) {
            assertTrue(sim.isUp(i), "seed 1: server " + i + " restarted by the end");
        }
    }

    @Test
    void planNamesParseBackAndOldNamesKeepTheirMeaning() {
        assertEquals(EnumSet.of(Nemesis.Kind.PARTITION, Nemesis.Kind.CRASH), Adversary.Plan.parse("partition,crash").random());
        assertEquals(Set.of(), Adversary.Plan.parse("partition,crash").attacks());
        assertEquals(EnumSet.allOf(Nemesis.Kind.class), Adversary.Plan.parse("all").random());
        assertEquals(EnumSet.allOf(Adversary.Attack.class), Adversary.Plan.parse("adversarial").attacks());
        assertTrue(Adversary.Plan.parse("none").isEmpty());
        for (String list : new String[] {"adversarial", "random", "isolate-leader,swizzle", "crash,pause-leader", "random,adversarial"}) {
            Adversary.Plan p = Adversary.Plan.parse(list);
            assertEquals(p, Adversary.Plan.parse(p.cliName()), list);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Adversary.Plan.parse("isolate-leaders"));
        assertTrue(e.getMessage().contains("unknown nemesis 'isolate-leaders'") && e.getMessage().contains("swizzle"), e.getMessage());
    }
}
