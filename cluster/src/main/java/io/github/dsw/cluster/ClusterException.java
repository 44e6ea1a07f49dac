package io.github.dsw.cluster;

/**
 * A problem talking to a cluster that retrying cannot fix: a server speaks another protocol, answers with
 * something that is not a frame, or refuses the connection. The CLI reports it in one line (exit 2).
 */
public final class ClusterException extends RuntimeException {
    public ClusterException(String message) {
        super(message);
    }
}
