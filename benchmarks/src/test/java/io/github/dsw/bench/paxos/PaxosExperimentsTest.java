package io.github.dsw.bench.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.model.QuorumLatency;
import io.github.dsw.sim.Latency;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Virtual-time properties of the experiment, never wall-clock timings: with a constant one-way delay d
 * every commit takes exactly 2d (one round trip, whatever the quorum), and with uniform delays the mean
 * commit latency matches the independent closed form for the sum of two uniforms (a triangular round trip)
 * fed through the order-statistic integral.
 */
class PaxosExperimentsTest {

    @Test
    void constantLinksCommitInExactlyOneRoundTrip() {
        for (int n : new int[] {3, 5}) {
            PaxosExperiments.Result r = PaxosExperiments.simulate(1, n, new Latency.Constant(1_000_000), 4, 200, 4, 1);
            assertTrue(r.commitNs().length >= 200, "n=" + n + ": slots " + r.commitNs().length);
            for (long v : r.commitNs()) {
                assertEquals(2_000_000, v, "n=" + n);
            }
        }
    }

    @Test
    void uniformLinksMatchTheOrderStatisticMean() {
        long seed = 3;
        PaxosExperiments.Result r = PaxosExperiments.simulate(seed, 5, new Latency.Uniform(500_000, 1_500_000), 8, 2000, 8, 1);
        double mean = Arrays.stream(r.commitNs()).average().orElseThrow();
        // Round trip = sum of two Uniform(0.5, 1.5) ms: triangular on [1, 3] ms with mode 2 ms.
        double model = QuorumLatency.kthMean(t -> {
            double x = t / 1e6 - 1;
            return x <= 0 ? 0 : x >= 2 ? 1 : x <= 1 ? x * x / 2 : 1 - (2 - x) * (2 - x) / 2;
        }, 4, 2, 4e6, 4000);
        assertEquals(model, mean, 0.02 * model, "seed=" + seed);
    }
}
