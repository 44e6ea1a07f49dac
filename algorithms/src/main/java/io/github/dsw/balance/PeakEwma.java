package io.github.dsw.balance;

import java.util.random.RandomGenerator;

/**
 * Finagle's Peak EWMA load metric with two random choices ({@code Balancers.p2cPeakEwma},
 * twitter/finagle {@code loadbalancer/PeakEwma.scala}): each server's cost is an exponentially weighted
 * moving average of its response times that jumps up at once to any slower observation (the "peak")
 * and decays back with time constant τ; its load is {@code cost × (outstanding + 1)}. Of two random
 * servers the one with the lower load wins. A server that suddenly slows down is avoided after its first
 * slow response, instead of after its queue has grown.
 *
 * <p>Update on an observation of rtt at time t, Δt since the last one: w = exp(−Δt/τ); if rtt > cost
 * then cost = rtt, else cost = cost·w + rtt·(1−w). Reading the load first decays the cost with rtt = 0,
 * so an idle fast server's cost fades. A server with no history yet but requests outstanding gets the
 * penalty load {@code Long.MAX_VALUE >> 16}, as in Finagle, so new servers are probed one at a time.
 */
public final class PeakEwma implements Balancer {
    static final double PENALTY = Long.MAX_VALUE >> 16;

    private final double decayNanos;
    private final RandomGenerator random;
    private double[] cost = new double[0];
    private long[] stamp = new long[0];

    /**
     * @param decayNanos the time constant τ (Finagle's default {@code decayTime} is 10 s)
     * @throws IllegalArgumentException if {@code decayNanos <= 0} or {@code random} is null
     */
    public PeakEwma(long decayNanos, RandomGenerator random) {
        if (decayNanos <= 0) {
            throw new IllegalArgumentException("decayNanos must be > 0, got " + decayNanos);
        }
        if (random == null) {
            throw new IllegalArgumentException("random must not be null");
        }
        this.decayNanos = decayNanos;
        this.random = random;
    }

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        int n = view.size();
        ensureSize(n, nowNanos);
        if (n == 1) {
            return 0;
        }
        int a = random.nextInt(n);
        int b = random.nextInt(n - 1);
        if (b >= a) {
            b++;
        }
        return load(b, nowNanos, view) < load(a, nowNanos, view) ? b : a;
    }

    /** cost × (outstanding + 1), after decaying the cost to {@code nowNanos}. */
    double load(int server, long nowNanos, LoadView view) {
        ensureSize(server + 1, nowNanos);
        observe(server, 0.0, nowNanos);
        int pending = view.outstanding(server);
        if (cost[server] == 0.0 && pending != 0) {
            return PENALTY;
        }
        return cost[server] * (pending + 1);
    }

    @Override
    public void completed(int server, long latencyNanos, long nowNanos) {
        ensureSize(server + 1, nowNanos);
        observe(server, latencyNanos, nowNanos);
    }

    private void observe(int server, double rtt, long nowNanos) {
        long elapsed = Math.max(nowNanos - stamp[server], 0);
        double w = Math.exp(-elapsed / decayNanos);
        cost[server] = rtt > cost[server] ? rtt : cost[server] * w + rtt * (1 - w);
        stamp[server] = nowNanos;
    }

    /** The current (undecayed) cost estimate of {@code server}, in nanoseconds. */
    public double cost(int server) {
        return server < cost.length ? cost[server] : 0.0;
    }

    private void ensureSize(int n, long nowNanos) {
        if (cost.length < n) {
            int old = cost.length;
            cost = java.util.Arrays.copyOf(cost, n);
            stamp = java.util.Arrays.copyOf(stamp, n);
            java.util.Arrays.fill(stamp, old, n, nowNanos);
        }
    }
}
