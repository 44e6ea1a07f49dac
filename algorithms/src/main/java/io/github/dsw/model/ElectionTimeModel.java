package io.github.dsw.model;

/**
 * Ongaro's analytical model of Raft leader election (dissertation, Stanford 2014, chapter 9,
 * "Leader election evaluation": sections 9.1 {@code nosplit.tex}, 9.2 {@code splitrate.tex} and 9.3
 * {@code splittotal.tex} of github.com/ongardie/dissertation).
 *
 * <p>Times are normalised to the width of the election-timeout range, as in the dissertation: a server
 * that last heard from the leader at 0 times out at {@code 1 + T} with T uniform on [0, 1] when timeouts
 * are drawn from [1, 2]. With s servers still up:
 * <ul>
 *   <li>the earliest timeout {@code M_s = min(T_1..T_s)} has CDF {@code 1 - (1 - t)^s} and mean
 *       {@code 1 / (s + 1)} ({@link #earliestTimeoutCdf}, {@link #earliestTimeoutMean});</li>
 *   <li>with a fixed one-way latency {@code l} (a fraction of the range), the vote splits when the
 *       earliest {@code c = s - floor(n/2) + 1} timeouts fall within l of each other:
 *       {@code P(D_{c,s} <= l) = sum_{k=c-1..s} C(s,k) l^k (1-l)^(s-k)} ({@link #splitVoteProbability});</li>
 *   <li>elections are memoryless terms, so the number of terms is geometric and
 *       {@code E[E_s] = (1/(1-p)) (1 + 1/(s+1) + E[L]) + E[L] + E[W] - 1/4}, where p is the split-vote rate,
 *       L the one-way latency, W the durable write of the vote, and 1/4 the mean of the U(0, 1/2) heartbeat
 *       adjustment (the leader crashes uniformly within its heartbeat interval, half the minimum timeout)
 *       ({@link #expectedElectionTime}).</li>
 * </ul>
 * The model assumes first-come-first-served votes; when logs differ some servers cannot win, which the
 * dissertation (section 9.5, {@code logsdiff.tex}) found to change election times only a little.
 *
 * <p>Every method is O(s) or O(1) and allocation-free.
 */
public final class ElectionTimeModel {

    private ElectionTimeModel() {
    }

    /** {@code P(M_s <= t) = 1 - (1 - t)^s} for t in [0, 1] (0 below, 1 above). */
    public static double earliestTimeoutCdf(int s, double t) {
        checkServers(s);
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("t must be a number, got NaN");
        }
        if (t <= 0) {
            return 0;
        }
        if (t >= 1) {
            return 1;
        }
        return 1 - Math.pow(1 - t, s);
    }

    /** {@code E[M_s] = 1 / (s + 1)}: where in the range the first of s servers times out, on average. */
    public static double earliestTimeoutMean(int s) {
        checkServers(s);
        return 1.0 / (s + 1);
    }

    /** The quantile of M_s: the t with {@code P(M_s <= t) = q}, i.e. {@code 1 - (1 - q)^(1/s)}. */
    public static double earliestTimeoutQuantile(int s, double q) {
        checkServers(s);
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q must be in [0, 1], got " + q);
        }
        return 1 - Math.pow(1 - q, 1.0 / s);
    }

    /**
     * Number of earliest timeouts that must fall within the latency of each other for a split vote:
     * {@code c = s - floor(n/2) + 1} (section 9.2: the first candidate gets its own vote and those of the
     * s - c servers that time out later than l after it, and needs floor(n/2) + 1).
     */
    public static int splitThreshold(int n, int s) {
        checkCluster(n, s);
        return s - n / 2 + 1;
    }

    /**
     * The split-vote probability with a fixed one-way latency {@code l} (a fraction of the timeout range,
     * may exceed 1): {@code P(D_{c,s} <= l) = sum_{k=c-1..s} C(s,k) l^k (1-l)^(s-k)}, which is 1 for l >= 1
     * and, for a range of width 0 (fixed timeouts), 1 as well. The dissertation's examples (n = 5, s = 4, range
     * 100 ms): l = 1 ms gives about 0.06 %, 10 ms about 5.2 %, 20 ms about 18.1 %.
     *
     * @param n cluster size (>= 1)
     * @param s servers up (floor(n/2) + 1 .. n): with fewer no leader can be elected at all
     * @param l one-way latency as a fraction of the range, >= 0 ({@code Double.POSITIVE_INFINITY} allowed)
     */
    public static double splitVoteProbability(int n, int s, double l) {
        checkCluster(n, s);
        if (!(l >= 0)) {
            throw new IllegalArgumentException("l must be >= 0, got " + l);
        }
        if (l >= 1) {
            return 1;
        }
        int c = splitThreshold(n, s);
        double p = 0;
        for (int k = Math.max(0, c - 1); k <= s; k++) {
            p += binomial(s, k) * Math.pow(l, k) * Math.pow(1 - l, s - k);
        }
        return Math.min(1, p);
    }

    /**
     * The dissertation's expected election time (section 9.3), in the unit of its arguments:
     * {@code (1/(1-p)) (base + width/(s+1) + meanL) + meanL + meanW - heartbeatAdjust}.
     * With the dissertation's normalisation base = width = 1 and heartbeatAdjust = 1/4; in milliseconds for
     * timeouts uniform in [min, max] ms: base = min, width = max - min, heartbeatAdjust = min / 4 (half of the
     * heartbeat interval min / 2). Returns +infinity when p = 1 (every term splits: no leader, ever).
     *
     * @param splitRate       p in [0, 1]
     * @param s               servers up
     * @param base            the minimum election timeout
     * @param width           the width of the timeout range (>= 0)
     * @param meanL           E[L], one-way latency (>= 0)
     * @param meanW           E[W], durable write of the vote (>= 0)
     * @param heartbeatAdjust mean time between the last heartbeat and the crash (>= 0)
     */
    public static double expectedElectionTime(double splitRate, int s, double base, double width, double meanL, double meanW,
                                              double heartbeatAdjust) {
        checkServers(s);
        if (!(splitRate >= 0 && splitRate <= 1)) {
            throw new IllegalArgumentException("splitRate must be in [0, 1], got " + splitRate);
        }
        if (!(base >= 0) || !(width >= 0) || !(meanL >= 0) || !(meanW >= 0) || !(heartbeatAdjust >= 0)
                || Double.isInfinite(base + width + meanL + meanW + heartbeatAdjust)) {
            throw new IllegalArgumentException("base, width, meanL, meanW and heartbeatAdjust must be finite and >= 0, got "
                    + base + ", " + width + ", " + meanL + ", " + meanW + ", " + heartbeatAdjust);
        }
        if (splitRate == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double perTerm = base + width / (s + 1) + meanL;
        return perTerm / (1 - splitRate) + meanL + meanW - heartbeatAdjust;
    }

    /** C(n, k) as a double (exact for the small n used here). */
    static double binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    private static void checkServers(int s) {
        if (s < 1) {
            throw new IllegalArgumentException("s (servers up) must be >= 1, got " + s);
        }
    }

    private static void checkCluster(int n, int s) {
        if (n < 1) {
            throw new IllegalArgumentException("n (cluster size) must be >= 1, got " + n);
        }
        if (s < n / 2 + 1 || s > n) {
            throw new IllegalArgumentException("s (servers up) must be in " + (n / 2 + 1) + ".." + n + " for n = " + n + ", got " + s);
        }
    }
}
