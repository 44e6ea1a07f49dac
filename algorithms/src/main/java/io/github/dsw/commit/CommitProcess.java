package io.github.dsw.commit;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayDeque;

/**
 * A process hosting one or more roles of a commit protocol. A message from one role to another role of
 * the same process is handed over locally, after the current handler returns (a queue, so that no
 * handler runs inside another), and is not a network message: co-location saves exactly those.
 */
abstract class CommitProcess implements Node<CommitMessage> {

    private record Local(CommitMessage message) {
    }

    private final ArrayDeque<Local> local = new ArrayDeque<>();

    /** Sends to process {@code to}: over the network, or locally if {@code to} is this process. */
    final void send(Context<CommitMessage> ctx, int to, CommitMessage m) {
        if (to == ctx.self()) {
            local.add(new Local(m));
        } else {
            ctx.send(to, m);
        }
    }

    /** Handles one message, from the network or from another role of this process. */
    abstract void handle(Context<CommitMessage> ctx, int from, CommitMessage m);

    /** Handles one timer. */
    abstract void onTimer(Context<CommitMessage> ctx, Object tag);

    /** Handles the start of an incarnation. */
    abstract void onStart(Context<CommitMessage> ctx);

    @Override
    public final void start(Context<CommitMessage> ctx) {
        onStart(ctx);
        drain(ctx);
    }

    @Override
    public final void receive(Context<CommitMessage> ctx, int from, CommitMessage m) {
        handle(ctx, from, m);
        drain(ctx);
    }

    @Override
    public final void timer(Context<CommitMessage> ctx, Object tag) {
        onTimer(ctx, tag);
        drain(ctx);
    }

    private void drain(Context<CommitMessage> ctx) {
        Local l;
        while ((l = local.poll()) != null) {
            handle(ctx, ctx.self(), l.message());
        }
    }

    /** Key of an RM's forced list of the transactions it prepared (never shrinks). */
    static final String PREPARED = "rm/prepared";

    /** Key of an RM's lazily written list of the transactions whose outcome it learned. */
    static final String DONE = "rm/done";

    /** Adds {@code tx} to the sorted, immutable list under {@code key} (a buffered write; the caller decides on fsync). */
    static void add(Context<CommitMessage> ctx, String key, long tx) {
        java.util.List<Long> list = txList(ctx, key);
        if (list.contains(tx)) {
            return;
        }
        java.util.List<Long> l = new java.util.ArrayList<>(list);
        l.add(tx);
        l.sort(null);
        ctx.write(key, java.util.List.copyOf(l));
    }

    /** Whether this RM ever prepared {@code tx} (durably: it may not vote no any more). */
    static boolean prepared(Context<CommitMessage> ctx, long tx) {
        return txList(ctx, PREPARED).contains(tx);
    }

    /** Prepared transactions whose outcome this RM has not recorded: in doubt after a restart. */
    static java.util.List<Long> inDoubt(Context<CommitMessage> ctx) {
        java.util.List<Long> out = new java.util.ArrayList<>(txList(ctx, PREPARED));
        out.removeAll(txList(ctx, DONE));
        return out;
    }

    @SuppressWarnings("unchecked")
    static java.util.List<Long> txList(Context<CommitMessage> ctx, String key) {
        Object v = ctx.read(key);
        return v == null ? java.util.List.of() : (java.util.List<Long>) v;
    }
}
