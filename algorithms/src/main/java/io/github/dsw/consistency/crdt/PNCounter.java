package io.github.dsw.consistency.crdt;

/**
 * Positive-negative counter (Shapiro et al. 2011, specification 7): two G-counters, increments and decrements;
 * the value is their difference. (A single map of signed entries with "max" as merge would not work: a
 * decrement would not be an inflation and could be undone by merging an older state.)
 */
public record PNCounter(GCounter p, GCounter n) implements StateCrdt<PNCounter> {

    public static final PNCounter ZERO = new PNCounter(GCounter.ZERO, GCounter.ZERO);

    /** Replica {@code node} adds {@code by} (negative: a decrement). */
    public PNCounter add(int node, long by) {
        return by >= 0 ? new PNCounter(p.increment(node, by), n) : new PNCounter(p, n.increment(node, -by));
    }

    public long value() {
        return p.value() - n.value();
    }

    @Override
    public PNCounter merge(PNCounter o) {
        return new PNCounter(p.merge(o.p), n.merge(o.n));
    }

    @Override
    public boolean leq(PNCounter o) {
        return p.leq(o.p) && n.leq(o.n);
    }
}
