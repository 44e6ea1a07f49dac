package io.github.dsw.model;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Commit latency of a leader-based quorum protocol (Multi-Paxos phase 2, Raft AppendEntries): the
 * leader sends an entry to its {@code m = n − 1} followers and commits once {@code k = q − 1} of them
 * have answered, {@code q = ⌊n/2⌋ + 1} being the majority that counts the leader itself. If the follower
 * round-trip times are i.i.d. with CDF F, the commit latency is the k-th order statistic X₍ₖ₎ of m
 * draws, whose CDF is the binomial tail (David and Nagaraja, Order Statistics, 3rd ed., §2.1):
 *
 * <pre>  P(X₍ₖ₎ ≤ t) = Σ_{j=k..m} C(m, j) F(t)^j (1 − F(t))^(m−j)</pre>
 *
 * Closed forms used as checks: for Uniform(0, 1), X₍ₖ₎ ~ Beta(k, m − k + 1) with mean k/(m + 1); for
 * Exponential(λ), the spacings are independent exponentials (Rényi's representation), so
 * E[X₍ₖ₎] = Σ_{i=0..k−1} 1/(λ(m − i)).
 *
 * <p>Cost: one CDF evaluation costs O(m); a quantile costs O(m · 100) by bisection; the mean O(m · steps).
 */
public final class QuorumLatency {

    private QuorumLatency() {
    }

    /** Majority quorum size for n nodes, ⌊n/2⌋ + 1. */
    public static int majority(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        return n / 2 + 1;
    }

    /** The number of follower acknowledgements the leader waits for with n nodes: majority(n) − 1. */
    public static int followerAcks(int n) {
        return majority(n) - 1;
    }

    private static void checkKm(int k, int m) {
        if (m < 1) {
            throw new IllegalArgumentException("m (number of draws) must be >= 1, got " + m);
        }
        if (k < 1 || k > m) {
            throw new IllegalArgumentException("k must be in [1, m=" + m + "], got " + k);
        }
    }

    /**
     * P(X₍ₖ₎ ≤ t) given F(t) = {@code f}: the probability that at least k of m i.i.d. draws are ≤ t.
     *
     * @throws IllegalArgumentException unless 1 ≤ k ≤ m and 0 ≤ f ≤ 1
     */
    public static double kthCdfFromF(double f, int m, int k) {
        checkKm(k, m);
        if (!(f >= 0 && f <= 1)) {
            throw new IllegalArgumentException("f must be in [0, 1], got " + f);
        }
        if (f == 0) {
            return 0;
        }
        if (f == 1) {
            return 1;
        }
        // Binomial terms in log space so large m cannot overflow C(m, j).
        double sum = 0;
        double logF = Math.log(f);
        double log1F = Math.log1p(-f);
        for (int j = k; j <= m; j++) {
            sum += Math.exp(logChoose(m, j) + j * logF + (m - j) * log1F);
        }
        return Math.min(1, sum);
    }

    /** P(X₍ₖ₎ ≤ t) for draws with CDF {@code cdf}. */
    public static double kthCdf(DoubleUnaryOperator cdf, int m, int k, double t) {
        return kthCdfFromF(clamp01(cdf.applyAsDouble(t)), m, k);
    }

    /**
     * The p-quantile of X₍ₖ₎ by bisection on [lo, hi] (the CDF of X₍ₖ₎ is monotone).
     *
     * @throws IllegalArgumentException unless 0 < p < 1 and lo < hi
     */
    public static double kthQuantile(DoubleUnaryOperator cdf, int m, int k, double p, double lo, double hi) {
        checkKm(k, m);
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), got " + p);
        }
        if (!(lo < hi)) {
            throw new IllegalArgumentException("need lo < hi, got lo=" + lo + ", hi=" + hi);
        }
        double a = lo;
        double b = hi;
        for (int i = 0; i < 200 && b - a > 1e-12 * Math.max(1, Math.abs(b)); i++) {
            double mid = 0.5 * (a + b);
            if (kthCdf(cdf, m, k, mid) < p) {
                a = mid;
            } else {
                b = mid;
            }
        }
        return 0.5 * (a + b);
    }

    /**
     * E[X₍ₖ₎] for non-negative draws, ∫₀^hi (1 − P(X₍ₖ₎ ≤ t)) dt by Simpson's rule with {@code steps}
     * intervals; {@code hi} must be far enough in the tail that the rest of the integral is negligible.
     */
    public static double kthMean(DoubleUnaryOperator cdf, int m, int k, double hi, int steps) {
        checkKm(k, m);
        if (!(hi > 0)) {
            throw new IllegalArgumentException("hi must be > 0, got " + hi);
        }
        if (steps < 2 || steps % 2 != 0) {
            throw new IllegalArgumentException("steps must be even and >= 2, got " + steps);
        }
        double h = hi / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double s = 1 - kthCdf(cdf, m, k, i * h);
            double w = (i == 0 || i == steps) ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += w * s;
        }
        return sum * h / 3;
    }

    /** Closed form E[X₍ₖ₎] for m i.i.d. Exponential(rate) draws: Σ_{i=0..k−1} 1/(rate·(m − i)). */
    public static double exponentialKthMean(double rate, int m, int k) {
        checkKm(k, m);
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be finite and > 0, got " + rate);
        }
        double mean = 0;
        for (int i = 0; i < k; i++) {
            mean += 1 / (rate * (m - i));
        }
        return mean;
    }

    /** Closed form E[X₍ₖ₎] for m i.i.d. Uniform(a, b) draws: a + (b − a)·k/(m + 1). */
    public static double uniformKthMean(double a, double b, int m, int k) {
        checkKm(k, m);
        if (!(a < b)) {
            throw new IllegalArgumentException("need a < b, got a=" + a + ", b=" + b);
        }
        return a + (b - a) * k / (m + 1.0);
    }

    /**
     * Monte-Carlo sample of X₍ₖ₎: {@code trials} times, draw m values with {@code sampler} and keep the
     * k-th smallest. Used to cross-check the formulas and for distributions without a CDF.
     */
    public static double[] sampleKth(ToDoubleFunction<SplittableRandom> sampler, int m, int k, int trials,
            SplittableRandom rng) {
        checkKm(k, m);
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1, got " + trials);
        }
        double[] out = new double[trials];
        double[] draws = new double[m];
        for (int t = 0; t < trials; t++) {
            for (int i = 0; i < m; i++) {
                draws[i] = sampler.applyAsDouble(rng);
            }
            Arrays.sort(draws);
            out[t] = draws[k - 1];
        }
        return out;
    }

    /** CDF of Exponential(rate). */
    public static DoubleUnaryOperator exponentialCdf(double rate) {
        return t -> t <= 0 ? 0 : -Math.expm1(-rate * t);
    }

    /** CDF of Uniform(a, b). */
    public static DoubleUnaryOperator uniformCdf(double a, double b) {
        return t -> t <= a ? 0 : t >= b ? 1 : (t - a) / (b - a);
    }

    /** CDF of a constant (a step at c). */
    public static DoubleUnaryOperator constantCdf(double c) {
        return t -> t < c ? 0 : 1;
    }

    /**
     * The empirical CDF of {@code samples} (copied and sorted), for distributions known only by sampling
     * (e.g. a round trip that is the sum of two log-normal one-way delays). Cost O(log n) per evaluation.
     */
    public static DoubleUnaryOperator empiricalCdf(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("samples must not be empty");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        return t -> {
            int i = Arrays.binarySearch(sorted, t);
            if (i < 0) {
                i = -i - 1;
            } else {
                while (i < sorted.length && sorted[i] <= t) {
                    i++;
                }
            }
            return (double) i / sorted.length;
        };
    }

    /** CDF of LogNormal(mu, sigma): Φ((ln t − mu)/sigma). */
    public static DoubleUnaryOperator logNormalCdf(double mu, double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0, got " + sigma);
        }
        return t -> t <= 0 ? 0 : normalCdf((Math.log(t) - mu) / sigma);
    }

    /**
     * Φ(x), the standard normal CDF, as erfc(−x/√2)/2 with erfc by the Chebyshev fit of Numerical
     * Recipes (3rd ed., §6.2.2, fractional error below 1.2e-7 everywhere).
     */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double ans = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? ans : 2 - ans;
    }

    private static double logChoose(int m, int j) {
        double s = 0;
        // ln C(m, j) = Σ ln((m − j + i)/i), exact enough for the m (< 1000) a cluster has.
        for (int i = 1; i <= j; i++) {
            s += Math.log((double) (m - j + i) / i);
        }
        return s;
    }

    private static double clamp01(double f) {
        return f < 0 ? 0 : f > 1 ? 1 : f;
    }
}
