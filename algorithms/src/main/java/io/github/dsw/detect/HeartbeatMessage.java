package io.github.dsw.detect;

/** Messages of the heartbeat protocol ({@link HeartbeatNode}). */
public sealed interface HeartbeatMessage {

    /** "I am alive": the {@code seq}-th heartbeat of its sender's current incarnation. */
    record Heartbeat(long seq) implements HeartbeatMessage {
    }
}
