package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.RaftNode.Envelope;
import io.github.dsw.raft.RaftNode.Ready;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replicated key-value store on Raft (the paper's section 2 "replicated state machine"): every
 * operation, reads included, is a log entry, applied in log order to a map on every server, so the
 * store is linearizable. Reads go through the log ({@link ReadMode#LOG}) or use ReadIndex
 * ({@link ReadMode#READ_INDEX}, dissertation section 6.4: no log entry, one heartbeat round). The leader answers a client when the entry it proposed for it is applied.
 *
 * <p>Exactly-once despite retries (dissertation section 6.3). A server that cannot serve a request (it
 * is not the leader, or a different entry was applied at the index it proposed the request at) does not
 * know whether another copy of it, duplicated or delayed by the network or sent by the client to another
 * server, will still commit; so it never answers "failed", it answers {@link KvMessage.Reply#retry
 * retry}, naming the leader it knows of. The client sends the SAME request id again until it gets a
 * definite answer (the simulator's retrying workload, {@code Workload.withRetries}),
 * and gives up only at its overall deadline, with an indeterminate outcome. The state machine keeps a
 * session per client: a command whose (client, request id) was already applied changes nothing and gets
 * the first result; so a request takes effect at most once however many copies are committed, and the
 * client's answer is that one execution's. The table is part of the state machine (every server rebuilds
 * it by replaying the log), and every check is made when a command is applied, in log order, so all
 * servers decide alike.
 *
 * <p>Bounded sessions. Each request carries the lowest request id its client still waits for
 * ({@link KvMessage.Request#firstUnanswered}); applying it raises the session's floor, drops the stored
 * responses below it, and any later copy of a request below the floor is ignored, never executed (the
 * client already has its answer, or gave up on it: the dissertation's "discards all responses for lower
 * sequence numbers"; ignoring an old request that never executed is this class's addition, and is what
 * lets a client give up on a request). A closed-loop client has one request outstanding, so its session
 * holds one response and one number. Sessions are never expired here: the simulated clients live for the
 * whole run, so the table has one entry per client. A long-lived service must expire them, and
 * deterministically, as the dissertation says (section 6.3): by a bound on the number of sessions with
 * LRU eviction, or by time, the leader stamping its clock into each log entry so that every server
 * expires the same sessions at the same log index; and a client whose session has expired must get an
 * error rather than a possible second execution, which needs clients to register (RegisterClient) so
 * that "expired" differs from "new". Neither is written here.
 *
 * <p>Snapshots (extended paper section 7; dissertation section 5.1, which notes that the session table
 * must be in the snapshot too): with {@code snapshotEvery} > 0 the server compacts its log after that
 * many entries applied since the last snapshot. The snapshot is the map and the session table (each client's floor and
 * responses), in the
 * deterministic format of {@link #encodeState}; one received from the leader (or loaded at restart)
 * replaces both. A client waiting on an index the snapshot covers gets its recorded result if the
 * session table has its request id, otherwise no answer (it times out: the outcome is unknown here).
 *
 * <p>Time: a tick timer of {@code tickNs} local nanoseconds drives {@link RaftNode#tick()}, and at the
 * start of every input (message or timer) the server first makes every tick that elapsed on its
 * monotonic local clock ({@link Context#monotonicNow}) but was not counted, because a process pause held
 * the timer back ({@link TickClock}); without a pause that is none, and the server behaves as a plain
 * periodic timer. That is what {@link ReadMode#LEASE} needs to stay linearizable under pauses
 * ({@link RaftNode#leaseRead}); a clock that runs slower than the drift bound still breaks it.
 */
public final class RaftKvServer implements Node<KvMessage> {

    /**
     * A log command: a client's operation, identified for deduplication by (client, requestId);
     * {@code firstUnanswered} as in {@link KvMessage.Request}.
     */
    public record Command(int client, long requestId, Fn f, String key, Object value, long firstUnanswered) {
        /** A command of a client with nothing else outstanding. */
        public Command(int client, long requestId, Fn f, String key, Object value) {
            this(client, requestId, f, key, value, requestId);
        }
    }

    private record Result(boolean ok, Long value) {
    }

    /**
     * One client's session: requests below {@code floor} are never executed (again); {@code responses}
     * holds the results of the applied requests at or above it. Immutable: applying a command replaces it.
     */
    private record Session(long floor, Map<Long, Result> responses) {
        static final Session NEW = new Session(Long.MIN_VALUE, Map.of());

        /** The session after applying request {@code requestId} with result {@code r} and the client's floor. */
        Session record(long requestId, long clientFloor, Result r) {
            long f = Math.max(floor, clientFloor);
            // sorted by request id: a deterministic order for anyone who iterates (a snapshot, a test)
            java.util.TreeMap<Long, Result> kept = new java.util.TreeMap<>(responses);
            kept.headMap(f).clear();
            kept.put(requestId, r);
            return new Session(f, java.util.Collections.unmodifiableMap(kept));
        }
    }

    private record Pending(int client, Command command) {
    }

    private record Tick() {
    }

    private record ReadRequest(int client, long requestId, String key) {
    }

    /** How reads are served. */
    public enum ReadMode {
        /** Through the log like writes: linearizable. */
        LOG,
        /** ReadIndex (dissertation 6.4): a heartbeat round confirms leadership, no log entry; linearizable. */
        READ_INDEX,
        /** The leader answers from its applied state at once: NOT linearizable (for the test that shows it). */
        LEADER_LOCAL_UNSAFE,
        /**
         * Lease reads (dissertation 6.4.1, {@link RaftNode#leaseRead}): the leader answers from its state, with
         * no message, while its lease holds; linearizable only if clocks drift apart by less than
         * {@link RaftNode.Config#maxClockDrift()}; process pauses are covered by the tick catch-up (see the
         * class comment). Without a lease it falls back to ReadIndex.
         */
        LEASE
    }

    private final RaftNode.Config config;
    private final long tickNs;
    private final ReadMode readMode;
    private final int snapshotEvery;
    private RaftNode raft;
    private final Map<String, Long> data = new HashMap<>();
    private final Map<Integer, Session> sessions = new HashMap<>(); // client -> session
    private final Map<Long, Pending> pending = new HashMap<>(); // log index -> who waits for it
    private long applied;
    private final java.util.List<RaftNode.ReadState> waitingReads = new java.util.ArrayList<>();
    private final TickClock ticks;

    public RaftKvServer(RaftNode.Config config, long tickNs, ReadMode readMode) {
        this(config, tickNs, readMode, 0);
    }

    /**
     * @param snapshotEvery compact the log after this many entries applied since the last snapshot (0: never)
     */
    public RaftKvServer(RaftNode.Config config, long tickNs, ReadMode readMode, int snapshotEvery) {
        if (config == null || readMode == null || tickNs <= 0) {
            throw new IllegalArgumentException("config and readMode must not be null and tickNs > 0, got " + tickNs);
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery must be >= 0 (0: never), got " + snapshotEvery);
        }
        this.config = config;
        this.tickNs = tickNs;
        this.readMode = readMode;
        this.snapshotEvery = snapshotEvery;
        this.ticks = new TickClock(tickNs);
    }

    /**
     * Turns off the tick catch-up (for the test that shows why it is there): the node then ticks only
     * when its tick timer fires, so a pause swallows ticks and a lease outlives real time. Call before
     * the server starts.
     */
    RaftKvServer withoutTickCatchUp() {
        ticks.disableCatchUp();
        return this;
    }

    @Override
    public void start(Context<KvMessage> ctx) {
        raft = RaftStorage.load(ctx, config);
        ticks.start(ctx.monotonicNow());
        handleReady(ctx); // restores the state machine from the durable snapshot, if any
        ctx.setTimer(tickNs, new Tick());
    }

    @Override
    public void receive(Context<KvMessage> ctx, int from, KvMessage message) {
        if (raft == null) {
            // delivered in the instant of a restart, before start(): lost, as by a server not yet listening
            return;
        }
        ticks.catchUp(raft, ctx.monotonicNow()); // the ticks a pause held back, before the input (TickClock)
        switch (message) {
            case KvMessage.Peer p -> raft.step(from, p.message());
            case KvMessage.Request r -> onRequest(ctx, from, r);
            case KvMessage.Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
        handleReady(ctx);
    }

    @Override
    public void timer(Context<KvMessage> ctx, Object tag) {
        if (!(tag instanceof Tick t)) {
            throw new IllegalStateException("unknown timer " + tag);
        }
        long delay = ticks.onTimer(raft, ctx.monotonicNow());
        handleReady(ctx);
        ctx.setTimer(delay, t);
    }

    /** The state machine inside (for invariant checks); null before the first start event. */
    public RaftNode raft() {
        return raft;
    }

    /**
     * Responses held by the session table, over all clients (for tests: with bounded sessions, at most
     * one per closed-loop client, whatever the number of requests).
     */
    public int sessionResponses() {
        int n = 0;
        for (Session s : sessions.values()) {
            n += s.responses().size();
        }
        return n;
    }

    private void onRequest(Context<KvMessage> ctx, int from, KvMessage.Request r) {
        Command cmd = new Command(from, r.requestId(), r.f(), r.key(), r.value(), r.firstUnanswered());
        Session session = sessions.getOrDefault(from, Session.NEW);
        Result done = session.responses().get(r.requestId());
        if (done != null) {
            // applied already (here, so committed): any server may give the recorded answer
            ctx.send(from, new KvMessage.Reply(r.requestId(), done.ok(), done.value(), -1));
            return;
        }
        if (r.requestId() < session.floor()) {
            return; // the client has its answer or gave up: a late copy, never executed again
        }
        if (readMode == ReadMode.LEADER_LOCAL_UNSAFE && r.f() == Fn.READ && raft.role() == RaftNode.Role.LEADER) {
            // the classic mistake: a deposed leader that has not noticed yet answers from stale state
            ctx.send(from, new KvMessage.Reply(r.requestId(), true, data.get(r.key()), -1));
            return;
        }
        if ((readMode == ReadMode.READ_INDEX || readMode == ReadMode.LEASE) && r.f() == Fn.READ) {
            ReadRequest rr = new ReadRequest(from, r.requestId(), r.key());
            if (!(readMode == ReadMode.LEASE && raft.leaseRead(rr)) && !raft.readIndex(rr)) {
                int leader = raft.leaderId();
                ctx.send(from, KvMessage.Reply.retry(r.requestId(), leader == config.id() ? -1 : leader));
            }
            return;
        }
        if (!(raft.propose(cmd) instanceof Proposal.Accepted accepted)) {
            // not the leader: not a failure, since another copy of the request may still commit
            int leader = raft.leaderId();
            ctx.send(from, KvMessage.Reply.retry(r.requestId(), leader == config.id() ? -1 : leader));
            return;
        }
        pending.put(accepted.index(), new Pending(from, cmd));
    }

    private void handleReady(Context<KvMessage> ctx) {
        if (snapshotEvery > 0 && applied - raft.snapshotIndex() >= snapshotEvery) {
            // entries applied by earlier steps only (see RaftServer.maybeCompact); persisted with this Ready
            raft.compact(applied, encodeState());
        }
        Ready rd = raft.ready();
        RaftStorage.persist(ctx, rd);
        for (Envelope env : rd.messages()) {
            ctx.send(env.to(), new KvMessage.Peer(env.message()));
        }
        if (rd.restore() != null) {
            restore(ctx, rd.restore());
        }
        long index = rd.firstCommittedIndex();
        for (LogEntry e : rd.committed()) {
            if (index != applied + 1) {
                throw new IllegalStateException("server " + config.id() + " applies index " + index + " after " + applied);
            }
            applied = index;
            Result result = e.command() instanceof Command c ? apply(c) : null;
            ctx.output(new RaftServer.Applied(index, e));
            Pending p = pending.remove(index);
            if (p != null) {
                if (p.command().equals(e.command())) {
                    if (result != null) { // null: a late copy below the client's floor, which no longer waits
                        ctx.send(p.client(), new KvMessage.Reply(p.command().requestId(), result.ok(), result.value(), -1));
                    }
                } else {
                    // another leader's entry took this index; a copy of ours may still commit elsewhere
                    int leader = raft.leaderId();
                    ctx.send(p.client(), KvMessage.Reply.retry(p.command().requestId(), leader == config.id() ? -1 : leader));
                }
            }
            index++;
        }
        waitingReads.addAll(rd.readStates());
        // serve every confirmed read whose index the state machine has reached
        for (java.util.Iterator<RaftNode.ReadState> it = waitingReads.iterator(); it.hasNext(); ) {
            RaftNode.ReadState rs = it.next();
            if (rs.index() <= applied) {
                ReadRequest rr = (ReadRequest) rs.context();
                ctx.send(rr.client(), new KvMessage.Reply(rr.requestId(), true, data.get(rr.key()), -1));
                it.remove();
            }
        }
    }

    /** Applies a command once per (client, request id); null for a late copy below the client's floor. */
    private Result apply(Command c) {
        Session session = sessions.getOrDefault(c.client(), Session.NEW);
        Result before = session.responses().get(c.requestId());
        if (before != null) {
            return before; // exactly once: a duplicate proposal of an applied command
        }
        if (c.requestId() < session.floor()) {
            return null; // answered or abandoned by its client: never executed (again)
        }
        Result r = switch (c.f()) {
            case READ -> new Result(true, data.get(c.key()));
            case WRITE -> {
                data.put(c.key(), (Long) c.value());
                yield new Result(true, null);
            }
            case CAS -> {
                Cas cas = (Cas) c.value();
                Long current = data.get(c.key());
                if (current != null && current == cas.expected()) {
                    data.put(c.key(), cas.update());
                    yield new Result(true, null);
                }
                yield new Result(false, null);
            }
        };
        sessions.put(c.client(), session.record(c.requestId(), c.firstUnanswered(), r));
        return r;
    }

    /** Resets the state machine to a snapshot from the leader or from storage (Ready.restore). */
    private void restore(Context<KvMessage> ctx, Snapshot snapshot) {
        decodeState(snapshot.data(), data, sessions);
        applied = snapshot.index();
        ctx.output(new RaftServer.Restored(snapshot.meta(), encodeState()));
        for (java.util.Iterator<Map.Entry<Long, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Pending> e = it.next();
            if (e.getKey() <= applied) {
                Command c = e.getValue().command();
                Result r = sessions.getOrDefault(c.client(), Session.NEW).responses().get(c.requestId());
                if (r != null) {
                    ctx.send(e.getValue().client(), new KvMessage.Reply(e.getValue().command().requestId(), r.ok(), r.value(), -1));
                }
                it.remove();
            }
        }
    }

    /**
     * The snapshot encoding of the map and session table (big-endian, {@link DataOutputStream}):
     * an int key count, then per key in {@link String#compareTo} order the key (modified UTF-8) and its
     * value (long); then an int session count and, per client in increasing order, the int client, its
     * long floor, an int response count and per response in increasing request id order the long
     * request id and the result (boolean ok, boolean has value, long value if it has one). The floors
     * are state too: a server restored without them could execute a late copy the others ignore.
     * Deterministic: equal states give equal bytes on every server, whatever their hash maps' history.
     */
    byte[] encodeState() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Map<String, Long> sorted = new TreeMap<>(data);
            out.writeInt(sorted.size());
            for (Map.Entry<String, Long> e : sorted.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeLong(e.getValue());
            }
            Map<Integer, Session> clients = new TreeMap<>(sessions);
            out.writeInt(clients.size());
            for (Map.Entry<Integer, Session> e : clients.entrySet()) {
                out.writeInt(e.getKey());
                out.writeLong(e.getValue().floor());
                out.writeInt(e.getValue().responses().size());
                for (Map.Entry<Long, Result> r : new TreeMap<>(e.getValue().responses()).entrySet()) {
                    out.writeLong(r.getKey());
                    out.writeBoolean(r.getValue().ok());
                    out.writeBoolean(r.getValue().value() != null);
                    if (r.getValue().value() != null) {
                        out.writeLong(r.getValue().value());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void decodeState(byte[] bytes, Map<String, Long> data, Map<Integer, Session> sessions) {
        data.clear();
        sessions.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int keys = in.readInt();
            for (int i = 0; i < keys; i++) {
                data.put(in.readUTF(), in.readLong());
            }
            int clients = in.readInt();
            for (int i = 0; i < clients; i++) {
                int client = in.readInt();
                long floor = in.readLong();
                int count = in.readInt();
                TreeMap<Long, Result> responses = new TreeMap<>();
                for (int k = 0; k < count; k++) {
                    long requestId = in.readLong();
                    boolean ok = in.readBoolean();
                    Long value = in.readBoolean() ? in.readLong() : null;
                    responses.put(requestId, new Result(ok, value));
                }
                sessions.put(client, new Session(floor, java.util.Collections.unmodifiableMap(responses)));
            }
        } catch (IOException e) {
            throw new IllegalStateException("truncated key-value snapshot", e);
        }
    }

    /**
     * The snapshot this state machine would take after applying {@code prefix} (entries 1, 2, ...), from
     * a fresh state: the reference against which {@code RaftInvariants} (scenarios) checks snapshots and restores.
     */
    public static byte[] referenceSnapshot(List<LogEntry> prefix) {
        RaftKvServer fresh = new RaftKvServer(RaftNode.Config.defaults(0, 1), 1, ReadMode.LOG);
        for (LogEntry e : prefix) {
            if (e.command() instanceof Command c) {
                fresh.apply(c);
            }
        }
        return fresh.encodeState();
    }
}
