package io.github.dsw.raft;

/**
 * One single-server membership change (Ongaro's dissertation, section 4.2), the command of a
 * configuration log entry: it is proposed with {@link RaftNode#proposeConfChange}, never with
 * {@link RaftNode#propose}.
 *
 * @param type what happens to {@code node}
 * @param node the server id (0 .. servers-1 of {@link RaftConfig#servers()})
 */
public record ConfChange(Type type, int node) {

    /** The three single-server steps; adding a voter is ADD_LEARNER then PROMOTE (section 4.2.1). */
    public enum Type {
        /** A server outside the configuration joins as a non-voting learner: it receives the log, never votes or counts. */
        ADD_LEARNER,
        /** A caught-up learner becomes a voter: the voter set grows by one. */
        PROMOTE,
        /** A voter or learner leaves the configuration: the voter set shrinks by at most one. */
        REMOVE
    }

    public ConfChange {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        if (node < 0) {
            throw new IllegalArgumentException("node must be >= 0, got " + node);
        }
    }
}
