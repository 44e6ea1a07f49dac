package io.github.dsw.sim;

import io.github.dsw.runtime.SplitMix64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Sample statistics against the distributions' closed forms. */
class LatencyTest {
    private static final int N = 100_000;

    private static long[] sample(Latency l) {
        SplitMix64 r = new SplitMix64(3);
        long[] s = new long[N];
        for (int i = 0; i < N; i++) {
            s[i] = l.sampleNs(r);
            assertTrue(s[i] >= 0);
        }
        Arrays.sort(s);
        return s;
    }

    @Test
    void uniformMeanIsTheMidpoint() {
        long[] s = sample(new Latency.Uniform(1000, 3000));
        assertEquals(1000, s[0], 5);
        assertEquals(3000, s[N - 1], 5);
        assertEquals(2000, Arrays.stream(s).average().orElseThrow(), 10);
    }

    @Test
    void logNormalMedianAndMean() {
        long[] s = sample(new Latency.LogNormal(1_000_000, 0.5));
        assertEquals(1_000_000, s[N / 2], 15_000);
        // mean = median * exp(sigma^2 / 2)
        assertEquals(1_000_000 * Math.exp(0.125), Arrays.stream(s).average().orElseThrow(), 10_000);
    }

    @Test
    void paretoMedianAndTail() {
        long[] s = sample(new Latency.Pareto(1_000_000, 2.0, Long.MAX_VALUE));
        // median = xm * 2^(1/alpha); P(X > 10 xm) = 10^-alpha = 1%
        assertEquals(1_000_000 * Math.sqrt(2), s[N / 2], 15_000);
        long above = Arrays.stream(s).filter(x -> x > 10_000_000).count();
        assertEquals(0.01, above / (double) N, 0.002);
    }

    @Test
    void paretoIsCapped() {
        long[] s = sample(new Latency.Pareto(1_000, 0.5, 50_000));
        assertEquals(50_000, s[N - 1]);
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Latency.Uniform(5, 4));
        assertThrows(IllegalArgumentException.class, () -> new Latency.Constant(-1));
        assertThrows(IllegalArgumentException.class, () -> new Latency.LogNormal(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LinkModel(new Latency.Constant(1), 1.5, 0, 0, 0));
    }
}
