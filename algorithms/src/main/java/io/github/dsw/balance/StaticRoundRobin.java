package io.github.dsw.balance;

/**
 * HAProxy's {@code balance static-rr} (lb_map.c, {@code init_server_map} and {@code recalc_server_map}, by
 * Willy Tarreau): the weights are divided by their greatest common divisor, then a table of Σw slots is filled
 * once, and requests walk the table in turn. Slot o goes to the server whose score, after every server adds
 * its weight, has the largest {@code (score + Σw) / Σw} in integer division, the first declared on ties; the
 * winner pays back Σw. The comparison on the quotient rather than the score is where it departs from nginx's
 * {@link SmoothWeightedRoundRobin}: weights {5, 1, 1} give a a a b a a c here (as HAProxy 2.6.12 serves them)
 * and a a b a c a a in nginx.
 * "Static" because the table is rebuilt only when a server goes up or down, never when a weight changes at
 * run time. O(1) per pick, O(n·Σw) to build.
 */
public final class StaticRoundRobin implements Balancer {
    private final int[] map;
    private final int servers;
    private int next;

    /**
     * @throws IllegalArgumentException if {@code weights} is empty or has a weight below 1 (HAProxy allows
     *     weight 0 for a server that takes no traffic; it is left out here)
     */
    public StaticRoundRobin(int... weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("weights must be non-empty");
        }
        int gcd = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 1) {
                throw new IllegalArgumentException("weights[" + i + "] must be >= 1, got " + weights[i]);
            }
            gcd = gcd(gcd, weights[i]);
        }
        int[] eweight = new int[weights.length];
        int total = 0;
        for (int i = 0; i < weights.length; i++) {
            eweight[i] = weights[i] / gcd;
            total += eweight[i];
        }
        servers = weights.length;
        map = new int[total];
        long[] score = new long[weights.length];
        for (int o = 0; o < total; o++) {
            int best = 0;
            long max = 0;
            for (int s = 0; s < weights.length; s++) {
                if (total == 1) { // one slot: the first server, without dividing by 1 (as lb_map.c)
                    break;
                }
                score[s] += eweight[s];
                long v = (score[s] + total) / total; // C division: truncates toward zero, as Java's
                if (s == 0 || v > max) {
                    max = v;
                    best = s;
                }
            }
            map[o] = best;
            score[best] -= total;
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** The table requests walk through, one server index per slot. */
    public int[] map() {
        return map.clone();
    }

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        if (view.size() != servers) {
            throw new IllegalArgumentException("view has " + view.size() + " servers but " + servers + " weights");
        }
        int server = map[next];
        next = (next + 1) % map.length;
        return server;
    }
}
