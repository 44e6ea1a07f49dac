package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.RaftNode.Envelope;
import io.github.dsw.raft.RaftNode.Ready;
import io.github.dsw.sim.Context;
import io.github.dsw.sim.Node;
import java.util.HashMap;
import java.util.Map;

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
 * definite answer (the simulator's {@link io.github.dsw.sim.Workload#withRetries retrying workload}),
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
        LEADER_LOCAL_UNSAFE
    }

    private final RaftNode.Config config;
    private final long tickNs;
    private final ReadMode readMode;
    private RaftNode raft;
    private final Map<String, Long> data = new HashMap<>();
    private final Map<Integer, Session> sessions = new HashMap<>(); // client -> session
    private final Map<Long, Pending> pending = new HashMap<>(); // log index -> who waits for it
    private long applied;
    private final java.util.List<RaftNode.ReadState> waitingReads = new java.util.ArrayList<>();

    public RaftKvServer(RaftNode.Config config, long tickNs, ReadMode readMode) {
        if (config == null || readMode == null || tickNs <= 0) {
            throw new IllegalArgumentException("config and readMode must not be null and tickNs > 0, got " + tickNs);
        }
        this.config = config;
        this.tickNs = tickNs;
        this.readMode = readMode;
    }

    @Override
    public void start(Context<KvMessage> ctx) {
        raft = RaftStorage.load(ctx, config);
        ctx.setTimer(tickNs, new Tick());
    }

    @Override
    public void receive(Context<KvMessage> ctx, int from, KvMessage message) {
        if (raft == null) {
            // delivered in the instant of a restart, before start(): lost, as by a server not yet listening
            return;
        }
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
        raft.tick();
        handleReady(ctx);
        ctx.setTimer(tickNs, t);
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
        if (readMode == ReadMode.READ_INDEX && r.f() == Fn.READ) {
            if (!raft.readIndex(new ReadRequest(from, r.requestId(), r.key()))) {
                int leader = raft.leaderId();
                ctx.send(from, KvMessage.Reply.retry(r.requestId(), leader == config.id() ? -1 : leader));
            }
            return;
        }
        long index = raft.propose(cmd);
        if (index < 0) {
            // not the leader: not a failure, since another copy of the request may still commit
            int leader = raft.leaderId();
            ctx.send(from, KvMessage.Reply.retry(r.requestId(), leader == config.id() ? -1 : leader));
            return;
        }
        pending.put(index, new Pending(from, cmd));
    }

    private void handleReady(Context<KvMessage> ctx) {
        Ready rd = raft.ready();
        RaftStorage.persist(ctx, rd);
        for (Envelope env : rd.messages()) {
            ctx.send(env.to(), new KvMessage.Peer(env.message()));
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
}
