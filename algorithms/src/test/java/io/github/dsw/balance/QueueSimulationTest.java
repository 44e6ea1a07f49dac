package io.github.dsw.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class QueueSimulationTest {
    static final ServiceTime EXP1 = new ServiceTime.Exponential(1.0);

    @Test
    void sameSeedGivesTheSameRun() {
        Scenario s = Scenario.of("det", 8, 0.8, new ServiceTime.LogNormal(1, 1), 50_000, 9L).withRefreshInterval(2);
        SimulationResult a = QueueSimulation.run(s, new PowerOfTwoChoices(new SplittableRandom(9L)));
        SimulationResult b = QueueSimulation.run(s, new PowerOfTwoChoices(new SplittableRandom(9L)));
        assertArrayEquals(a.latencies(), b.latencies());
        assertArrayEquals(a.requestsPerServer(), b.requestsPerServer());
    }

    /** A single server with deterministic-ish checks: M/M/1 utilisation shows up as the busy fraction. */
    @Test
    void oneServerSeesEveryRequest() {
        Scenario s = Scenario.of("one", 1, 0.5, EXP1, 20_000, 3L);
        SimulationResult r = QueueSimulation.run(s, new RoundRobin());
        assertEquals(18_000, r.requestsPerServer()[0]);
        assertTrue(r.percentile(0.5) <= r.percentile(0.99));
        assertEquals(1.0, r.fractionAbove(0.0), 1e-12);
        assertEquals(0.0, r.fractionAbove(r.percentile(1.0)), 1e-12);
    }

    /**
     * Server 0 is 10x slower than the others (from time 0, so the shares below measure only the slow
     * period). Round-robin keeps sending it 1/n of the traffic, more than it can serve; Peak EWMA learns
     * from its slow responses and sends it about its capacity share, 0.1/9.1.
     */
    @Test
    void peakEwmaAvoidsASuddenlySlowServer() {
        long seed = 21L;
        Scenario s = Scenario.of("slow", 10, 0.6, EXP1, 200_000, seed).withSlowdown(0, 10, 0);
        SimulationResult rr = QueueSimulation.run(s, new RoundRobin());
        SimulationResult ewma = QueueSimulation.run(s, new PeakEwma(50_000_000L, new SplittableRandom(seed)));
        assertEquals(0.1, rr.shareOf(0), 0.001);
        assertTrue(ewma.shareOf(0) < 0.03, "Peak EWMA share of the slow server " + ewma.shareOf(0) + " seed=" + seed);
        assertTrue(ewma.percentile(0.99) * 5 < rr.percentile(0.99),
                "p99 ewma " + ewma.percentile(0.99) + " vs rr " + rr.percentile(0.99) + " seed=" + seed);
    }

    /** Heterogeneous speeds: weights equal to speeds keep every server stable; plain round-robin does not. */
    @Test
    void weightsMatterWhenSpeedsDiffer() {
        long seed = 22L;
        Scenario s = Scenario.of("hetero", 4, 0.7, EXP1, 100_000, seed).withSpeeds(3, 1, 1, 1);
        SimulationResult rr = QueueSimulation.run(s, new RoundRobin());
        SimulationResult swrr = QueueSimulation.run(s, new SmoothWeightedRoundRobin(3, 1, 1, 1));
        assertEquals(0.5, swrr.shareOf(0), 0.001);
        // Round-robin offers each speed-1 server 0.7·6/4 = 1.05 > 1: its queue grows without bound.
        assertTrue(rr.meanLatency() > 10 * swrr.meanLatency(),
                "rr " + rr.meanLatency() + " swrr " + swrr.meanLatency() + " seed=" + seed);
    }

    @Test
    void percentilesAndTailFractionsUseNearestRank() {
        SimulationResult r = new SimulationResult("x", new double[] {5, 1, 4, 2, 3}, 1, 1, 1, new long[] {5});
        assertEquals(1.0, r.percentile(0.2));
        assertEquals(3.0, r.percentile(0.5));
        assertEquals(5.0, r.percentile(1.0));
        assertEquals(0.4, r.fractionAbove(3.0), 1e-12);
        assertEquals(0.0, r.fractionAbove(5.0), 1e-12);
        assertEquals(1.0, r.fractionAbove(0.5), 1e-12);
        assertEquals(3.0, r.meanLatency(), 1e-12);
    }
}
