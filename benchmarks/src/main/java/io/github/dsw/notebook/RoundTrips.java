package io.github.dsw.notebook;

import io.github.dsw.model.QuorumLatency;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

/**
 * Round-trip times as the Paxos and Raft experiments draw them: a round trip is two independent one-way delays, so
 * its distribution is a convolution with no closed form for log-normal links; it is sampled (a fixed seed, so the
 * curve is the same on every run) and handed to {@link QuorumLatency} as an empirical CDF.
 */
public final class RoundTrips {

    /** Samples per empirical CDF: the CDF is then within about 0.003 of the truth everywhere (DKW, 95 %). */
    public static final int SAMPLES = 200_000;

    private RoundTrips() {
    }

    /** A standard normal draw (Box–Muller; {@code 1 - u} keeps the logarithm finite). */
    public static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Round trips whose one-way delays are log-normal with median 1 ms and shape {@code sigma}, in ms. */
    public static double[] logNormalSamples(double sigma, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.exp(sigma * gaussian(r)) + Math.exp(sigma * gaussian(r));
        }
        return s;
    }

    /** Round trips whose one-way delays are uniform on [0.5, 1.5] ms, in ms (mean 2 ms). */
    public static double[] uniformSamples(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = 1 + r.nextDouble() + r.nextDouble();
        }
        return s;
    }

    /**
     * The round-trip CDF of one of {@code PaxosExperiments}' link kinds, in ms: {@code constant} (1 ms each way),
     * {@code uniform} (U[0.5, 1.5] each way) or {@code lognormal} (median 1 ms, σ 0.5 each way).
     */
    public static DoubleUnaryOperator cdf(String kind) {
        return switch (kind) {
            case "constant" -> QuorumLatency.constantCdf(2.0);
            case "uniform" -> QuorumLatency.empiricalCdf(uniformSamples(SAMPLES, 42));
            case "lognormal" -> QuorumLatency.empiricalCdf(logNormalSamples(0.5, SAMPLES, 42));
            default -> throw new IllegalArgumentException("unknown link kind '" + kind + "' (constant, uniform, lognormal)");
        };
    }

    /** The empirical round-trip CDF for log-normal one-way delays (median 1 ms, shape {@code sigma}). */
    public static DoubleUnaryOperator logNormalCdf(double sigma, long seed) {
        return QuorumLatency.empiricalCdf(logNormalSamples(sigma, SAMPLES, seed));
    }
}
