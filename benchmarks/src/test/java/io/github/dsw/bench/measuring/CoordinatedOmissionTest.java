package io.github.dsw.bench.measuring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The chapter 0 claims about coordinated omission, checked against the analytic model in the class
 * Javadoc (an independent derivation: stall / duration of the requests arrive during the stall and wait
 * out its remainder) and against HdrHistogram's documented behaviour.
 */
class CoordinatedOmissionTest {

    private final CoordinatedOmission scenario = CoordinatedOmission.chapterScenario();
    private final CoordinatedOmission.Result r = scenario.run();

    @Test
    void naiveRecordingHidesTheStallBehindOneSample() {
        Histogram naive = r.naive();
        assertEquals(10_000, naive.getTotalCount(), "one sample per request sent");
        // Every request but one took the service time: even p99.99 shows nothing wrong.
        assertTrue(naive.getValueAtPercentile(99.99) <= 100_100,
                "naive p99.99 should be the 0.1 ms service time, was " + naive.getValueAtPercentile(99.99));
        assertTrue(naive.getMaxValue() >= 1_000_000_000L, "the stall appears once, as the max");
    }

    @Test
    void openLoopTruthFollowsTheModel() {
        for (double p : new double[] {90, 95, 99, 99.9}) {
            double model = scenario.modelLatencyNs(p / 100);
            double measured = r.openLoop().getValueAtPercentile(p);
            assertEquals(model, measured, model * 0.01 + 1_000_000,
                    "open-loop p" + p + " should match stall + service - (1 - p)(1 - rho) duration");
        }
        assertTrue(r.openLoop().getValueAtPercentile(50) <= 100_100, "the median request never saw the stall");
    }

    @Test
    void expectedIntervalCorrectionRecoversTheTail() {
        for (double p : new double[] {99, 99.9}) {
            double truth = r.openLoop().getValueAtPercentile(p);
            double corrected = r.corrected().getValueAtPercentile(p);
            assertEquals(truth, corrected, truth * 0.03, "corrected p" + p + " vs open loop");
        }
        // Lower down it cannot see the backlog that would have queued behind the stall: low, but in range.
        double truth95 = r.openLoop().getValueAtPercentile(95);
        double corrected95 = r.corrected().getValueAtPercentile(95);
        assertTrue(corrected95 > 0.75 * truth95 && corrected95 <= truth95,
                "corrected p95 " + corrected95 + " should be a little below the truth " + truth95);
        // One back-filled value per interval of the one long sample: about stall / interval of them.
        long added = r.corrected().getTotalCount() - r.naive().getTotalCount();
        assertEquals(1000, added, 1, "requests back-filled by the correction");
    }

    @Test
    void rejectsAnOverloadedOrEmptyScenario() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CoordinatedOmission(100, 100, 0, 10, 1000));
        assertTrue(e.getMessage().contains("serviceNs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CoordinatedOmission(100, 10, 2000, 10, 1000));
        assertThrows(IllegalArgumentException.class, () -> new CoordinatedOmission(0, 10, 0, 10, 1000));
    }
}
