package io.github.dsw.register;

import io.github.dsw.check.HistoryEvent.Fn;

/** Messages of the ABD register ({@link AbdNode}): client request/reply, then the two quorum phases. */
public sealed interface AbdMessage {

    /**
     * A version of a register value: ordered by timestamp, ties broken by (node, op) so that two writes
     * never share a tag. {@code ZERO} is the tag of the initial nil.
     */
    record Tag(long ts, int node, long op) implements Comparable<Tag> {
        public static final Tag ZERO = new Tag(0, -1, 0);

        @Override
        public int compareTo(Tag o) {
            if (ts != o.ts) {
                return Long.compare(ts, o.ts);
            }
            if (node != o.node) {
                return Integer.compare(node, o.node);
            }
            return Long.compare(op, o.op);
        }
    }

    /** A client asks a server to coordinate a read or write (cas is refused: ABD cannot do it). */
    record Request(long requestId, Fn f, String key, Long value) implements AbdMessage {
    }

    /** The coordinator's answer; {@code value} is the value read. */
    record Reply(long requestId, boolean ok, Long value) implements AbdMessage {
    }

    /** Phase 1: "what is your latest (tag, value) for key?" */
    record Query(long op, String key) implements AbdMessage {
    }

    /** A replica's answer to a query. */
    record QueryReply(long op, Tag tag, Long value) implements AbdMessage {
    }

    /** Phase 2: "adopt (tag, value) for key if it is newer than yours". */
    record Store(long op, String key, Tag tag, Long value) implements AbdMessage {
    }

    /** A replica has durably adopted (or already had newer than) the stored tag. */
    record StoreAck(long op) implements AbdMessage {
    }
}
