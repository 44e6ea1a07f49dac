package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.RaftNode.Envelope;
import io.github.dsw.raft.RaftNode.Ready;
import io.github.dsw.sim.Context;
import io.github.dsw.sim.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replicated key-value store on Raft (the paper's section 2 "replicated state machine"): every
 * operation, reads included, is a log entry, applied in log order to a map on every server, so the
 * store is linearizable. Reads go through the log ({@link ReadMode#LOG}) or use ReadIndex
 * ({@link ReadMode#READ_INDEX}, dissertation section 6.4: no log entry, one heartbeat round). The leader answers a client when the entry it proposed for it is applied; if a
 * different entry is applied at that index, the proposal was overwritten and, since servers never
 * re-propose, did not take effect: the client gets a definite failure.
 *
 * <p>Exactly-once: each applied command is recorded in a session table keyed by (client, request id)
 * (dissertation section 6.3), and a command applied a second time (a duplicated request proposed twice)
 * changes nothing and gets the first result. The table is part of the state machine, so every server
 * rebuilds it by replaying the log; it is never trimmed here (the dissertation expires sessions).
 *
 * <p>Limit: a server that is not the leader answers "fail, ask server X". That answer is definite only
 * if no other copy of the request can still reach a leader. With a network that duplicates and delays
 * client messages, a late copy can be committed after the client was told "fail" (a test with 30%
 * duplicated, delayed client messages found such a history non-linearizable). Clients that retry with
 * the same request id until they get an answer, instead of treating the redirect as a failure, remove
 * this; the simulator's {@code Workload} does not retry, so these runs use duplicate-free client links.
 *
 * <p>Snapshots (extended paper section 7; dissertation section 5.1, which notes that the session table
 * must be in the snapshot too): with {@code snapshotEvery} > 0 the server compacts its log after that
 * many entries applied since the last snapshot. The snapshot is the map and the session table, in the
 * deterministic format of {@link #encodeState}; one received from the leader (or loaded at restart)
 * replaces both. A client waiting on an index the snapshot covers gets its recorded result if the
 * session table has its command, otherwise no answer (it times out: the outcome is unknown here).
 */
public final class RaftKvServer implements Node<KvMessage> {

    /** A log command: a client's operation, identified for deduplication. */
    public record Command(int client, long requestId, Fn f, String key, Object value) {
    }

    private record Result(boolean ok, Long value) {
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
         * {@link RaftNode.Config#maxClockDrift()}. Without a lease it falls back to ReadIndex.
         */
        LEASE
    }

    private final RaftNode.Config config;
    private final long tickNs;
    private final ReadMode readMode;
    private final int snapshotEvery;
    private RaftNode raft;
    private final Map<String, Long> data = new HashMap<>();
    private final Map<Command, Result> sessions = new HashMap<>();
    private final Map<Long, Pending> pending = new HashMap<>(); // log index -> who waits for it
    private long applied;
    private final java.util.List<RaftNode.ReadState> waitingReads = new java.util.ArrayList<>();

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
    }

    @Override
    public void start(Context<KvMessage> ctx) {
        raft = RaftStorage.load(ctx, config);
        handleReady(ctx); // restores the state machine from the durable snapshot, if any
        ctx.setTimer(tickNs, new Tick());
    }

    @Override
    public void receive(Context<KvMessage> ctx, int from, KvMessage message) {
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

    private void onRequest(Context<KvMessage> ctx, int from, KvMessage.Request r) {
        Command cmd = new Command(from, r.requestId(), r.f(), r.key(), r.value());
        Result done = sessions.get(cmd);
        if (done != null) {
            ctx.send(from, new KvMessage.Reply(r.requestId(), done.ok(), done.value(), -1));
            return;
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
                ctx.send(from, new KvMessage.Reply(r.requestId(), false, null, leader == config.id() ? -1 : leader));
            }
            return;
        }
        long index = raft.propose(cmd);
        if (index < 0) {
            int leader = raft.leaderId();
            ctx.send(from, new KvMessage.Reply(r.requestId(), false, null, leader == config.id() ? -1 : leader));
            return;
        }
        pending.put(index, new Pending(from, cmd));
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
                    ctx.send(p.client(), new KvMessage.Reply(p.command().requestId(), result.ok(), result.value(), -1));
                } else {
                    // another leader's entry took this index: ours was never committed and is never retried
                    ctx.send(p.client(), new KvMessage.Reply(p.command().requestId(), false, null, raft.leaderId()));
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

    private Result apply(Command c) {
        Result before = sessions.get(c);
        if (before != null) {
            return before; // exactly once: a duplicate proposal of an applied command
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
        sessions.put(c, r);
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
                Result r = sessions.get(e.getValue().command());
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
     * value (long); then an int session count and the sessions, each encoded as int client, long
     * request id, byte operation ({@link Fn} ordinal), key (UTF), the argument (tag byte 0 none,
     * 1 long, 2 cas: two longs), the result (boolean ok, boolean has value, long value if it has one),
     * in the order of {@link Arrays#compare(byte[], byte[])} on those encodings. Deterministic: equal
     * states give equal bytes on every server, whatever their hash maps' history.
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
            List<byte[]> entries = new ArrayList<>(sessions.size());
            for (Map.Entry<Command, Result> e : sessions.entrySet()) {
                entries.add(encodeSession(e.getKey(), e.getValue()));
            }
            entries.sort(Arrays::compare);
            out.writeInt(entries.size());
            for (byte[] e : entries) {
                out.write(e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static byte[] encodeSession(Command c, Result r) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(c.client());
        out.writeLong(c.requestId());
        out.writeByte(c.f().ordinal());
        out.writeUTF(c.key());
        switch (c.value()) {
            case null -> out.writeByte(0);
            case Long l -> {
                out.writeByte(1);
                out.writeLong(l);
            }
            case Cas cas -> {
                out.writeByte(2);
                out.writeLong(cas.expected());
                out.writeLong(cas.update());
            }
            default -> throw new IllegalStateException("cannot encode the argument " + c.value());
        }
        out.writeBoolean(r.ok());
        out.writeBoolean(r.value() != null);
        if (r.value() != null) {
            out.writeLong(r.value());
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static void decodeState(byte[] bytes, Map<String, Long> data, Map<Command, Result> sessions) {
        data.clear();
        sessions.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int keys = in.readInt();
            for (int i = 0; i < keys; i++) {
                data.put(in.readUTF(), in.readLong());
            }
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                int client = in.readInt();
                long requestId = in.readLong();
                Fn f = Fn.values()[in.readByte()];
                String key = in.readUTF();
                Object value = switch (in.readByte()) {
                    case 0 -> null;
                    case 1 -> in.readLong();
                    case 2 -> new Cas(in.readLong(), in.readLong());
                    default -> throw new IllegalStateException("bad argument tag in snapshot session " + i);
                };
                boolean ok = in.readBoolean();
                Long result = in.readBoolean() ? in.readLong() : null;
                sessions.put(new Command(client, requestId, f, key, value), new Result(ok, result));
            }
        } catch (IOException e) {
            throw new IllegalStateException("truncated key-value snapshot", e);
        }
    }

    /**
     * The snapshot this state machine would take after applying {@code prefix} (entries 1, 2, ...), from
     * a fresh state: the reference against which {@link RaftInvariants} checks snapshots and restores.
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
