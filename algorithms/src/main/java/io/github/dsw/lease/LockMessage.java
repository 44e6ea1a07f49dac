package io.github.dsw.lease;

import io.github.dsw.raft.RaftMessage;

/** What travels in the lock service: Raft's messages between servers, client requests, replies and grant notifications. */
public sealed interface LockMessage {

    /** A Raft message between servers. */
    record Peer(RaftMessage message) implements LockMessage {
    }

    /** A client's request; the client resends the same {@code requestId} until it gets a definite reply. */
    record Request(long requestId, LockStore.Op op) implements LockMessage {
    }

    /**
     * The answer to a request. {@code retry} true: this server could not serve it (not the leader, or its entry
     * was overwritten); send it again, to {@code redirect} if it is not -1. Otherwise {@code result} is definite.
     */
    record Reply(long requestId, LockStore.Result result, int redirect, boolean retry) implements LockMessage {
        /** "Not served here". */
        public static Reply retry(long requestId, int redirect) {
            return new Reply(requestId, null, redirect, true);
        }
    }

    /** The leader's notice to the one client whose session was granted a lock (its predecessor released or expired). */
    record Granted(LockStore.Grant grant) implements LockMessage {
    }
}
