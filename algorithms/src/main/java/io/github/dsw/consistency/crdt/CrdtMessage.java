package io.github.dsw.consistency.crdt;

import java.util.List;

/** Messages of the replicated CRDT store ({@link CrdtNode}). */
public sealed interface CrdtMessage {

    /** What a client asks: add {@code arg} to the counter, add or remove element {@code arg} of the set, or read both. */
    enum Kind { COUNT, ADD, REMOVE, READ }

    /** A client's request, served by the replica it reaches, at once, without coordination. */
    record Request(long requestId, Kind kind, long arg) implements CrdtMessage {
    }

    /** The replica's answer: its counter value and set elements after applying the request. */
    record Reply(long requestId, long counter, List<Long> elements) implements CrdtMessage {
        public Reply {
            elements = List.copyOf(elements);
        }
    }

    /** Anti-entropy: a replica's whole state, merged by the receiver. */
    record Gossip(PNCounter counter, OrSet set) implements CrdtMessage {
    }
}
