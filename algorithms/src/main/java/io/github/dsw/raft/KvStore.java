package io.github.dsw.raft;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A key-value map with client sessions, as a {@link StateMachine} (the paper's section 2 "replicated state
 * machine"): every {@link Command} is applied in log order on every server, so all servers hold the same
 * map. Served to clients by {@link KvService}.
 *
 * <p>Exactly-once despite retries (dissertation section 6.3). A client sends the SAME request id again
 * until it gets a definite answer, so several copies of one request may be committed; the store keeps a
 * session per client, and a command whose (client, request id) was already applied changes nothing and
 * gets the first result. So a request takes effect at most once however many copies are committed. The
 * table is part of the state (every server rebuilds it by replaying the log, and it is in the snapshot:
 * dissertation section 5.1), and every check is made when a command is applied, in log order, so all
 * servers decide alike.
 *
 * <p>Bounded sessions. Each command carries the lowest request id its client still waits for
 * ({@link Command#firstUnanswered}); applying it raises the session's floor, drops the stored responses
 * below it, and any later copy of a request below the floor is ignored, never executed (the client
 * already has its answer, or gave up on it: the dissertation's "discards all responses for lower sequence
 * numbers"; ignoring an old request that never executed is this class's addition, and is what lets a
 * client give up on a request). A closed-loop client has one request outstanding, so its session holds
 * one response and one number. Sessions are never expired here: the simulated clients live for the whole
 * run, so the table has one entry per client. A long-lived service must expire them, and
 * deterministically, as the dissertation says (section 6.3): by a bound on the number of sessions with
 * LRU eviction, or by time, the leader stamping its clock into each log entry so that every server
 * expires the same sessions at the same log index; and a client whose session has expired must get an
 * error rather than a possible second execution, which needs clients to register (RegisterClient) so
 * that "expired" differs from "new". Neither is written here.
 */
public final class KvStore implements StateMachine {

    /**
     * A log command: a client's operation, identified for deduplication by (client, requestId);
     * {@code value} is null (read), a Long (write) or a {@link Cas}; {@code firstUnanswered} as in
     * {@link KvMessage.Request}.
     */
    public record Command(int client, long requestId, Fn f, String key, Object value, long firstUnanswered) {
        /** A command of a client with nothing else outstanding. */
        public Command(int client, long requestId, Fn f, String key, Object value) {
            this(client, requestId, f, key, value, requestId);
        }
    }

    /** The outcome of a command: {@code ok} false for a cas whose expected value did not match; a read's value. */
    public record Result(boolean ok, Long value) {
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
            boolean allBelow = true;
            for (long k : responses.keySet()) {
                if (k >= f) {
                    allBelow = false;
                    break;
                }
            }
            if (allBelow) {
                // the usual case (a closed-loop client's previous response falls below its new floor): the map
                // below would keep this response alone, so build that without copying into a TreeMap
                return new Session(f, Map.of(requestId, r));
            }
            // sorted by request id: a deterministic order for anyone who iterates (a snapshot, a test)
            TreeMap<Long, Result> kept = new TreeMap<>(responses);
            kept.headMap(f).clear();
            kept.put(requestId, r);
            return new Session(f, Collections.unmodifiableMap(kept));
        }
    }

    private final Map<String, Long> data = new HashMap<>();
    private final Map<Integer, Session> sessions = new HashMap<>(); // client -> session

    /**
     * Applies a {@link Command} once per (client, request id) and returns its {@link Result}: the first
     * result again for a duplicate, null for a late copy below the client's floor (never executed) and for
     * entries that are not commands (no-ops, configuration changes).
     */
    @Override
    public Result apply(long index, LogEntry entry) {
        return entry.command() instanceof Command c ? apply(c) : null;
    }

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
                if (java.util.Objects.equals(current, cas.expected())) { // a nil expected value: cas on a missing key
                    data.put(c.key(), cas.update());
                    yield new Result(true, null);
                }
                yield new Result(false, null);
            }
        };
        sessions.put(c.client(), session.record(c.requestId(), c.firstUnanswered(), r));
        return r;
    }

    /** The value of {@code key} in the applied state (null if absent): for reads that do not go through the log. */
    public Long read(String key) {
        return data.get(key);
    }

    /** The recorded result of {@code client}'s request {@code requestId}, or null if none is held. */
    public Result response(int client, long requestId) {
        return sessions.getOrDefault(client, Session.NEW).responses().get(requestId);
    }

    /** True if {@code client}'s request {@code requestId} is below its session's floor: answered or given up, never executed again. */
    public boolean belowFloor(int client, long requestId) {
        return requestId < sessions.getOrDefault(client, Session.NEW).floor();
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

    /**
     * The snapshot encoding of the map and session table (big-endian, {@link DataOutputStream}):
     * an int key count, then per key in {@link String#compareTo} order the key (modified UTF-8) and its
     * value (long); then an int session count and, per client in increasing order, the int client, its
     * long floor, an int response count and per response in increasing request id order the long
     * request id and the result (boolean ok, boolean has value, long value if it has one). The floors
     * are state too: a server restored without them could execute a late copy the others ignore.
     * Deterministic: equal states give equal bytes on every server, whatever their hash maps' history.
     */
    @Override
    public byte[] snapshot() {
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

    @Override
    public void restore(byte[] state) {
        data.clear();
        sessions.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
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
                sessions.put(client, new Session(floor, Collections.unmodifiableMap(responses)));
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
        KvStore fresh = new KvStore();
        long index = 1;
        for (LogEntry e : prefix) {
            fresh.apply(index++, e);
        }
        return fresh.snapshot();
    }
}
