package io.github.dsw.register;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.register.AbdMessage.Query;
import io.github.dsw.register.AbdMessage.QueryReply;
import io.github.dsw.register.AbdMessage.Reply;
import io.github.dsw.register.AbdMessage.Request;
import io.github.dsw.register.AbdMessage.Store;
import io.github.dsw.register.AbdMessage.StoreAck;
import io.github.dsw.register.AbdMessage.Tag;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The ABD atomic register (Attiya, Bar-Noy and Dolev, "Sharing memory robustly in message-passing
 * systems", JACM 1995), multi-writer form (Lynch and Shvartsman, FTCS 1997), one register per key.
 * Every server is a replica, and the server a client contacts coordinates its operation in two phases:
 * <ol>
 *   <li>query a majority for their (tag, value) and take the largest;</li>
 *   <li>store to a majority: a write stores its value under a new, larger tag; a read writes back the
 *       largest (tag, value) it saw, so that no later read can return an older value (without the
 *       write-back a read can see a new value that a later read misses: new-old inversion).</li>
 * </ol>
 * Any two majorities intersect, so phase 1 of an operation sees the tag stored by phase 2 of every
 * operation that completed before it started: that is the whole linearizability argument. It needs no
 * leader, no clock and no failure detector, and survives any minority of crashes, any partition (the
 * minority side just waits), loss, duplication and reordering (phases retransmit until a majority
 * answers; answers are counted once per replica).
 *
 * <p>Replicas persist (tag, value) and fsync before acknowledging a store. Coordinator state is volatile:
 * if the coordinator crashes its client times out, and the operation is indeterminate ({@code info}).
 */
public final class AbdNode implements Node<AbdMessage> {

    /** Retransmission period of an unfinished phase. */
    static final long RETRY_NS = 10_000_000;

    /** An operation this node coordinates. */
    private static final class Op {
        final int client;
        final long requestId;
        final Fn f;
        final String key;
        final Long value;
        int phase = 1;
        final Set<Integer> answered = new HashSet<>();
        Tag best = Tag.ZERO;
        Long bestValue;
        Store store;

        Op(int client, long requestId, Fn f, String key, Long value) {
            this.client = client;
            this.requestId = requestId;
            this.f = f;
            this.key = key;
            this.value = value;
        }
    }

    /** A replica's stored (tag, value), as persisted. */
    record Stored(Tag tag, Long value) {
    }

    private record Retry(long op) {
    }

    private final Map<Long, Op> ops = new HashMap<>();
    private long epoch; // random per incarnation, so op ids never collide with a previous life's
    private long nextOp;

    @Override
    public void start(Context<AbdMessage> ctx) {
        epoch = ctx.random().nextLong() & 0x7fffffff00000000L;
    }

    @Override
    public void receive(Context<AbdMessage> ctx, int from, AbdMessage message) {
        switch (message) {
            case Request r -> onRequest(ctx, from, r);
            case Query q -> {
                Stored s = stored(ctx, q.key());
                ctx.send(from, new QueryReply(q.op(), s.tag(), s.value()));
            }
            case QueryReply qr -> onQueryReply(ctx, from, qr);
            case Store s -> onStore(ctx, from, s);
            case StoreAck a -> onStoreAck(ctx, from, a);
            case Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    private void onRequest(Context<AbdMessage> ctx, int client, Request r) {
        if (r.f() == Fn.CAS) {
            ctx.send(client, new Reply(r.requestId(), false, null));
            return;
        }
        long id = epoch | nextOp++;
        Op op = new Op(client, r.requestId(), r.f(), r.key(), r.value());
        ops.put(id, op);
        broadcast(ctx, id, op);
        ctx.setTimer(RETRY_NS, new Retry(id));
    }

    /** Sends the current phase's message to every replica that has not answered it yet. */
    private void broadcast(Context<AbdMessage> ctx, long id, Op op) {
        AbdMessage m = op.phase == 1 ? new Query(id, op.key) : op.store;
        for (int s = 0; s < ctx.servers(); s++) {
            if (!op.answered.contains(s)) {
                ctx.send(s, m);
            }
        }
    }

    private boolean majority(Context<AbdMessage> ctx, Op op) {
        return op.answered.size() * 2 > ctx.servers();
    }

    private void onQueryReply(Context<AbdMessage> ctx, int from, QueryReply qr) {
        Op op = ops.get(qr.op());
        if (op == null || op.phase != 1 || !op.answered.add(from)) {
            return; // finished, already in phase 2, or a duplicate
        }
        if (qr.tag().compareTo(op.best) > 0) {
            op.best = qr.tag();
            op.bestValue = qr.value();
        }
        if (!majority(ctx, op)) {
            return;
        }
        op.phase = 2;
        op.answered.clear();
        op.store = op.f == Fn.WRITE
                ? new Store(qr.op(), op.key, new Tag(op.best.ts() + 1, ctx.self(), qr.op()), op.value)
                : new Store(qr.op(), op.key, op.best, op.bestValue); // read: write back what we return
        broadcast(ctx, qr.op(), op);
    }

    private void onStore(Context<AbdMessage> ctx, int from, Store s) {
        if (s.tag().compareTo(stored(ctx, s.key()).tag()) > 0) {
            ctx.write("k:" + s.key(), new Stored(s.tag(), s.value()));
            ctx.fsync(); // the ack leaves only once the value is durable
        }
        ctx.send(from, new StoreAck(s.op()));
    }

    private void onStoreAck(Context<AbdMessage> ctx, int from, StoreAck a) {
        Op op = ops.get(a.op());
        if (op == null || op.phase != 2 || !op.answered.add(from) || !majority(ctx, op)) {
            return;
        }
        ops.remove(a.op());
        ctx.send(op.client, new Reply(op.requestId, true, op.f == Fn.READ ? op.store.value() : null));
    }

    @Override
    public void timer(Context<AbdMessage> ctx, Object tag) {
        if (tag instanceof Retry r && ops.containsKey(r.op())) {
            broadcast(ctx, r.op(), ops.get(r.op()));
            ctx.setTimer(RETRY_NS, r);
        }
    }

    private static Stored stored(Context<AbdMessage> ctx, String key) {
        Object s = ctx.read("k:" + key);
        return s == null ? new Stored(Tag.ZERO, null) : (Stored) s;
    }
}
