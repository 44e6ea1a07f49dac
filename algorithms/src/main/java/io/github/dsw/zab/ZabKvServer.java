package io.github.dsw.zab;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvStore;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ZooKeeper-like key-value server on a {@link ZabNode}: reads, writes and cas on a map, with ZooKeeper's
 * guarantees (Hunt, Konar, Junqueira and Reed, "ZooKeeper: Wait-free coordination for Internet-scale systems",
 * USENIX ATC 2010, section 2.3):
 * <ul>
 *   <li><b>linearizable writes</b>: a client may send a write or cas to any server; a follower forwards it to the
 *       leader, which broadcasts it as a transaction; the server answers when it delivers it;</li>
 *   <li><b>FIFO client order</b>: a client's requests take effect in the order it issued them (here each client has
 *       one request outstanding, and the session table of the Raft chapter's {@link KvStore}, replayed from the
 *       delivered transactions, executes each request id at most once and never one below the client's floor);</li>
 *   <li><b>reads</b>: in {@link ReadMode#PLAIN} a server answers from its own delivered state at once, as ZooKeeper
 *       does, so a read may miss a write that completed elsewhere (stale, not linearizable: the checker shows it);
 *       in {@link ReadMode#SYNC} a read is preceded by a {@code sync}, here a transaction through the broadcast,
 *       and answered at the point where the server delivers it, so it sees every write committed before.</li>
 * </ul>
 * ZooKeeper's own {@code sync} is not a quorum round: the leader answers it after its pending proposals commit,
 * without checking that it still leads, so sync + read is linearizable only while the leader is not deposed
 * unawares. The sync here goes through a quorum, which closes that gap at the cost of one broadcast per read.
 *
 * <p>Without snapshots ({@code snapshotEvery} 0) the store is rebuilt by delivering the history from the start in
 * each incarnation. With them, every {@code snapshotEvery} deliveries the server snapshots the store (map and session
 * table, {@link KvStore#snapshot()}) and Zab compacts its log ({@link ZabNode#compact}); a restarted server restores
 * the snapshot and delivers only what follows, and a follower too far behind gets the leader's snapshot (SNAP). The
 * snapshot is consistent (taken between two deliveries), where ZooKeeper's are fuzzy (taken while transactions
 * apply, made consistent by replaying the log from before the snapshot began).
 */
public final class ZabKvServer implements Node<ZabMessage> {

    /** How reads are served. */
    public enum ReadMode {
        /** {@code sync} then read: linearizable. */
        SYNC,
        /** The server's local state: fast, possibly stale. */
        PLAIN
    }

    private record Waiting(int client, long requestId) {
    }

    private static final Object TICK = "tick";

    private final long tickNs;
    private final ReadMode readMode;
    private final Mutation mutation;
    private final int batch;
    private final int window;
    private final int snapshotEvery;
    private ZabNode zab;
    private KvStore store = new KvStore();
    private final Map<Waiting, Boolean> waiting = new LinkedHashMap<>(); // insertion order: deterministic replies

    /**
     * @param tickNs   length of a tick of the node's clock in (local) nanoseconds
     * @param readMode how reads are served
     * @param mutation a deliberate bug of Zab, {@link Mutation#NONE} for none
     */
    public ZabKvServer(long tickNs, ReadMode readMode, Mutation mutation) {
        this(tickNs, readMode, mutation, 1);
    }

    /**
     * As {@link #ZabKvServer(long, ReadMode, Mutation)} with the leader batching up to {@code batch} changes per
     * PROPOSAL ({@link ZabNode#ZabNode(Context, Mutation, int)}; 1: no batching).
     */
    public ZabKvServer(long tickNs, ReadMode readMode, Mutation mutation, int batch) {
        this(tickNs, readMode, mutation, batch, ZabNode.DEFAULT_WINDOW);
    }

    /**
     * As {@link #ZabKvServer(long, ReadMode, Mutation, int)} with the leader keeping up to {@code window} batches in
     * flight ({@link ZabNode#ZabNode(Context, Mutation, int, int)}; 1: one batch at a time).
     */
    public ZabKvServer(long tickNs, ReadMode readMode, Mutation mutation, int batch, int window) {
        this(tickNs, readMode, mutation, batch, window, 0);
    }

    /**
     * As {@link #ZabKvServer(long, ReadMode, Mutation, int, int)}, taking a snapshot of the store and compacting the
     * log after every {@code snapshotEvery} deliveries ({@link ZabNode#compact}; 0: never).
     */
    public ZabKvServer(long tickNs, ReadMode readMode, Mutation mutation, int batch, int window, int snapshotEvery) {
        if (window < 1 || snapshotEvery < 0) {
            throw new IllegalArgumentException("need window >= 1 and snapshotEvery >= 0, got " + window + ", " + snapshotEvery);
        }
        this.window = window;
        this.snapshotEvery = snapshotEvery;
        if (tickNs <= 0 || readMode == null || mutation == null || batch < 1) {
            throw new IllegalArgumentException("need tickNs > 0, a read mode, a mutation and batch >= 1, got " + tickNs + ", " + readMode + ", "
                    + mutation + ", " + batch);
        }
        this.tickNs = tickNs;
        this.readMode = readMode;
        this.mutation = mutation;
        this.batch = batch;
    }

    /** The Zab node of this incarnation (for monitors and tests). */
    public ZabNode zab() {
        return zab;
    }

    @Override
    public void start(Context<ZabMessage> ctx) {
        zab = new ZabNode(ctx, mutation, batch, window);
        store = new KvStore();
        if (zab.snapshot() != null) {
            store.restore(zab.snapshot().state()); // the log after it is delivered as the leader commits it again
        }
        ctx.setTimer(tickNs, TICK);
        zab.start(ctx, new ZabNode.Listener() {
            @Override
            public void delivered(Context<ZabMessage> c, long index, Txn txn) {
                onDelivered(c, txn);
                if (snapshotEvery > 0 && index % snapshotEvery == 0) {
                    zab.compact(c, store.snapshot());
                }
            }

            @Override
            public void installed(Context<ZabMessage> c, ZabSnapshot snapshot) {
                store = new KvStore();
                store.restore(snapshot.state());
            }

            @Override
            public void stoppedServing(Context<ZabMessage> c) {
                for (Waiting w : waiting.keySet()) {
                    c.send(w.client(), ZabMessage.Reply.retry(w.requestId())); // it may still commit: the client retries the same id
                }
                waiting.clear();
            }
        });
    }

    @Override
    public void timer(Context<ZabMessage> ctx, Object tag) {
        if (tag == TICK && zab != null) {
            ctx.setTimer(tickNs, TICK);
            zab.tick(ctx);
        }
    }

    @Override
    public void receive(Context<ZabMessage> ctx, int from, ZabMessage message) {
        if (zab == null) {
            return; // before this incarnation's start: as if it arrived while the process was down
        }
        if (message instanceof ZabMessage.Request r) {
            onRequest(ctx, from, r);
        } else if (from < ctx.servers()) {
            zab.receive(ctx, from, message);
        }
    }

    private void onRequest(Context<ZabMessage> ctx, int client, ZabMessage.Request r) {
        KvStore.Result done = store.response(client, r.requestId());
        if (done != null) {
            ctx.send(client, new ZabMessage.Reply(r.requestId(), done.ok(), done.value(), false)); // a retry of an executed request
            return;
        }
        if (store.belowFloor(client, r.requestId())) {
            return; // the client has moved on
        }
        if (!zab.serving()) {
            ctx.send(client, ZabMessage.Reply.retry(r.requestId()));
            return;
        }
        if (r.f() == Fn.READ && readMode == ReadMode.PLAIN) {
            ctx.send(client, new ZabMessage.Reply(r.requestId(), true, store.read(r.key()), false));
            return;
        }
        waiting.put(new Waiting(client, r.requestId()), Boolean.TRUE);
        zab.submit(ctx, new KvStore.Command(client, r.requestId(), r.f(), r.key(), r.value(), r.firstUnanswered()));
    }

    private void onDelivered(Context<ZabMessage> ctx, Txn txn) {
        if (!(txn.value() instanceof KvStore.Command c)) {
            return;
        }
        KvStore.Result result = store.apply(0, new LogEntry(Math.max(1, txn.zxid().epoch()), c));
        if (result != null && waiting.remove(new Waiting(c.client(), c.requestId())) != null) {
            ctx.send(c.client(), new ZabMessage.Reply(c.requestId(), result.ok(), result.value(), false));
        }
    }

    /** The delivered transactions' commands applied so far, for tests: the value of {@code key}. */
    public Long read(String key) {
        return store.read(key);
    }

    /** Requests this server waits to answer (for tests). */
    public List<Long> waitingRequestIds() {
        List<Long> ids = new ArrayList<>();
        for (Waiting w : waiting.keySet()) {
            ids.add(w.requestId());
        }
        return ids;
    }
}
