package io.github.dsw.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Sends one admin command to a node ({@code status}, {@code block N,M}, {@code unblock}) and returns its answer. */
public final class AdminClient {
    private AdminClient() {
    }

    /**
     * @throws IOException      the node cannot be reached within {@code timeoutMs}
     * @throws ClusterException it is not a node of {@code protocol}
     */
    public static String call(InetSocketAddress node, String protocol, String command, int timeoutMs) throws IOException {
        try (Connection c = Connection.open(node, protocol, Frames.Role.ADMIN, 0, timeoutMs)) {
            c.socket.setSoTimeout(timeoutMs);
            c.send(Frames.text(Frames.ADMIN, command));
            Frames.Frame f = Frames.read(c.in);
            if (f == null || f.corrupt() || f.kind() != Frames.TEXT) {
                throw new ClusterException(node + " gave no valid answer to '" + command + "'");
            }
            String answer = Frames.parseText(f.body());
            if (answer.startsWith("error: ")) {
                throw new ClusterException(node + ": " + answer.substring(7));
            }
            return answer;
        }
    }
}
