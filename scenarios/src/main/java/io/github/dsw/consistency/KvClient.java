package io.github.dsw.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A closed-loop client of a key-value store that may reach only some servers (its side of a partition, for
 * the CAP experiment: in Jepsen's model clients are never cut off, here a client in a datacenter is cut off
 * with it). One operation at a time, think time between them, a timeout per operation. Two workloads:
 * <ul>
 *   <li>{@link Mode#REGISTER}: reads and blind writes of unique values (with the context of the client's last
 *       read of the key, as Dynamo clients send it), recorded in chapter 5's history format;</li>
 *   <li>{@link Mode#CART}: Dynamo's shopping cart: read a key, then write back what was read (siblings merged
 *       by union) and the client's own last cart for the key, plus one new item. A value is a bit set of items; an item whose write was acknowledged and
 *       is missing from the final state is a lost update.</li>
 * </ul>
 * Redirects (Raft's "not the leader") are followed only to servers on the client's side; a redirect outside
 * it, or none, is a refusal: the store chose consistency over availability for this request.
 *
 * @param <M> the protocol's message type
 */
public final class KvClient<M> implements Node<M> {

    /** How a protocol's messages look to this client. */
    public interface Protocol<M> {
        M get(long requestId, String key);

        /** {@code context} is what the last answer for this key carried (null if none). */
        M put(long requestId, String key, long value, Object context);

        /** The answer in {@code message}, or null if it is not one. */
        Answer answer(M message);
    }

    /** What a server answered. */
    public enum Status { OK, FAIL, REDIRECT }

    /** An answer: values read (several siblings possible), a context for the next write, a redirect target. */
    public record Answer(long requestId, Status status, List<Long> values, Object context, int redirect) {
    }

    /** The two workloads. */
    public enum Mode { REGISTER, CART }

    /** How an operation ended. */
    public enum End { OK, REFUSED, TIMEOUT }

    /** One finished operation, for availability and latency counts. */
    public record Done(int client, boolean write, long startNs, long endNs, End end) {
    }

    /** What every client of a run shares: the history, finished operations, value and item counters. */
    public static final class Shared {
        final List<HistoryEvent> events = new ArrayList<>();
        /** Event index of an {@code ok} read that returned several siblings -> all of them (the event keeps the first). */
        final Map<Integer, List<Long>> siblings = new HashMap<>();
        public final List<Done> done = new ArrayList<>();
        /** Acknowledged cart items per key. */
        public final Map<String, TreeSet<Integer>> acknowledged = new HashMap<>();
        final Map<String, Integer> nextItem = new HashMap<>();
        long nextValue = 1;
        int nextProcess;
        long nextRequest;
        int outstandingOps;

        public History history() {
            return History.of(events);
        }

        /** The history with the sibling reads marked, and a builder's place for final reads. */
        MarkedHistory.Builder marked() {
            return new MarkedHistory.Builder(events, siblings, nextProcess + 100);
        }

        /** Items per key a cart may hold (bits 0..61). */
        public static final int ITEMS_PER_KEY = 62;
    }

    private record Think() {
    }

    private record Timeout() {
    }

    private final Shared shared;
    private final Protocol<M> protocol;
    private final Mode mode;
    private final List<Integer> side;
    private final int keys;
    private final int ops;
    private final long timeoutNs;
    private final long thinkNs;
    private final double readFraction;
    private final int index;
    private final Map<String, Object> contexts = new HashMap<>();
    private final Map<String, Long> ownCart = new HashMap<>(); // this client's last cart per key (read your writes)
    private int issued;
    private int process;
    // the operation in flight
    private long requestId = -1;
    private Fn f;
    private String key;
    private long value;
    private int item;
    private long startNs;
    private long timer;
    private boolean cartPutPhase;

    /**
     * @param index        this client's number (for {@link Done})
     * @param side         the servers it may reach
     * @param keys         keys k0..k(keys-1)
     * @param ops          operations it issues (a cart add is one operation of two requests)
     * @param readFraction share of reads in REGISTER mode
     */
    public KvClient(Shared shared, Protocol<M> protocol, Mode mode, int index, List<Integer> side, int keys, int ops, long timeoutNs,
                    long thinkNs, double readFraction) {
        if (side.isEmpty() || keys < 1 || ops < 0) {
            throw new IllegalArgumentException("need a side, keys >= 1 and ops >= 0");
        }
        this.shared = shared;
        this.protocol = protocol;
        this.mode = mode;
        this.index = index;
        this.side = List.copyOf(side);
        this.keys = keys;
        this.ops = ops;
        this.timeoutNs = timeoutNs;
        this.thinkNs = thinkNs;
        this.readFraction = readFraction;
        this.process = shared.nextProcess++;
        shared.outstandingOps += ops;
    }

    /** True when every client sharing {@code shared} has finished its operations. */
    public static boolean allDone(Shared shared) {
        return shared.outstandingOps == 0;
    }

    @Override
    public void start(Context<M> ctx) {
        next(ctx);
    }

    private void next(Context<M> ctx) {
        if (issued >= ops) {
            return;
        }
        issued++;
        key = "k" + ctx.random().nextInt(keys);
        startNs = ctx.now();
        if (mode == Mode.CART) {
            int it = shared.nextItem.getOrDefault(key, 0);
            if (it >= Shared.ITEMS_PER_KEY) {
                key = null; // this key's cart is full: skip the operation
                finish(ctx, null);
                return;
            }
            shared.nextItem.put(key, it + 1);
            item = it;
            cartPutPhase = false;
            f = Fn.READ;
        } else {
            f = ctx.random().nextDouble() < readFraction ? Fn.READ : Fn.WRITE;
            value = f == Fn.WRITE ? shared.nextValue++ : 0;
            shared.events.add(HistoryEvent.invoke(process, f, key, f == Fn.WRITE ? value : null, ctx.now()));
        }
        send(ctx, side.get(ctx.random().nextInt(side.size())));
        timer = ctx.setTimer(timeoutNs, new Timeout());
    }

    private void send(Context<M> ctx, int server) {
        requestId = ++shared.nextRequest;
        ctx.send(server, f == Fn.READ ? protocol.get(requestId, key) : protocol.put(requestId, key, value, contexts.get(key)));
    }

    @Override
    public void receive(Context<M> ctx, int from, M message) {
        Answer a = protocol.answer(message);
        if (a == null || a.requestId() != requestId) {
            return;
        }
        switch (a.status()) {
            case REDIRECT -> {
                if (a.redirect() >= 0 && side.contains(a.redirect()) && a.redirect() != from) {
                    send(ctx, a.redirect());
                } else {
                    refused(ctx);
                }
            }
            case FAIL -> refused(ctx);
            case OK -> ok(ctx, a);
        }
    }

    private void ok(Context<M> ctx, Answer a) {
        if (a.context() != null) {
            contexts.put(key, a.context());
        }
        if (mode == Mode.CART) {
            if (!cartPutPhase) {
                long bits = 0;
                for (long v : a.values()) {
                    bits |= v; // siblings merged by union: the application's merge of two carts
                }
                value = bits | ownCart.getOrDefault(key, 0L) | (1L << item);
                ownCart.put(key, value);
                f = Fn.WRITE;
                cartPutPhase = true;
                send(ctx, side.get(ctx.random().nextInt(side.size())));
                return;
            }
            shared.acknowledged.computeIfAbsent(key, k -> new TreeSet<>()).add(item);
            record(ctx, End.OK);
            return;
        }
        Long read = a.values().isEmpty() ? null : a.values().get(0); // siblings: "value" is the first, "values" all
        if (f == Fn.READ && a.values().size() > 1) {
            shared.siblings.put(shared.events.size(), List.copyOf(a.values()));
        }
        shared.events.add(HistoryEvent.complete(process, Type.OK, f, key, f == Fn.READ ? read : (Long) value, ctx.now()));
        record(ctx, End.OK);
    }

    private void refused(Context<M> ctx) {
        if (mode == Mode.REGISTER) {
            // a refused write may have been proposed before the refusal (indeterminate); a read changed nothing
            shared.events.add(HistoryEvent.complete(process, f == Fn.READ ? Type.FAIL : Type.INFO, f, key,
                    f == Fn.READ ? null : (Long) value, ctx.now()));
            if (f == Fn.WRITE) {
                process = shared.nextProcess++;
            }
        }
        record(ctx, End.REFUSED);
    }

    private void record(Context<M> ctx, End end) {
        ctx.cancelTimer(timer);
        finish(ctx, end);
    }

    private void finish(Context<M> ctx, End end) {
        if (end != null) {
            shared.done.add(new Done(index, f == Fn.WRITE, startNs, ctx.now(), end));
        }
        requestId = -1;
        shared.outstandingOps--;
        ctx.setTimer(Math.max(1, (long) ctx.random().nextExponential(thinkNs)), new Think());
    }

    @Override
    public void timer(Context<M> ctx, Object tag) {
        switch (tag) {
            case Think t -> next(ctx);
            case Timeout t -> {
                if (requestId == -1) { // cancelled timers never fire; this is only a guard
                    return;
                }
                if (mode == Mode.REGISTER) {
                    shared.events.add(HistoryEvent.complete(process, f == Fn.READ ? Type.FAIL : Type.INFO, f, key,
                            f == Fn.READ ? null : (Long) value, ctx.now()));
                    process = shared.nextProcess++;
                }
                finish(ctx, End.TIMEOUT);
            }
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }
}
