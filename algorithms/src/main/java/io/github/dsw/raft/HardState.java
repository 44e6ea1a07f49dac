package io.github.dsw.raft;

/** The state that must be durable before any message that depends on it is sent. */
public record HardState(long currentTerm, int votedFor) {
}
