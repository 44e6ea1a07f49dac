package io.github.dsw.raft;

/**
 * What a leader answered to {@link RaftNode#propose} or {@link RaftNode#proposeConfChange}: the entry was
 * appended at {@code index} ({@link Accepted}), or nothing changed, and {@link Refused} says why (this
 * server does not lead, is transferring its leadership, or a membership rule forbids the change now).
 * An accepted entry is not a promise: it commits only if this leader keeps its majority.
 */
public sealed interface Proposal {

    /** The entry is in the leader's log at {@code index} and is being replicated. */
    record Accepted(long index) implements Proposal {
        public Accepted {
            if (index < 1) {
                throw new IllegalArgumentException("index must be >= 1, got " + index);
            }
        }
    }

    /** Nothing was appended, for {@code reason} (for people: not meant to be parsed). */
    record Refused(String reason) implements Proposal {
        public Refused {
            if (reason == null || reason.isEmpty()) {
                throw new IllegalArgumentException("reason must not be null or empty, got " + reason);
            }
        }
    }
}
