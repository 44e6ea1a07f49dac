package io.github.dsw.consistency.dynamo;

/**
 * One stored version of a key (a sibling): its value, its version vector (used when the store resolves
 * conflicts by version vectors) and the coordinator's wall-clock timestamp and id (used by last-writer-wins,
 * which orders versions by {@code (timestamp, writer)} and keeps only the largest).
 *
 * @param value  the value (a {@code long}; the cart workload uses it as a bit set of items)
 * @param clock  the version vector
 * @param ts     the coordinator's local clock when it accepted the write (with that node's skew)
 * @param writer the coordinator's id, the tie-breaker
 */
public record Versioned(long value, VersionVector clock, long ts, int writer) {

    /** Last-writer-wins order: by timestamp, then writer, then value (so that the order is total). */
    public int compareLww(Versioned o) {
        if (ts != o.ts) {
            return Long.compare(ts, o.ts);
        }
        if (writer != o.writer) {
            return Integer.compare(writer, o.writer);
        }
        return Long.compare(value, o.value);
    }
}
