package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvStore.Command;
import io.github.dsw.raft.KvStore.Result;
import io.github.dsw.runtime.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The replicated key-value store's client protocol, on top of a {@link RaftHost} of a {@link KvStore}:
 * a write (and a read in {@link ReadMode#LOG}) becomes a log entry, and the leader answers its client
 * when the entry it proposed for it is applied; reads in the other modes skip the log.
 *
 * <p>A server that cannot serve a request (it is not the leader, or a different entry was applied at the
 * index it proposed the request at) does not know whether another copy of it, duplicated or delayed by
 * the network or sent by the client to another server, will still commit; so it never answers
 * "failed", it answers {@link KvMessage.Reply#retry retry}, naming the leader it knows of, and the client
 * sends the SAME request id again (the simulator's retrying workload, {@code Workload.withRetries}); the
 * store's sessions make the copies take effect once ({@link KvStore}).
 *
 * <p>After a restore (a snapshot from the leader or from storage), a client waiting on an index the
 * snapshot covers gets its recorded result if the session table has its request id, otherwise no answer
 * (it times out: the outcome is unknown here).
 */
public final class KvService implements RaftHost.Service<KvStore, KvMessage> {

    /** How reads are served. */
    public enum ReadMode {
        /** Through the log like writes: linearizable. */
        LOG,
        /** ReadIndex (dissertation 6.4): a heartbeat round confirms leadership, no log entry; linearizable. */
        READ_INDEX,
        /**
         * Lease reads (dissertation 6.4.1, {@link RaftNode#leaseRead}): the leader answers from its state, with
         * no message, while its lease holds; linearizable only if clocks drift apart by less than
         * {@link RaftConfig#maxClockDrift()}; process pauses are covered by the host's tick catch-up
         * ({@link TickClock}). Without a lease it falls back to ReadIndex.
         */
        LEASE
    }

    private record Pending(int client, Command command) {
    }

    private record ReadRequest(int client, long requestId, String key) {
    }

    private record PendingAdmin(int client, long requestId, ConfChange change) {
    }

    private final ReadMode readMode;
    private final Map<Long, Pending> pending = new HashMap<>(); // log index -> who waits for it
    private final Map<Long, PendingAdmin> pendingAdmin = new HashMap<>(); // log index of a configuration entry -> its admin
    private final List<ReadState> waitingReads = new ArrayList<>();

    /** @param readMode how reads are served */
    public KvService(ReadMode readMode) {
        if (readMode == null) {
            throw new IllegalArgumentException("readMode must not be null");
        }
        this.readMode = readMode;
    }

    /** A key-value server that never compacts its log. */
    public static RaftHost<KvStore, KvMessage> server(RaftConfig config, long tickNs, ReadMode readMode) {
        return server(config, tickNs, readMode, 0);
    }

    /**
     * A key-value server.
     *
     * @param config        the node's settings
     * @param tickNs        length of one tick in (local) nanoseconds
     * @param readMode      how reads are served
     * @param snapshotEvery compact the log after this many entries applied since the last snapshot (0: never)
     */
    public static RaftHost<KvStore, KvMessage> server(RaftConfig config, long tickNs, ReadMode readMode, int snapshotEvery) {
        return new RaftHost<>(config, tickNs, snapshotEvery, new KvStore(), new KvService(readMode));
    }

    @Override
    public KvMessage peer(RaftHost<KvStore, KvMessage> host, Context<KvMessage> ctx, int to, RaftMessage m) {
        return new KvMessage.Peer(m);
    }

    @Override
    public void receive(RaftHost<KvStore, KvMessage> host, Context<KvMessage> ctx, int from, KvMessage message) {
        switch (message) {
            case KvMessage.Peer p -> host.raft().step(from, p.message());
            case KvMessage.Request r -> onRequest(host, ctx, from, r);
            case KvMessage.Admin a -> onAdmin(host, ctx, from, a);
            case KvMessage.Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    private void onRequest(RaftHost<KvStore, KvMessage> host, Context<KvMessage> ctx, int from, KvMessage.Request r) {
        KvStore store = host.stateMachine();
        RaftNode raft = host.raft();
        Result done = store.response(from, r.requestId());
        if (done != null) {
            // applied already (here, so committed): any server may give the recorded answer
            ctx.send(from, new KvMessage.Reply(r.requestId(), done.ok(), done.value(), -1));
            return;
        }
        if (store.belowFloor(from, r.requestId())) {
            return; // the client has its answer or gave up: a late copy, never executed again
        }
        if (raft.config().mutation() == Mutation.LEADER_LOCAL_READS && r.f() == Fn.READ && raft.role() == RaftNode.Role.LEADER) {
            // the deliberate bug: a deposed leader that has not noticed yet answers from stale state
            ctx.send(from, new KvMessage.Reply(r.requestId(), true, store.read(r.key()), -1));
            return;
        }
        if ((readMode == ReadMode.READ_INDEX || readMode == ReadMode.LEASE) && r.f() == Fn.READ) {
            ReadRequest rr = new ReadRequest(from, r.requestId(), r.key());
            if (!(readMode == ReadMode.LEASE && raft.leaseRead(rr)) && !raft.readIndex(rr)) {
                ctx.send(from, retry(host, r.requestId()));
            }
            return;
        }
        Command cmd = new Command(from, r.requestId(), r.f(), r.key(), r.value(), r.firstUnanswered());
        if (!(raft.propose(cmd) instanceof Proposal.Accepted accepted)) {
            // not the leader: not a failure, since another copy of the request may still commit
            ctx.send(from, retry(host, r.requestId()));
            return;
        }
        pending.put(accepted.index(), new Pending(from, cmd));
    }

    /**
     * A membership change asked by an administrator ({@link KvMessage.Admin}): proposed through
     * {@link RaftNode#proposeConfChange}, answered when its entry is applied; refused at once (ok false) by a leader
     * that will not take it, "retry" from a server that does not lead.
     */
    private void onAdmin(RaftHost<KvStore, KvMessage> host, Context<KvMessage> ctx, int from, KvMessage.Admin a) {
        RaftNode raft = host.raft();
        if (raft.role() != RaftNode.Role.LEADER) {
            ctx.send(from, retry(host, a.requestId()));
            return;
        }
        switch (raft.proposeConfChange(a.change())) {
            case Proposal.Accepted accepted -> pendingAdmin.put(accepted.index(), new PendingAdmin(from, a.requestId(), a.change()));
            case Proposal.Refused refused -> ctx.send(from, new KvMessage.Reply(a.requestId(), false, null, -1));
        }
    }

    /** "Send it again", naming the leader this server knows of (-1 if none, or if it is this server itself). */
    private static KvMessage.Reply retry(RaftHost<KvStore, KvMessage> host, long requestId) {
        int leader = host.raft().leaderId();
        return KvMessage.Reply.retry(requestId, leader == host.id() ? -1 : leader);
    }

    @Override
    public void restored(RaftHost<KvStore, KvMessage> host, Context<KvMessage> ctx, Snapshot snapshot) {
        pendingAdmin.keySet().removeIf(i -> i <= snapshot.index()); // unanswered: the admin's request times out
        for (Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending> e = it.next();
            if (e.getKey() <= snapshot.index()) {
                Command c = e.getValue().command();
                Result r = host.stateMachine().response(c.client(), c.requestId());
                if (r != null) {
                    ctx.send(e.getValue().client(), new KvMessage.Reply(c.requestId(), r.ok(), r.value(), -1));
                }
                it.remove();
            }
        }
    }

    @Override
    public void applied(RaftHost<KvStore, KvMessage> host, Context<KvMessage> ctx, long index, LogEntry entry, Object result) {
        PendingAdmin admin = pendingAdmin.remove(index);
        if (admin != null) {
            ctx.send(admin.client(), admin.change().equals(entry.command()) ? new KvMessage.Reply(admin.requestId(), true, null, -1)
                    : retry(host, admin.requestId()));
        }
        Pending p = pending.remove(index);
        if (p == null) {
            return;
        }
        if (p.command().equals(entry.command())) {
            if (result instanceof Result r) { // null: a late copy below the client's floor, which no longer waits
                ctx.send(p.client(), new KvMessage.Reply(p.command().requestId(), r.ok(), r.value(), -1));
            }
        } else {
            // another leader's entry took this index; a copy of ours may still commit elsewhere
            ctx.send(p.client(), retry(host, p.command().requestId()));
        }
    }

    /** Serves every confirmed read whose index the state machine has reached; the others wait for their entries. */
    @Override
    public void readStates(RaftHost<KvStore, KvMessage> host, Context<KvMessage> ctx, List<ReadState> confirmed) {
        waitingReads.addAll(confirmed);
        long applied = host.appliedIndex();
        for (Iterator<ReadState> it = waitingReads.iterator(); it.hasNext(); ) {
            ReadState rs = it.next();
            if (rs.index() <= applied) {
                ReadRequest rr = (ReadRequest) rs.context();
                ctx.send(rr.client(), new KvMessage.Reply(rr.requestId(), true, host.stateMachine().read(rr.key()), -1));
                it.remove();
            }
        }
    }
}
