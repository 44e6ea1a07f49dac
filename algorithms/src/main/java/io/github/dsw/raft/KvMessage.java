package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Fn;

/** What travels in the replicated key-value store: Raft's own messages, and client requests and replies. */
public sealed interface KvMessage {

    /** A Raft message between servers. */
    record Peer(RaftMessage message) implements KvMessage {
    }

    /** A client operation: {@code value} is null (read), a Long (write) or a Cas. */
    record Request(long requestId, Fn f, String key, Object value) implements KvMessage {
    }

    /**
     * The answer: {@code ok} false means the operation definitely did not take effect (not the leader,
     * its entry was overwritten, a cas whose expected value did not match); {@code redirect} names the
     * leader this server knows of, or -1.
     */
    record Reply(long requestId, boolean ok, Long value, int redirect) implements KvMessage {
    }
}
