package io.github.dsw.hunt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.WorkloadBias;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader-aware nemesis has teeth, and no false alarms. Each deliberate bug a hunt can reach is caught by
 * the {@code adversarial} nemesis within {@link #BUDGET} seeds (issue 25's target), so a weakened nemesis
 * fails the build; the same hunts with no nemesis catch nothing in a few seeds (the faults, not luck, find
 * them); and correct protocols are never caught under the adversarial nemesis. Every test prints the seed
 * or the command that replays it.
 *
 * <p>Seeds of the false-alarm check: by default 1,000 for single-decree Paxos, 60 for paxos-kv and 16 for
 * raft-kv (a raft-kv run takes about half a second); with {@code -Ddsw.soak=true} 1,000 for each.
 */
class HuntTest {

    /** The target: every reachable bug found within 50 seeds. */
    static final int BUDGET = 50;

    /**
     * Bugs a hunt can reach in its runs: every deliberate bug of the three protocols. naive-counting is reached by the
     * {@code figure-8} attack with one entry per AppendEntries; conf-change-before-noop by the {@code membership}
     * attack on five servers (four voters), through the key-value service's admin request; paxos's no-backoff by the
     * liveness bound {@link Hunt#PAXOS_ROUNDS_BOUND}.
     */
    static final List<String[]> REACHABLE = List.of(
            new String[] {"raft-kv", "leader-local-reads"},
            new String[] {"raft-kv", "no-tick-catch-up"},
            new String[] {"raft-kv", "naive-counting"},
            new String[] {"raft-kv", "conf-change-before-noop"},
            new String[] {"paxos-kv", "skip-recovery"},
            new String[] {"paxos", "propose-own-value"},
            new String[] {"paxos", "no-fsync"},
            new String[] {"paxos", "no-backoff"});

    private static final boolean SOAK = Boolean.getBoolean("dsw.soak");

    @Test
    void theAdversarialNemesisFindsEveryReachableBugWithinTheBudget() {
        for (String[] pm : REACHABLE) {
            Hunt.Protocol p = Hunt.Protocol.parse(pm[0]);
            Hunt.Result r = Hunt.hunt(p, pm[1], Adversary.Plan.ADVERSARIAL, WorkloadBias.NORMAL, BUDGET, 0, (k, seed, found) -> { }, () -> false);
            assertNotNull(r.finding(), pm[0] + " " + pm[1] + ": not found in " + BUDGET + " seeds of stream 0 with the adversarial nemesis");
            System.out.println("HuntTest: " + pm[0] + " " + pm[1] + " found_at_seed=" + r.finding().position() + " by " + r.finding().checker()
                    + "; replay: " + r.finding().replay());
            // the same seed replays the same finding
            Hunt.Finding again = Hunt.check(p, pm[1], Adversary.Plan.ADVERSARIAL, WorkloadBias.NORMAL, r.finding().seed(), r.finding().position());
            assertNotNull(again, "seed " + r.finding().seed() + " did not replay");
            assertEquals(r.finding().checker().split(":")[0], again.checker().split(":")[0]);
            // the shrunk fault schedule: no larger than the original, and the seed still fails with it (and its operations)
            Hunt.Finding f = r.finding();
            System.out.println("HuntTest:   " + f.scheduleLine() + "; replay: " + f.replay());
            assertTrue(f.strikes().size() <= f.strikesBefore(), f.scheduleLine());
            Hunt.Finding shrunk = Hunt.check(p, pm[1], Adversary.Plan.ADVERSARIAL, WorkloadBias.NORMAL, f.seed(), f.position(), f.shrunk(),
                    f.schedule());
            assertNotNull(shrunk, "the shrunk schedule does not fail again: " + f.replay());
            assertEquals(f.checker().split(":")[0], shrunk.checker().split(":")[0]);
            assertEquals(f.strikes(), shrunk.strikes(), "the shrunk schedule replays strike for strike");
        }
    }

    /**
     * The membership attack is what finds conf-change-before-noop: the seed the adversarial mix needs, replayed with every
     * other attack but that one, catches nothing; and with the attack but without the mutation, nothing either (the
     * correct leader refuses the change before its no-op commits).
     */
    @Test
    void theMembershipAttackIsWhatFindsConfChangeBeforeNoop() {
        Hunt.Result r = Hunt.hunt(Hunt.Protocol.RAFT_KV, "conf-change-before-noop", Adversary.Plan.ADVERSARIAL, WorkloadBias.NORMAL, BUDGET, 0,
                (k, seed, found) -> { }, () -> false);
        assertNotNull(r.finding(), "conf-change-before-noop not found in " + BUDGET + " seeds");
        long seed = r.finding().seed();
        java.util.Set<Adversary.Attack> others = java.util.EnumSet.allOf(Adversary.Attack.class);
        others.remove(Adversary.Attack.MEMBERSHIP);
        Adversary.Plan withoutIt = new Adversary.Plan(java.util.Set.of(), others);
        assertNull(Hunt.check(Hunt.Protocol.RAFT_KV, "conf-change-before-noop", withoutIt, WorkloadBias.NORMAL, seed, r.finding().position()),
                "seed " + seed + " caught without the membership attack");
        assertNull(Hunt.check(Hunt.Protocol.RAFT_KV, "none", Adversary.Plan.ADVERSARIAL, WorkloadBias.NORMAL, seed, r.finding().position()),
                "seed " + seed + " caught without the mutation: ./dsw hunt raft-kv --mutation none --seeds " + seed);
        assertTrue(r.finding().window().contains("violated"), r.finding().window());
    }

    @Test
    void withoutANemesisTheSameHuntsFindNothing() {
        for (String[] pm : REACHABLE) {
            Hunt.Protocol p = Hunt.Protocol.parse(pm[0]);
            if (p == Hunt.Protocol.PAXOS) {
                continue; // competing proposers alone expose propose-own-value: the bug needs no fault there
            }
            Hunt.Result r = Hunt.hunt(p, pm[1], Adversary.Plan.parse("none"), WorkloadBias.NORMAL, 3, 0, (k, seed, found) -> { }, () -> false);
            assertNull(r.finding(), pm[0] + " " + pm[1] + " caught without faults: " + (r.finding() == null ? "" : r.finding().replay()));
        }
    }

    @Test
    void correctProtocolsAreNeverCaughtByTheAdversarialNemesis() {
        int[] seeds = SOAK ? new int[] {1000, 1000, 1000} : new int[] {16, 60, 1000};
        Hunt.Protocol[] protocols = {Hunt.Protocol.RAFT_KV, Hunt.Protocol.PAXOS_KV, Hunt.Protocol.PAXOS};
        for (int i = 0; i < protocols.length; i++) {
            Hunt.Protocol p = protocols[i];
            int n = seeds[i];
            Hunt.Result r = Hunt.hunt(p, "none", Adversary.Plan.ADVERSARIAL, WorkloadBias.NORMAL, n, 0, (k, seed, found) -> { }, () -> false);
            assertNull(r.finding(), () -> p.cliName() + " without a mutation was caught: " + r.finding().checker() + "\n" + r.finding().window()
                    + "\nreplay: " + r.finding().replay());
            assertEquals(n, r.seedsRun());
            System.out.println("HuntTest: " + p.cliName() + " without mutation, adversarial nemesis: 0 findings in seeds 1.." + n
                    + " (replay any: ./dsw hunt " + p.cliName() + " --mutation none --nemesis adversarial --seeds " + n + ")");
        }
    }

    @Test
    void theBugExposingWorkloadsRaiseNoFalseAlarm() {
        for (WorkloadBias b : WorkloadBias.values()) {
            int n = SOAK ? 200 : 2;
            Hunt.Result clean = Hunt.hunt(Hunt.Protocol.RAFT_KV, "none", Adversary.Plan.ADVERSARIAL, b, n, 0, (k, seed, found) -> { },
                    () -> false);
            assertNull(clean.finding(), () -> b + ": " + clean.finding().replay());
            System.out.println("HuntTest: workload " + b.cliName() + ", raft-kv without mutation: 0 findings in seeds 1.." + n);
        }
    }

    @Test
    void seedStreamsAreDisjointAndTheHuntStopsWhenAsked() {
        assertEquals(7, Hunt.seed(0, 7));
        assertEquals(3_000_007, Hunt.seed(3, 7));
        Hunt.Result r = Hunt.hunt(Hunt.Protocol.PAXOS, "none", Adversary.Plan.ADVERSARIAL, WorkloadBias.NORMAL, 100, 0, (k, seed, found) -> { },
                () -> true);
        assertTrue(r.cancelled());
        assertEquals(0, r.seedsRun());
    }
}
