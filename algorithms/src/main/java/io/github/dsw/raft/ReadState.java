package io.github.dsw.raft;

/**
 * A confirmed ReadIndex request: once the state machine has applied {@code index}, a read of it
 * returns a linearizable result for the request tagged {@code context} (dissertation section 6.4).
 */
public record ReadState(Object context, long index) {
}
