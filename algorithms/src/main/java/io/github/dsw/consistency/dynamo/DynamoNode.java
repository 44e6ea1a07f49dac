package io.github.dsw.consistency.dynamo;

import io.github.dsw.consistency.dynamo.DynamoMessage.Get;
import io.github.dsw.consistency.dynamo.DynamoMessage.Put;
import io.github.dsw.consistency.dynamo.DynamoMessage.Read;
import io.github.dsw.consistency.dynamo.DynamoMessage.ReadReply;
import io.github.dsw.consistency.dynamo.DynamoMessage.Reply;
import io.github.dsw.consistency.dynamo.DynamoMessage.Write;
import io.github.dsw.consistency.dynamo.DynamoMessage.WriteAck;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Dynamo-style replicated key-value store (DeCandia et al., "Dynamo: Amazon's Highly Available Key-value
 * Store", SOSP 2007) on the runtime API. The servers form a ring; key {@code k} lives on its preference list,
 * the {@code N} servers from {@code hash(k) mod S} on. Any server coordinates a client's request:
 * <ul>
 *   <li><b>put</b>: the coordinator stamps the new version with its local clock (for last-writer-wins; the client
 *       brings the version vector), sends it to the preference list and answers after {@code W} acknowledgements;</li>
 *   <li><b>get</b>: asks the preference list, answers after {@code R} replies with the reconciled versions
 *       (several siblings when version vectors find them concurrent) and their merged context;</li>
 *   <li><b>sloppy quorum + hinted handoff</b> (section 4.6): a replica silent for {@code fallbackNs} is
 *       replaced by the next server on the ring, which stores the write as a hint for it and hands it off
 *       when the replica answers again; so writes and reads succeed on any {@code W} (or {@code R}) reachable
 *       servers, which is why the store stays available in a partition, and why {@code R + W > N} no longer
 *       guarantees that a read sees the last write;</li>
 *   <li><b>read repair</b> (section 5): replicas that answered a read with older versions get the reconciled
 *       ones written back, also after the client has its answer.</li>
 * </ul>
 * Conflicts are resolved per {@link Resolution}: last-writer-wins by {@code (timestamp, node)} loses one of two
 * concurrent writes, and with skewed clocks even a later one; version vectors keep both for the client.
 * Replicas fsync before acknowledging; coordinator state is volatile.
 *
 * <p>Whose counter goes into the vector: Dynamo's coordinator bumps its own entry of the client's context. Two
 * concurrent puts through the same coordinator with the same context then get vectors where one descends from the
 * other, and the older is dropped though no one saw it: a lost update that version vectors were supposed to prevent
 * (the problem dotted version vectors fix, Preguiça, Baquero, Almeida, Fonte and Gonçalves, 2010). Here, as in Riak
 * before 1.0, each client is an actor: it bumps its own entry, and since a client runs one operation at a time and
 * always includes its own previous write, its entry orders exactly its own writes. There is no Merkle-tree anti-entropy:
 * replicas converge through read repair and handoff only.
 */
public final class DynamoNode implements Node<DynamoMessage> {

    private final DynamoConfig config;

    /** An operation this node coordinates. */
    private static final class Op {
        final int client;
        final long requestId;
        final boolean read;
        final String key;
        final List<Versioned> toWrite; // puts only
        final long startNs;
        final Map<Integer, Integer> standsFor = new LinkedHashMap<>(); // contacted node -> the preference node it replaces
        final Set<Integer> substituted = new HashSet<>();
        final Map<Integer, List<Versioned>> answers = new LinkedHashMap<>();
        List<Versioned> merged = List.of();
        boolean replied;

        Op(int client, long requestId, boolean read, String key, List<Versioned> toWrite, long startNs) {
            this.client = client;
            this.requestId = requestId;
            this.read = read;
            this.key = key;
            this.toWrite = toWrite;
            this.startNs = startNs;
        }
    }

    private record Retry(long op) {
    }

    private record Handoff() {
    }

    /** A hint handed off: which hint, and which versions were sent (a newer hint stays). */
    private record Sent(String hintKey, List<Versioned> siblings) {
    }

    private final Map<Long, Op> ops = new HashMap<>();
    private final Map<Long, Sent> handoffs = new HashMap<>();
    private long epoch;
    private long nextOp;

    public DynamoNode(DynamoConfig config) {
        this.config = config;
    }

    /** The preference list of {@code key} among {@code servers} servers, home first. */
    public static List<Integer> preferenceList(String key, int servers, int n) {
        List<Integer> p = new ArrayList<>(n);
        int home = Math.floorMod(key.hashCode(), servers);
        for (int i = 0; i < Math.min(n, servers); i++) {
            p.add((home + i) % servers);
        }
        return p;
    }

    @Override
    public void start(Context<DynamoMessage> ctx) {
        epoch = (ctx.random().nextLong() & 0x3fffffffL) << 32;
        ctx.setTimer(config.handoffNs(), new Handoff());
    }

    @Override
    public void receive(Context<DynamoMessage> ctx, int from, DynamoMessage message) {
        switch (message) {
            case Get g -> coordinate(ctx, new Op(from, g.requestId(), true, g.key(), List.of(), ctx.monotonicNow()));
            case Put p -> coordinate(ctx, new Op(from, p.requestId(), false, p.key(), List.of(newVersion(ctx, p)), ctx.monotonicNow()));
            case Read r -> ctx.send(from, new ReadReply(r.op(), local(ctx, r.key())));
            case ReadReply rr -> onReadReply(ctx, from, rr);
            case Write w -> onWrite(ctx, from, w);
            case WriteAck a -> onWriteAck(ctx, from, a);
            case Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    /**
     * The version a put creates: the client's version vector (see {@link DynamoMessage.Put}) and, for last-writer-wins,
     * this coordinator's clock reading and id.
     */
    private static Versioned newVersion(Context<DynamoMessage> ctx, Put p) {
        return new Versioned(p.value(), p.clock(), ctx.now(), ctx.self());
    }

    private void coordinate(Context<DynamoMessage> ctx, Op op) {
        long id = epoch | nextOp++;
        ops.put(id, op);
        for (int s : preferenceList(op.key, ctx.servers(), config.n())) {
            op.standsFor.put(s, s);
            ctx.send(s, request(id, op, -1));
        }
        ctx.setTimer(Math.min(config.fallbackNs(), config.retryNs()), new Retry(id));
    }

    private DynamoMessage request(long id, Op op, int hintFor) {
        return op.read ? new Read(id, op.key) : new Write(id, op.key, op.toWrite, hintFor);
    }

    private void onReadReply(Context<DynamoMessage> ctx, int from, ReadReply rr) {
        Op op = ops.get(rr.op());
        if (op == null || !op.standsFor.containsKey(from) || op.answers.containsKey(from)) {
            return;
        }
        op.answers.put(from, rr.siblings());
        op.merged = config.resolution().reconcile(op.merged, rr.siblings());
        if (!op.replied && op.answers.size() >= config.r()) {
            op.replied = true;
            List<Long> values = new ArrayList<>();
            for (Versioned v : op.merged) {
                values.add(v.value());
            }
            ctx.send(op.client, new Reply(op.requestId, true, values, Resolution.context(op.merged)));
        }
        if (op.replied && config.readRepair()) {
            for (var e : op.answers.entrySet()) { // all answers so far; an answer is repaired when it is stale
                List<Versioned> theirs = e.getValue();
                if (!theirs.equals(config.resolution().reconcile(theirs, op.merged))) {
                    ctx.send(e.getKey(), new Write(0, op.key, op.merged, -1));
                    e.setValue(op.merged);
                }
            }
        }
        finishIfAllAnswered(rr.op(), op);
    }

    private void onWriteAck(Context<DynamoMessage> ctx, int from, WriteAck a) {
        Sent sent = handoffs.remove(a.op());
        if (sent != null) {
            Object now = ctx.read(sent.hintKey());
            if (sent.siblings().equals(now)) { // not superseded by a newer hint meanwhile
                ctx.write(sent.hintKey(), List.of()); // handed off (the store holds no nulls)
                TreeSet<String> index = hintIndex(ctx);
                index.remove(sent.hintKey());
                ctx.write("hints", List.copyOf(index));
                ctx.fsync();
            }
            return;
        }
        Op op = ops.get(a.op());
        if (op == null || !op.standsFor.containsKey(from) || op.answers.containsKey(from)) {
            return;
        }
        op.answers.put(from, List.of());
        if (!op.replied && op.answers.size() >= config.w()) {
            op.replied = true;
            ctx.send(op.client, new Reply(op.requestId, true, List.of(), VersionVector.EMPTY));
        }
        finishIfAllAnswered(a.op(), op);
    }

    private void finishIfAllAnswered(long id, Op op) {
        if (op.replied && op.standsFor.keySet().stream().allMatch(s -> op.answers.containsKey(s) || op.substituted.contains(s))) {
            ops.remove(id);
        }
    }

    private void onWrite(Context<DynamoMessage> ctx, int from, Write w) {
        if (w.hintFor() >= 0 && w.hintFor() != ctx.self()) {
            String hk = "h:" + w.hintFor() + ":" + w.key();
            List<Versioned> old = siblings(ctx, hk);
            List<Versioned> now = config.resolution().reconcile(old, w.siblings());
            if (!now.equals(old)) {
                ctx.write(hk, now);
                TreeSet<String> index = hintIndex(ctx);
                if (index.add(hk)) {
                    ctx.write("hints", List.copyOf(index));
                }
                ctx.fsync();
            }
        } else {
            String k = "k:" + w.key();
            List<Versioned> old = siblings(ctx, k);
            List<Versioned> now = config.resolution().reconcile(old, w.siblings());
            if (!now.equals(old)) {
                ctx.write(k, now);
                ctx.fsync(); // the acknowledgement leaves only once the versions are durable
            }
        }
        if (w.op() != 0) {
            ctx.send(from, new WriteAck(w.op()));
        }
    }

    @Override
    public void timer(Context<DynamoMessage> ctx, Object tag) {
        switch (tag) {
            case Retry r -> retry(ctx, r);
            case Handoff h -> {
                for (String hk : hintIndex(ctx)) {
                    int intended = Integer.parseInt(hk.substring(2, hk.indexOf(':', 2)));
                    String key = hk.substring(hk.indexOf(':', 2) + 1);
                    List<Versioned> s = siblings(ctx, hk);
                    long id = epoch | nextOp++;
                    handoffs.put(id, new Sent(hk, s));
                    ctx.send(intended, new Write(id, key, s, -1));
                }
                ctx.setTimer(config.handoffNs(), h);
            }
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }

    private void retry(Context<DynamoMessage> ctx, Retry r) {
        Op op = ops.get(r.op());
        if (op == null) {
            return;
        }
        long elapsed = ctx.monotonicNow() - op.startNs;
        if (elapsed >= config.opTimeoutNs()) {
            ops.remove(r.op());
            if (!op.replied) {
                ctx.send(op.client, new Reply(op.requestId, false, List.of(), VersionVector.EMPTY));
            }
            return;
        }
        List<Integer> silent = new ArrayList<>();
        for (int s : op.standsFor.keySet()) {
            if (!op.answers.containsKey(s) && !op.substituted.contains(s)) {
                silent.add(s);
            }
        }
        boolean substitute = config.sloppy() && elapsed >= config.fallbackNs() && !(op.replied && op.read);
        for (int s : silent) {
            int standIn = substitute ? nextStandIn(ctx, op) : -1;
            if (standIn >= 0) {
                op.substituted.add(s);
                int intended = op.standsFor.get(s);
                op.standsFor.put(standIn, intended);
                ctx.send(standIn, request(r.op(), op, intended));
            } else {
                ctx.send(s, request(r.op(), op, op.standsFor.get(s) == s ? -1 : op.standsFor.get(s)));
            }
        }
        ctx.setTimer(config.retryNs(), r);
    }

    /** The first server after the preference list on the ring that this operation has not contacted, or -1. */
    private int nextStandIn(Context<DynamoMessage> ctx, Op op) {
        int home = Math.floorMod(op.key.hashCode(), ctx.servers());
        for (int i = 0; i < ctx.servers(); i++) {
            int s = (home + i) % ctx.servers();
            if (!op.standsFor.containsKey(s)) {
                return s;
            }
        }
        return -1;
    }

    /** What this node answers a read with: its versions of {@code key} reconciled with every hint it holds for it. */
    private List<Versioned> local(Context<DynamoMessage> ctx, String key) {
        List<Versioned> s = siblings(ctx, "k:" + key);
        for (String hk : hintIndex(ctx)) {
            if (hk.substring(hk.indexOf(':', 2) + 1).equals(key)) {
                s = config.resolution().reconcile(s, siblings(ctx, hk));
            }
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Versioned> siblings(Context<DynamoMessage> ctx, String k) {
        Object o = ctx.read(k);
        return o == null ? List.of() : (List<Versioned>) o;
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<String> hintIndex(Context<DynamoMessage> ctx) {
        Object o = ctx.read("hints");
        return o == null ? new TreeSet<>() : new TreeSet<>((List<String>) o);
    }
}
