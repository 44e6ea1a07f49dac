package io.github.dsw.sim;

import io.github.dsw.check.HistoryEvent.Fn;

/**
 * How a workload's clients speak a protocol: how to encode an operation as a request message, and how
 * to read a reply. Each protocol provides one; the {@link Workload} does the rest (timeouts, history).
 *
 * @param <M> the protocol's message type
 */
public interface ClientProtocol<M> {

    /** A reply as the client sees it. */
    enum Status { OK, FAIL }

    /**
     * A decoded reply.
     *
     * @param requestId the request it answers
     * @param status    OK, or FAIL when the operation definitely did not take effect
     * @param value     the value read (reads only; null for a missing key)
     * @param redirect  a server to send later requests to (e.g. the primary), or -1
     */
    record Reply(long requestId, Status status, Long value, int redirect) {
    }

    /** The request for one operation: {@code value} is null (read), a Long (write) or a Cas. */
    M request(long requestId, Fn f, String key, Object value);

    /** The reply carried by {@code message}, or null if it is not a reply to a client. */
    Reply reply(M message);
}
