package io.github.dsw.balance;

/**
 * nginx's smooth weighted round-robin (ngx_http_upstream_get_peer, commit 52327e0, 2012): every pick,
 * each server adds its weight to its {@code current} counter; the server with the largest counter wins
 * (the first one on ties) and pays back the total weight. Over any window of Σw picks each server gets
 * exactly w picks, and the picks of a heavy server are spread out instead of bunched: weights {5, 1, 1}
 * give a a b a c a a, where plain weighted round-robin gives a a a a a b c. O(n) per pick. The real nginx 1.22.1
 * makes the same choices request by request for every weight vector tried ({@code ./dsw lb-compare}, check
 * {@code nginx-swrr}).
 */
public final class SmoothWeightedRoundRobin implements Balancer {
    private final int[] weights;
    private final long[] current;
    private final long total;

    /**
     * @throws IllegalArgumentException if {@code weights} is empty or has a weight below 1
     */
    public SmoothWeightedRoundRobin(int... weights) {
        if (weights == null || weights.length == 0) {
            throw new IllegalArgumentException("weights must be non-empty");
        }
        long sum = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 1) {
                throw new IllegalArgumentException("weights[" + i + "] must be >= 1, got " + weights[i]);
            }
            sum += weights[i];
        }
        this.weights = weights.clone();
        this.current = new long[weights.length];
        this.total = sum;
    }

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        if (view.size() != weights.length) {
            throw new IllegalArgumentException("view has " + view.size() + " servers but " + weights.length + " weights");
        }
        int best = 0;
        for (int i = 0; i < weights.length; i++) {
            current[i] += weights[i];
            if (current[i] > current[best]) { // strict: the first server wins ties, as in nginx
                best = i;
            }
        }
        current[best] -= total;
        return best;
    }
}
