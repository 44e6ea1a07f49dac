package io.github.dsw.lease;

import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.Proposal;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftHost;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.Snapshot;
import io.github.dsw.raft.StateMachine;
import io.github.dsw.runtime.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The lock service's server side on a {@link RaftHost} of a {@link LockStore}, in the shape of
 * {@code raft.KvService}: every request becomes a log entry stamped with the leader's monotonic clock
 * ({@link LockStore.Command#stampNs}), the leader answers its client when the entry is applied, and notifies
 * the one client each {@link LockStore.Grant} names. Every {@code tickEvery} ticks the leader proposes a
 * {@link LockStore.Tick}, so that time advances in the log while no client writes, and sessions expire.
 *
 * <p>A server that cannot serve a request answers "retry" (it may still commit through another copy);
 * requests are idempotent in the store (a retried open opens one session, a retried acquire or release
 * answers as the first did), so clients simply resend. A grant notification lost with a crashed leader is
 * recovered the same way: a waiting client resends its acquire, which answers "granted" once it holds.
 *
 * <p>The service is generic over the state machine {@code S}: anything that applies {@link LockStore.Command}s
 * and returns {@link LockStore.Applied} (the workbench's {@link LockStore}, or a lab student's lock table run
 * replicated by the lab grader).
 *
 * @param <S> the lock table: applies {@link LockStore.Command}s, returns {@link LockStore.Applied}
 */
public final class LockService<S extends StateMachine> implements RaftHost.Service<S, LockMessage> {

    private record Pending(int client, long requestId, LockStore.Command command) {
    }

    private final int tickEvery;
    private final Map<Long, Pending> pending = new HashMap<>(); // log index -> who waits for it
    private int ticks;

    /** @param tickEvery the leader proposes a time stamp every this many ticks (>= 1) */
    public LockService(int tickEvery) {
        if (tickEvery < 1) {
            throw new IllegalArgumentException("tickEvery must be >= 1, got " + tickEvery);
        }
        this.tickEvery = tickEvery;
    }

    /**
     * A lock server.
     *
     * @param config      the node's settings
     * @param tickNs      one tick in local nanoseconds
     * @param tickEvery   a time stamp is proposed every this many ticks
     * @param lockDelayNs Chubby's lock-delay after a holder's session expires (0: none)
     */
    public static RaftHost<LockStore, LockMessage> server(RaftConfig config, long tickNs, int tickEvery, long lockDelayNs) {
        return server(config, tickNs, tickEvery, new LockStore(lockDelayNs));
    }

    /** A lock server replicating {@code store} (a fresh one per server incarnation; no snapshots). */
    public static <S extends StateMachine> RaftHost<S, LockMessage> server(RaftConfig config, long tickNs, int tickEvery, S store) {
        return new RaftHost<>(config, tickNs, 0, store, new LockService<>(tickEvery));
    }

    @Override
    public LockMessage peer(RaftHost<S, LockMessage> host, Context<LockMessage> ctx, int to, io.github.dsw.raft.RaftMessage m) {
        return new LockMessage.Peer(m);
    }

    @Override
    public void receive(RaftHost<S, LockMessage> host, Context<LockMessage> ctx, int from, LockMessage message) {
        switch (message) {
            case LockMessage.Peer p -> {
                if (from < ctx.servers()) {
                    host.raft().step(from, p.message());
                }
            }
            case LockMessage.Request r -> onRequest(host, ctx, from, r);
            case LockMessage.Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
            case LockMessage.Granted g -> throw new IllegalStateException("servers do not receive grants: " + g);
        }
    }

    private void onRequest(RaftHost<S, LockMessage> host, Context<LockMessage> ctx, int from, LockMessage.Request r) {
        if (r.op() instanceof LockStore.Tick) {
            return; // only the leader stamps time
        }
        LockStore.Command cmd = new LockStore.Command(from, ctx.monotonicNow(), r.op());
        if (!(host.raft().propose(cmd) instanceof Proposal.Accepted accepted)) {
            int leader = host.raft().leaderId();
            ctx.send(from, LockMessage.Reply.retry(r.requestId(), leader == host.id() ? -1 : leader));
            return;
        }
        pending.put(accepted.index(), new Pending(from, r.requestId(), cmd));
    }

    @Override
    public void ticked(RaftHost<S, LockMessage> host, Context<LockMessage> ctx) {
        if (host.raft().role() == RaftNode.Role.LEADER && ++ticks % tickEvery == 0) {
            host.raft().propose(new LockStore.Command(host.id(), ctx.monotonicNow(), new LockStore.Tick()));
        }
    }

    @Override
    public void restored(RaftHost<S, LockMessage> host, Context<LockMessage> ctx, Snapshot snapshot) {
        pending.keySet().removeIf(i -> i <= snapshot.index()); // outcome unknown here: the clients resend
    }

    @Override
    public void applied(RaftHost<S, LockMessage> host, Context<LockMessage> ctx, long index, LogEntry entry, Object result) {
        Pending p = pending.remove(index);
        LockStore.Applied a = result instanceof LockStore.Applied x ? x : null;
        if (p != null) {
            if (p.command().equals(entry.command()) && a != null) {
                ctx.send(p.client(), new LockMessage.Reply(p.requestId(), a.result(), -1, false));
            } else {
                int leader = host.raft().leaderId();
                ctx.send(p.client(), LockMessage.Reply.retry(p.requestId(), leader == host.id() ? -1 : leader));
            }
        }
        if (a != null && host.raft().role() == RaftNode.Role.LEADER) {
            for (LockStore.Grant g : a.grants()) {
                ctx.send(g.client(), new LockMessage.Granted(g));
            }
        }
    }
}
