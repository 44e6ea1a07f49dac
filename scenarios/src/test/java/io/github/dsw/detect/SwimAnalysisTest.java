package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * SWIM's analysis (Das, Gupta and Motivala, DSN 2002, section 3.1) against the simulated {@link SwimNode} with
 * uniform probe targets. Expected values: the paper's e/(e − 1) limit, the geometric law of the first probe and the
 * per-member load worked out in {@link SwimAnalysis} from the protocol's message flow — none read from a run.
 * Tolerances are statistical: 4 standard errors of the simulated mean (a geometric count has standard deviation
 * √(1 − p)/p ≈ 0.97 windows; a probe time within a window at most one period).
 */
class SwimAnalysisTest {

    @Test
    void theFormulasHaveThePapersLimits() {
        assertEquals(Math.E / (Math.E - 1), SwimAnalysis.expectedPeriodsToFirstProbe(100_000), 1e-4);
        assertEquals(1.0, SwimAnalysis.expectedFirstProbe(100_000), 1e-4);
        assertEquals(4.0 / 3, SwimAnalysis.expectedPeriodsToFirstProbe(3), 1e-12, "n = 3: 2 live members each pick X with 1/2: p = 3/4");
        assertEquals(2.0, SwimAnalysis.expectedLoad(0, 3), 1e-12);
        for (int i = 0; i <= 100; i++) { // the paper's worst case: every probe indirect, every indirect message delivered
            double l = i / 100.0;
            org.junit.jupiter.api.Assertions.assertTrue(SwimAnalysis.expectedLoad(l, 3) <= 4 * 3 + 2, "loss " + l);
        }
        assertEquals(1 + 3, SwimAnalysis.expectedLoad(1, 3), 1e-12, "every message lost: only the ping and the k ping-reqs are sent");
    }

    @Test
    void firstDetectionMatchesTheAnalysisWhateverTheGroupSize() {
        int trials = 150;
        for (int n : new int[] {8, 32}) {
            double windows = 0;
            double sq = 0;
            double suspicion = 0;
            for (long seed = 1; seed <= trials; seed++) {
                SwimAnalysis.Detection d = SwimAnalysis.detect(n, seed);
                windows += d.window();
                sq += (double) d.window() * d.window();
                suspicion += d.firstSuspicionNs() / (double) d.periodNs();
            }
            double mean = windows / trials;
            double sd = Math.sqrt(sq / trials - mean * mean);
            double p = SwimAnalysis.probeProbability(n);
            assertEquals(1 / p, mean, 4 * Math.sqrt(1 - p) / p / Math.sqrt(trials),
                    "n=" + n + " seeds 1.." + trials + ": windows until the first probe (sample sd " + sd + ")");
            assertEquals(SwimAnalysis.expectedFirstProbe(n) + 1, suspicion / trials, 4 * 1.0 / Math.sqrt(trials),
                    "n=" + n + " seeds 1.." + trials + ": time to first suspicion, in periods");
        }
    }

    @Test
    void loadPerMemberIsConstantInGroupSize() {
        for (double loss : new double[] {0, 0.05}) {
            for (int n : new int[] {8, 64}) {
                double sim = SwimAnalysis.load(n, loss, 100, 1);
                assertEquals(SwimAnalysis.expectedLoad(loss, 3), sim, loss == 0 ? 0.01 : 0.08 * SwimAnalysis.expectedLoad(loss, 3),
                        "n=" + n + " loss=" + loss + " seed=1: messages per member per period");
            }
        }
    }
}
