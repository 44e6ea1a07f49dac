package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Fn;

/** What travels in the replicated key-value store: Raft's own messages, and client requests and replies. */
public sealed interface KvMessage {

    /** A Raft message between servers. */
    record Peer(RaftMessage message) implements KvMessage {
    }

    /**
     * A client operation: {@code value} is null (read), a Long (write) or a Cas. {@code firstUnanswered}
     * is the lowest request id the client still waits for (at most {@code requestId}): the session table
     * forgets this client's responses below it and never executes those requests again (dissertation
     * section 6.3).
     */
    record Request(long requestId, Fn f, String key, Object value, long firstUnanswered) implements KvMessage {
        public Request {
            if (firstUnanswered > requestId) {
                throw new IllegalArgumentException("firstUnanswered must be <= requestId " + requestId + ", got " + firstUnanswered);
            }
        }

        /** A request of a client with nothing else outstanding. */
        public Request(long requestId, Fn f, String key, Object value) {
            this(requestId, f, key, value, requestId);
        }
    }

    /**
     * An administrator's request (not a client operation, never in the history): ask the server that leads to make
     * the single-server membership change {@code change} (dissertation 4.1-4.3: add a learner, promote a caught-up
     * learner to voter, remove a server; {@link RaftNode#proposeConfChange}). The answer is a {@link Reply} with the
     * same id: {@code ok} once the configuration entry is applied here (committed), {@code retry} (with the leader's
     * id) from a server that does not lead or whose entry was overwritten, and {@code ok} false, not retry, when the
     * leader refuses the change (one change at a time, none before its no-op commits, nonsense for the current
     * configuration): it took no effect. The admin knows the membership only from these answers and from committed
     * entries, as an operator of a real cluster does.
     */
    record Admin(long requestId, ConfChange change) implements KvMessage {
        public Admin {
            if (change == null) {
                throw new IllegalArgumentException("change must not be null (request " + requestId + ")");
            }
        }
    }

    /**
     * The answer. {@code retry} true: this server could not serve the request (it is not the leader, or
     * its entry for it was overwritten) and does not know whether another copy takes effect; the client
     * sends the same request again, to {@code redirect} (the leader this server knows of) or, if -1, to
     * another server. Otherwise the answer is definite: {@code ok} false means the operation took no
     * effect (a cas whose expected value did not match).
     */
    record Reply(long requestId, boolean ok, Long value, int redirect, boolean retry) implements KvMessage {
        public Reply {
            if (retry && ok) {
                throw new IllegalArgumentException("a retry reply cannot be ok (request " + requestId + ")");
            }
        }

        /** A definite answer. */
        public Reply(long requestId, boolean ok, Long value, int redirect) {
            this(requestId, ok, value, redirect, false);
        }

        /** "Not served here, send it again", naming the leader this server knows of, or -1. */
        public static Reply retry(long requestId, int redirect) {
            return new Reply(requestId, false, null, redirect, true);
        }
    }
}
