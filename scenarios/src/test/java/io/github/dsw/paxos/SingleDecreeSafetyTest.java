package io.github.dsw.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.sim.Nemesis;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Randomised safety and liveness of single-decree Paxos under every nemesis (partition, crash/restart,
 * pause, loss, duplication, reordering, clock skew). The property is the definition of consensus safety
 * ("Paxos Made Simple", section 2.1: "only a single value is chosen"), checked by {@link ChosenMonitor}
 * after every event, and the validity property (the chosen value is one that was proposed). Liveness:
 * once the faults stop, every client learns the decision within {@link SingleDecreeRun#LIVENESS_BOUND_NS}.
 */
class SingleDecreeSafetyTest {
    private static final Set<Nemesis.Kind> ALL = EnumSet.allOf(Nemesis.Kind.class);

    private static void runSeeds(long seeds, java.util.function.LongFunction<SingleDecreeRun.Settings> settings) {
        long checks = 0;
        long contested = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            SingleDecreeRun.Settings s = settings.apply(seed);
            SingleDecreeRun.Outcome o;
            try {
                o = SingleDecreeRun.run(s);
            } catch (IllegalStateException e) {
                fail("seed=" + seed + " " + s + ": " + e.getMessage(), e);
                return;
            }
            String where = "seed=" + seed + " " + s;
            assertTrue(o.completed(), where + ": not every client was answered after the faults stopped");
            assertNotNull(o.chosen(), where);
            assertTrue(o.chosen() >= 100 && o.chosen() < 100 + s.clients(), where + ": chosen value was never proposed: " + o.chosen());
            for (Long d : o.decided()) {
                assertEquals(o.chosen(), d, where);
            }
            for (Long l : o.learned()) {
                assertTrue(l == null || l.equals(o.chosen()), where);
            }
            checks += o.checks();
            contested += o.chosenAt().round() > 1 ? 1 : 0;
        }
        assertTrue(checks > seeds * 50, "the monitor ran after every event: " + checks);
        // the runs are not all easy: duels and faults pushed many decisions past the first round
        assertTrue(contested * 10 > seeds, "only " + contested + " of " + seeds + " runs needed more than one round");
        System.out.println(contested + " of " + seeds + " runs needed more than one round");
    }

    @Test
    void atMostOneValueIsChosenUnderEveryNemesisWithMajorities() {
        long seeds = Boolean.getBoolean("dsw.soak") ? 20_000 : 1000;
        runSeeds(seeds, seed -> new SingleDecreeRun.Settings(seed, Quorums.majority(seed % 2 == 0 ? 3 : 5), 3, ALL, 200_000_000));
    }

    /** The checks have teeth: each classic mistake is caught within a few hundred seeds. */
    @Test
    void theMonitorCatchesTheClassicMistakes() {
        for (PaxosNode.Mutation m : new PaxosNode.Mutation[] {PaxosNode.Mutation.PROPOSE_OWN_VALUE, PaxosNode.Mutation.NO_FSYNC}) {
            long caught = -1;
            for (long seed = 1; seed <= 500 && caught < 0; seed++) {
                try {
                    SingleDecreeRun.Outcome o = SingleDecreeRun.run(new SingleDecreeRun.Settings(seed, Quorums.majority(3), 3, ALL, 200_000_000, m));
                    for (Long d : o.decided()) {
                        if (d != null && !d.equals(o.decided()[0])) {
                            caught = seed; // clients were told different values
                        }
                    }
                } catch (IllegalStateException e) {
                    caught = seed;
                }
            }
            assertTrue(caught > 0, m + " was not caught in seeds 1..500");
            System.out.println(m + " caught at seed " + caught);
        }
    }

    @Test
    void atMostOneValueIsChosenWithFlexibleQuorums() {
        long seeds = Boolean.getBoolean("dsw.soak") ? 5000 : 200;
        runSeeds(seeds, seed -> new SingleDecreeRun.Settings(seed, Quorums.flexible(5, 4, 2), 3, ALL, 200_000_000));
    }

    /**
     * Dueling proposers (section 2.4): five clients ask all five servers at the same instant. Proposers
     * that answer every refusal at once with a higher ballot preempt each other round after round; with
     * the random, growing back-off of {@link Proposer} they do not. Safety holds in both cases (the
     * monitor runs); the difference is liveness, measured as the ballot round at which the value is chosen.
     */
    @Test
    void duelingProposersAreCuredByRandomBackOff() {
        int seeds = 300;
        double[] meanRound = new double[2];
        long worstDuel = 0;
        PaxosNode.Mutation[] modes = {PaxosNode.Mutation.NONE, PaxosNode.Mutation.NO_BACKOFF};
        for (int i = 0; i < 2; i++) {
            long rounds = 0;
            for (long seed = 1; seed <= seeds; seed++) {
                SingleDecreeRun.Outcome o = SingleDecreeRun.run(new SingleDecreeRun.Settings(seed, Quorums.majority(5), 5, Set.of(), 0, modes[i]));
                assertTrue(o.completed(), "seed=" + seed + " " + modes[i]);
                rounds += o.chosenAt().round();
                if (i == 1) {
                    worstDuel = Math.max(worstDuel, o.chosenAt().round());
                }
            }
            meanRound[i] = (double) rounds / seeds;
        }
        System.out.println("mean round of the decision: with back-off " + meanRound[0] + ", without " + meanRound[1] + " (worst " + worstDuel + ")");
        assertTrue(meanRound[0] < 2, "with back-off the first or second round decides: " + meanRound[0]);
        assertTrue(meanRound[1] > 3 * meanRound[0], "without back-off the proposers duel: " + meanRound[1] + " vs " + meanRound[0]);
        assertTrue(worstDuel >= 10, "some duel lasts at least 10 rounds: " + worstDuel);
    }
}
