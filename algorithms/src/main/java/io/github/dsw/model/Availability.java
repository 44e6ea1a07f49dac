package io.github.dsw.model;

/**
 * Availability and reliability of a replica group, the formulas chapter 11 checks against a simulation
 * of failures and repairs (and the two it replaces). Failures are independent, exponential with rate λ
 * per replica (mean time to failure MTTF = 1/λ); repairs exponential with rate μ (MTTR = 1/μ).
 * <ul>
 *   <li>One replica alternates up and down: its steady-state availability is the fraction of time up,
 *       A = MTTF / (MTTF + MTTR) (renewal-reward theorem; Trivedi, "Probability and Statistics with
 *       Reliability, Queuing, and Computer Science Applications", 2nd ed., 2002, §8.3).</li>
 *   <li>k-out-of-n: the group works while at least k of n independent replicas are up,
 *       Σ_{j=k..n} C(n, j) A^j (1 − A)^(n−j); a majority quorum has k = ⌊n/2⌋ + 1.</li>
 *   <li>With a limited number of repair crews the replicas are no longer independent: the number of
 *       failed replicas is a birth–death Markov chain (Trivedi §8.2), failures at rate (n − j)λ and repairs
 *       at min(j, c)μ from state j, whose stationary distribution is a product of rate ratios; with
 *       c = n crews it equals the binomial above.</li>
 *   <li>Reliability: the mean time until fewer than k are up for the first time, starting with all up
 *       (mean time to data loss for a quorum system), by first passage in the same chain; without repair
 *       it is Σ_{i=k..n} 1/(iλ) (the i-th failure among i survivors comes after 1/(iλ) on average).</li>
 * </ul>
 * Two formulas found in circulation, and why they are wrong ({@link #seedFailureProbability},
 * {@link #seedReliability}): they are here to be shown wrong on a concrete case.
 */
public final class Availability {

    private Availability() {
    }

    /** Steady-state availability of one replica, MTTF / (MTTF + MTTR). */
    public static double steadyState(double mttf, double mttr) {
        if (!(mttf > 0) || !(mttr >= 0)) {
            throw new IllegalArgumentException("need mttf > 0 and mttr >= 0, got " + mttf + ", " + mttr);
        }
        return mttf / (mttf + mttr);
    }

    /** P(at least k of n independent replicas up), each up with probability {@code a}. */
    public static double kOutOfN(int k, int n, double a) {
        checkKn(k, n);
        if (!(a >= 0 && a <= 1)) {
            throw new IllegalArgumentException("a must be in [0, 1], got " + a);
        }
        double sum = 0;
        for (int j = k; j <= n; j++) {
            sum += choose(n, j) * Math.pow(a, j) * Math.pow(1 - a, n - j);
        }
        return Math.min(1, sum);
    }

    /** P(a majority of n independent replicas is down, so a quorum system stops), 1 − kOutOfN(⌊n/2⌋+1, n, a). */
    public static double majorityLost(int n, double a) {
        return 1 - kOutOfN(n / 2 + 1, n, a);
    }

    /**
     * Stationary distribution of the number of failed replicas: {@code pi[j]} for j = 0..n, in the
     * birth–death chain with failure rate (n − j)λ and repair rate min(j, crews)μ.
     */
    public static double[] failedDistribution(int n, double lambda, double mu, int crews) {
        if (n < 1 || crews < 1) {
            throw new IllegalArgumentException("need n >= 1 and crews >= 1, got " + n + ", " + crews);
        }
        if (!(lambda > 0) || !(mu > 0)) {
            throw new IllegalArgumentException("need lambda > 0 and mu > 0, got " + lambda + ", " + mu);
        }
        double[] w = new double[n + 1];
        w[0] = 1;
        double total = 1;
        for (int j = 1; j <= n; j++) {
            // Balance across the cut between j−1 and j: π(j−1)·(n−j+1)λ = π(j)·min(j, c)μ.
            w[j] = w[j - 1] * (n - j + 1) * lambda / (Math.min(j, crews) * mu);
            total += w[j];
        }
        for (int j = 0; j <= n; j++) {
            w[j] /= total;
        }
        return w;
    }

    /** Steady-state P(at least k of n up) in the chain of {@link #failedDistribution}. */
    public static double kOutOfNWithRepair(int k, int n, double lambda, double mu, int crews) {
        checkKn(k, n);
        double[] pi = failedDistribution(n, lambda, mu, crews);
        double sum = 0;
        for (int j = 0; j <= n - k; j++) {
            sum += pi[j];
        }
        return sum;
    }

    /**
     * Mean time from all n up until fewer than k are up for the first time, with failure rate λ per
     * replica and {@code crews} repair crews of rate μ (μ = 0: no repair). First passage in a birth–death
     * chain: the mean time t_j to go from j to j+1 failed satisfies t_j = 1/b_j + (d_j/b_j)·t_{j−1}, with
     * b_j = (n − j)λ and d_j = min(j, c)μ, and the answer is t_0 + ... + t_{n−k}.
     */
    public static double meanTimeToLoss(int k, int n, double lambda, double mu, int crews) {
        checkKn(k, n);
        if (!(lambda > 0) || !(mu >= 0) || crews < 1) {
            throw new IllegalArgumentException("need lambda > 0, mu >= 0, crews >= 1, got " + lambda + ", " + mu + ", " + crews);
        }
        double total = 0;
        double previous = 0;
        for (int j = 0; j <= n - k; j++) {
            double birth = (n - j) * lambda;
            double death = Math.min(j, crews) * mu;
            double t = 1 / birth + death / birth * previous;
            total += t;
            previous = t;
        }
        return total;
    }

    /** P(at least one of n replicas fails within t) = 1 − e^(−nλt): the correct form of the first seed formula. */
    public static double anyFailsWithin(int n, double lambda, double t) {
        if (n < 1 || !(lambda >= 0) || !(t >= 0)) {
            throw new IllegalArgumentException("need n >= 1, lambda >= 0, t >= 0");
        }
        return -Math.expm1(-n * lambda * t);
    }

    /**
     * The seeds' "P_f = 1 − (1 − λ)^N": reads a failure <em>rate</em> as a probability. It is right only
     * when λ is the probability that one replica fails in the period of interest; for a rate (failures
     * per unit time) it is not even a probability once λ > 1 (λ = 2 per year, N = 3 gives 2).
     */
    public static double seedFailureProbability(double lambda, int n) {
        return 1 - Math.pow(1 - lambda, n);
    }

    /**
     * The seeds' "R = N/λ" as the mean time to failure of a group of N replicas: more replicas, linearly
     * longer life. A group that needs all N up fails after 1/(Nλ) on average; one that needs a majority,
     * without repair, after Σ_{i=k..N} 1/(iλ), which grows like ln(N/k)/λ, not N/λ (see {@link #meanTimeToLoss}).
     */
    public static double seedReliability(int n, double lambda) {
        return n / lambda;
    }

    private static void checkKn(int k, int n) {
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("need 1 <= k <= n, got k=" + k + " n=" + n);
        }
    }

    private static double choose(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
