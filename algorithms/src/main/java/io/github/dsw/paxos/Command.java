package io.github.dsw.paxos;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;

/**
 * A client operation on the key-value store. A slot of the replicated log holds a batch of them (a
 * {@code List<Command>}); the empty batch is the no-op that a new leader puts in a slot nobody accepted
 * anything for (the gaps of "Paxos Made Simple", section 3).
 *
 * @param requestId the client's request id (unique per workload), the key of duplicate suppression
 * @param f         read, write or cas
 * @param key       the key
 * @param value     null for a read, a Long for a write, a {@link Cas} for a cas
 */
public record Command(long requestId, Fn f, String key, Object value) {

    public Command {
        if (requestId < 0) {
            throw new IllegalArgumentException("requestId must be >= 0, got " + requestId);
        }
        if (f == null || key == null) {
            throw new IllegalArgumentException("f and key must not be null, got " + f + ", " + key);
        }
        if (f == Fn.WRITE && !(value instanceof Long) || f == Fn.CAS && !(value instanceof Cas) || f == Fn.READ && value != null) {
            throw new IllegalArgumentException("value must be null for a read, a Long for a write, a Cas for a cas; got " + f + " " + value);
        }
    }
}
