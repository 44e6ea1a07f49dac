package io.github.dsw.sim;

import io.github.dsw.check.HistoryEvent.Fn;

/**
 * How a workload's clients speak a protocol: how to encode an operation as a request message, and how
 * to read a reply. Each protocol provides one; the {@link Workload} does the rest (timeouts, history).
 *
 * @param <M> the protocol's message type
 */
public interface ClientProtocol<M> {

    /**
     * A reply as the client sees it: OK; FAIL, the operation definitely did not take effect; RETRY, this
     * server could not serve it (not the leader, its proposal was overwritten) and does not know whether
     * an earlier copy took effect: only a {@link Workload#withRetries retrying} workload sends the same
     * request again, a plain one records RETRY like FAIL.
     */
    enum Status { OK, FAIL, RETRY }

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

    /**
     * The request for one operation, also telling the server the lowest request id this client still
     * waits for ({@code firstUnansweredId <= requestId}): a server keeping a session table may drop the
     * responses to this client's lower ids and must never execute them again (Ongaro's dissertation,
     * section 6.3, "the client includes the lowest sequence number for which it has not yet received a
     * response"). The default ignores it, for protocols without sessions.
     */
    default M request(long requestId, long firstUnansweredId, Fn f, String key, Object value) {
        return request(requestId, f, key, value);
    }

    /** The reply carried by {@code message}, or null if it is not a reply to a client. */
    Reply reply(M message);
}
