package io.github.dsw.consistency.crdt;

/**
 * Last-writer-wins register (Shapiro et al. 2011, specification 8): a value with the writer's timestamp and id;
 * merge keeps the larger {@code (ts, node)}. It converges, but "last" is by the writers' clocks: a write from a
 * node whose clock is behind loses to an earlier one (chapter 12 measures this in the Dynamo store).
 */
public record LwwRegister(long value, long ts, int node) implements StateCrdt<LwwRegister> {

    /** The initial state: below every write. */
    public static final LwwRegister INITIAL = new LwwRegister(0, Long.MIN_VALUE, Integer.MIN_VALUE);

    /** Replica {@code writer} assigns {@code v} at its local time {@code now}; ignored if not newer than the state. */
    public LwwRegister assign(long v, long now, int writer) {
        LwwRegister w = new LwwRegister(v, now, writer);
        return merge(w);
    }

    private int order(LwwRegister o) {
        if (ts != o.ts) {
            return Long.compare(ts, o.ts);
        }
        if (node != o.node) {
            return Integer.compare(node, o.node);
        }
        return Long.compare(value, o.value);
    }

    @Override
    public LwwRegister merge(LwwRegister o) {
        return order(o) >= 0 ? this : o;
    }

    @Override
    public boolean leq(LwwRegister o) {
        return order(o) <= 0;
    }
}
