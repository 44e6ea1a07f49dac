package io.github.dsw.consistency.causal;

import java.util.List;

/** Messages of the causal store ({@link CausalNode}). */
public sealed interface CausalMessage {

    /** A client reads ({@code value} null) or writes {@code key} at its replica. */
    record Request(long requestId, String key, Long value) implements CausalMessage {
    }

    /** The replica's answer: the value read (null if none), or the value written. */
    record Reply(long requestId, Long value) implements CausalMessage {
    }

    /**
     * A write of {@code origin}, its {@code vc[origin]}-th, with the vector clock of everything {@code origin} had
     * applied when it wrote it: the write's causal dependencies.
     */
    record Update(int origin, List<Long> vc, String key, long value) implements CausalMessage {
        public Update {
            vc = List.copyOf(vc);
        }
    }

    /** "I have applied your writes up to {@code seq}": the sender stops resending them. */
    record Ack(long seq) implements CausalMessage {
    }
}
