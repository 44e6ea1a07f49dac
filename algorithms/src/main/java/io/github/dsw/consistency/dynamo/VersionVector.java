package io.github.dsw.consistency.dynamo;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A version vector (Parker et al. 1983; Dynamo's "vector clock", DeCandia et al. 2007, section 4.4): one
 * counter per node that coordinated a write of this version's lineage. Version {@code a} descends from
 * {@code b} when every counter of {@code a} is at least {@code b}'s; two versions neither of which descends
 * from the other are concurrent, and Dynamo keeps both as siblings for the client to merge. Immutable.
 */
public record VersionVector(Map<Integer, Long> counters) {

    /** How two versions relate. */
    public enum Order { BEFORE, AFTER, EQUAL, CONCURRENT }

    public static final VersionVector EMPTY = new VersionVector(Map.of());

    public VersionVector {
        TreeMap<Integer, Long> copy = new TreeMap<>();
        for (var e : counters.entrySet()) {
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("counters are >= 0, got " + e);
            }
            if (e.getValue() > 0) {
                copy.put(e.getKey(), e.getValue());
            }
        }
        counters = Collections.unmodifiableMap(copy);
    }

    /** The counter of {@code node} (0 if absent). */
    public long get(int node) {
        return counters.getOrDefault(node, 0L);
    }

    /** This vector with {@code node}'s counter set to {@code value}, which must not go down. */
    public VersionVector with(int node, long value) {
        if (value < get(node)) {
            throw new IllegalArgumentException("counter of " + node + " would go down: " + get(node) + " -> " + value);
        }
        TreeMap<Integer, Long> m = new TreeMap<>(counters);
        m.put(node, value);
        return new VersionVector(m);
    }

    /** The entry-wise maximum: the smallest vector descending from both. */
    public VersionVector merge(VersionVector o) {
        TreeMap<Integer, Long> m = new TreeMap<>(counters);
        o.counters.forEach((k, v) -> m.merge(k, v, Math::max));
        return new VersionVector(m);
    }

    /** How this vector relates to {@code o}. */
    public Order compare(VersionVector o) {
        boolean le = true;
        boolean ge = true;
        TreeMap<Integer, Long> keys = new TreeMap<>(counters);
        keys.putAll(o.counters);
        for (int k : keys.keySet()) {
            long a = get(k);
            long b = o.get(k);
            le &= a <= b;
            ge &= a >= b;
        }
        return le && ge ? Order.EQUAL : le ? Order.BEFORE : ge ? Order.AFTER : Order.CONCURRENT;
    }

    /** True when this version descends from {@code o} (equal included). */
    public boolean descends(VersionVector o) {
        Order c = compare(o);
        return c == Order.AFTER || c == Order.EQUAL;
    }

    @Override
    public String toString() {
        return counters.toString();
    }
}
