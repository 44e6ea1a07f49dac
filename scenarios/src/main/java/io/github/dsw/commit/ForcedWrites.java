package io.github.dsw.commit;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.ForwardingContext;
import io.github.dsw.runtime.Node;

/**
 * Counts a node's forced writes from outside the protocol: a write is forced when an {@code fsync} call
 * follows it in the same step (a write after the step's last fsync is lazy: it becomes durable with some
 * later fsync, as an RM's record of an outcome does). This is the "stable storage write" of Gray and
 * Lamport's counts, counted by the environment rather than reported by the protocol.
 */
final class ForcedWrites<M> implements Node<M> {
    private final Node<M> inner;
    private final long[] counter;

    /** Wraps {@code inner}; forced writes are added to {@code counter[0]}. */
    ForcedWrites(Node<M> inner, long[] counter) {
        this.inner = inner;
        this.counter = counter;
    }

    /** The context of one step: writes since the last fsync call are pending, an fsync call forces them. */
    private final class Counting extends ForwardingContext<M> {
        int sinceFsync;

        Counting(Context<M> ctx) {
            super(ctx);
        }

        @Override
        public void write(String key, Object value) {
            sinceFsync++;
            super.write(key, value);
        }

        @Override
        public void fsync() {
            counter[0] += sinceFsync;
            sinceFsync = 0;
            super.fsync();
        }
    }

    @Override
    public void start(Context<M> ctx) {
        inner.start(new Counting(ctx));
    }

    @Override
    public void receive(Context<M> ctx, int from, M message) {
        inner.receive(new Counting(ctx), from, message);
    }

    @Override
    public void timer(Context<M> ctx, Object tag) {
        inner.timer(new Counting(ctx), tag);
    }
}
