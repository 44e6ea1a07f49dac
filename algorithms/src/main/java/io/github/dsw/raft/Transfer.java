package io.github.dsw.raft;

/**
 * What a leader answered to {@link RaftNode#transferLeadership}: the transfer to {@code target} began
 * ({@link Started}: the target is being caught up, or was sent TimeoutNow), or nothing changed and
 * {@link Refused} says why. A started transfer is not a promise: it aborts after an election timeout.
 */
public sealed interface Transfer {

    /** True for {@link Started}. */
    default boolean started() {
        return this instanceof Started;
    }

    /** The transfer to {@code target} is under way (dissertation 3.10). */
    record Started(int target) implements Transfer {
    }

    /** Nothing changed, for {@code reason} (for people: not meant to be parsed). */
    record Refused(String reason) implements Transfer {
        public Refused {
            if (reason == null || reason.isEmpty()) {
                throw new IllegalArgumentException("reason must not be null or empty, got " + reason);
            }
        }
    }
}
