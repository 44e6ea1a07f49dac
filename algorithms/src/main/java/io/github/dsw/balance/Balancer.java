package io.github.dsw.balance;

/**
 * Chooses a server for each request. Implementations are deterministic given their inputs: randomised
 * ones take a seeded {@link java.util.random.RandomGenerator} from the caller, and time is passed in
 * ({@code nowNanos}), never read from a clock. Not thread-safe: one balancer per client thread, or the
 * caller synchronises.
 */
public interface Balancer {

    /**
     * The server for the next request.
     *
     * @param requestKey the request's key hash (used by key-affine balancers, ignored by the others)
     * @param nowNanos the current time in nanoseconds (virtual time in a simulation)
     * @param view the servers' load as the balancer sees it
     * @return a server index in {@code [0, view.size())}
     */
    int pick(long requestKey, long nowNanos, LoadView view);

    /**
     * Called when a request sent to {@code server} completes after {@code latencyNanos}; balancers that
     * learn from latency (Peak EWMA) override it. The default does nothing.
     */
    default void completed(int server, long latencyNanos, long nowNanos) {}
}
