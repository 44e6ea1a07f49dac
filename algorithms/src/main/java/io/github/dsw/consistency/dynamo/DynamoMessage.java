package io.github.dsw.consistency.dynamo;

import java.util.List;

/** Messages of the Dynamo-style store ({@link DynamoNode}): client get/put, then replica reads and writes. */
public sealed interface DynamoMessage {

    /** A client asks any server to coordinate a read of {@code key}. */
    record Get(long requestId, String key) implements DynamoMessage {
    }

    /**
     * A client asks any server to coordinate a write. {@code clock} is the new version's vector, made by the client:
     * the merged vector of the siblings it read and of its own previous write, with its own entry incremented, so
     * that the new version supersedes exactly what the client has seen.
     */
    record Put(long requestId, String key, long value, VersionVector clock) implements DynamoMessage {
    }

    /**
     * The coordinator's answer: for a get, the sibling values (one under LWW, possibly several under version
     * vectors; none for a missing key) and their merged context; for a put, no values. Not ok: fewer than R
     * (or W) replicas answered in time; a put may then still have been stored on some.
     */
    record Reply(long requestId, boolean ok, List<Long> values, VersionVector context) implements DynamoMessage {
        public Reply {
            values = List.copyOf(values);
        }
    }

    /** Coordinator to replica: your versions of {@code key}. */
    record Read(long op, String key) implements DynamoMessage {
    }

    /** A replica's versions (its own store merged with any hints it holds for the key). */
    record ReadReply(long op, List<Versioned> siblings) implements DynamoMessage {
        public ReadReply {
            siblings = List.copyOf(siblings);
        }
    }

    /**
     * Store these versions of {@code key} (reconciled with what you have). {@code hintFor >= 0}: you are a
     * stand-in for that replica (sloppy quorum); keep them as a hint and hand them off when it answers again.
     * {@code op} 0: read repair, no acknowledgement wanted.
     */
    record Write(long op, String key, List<Versioned> siblings, int hintFor) implements DynamoMessage {
        public Write {
            siblings = List.copyOf(siblings);
        }
    }

    /** The versions of a {@link Write} are durable here. */
    record WriteAck(long op) implements DynamoMessage {
    }
}
