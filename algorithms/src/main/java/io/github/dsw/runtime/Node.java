package io.github.dsw.runtime;

/**
 * A process as a pure state machine: it reacts to one input at a time (its start, a message, a timer)
 * and expresses every effect through the {@link Context} it is handed: messages to send, timers to set,
 * writes to persist and outputs to report. It never reads a clock, starts a thread, opens a socket or
 * calls {@code Random}; the environment (the simulator, or a real process
 * over sockets and disks) owns those. This package knows nothing of either.
 *
 * <p>Crash semantics follow from this shape: when a server crashes, the simulator throws the object
 * away; on restart it builds a new one with the node factory and calls {@link #start}, where the node
 * rebuilds its volatile state from what {@link Context#read} returns, i.e. from what was durable.
 *
 * @param <M> the protocol's message type (one sealed interface per protocol)
 */
public interface Node<M> {

    /** First input of every incarnation, at boot and after each restart. */
    void start(Context<M> ctx);

    /** A message from process {@code from} (a server id, or a client id at or above the server count). */
    void receive(Context<M> ctx, int from, M message);

    /** A timer set with {@link Context#setTimer} in this incarnation fired. */
    void timer(Context<M> ctx, Object tag);
}
