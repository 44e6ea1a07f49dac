package io.github.dsw.consistency.pbs;

import io.github.dsw.runtime.Rng;
import java.util.Arrays;

/**
 * Probabilistically Bounded Staleness (Bailis, Venkataraman, Franklin, Hellerstein and Stoica, "Probabilistically
 * Bounded Staleness for Practical Partial Quorums", VLDB 2012): how likely a read that starts {@code t} after a
 * write commits is to return it, for a Dynamo-style store with {@code N} replicas, read quorum {@code R} and write
 * quorum {@code W} when {@code R + W <= N} (partial quorums).
 *
 * <p>The WARS model (section 5.1): a write reaches replica {@code i} after {@code W_i} and its acknowledgement
 * comes back after {@code A_i}; the write commits when the {@code W}-th acknowledgement arrives. A read sent at
 * commit + {@code t} reaches replica {@code i} after {@code R_i} and its answer comes back after {@code S_i}; the
 * coordinator takes the first {@code R} answers. The read is consistent when one of those replicas had received
 * the write before the read request: {@code commit + t + R_i >= W_i}. {@link #tVisibility} estimates the
 * probability by Monte Carlo, as the paper does (its section 5.2); {@link #commitTimeLowerBound} and
 * {@link #kStaleness} are the paper's closed forms (sections 3.1 and 3.2).
 */
public final class Pbs {

    /** A one-way delay distribution, in milliseconds. */
    public interface Dist {
        double sampleMs(Rng r);

        /** Exponential with rate {@code lambda} per ms (mean 1 / lambda), as in the paper's synthetic runs. */
        static Dist exponential(double lambda) {
            if (!(lambda > 0)) {
                throw new IllegalArgumentException("lambda must be > 0, got " + lambda);
            }
            return r -> r.nextExponential(1 / lambda);
        }

        /** Log-normal with the given median (ms) and shape {@code sigma}. */
        static Dist logNormal(double medianMs, double sigma) {
            return r -> medianMs * Math.exp(sigma * r.nextGaussian());
        }

        /** Pareto with scale {@code xm} (ms) and shape {@code alpha}: {@code xm / U^(1/alpha)}, U uniform in (0, 1]. */
        static Dist pareto(double xm, double alpha) {
            if (!(xm > 0) || !(alpha > 0)) {
                throw new IllegalArgumentException("need xm > 0 and alpha > 0, got " + xm + ", " + alpha);
            }
            return r -> xm / Math.pow(1 - r.nextDouble(), 1 / alpha);
        }

        /** With probability {@code p} a sample of {@code a}, otherwise of {@code b}. */
        static Dist mixture(double p, Dist a, Dist b) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p must be in [0, 1], got " + p);
            }
            return r -> r.nextDouble() < p ? a.sampleMs(r) : b.sampleMs(r);
        }

        /** Always {@code ms}. */
        static Dist constant(double ms) {
            return r -> ms;
        }
    }

    /** The four WARS distributions. */
    public record Wars(Dist w, Dist a, Dist r, Dist s) {
        /** The same distribution for all four legs. */
        public static Wars all(Dist d) {
            return new Wars(d, d, d, d);
        }

        /** A write leg {@code w}, the other three {@code ars}. */
        public static Wars write(Dist w, Dist ars) {
            return new Wars(w, ars, ars, ars);
        }
    }

    /**
     * The production latency fits of the PBS paper (Bailis et al., VLDB 2012, section 5.4, table "Distribution fits
     * for production latency distributions"; the same parameters are in the authors' simulator,
     * github.com/pbailis/pbs-vldb-historical-paper-material): LinkedIn's Voldemort on SSDs and on disks, Yammer's Riak.
     */
    public enum Production {
        /** W = A = R = S: 91.22% Pareto(xm .235, alpha 10), 8.78% exponential(lambda 1.66). */
        LNKD_SSD(Wars.all(ssd())),
        /** A = R = S as LNKD-SSD; W: 38% Pareto(1.05, 1.51), 62% exponential(.183). */
        LNKD_DISK(Wars.write(Dist.mixture(.38, Dist.pareto(1.05, 1.51), Dist.exponential(.183)), ssd())),
        /** W: 93.9% Pareto(3, 3.35), 6.1% exponential(.0028); A = R = S: 98.2% Pareto(1.5, 3.8), 1.8% exponential(.0217). */
        YMMR(Wars.write(Dist.mixture(.939, Dist.pareto(3, 3.35), Dist.exponential(.0028)),
                Dist.mixture(.982, Dist.pareto(1.5, 3.8), Dist.exponential(.0217))));

        private final Wars wars;

        Production(Wars wars) {
            this.wars = wars;
        }

        public Wars wars() {
            return wars;
        }

        private static Dist ssd() {
            return Dist.mixture(.9122, Dist.pareto(.235, 10), Dist.exponential(1.66));
        }
    }

    private Pbs() {
    }

    /**
     * Monte-Carlo estimate of P(a read starting {@code tMs[j]} after commit returns the write) for each
     * {@code tMs[j]}, with {@code trials} trials (the same trials for every t, so the curve is monotone).
     */
    public static double[] tVisibility(int n, int r, int w, Wars wars, double[] tMs, int trials, Rng rng) {
        check(n, r, w);
        int[] consistent = new int[tMs.length];
        double[] wi = new double[n];
        double[] acks = new double[n];
        double[] ri = new double[n];
        Integer[] order = new Integer[n];
        double[] rs = new double[n];
        for (int trial = 0; trial < trials; trial++) {
            for (int i = 0; i < n; i++) {
                wi[i] = wars.w().sampleMs(rng);
                acks[i] = wi[i] + wars.a().sampleMs(rng);
                ri[i] = wars.r().sampleMs(rng);
                rs[i] = ri[i] + wars.s().sampleMs(rng);
                order[i] = i;
            }
            double[] sortedAcks = acks.clone();
            Arrays.sort(sortedAcks);
            double commit = sortedAcks[w - 1];
            Arrays.sort(order, (x, y) -> Double.compare(rs[x], rs[y]));
            for (int j = 0; j < tMs.length; j++) {
                for (int k = 0; k < r; k++) {
                    int i = order[k];
                    if (wi[i] <= commit + tMs[j] + ri[i]) {
                        consistent[j]++;
                        break;
                    }
                }
            }
        }
        double[] p = new double[tMs.length];
        for (int j = 0; j < tMs.length; j++) {
            p[j] = consistent[j] / (double) trials;
        }
        return p;
    }

    /**
     * The probability that a read quorum chosen uniformly at random meets at least one of the {@code W} replicas
     * that acknowledged a write, when no other replica has it yet: {@code 1 - C(N-W, R) / C(N, R)} (PBS section
     * 3.1). The chance of a consistent read at t = 0 is at least this; it is 1 when {@code R + W > N}.
     */
    public static double commitTimeLowerBound(int n, int r, int w) {
        check(n, r, w);
        return 1 - binomial(n - w, r) / binomial(n, r);
    }

    /**
     * k-staleness (PBS section 3.2): the probability that such a read returns one of the last {@code k} writes,
     * {@code 1 - (C(N-W, R) / C(N, R))^k}.
     */
    public static double kStaleness(int n, int r, int w, int k) {
        check(n, r, w);
        return 1 - Math.pow(binomial(n - w, r) / binomial(n, r), k);
    }

    static double binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        double b = 1;
        for (int i = 1; i <= k; i++) {
            b = b * (n - k + i) / i;
        }
        return b;
    }

    private static void check(int n, int r, int w) {
        if (n < 1 || r < 1 || w < 1 || r > n || w > n) {
            throw new IllegalArgumentException("need 1 <= r, w <= n, got n=" + n + " r=" + r + " w=" + w);
        }
    }
}
