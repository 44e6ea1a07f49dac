package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.model.Availability;
import org.junit.jupiter.api.Test;

/**
 * {@link Availability}'s formulas against {@link FailureRepairRun}, failures and repairs played out in the
 * simulator. Tolerances are stated per check from the number of episodes the run sees; the seed is in
 * every message.
 */
class AvailabilityVsSimulationTest {

    private static final double MTTF = 100;
    private static final double MTTR = 10;

    @Test
    void majorityAvailabilityWithAsManyCrewsAsReplicasIsTheBinomial() {
        long seed = 1;
        double simulated = FailureRepairRun.fractionAtLeastK(5, 3, MTTF, MTTR, 5, 1_000_000, seed);
        double a = Availability.steadyState(MTTF, MTTR);
        double model = Availability.kOutOfN(3, 5, a);
        // Unavailability 0.0065 over roughly a thousand outage episodes: relative error about 2.5%; allow 12%.
        assertEquals(1 - model, 1 - simulated, 0.12 * (1 - model), "seed " + seed);
    }

    @Test
    void oneRepairCrewIsTheBirthDeathChainNotTheBinomial() {
        long seed = 2;
        double simulated = FailureRepairRun.fractionAtLeastK(5, 3, MTTF, MTTR, 1, 1_000_000, seed);
        double chain = Availability.kOutOfNWithRepair(3, 5, 1 / MTTF, 1 / MTTR, 1);
        double binomial = Availability.kOutOfN(3, 5, Availability.steadyState(MTTF, MTTR));
        assertEquals(1 - chain, 1 - simulated, 0.12 * (1 - chain), "seed " + seed);
        assertTrue(Math.abs((1 - binomial) - (1 - simulated)) > 0.2 * (1 - chain),
                "the binomial ignores the repair queue: " + (1 - binomial) + " vs simulated " + (1 - simulated) + ", seed " + seed);
    }

    @Test
    void meanTimeToLosingAMajorityIsTheFirstPassageTime() {
        long seed = 3;
        int trials = 400;
        FailureRepairRun.Result r = FailureRepairRun.timeToLoss(3, 2, MTTF, MTTR, 1, 1e9, trials, seed);
        double model = Availability.meanTimeToLoss(2, 3, 1 / MTTF, 1 / MTTR, 1);
        // Nearly exponential: standard error ≈ mean/√trials = 5%; allow 20%.
        assertEquals(trials, r.lossTrials(), "seed " + seed);
        assertEquals(model, r.meanTimeToLoss(), 0.2 * model, "seed " + seed);
    }

    @Test
    void theSeedsReliabilityFormulaIsRefutedBySimulation() {
        long seed = 4;
        int trials = 2000;
        // No repair within the run (MTTR far beyond it): five replicas, a majority needed, MTTF 100 each.
        FailureRepairRun.Result r = FailureRepairRun.timeToLoss(5, 3, MTTF, 1e12, 1, 1e9, trials, seed);
        double right = Availability.meanTimeToLoss(3, 5, 1 / MTTF, 0, 1); // 100·(1/5 + 1/4 + 1/3) = 78.3
        double seedFormula = Availability.seedReliability(5, 1 / MTTF); // 500
        assertEquals(right, r.meanTimeToLoss(), 0.06 * right, "seed " + seed);
        assertTrue(seedFormula > 5 * r.meanTimeToLoss(), "R = N/λ = " + seedFormula + " vs simulated " + r.meanTimeToLoss());
    }
}
