package io.github.dsw.consistency.crdt;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Grow-only counter (Shapiro et al. 2011, specification 6): one non-negative count per replica; a replica
 * increments only its own entry, the value is the sum, merge takes the entry-wise maximum.
 */
public record GCounter(Map<Integer, Long> counts) implements StateCrdt<GCounter> {

    public static final GCounter ZERO = new GCounter(Map.of());

    public GCounter {
        TreeMap<Integer, Long> m = new TreeMap<>();
        for (var e : counts.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("counts are >= 0, got " + e);
            }
            if (e.getValue() > 0) {
                m.put(e.getKey(), e.getValue());
            }
        }
        counts = Collections.unmodifiableMap(m);
    }

    /** Replica {@code node} adds {@code by >= 0}. */
    public GCounter increment(int node, long by) {
        if (by < 0) {
            throw new IllegalArgumentException("a G-counter only grows, got " + by);
        }
        TreeMap<Integer, Long> m = new TreeMap<>(counts);
        m.merge(node, by, Long::sum);
        return new GCounter(m);
    }

    public long value() {
        long sum = 0;
        for (long v : counts.values()) {
            sum += v;
        }
        return sum;
    }

    @Override
    public GCounter merge(GCounter o) {
        TreeMap<Integer, Long> m = new TreeMap<>(counts);
        o.counts.forEach((k, v) -> m.merge(k, v, Math::max));
        return new GCounter(m);
    }

    @Override
    public boolean leq(GCounter o) {
        for (var e : counts.entrySet()) {
            if (e.getValue() > o.counts.getOrDefault(e.getKey(), 0L)) {
                return false;
            }
        }
        return true;
    }
}
