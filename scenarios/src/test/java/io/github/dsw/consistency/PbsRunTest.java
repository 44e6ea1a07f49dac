package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The PBS model and the simulator's measurement of the same store agree (seeded; the model is a second implementation). */
class PbsRunTest {

    static final long SEED = Long.getLong("dsw.seed", 5L);

    @Test
    void modelAndSimulatorAgreeWithinSamplingError() {
        PbsRun.Curve c = PbsRun.run(SEED, 3, 1, 1, 1.0, new double[] {0, 1, 2, 5, 20}, 1500);
        for (int j = 0; j < c.tMs().length; j++) {
            // 1500 trials: standard error at most 0.013; 0.05 is almost four of them
            assertEquals(c.model()[j], c.measured()[j], 0.05, "t=" + c.tMs()[j] + " ms, seed " + SEED);
        }
        assertTrue(c.measured()[0] < 0.95, "right after the write a partial quorum misses it sometimes, seed " + SEED);
        assertTrue(c.measured()[c.tMs().length - 1] > 0.99, "seed " + SEED);
    }
}
