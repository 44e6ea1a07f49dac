package io.github.dsw.paxos;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;

/**
 * One entry of the replicated log: a client operation on the key-value store, or a no-op that a new
 * leader puts in a slot nobody accepted anything for (the gaps of "Paxos Made Simple", section 3).
 *
 * @param requestId the client's request id (unique per workload), the key of duplicate suppression; -1 for a no-op
 * @param f         read, write or cas; null for a no-op
 * @param key       the key; null for a no-op
 * @param value     null for a read or a no-op, a Long for a write, a {@link Cas} for a cas
 */
public record Command(long requestId, Fn f, String key, Object value) {

    /** The no-op. */
    public static final Command NOOP = new Command(-1, null, null, null);

    public Command {
        if (requestId < -1) {
            throw new IllegalArgumentException("requestId must be >= -1, got " + requestId);
        }
        if (requestId >= 0 && (f == null || key == null)) {
            throw new IllegalArgumentException("a client command needs f and key, got " + f + ", " + key);
        }
        if (f == Fn.WRITE && !(value instanceof Long) || f == Fn.CAS && !(value instanceof Cas) || f == Fn.READ && value != null) {
            throw new IllegalArgumentException("value must be null for a read, a Long for a write, a Cas for a cas; got " + f + " " + value);
        }
    }

    public boolean isNoop() {
        return requestId < 0;
    }
}
