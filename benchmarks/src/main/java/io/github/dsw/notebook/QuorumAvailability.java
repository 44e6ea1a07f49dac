package io.github.dsw.notebook;

/**
 * Whether a quorum can be formed when each of n servers is up independently with probability p: the binomial
 * tails, summed term by term so that tiny unavailabilities (1e-12) keep their digits instead of vanishing in
 * {@code 1 - P(at least q)}.
 */
public final class QuorumAvailability {

    private QuorumAvailability() {
    }

    /** C(n, k) as a double (exact for the small n of a cluster). */
    public static double choose(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }

    /** P(fewer than q of n servers are up), each up with probability p. */
    public static double unavailable(int n, int q, double p) {
        check(n, q, p);
        double s = 0;
        for (int i = 0; i < q; i++) {
            s += choose(n, i) * Math.pow(p, i) * Math.pow(1 - p, n - i);
        }
        return s;
    }

    /** P(at least q of n servers are up), each up with probability p. */
    public static double available(int n, int q, double p) {
        check(n, q, p);
        double s = 0;
        for (int i = q; i <= n; i++) {
            s += choose(n, i) * Math.pow(p, i) * Math.pow(1 - p, n - i);
        }
        return s;
    }

    private static void check(int n, int q, double p) {
        if (n < 1 || q < 0 || q > n || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("need 1 <= n, 0 <= q <= n, 0 <= p <= 1; got n=" + n + " q=" + q + " p=" + p);
        }
    }
}
