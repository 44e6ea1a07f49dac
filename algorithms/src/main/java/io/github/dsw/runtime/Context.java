package io.github.dsw.runtime;

/**
 * Everything a {@link Node} may do, valid only during the call it was passed to. Effects are collected
 * for the step and applied by the environment when the step returns, in this order: buffered writes
 * become durable if {@link #fsync} was called (after the configured fsync latency), and only then are
 * the step's messages sent and its outputs reported. So "persist before sending" (the contract of
 * etcd's {@code Ready}) holds whenever a step that must persist calls {@code fsync}: if the node crashes
 * before the fsync completes, both the writes and the messages are lost.
 *
 * @param <M> the protocol's message type
 */
public interface Context<M> {

    /** This process's id: servers are {@code 0 .. servers()-1}, clients come after. */
    int self();

    /** Number of servers in the cluster. */
    int servers();

    /**
     * The local clock in nanoseconds: virtual time as this process sees it, with its skew and drift.
     * Never assume two processes' clocks agree.
     */
    long now();

    /**
     * A monotonic local clock in nanoseconds (as {@link System#nanoTime}): it runs at this process's
     * clock rate (its drift), the rate {@link #setTimer} delays are measured in, but never jumps when the
     * clock is set (an offset changed), and keeps running while the process is paused. Use it to
     * measure elapsed local time. An environment whose clock is never set may return {@link #now()}; it
     * must say so, which is why this method has no default.
     */
    long monotonicNow();

    /** The environment's seeded RNG (for randomised timeouts and the like): the only randomness a node may use. */
    Rng random();

    /** Sends {@code message} to process {@code to} through the network model when the step ends. */
    void send(int to, M message);

    /**
     * Fires {@link Node#timer} with {@code tag} after {@code delayNs} of local time (so a drifting clock
     * fires early or late in virtual time). Timers die with the incarnation. Returns an id for
     * {@link #cancelTimer}.
     */
    long setTimer(long delayNs, Object tag);

    /** Cancels a pending timer; unknown or fired ids are ignored. */
    void cancelTimer(long timerId);

    /** The value last written under {@code key} in this incarnation, or what is durable; null if none. */
    Object read(String key);

    /**
     * Buffers a write (visible to {@link #read} at once). It becomes durable only when a later or the
     * current step's {@link #fsync} completes; a crash before that loses it. Values must be immutable.
     */
    void write(String key, Object value);

    /** Makes every buffered write durable, then releases this step's messages and outputs. */
    void fsync();

    /**
     * Holds this step's messages and outputs until every write that an earlier step of this incarnation forced is
     * durable (a barrier: nothing new is written, and a step that calls {@link #fsync} needs no barrier). For a role
     * that acts on something another role of the same process handed over in memory before its forced write
     * completed. The default is an {@link #fsync}, which waits at least as long, because fsyncs complete in order.
     */
    default void awaitDurable() {
        fsync();
    }

    /** Reports an observation to the environment (a commit, a leader change) for invariant checkers. */
    void output(Object event);
}
