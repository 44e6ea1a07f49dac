package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Rng;
import io.github.dsw.runtime.SplitMix64;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A replicated key-value store ({@link KvProtocol}: Raft, Multi-Paxos or Zab) speaking Maelstrom's node
 * protocol, so that {@code maelstrom test -w lin-kv --bin ...} runs the very node classes of chapters 6
 * and 7: {@code ./dsw node --maelstrom raft-kv} or {@code paxos-kv}. Sources: jepsen-io/maelstrom,
 * {@code doc/protocol.md} (messages, init, errors and which are definite) and {@code doc/workloads.md}
 * (the lin-kv workload's read, write and cas).
 *
 * <p>Protocol: one JSON object per line on stdin and on stdout, {@code {"src","dest","body"}}; stdout
 * carries nothing but messages, from its first line (logs go to stderr). The first message is
 * {@code init} (node_id, node_ids), answered by {@code init_ok}. Clients ({@code c1, c2, ...}) send:
 * <pre>
 * request                   answer
 * read {key}                read_ok {value} | error 20 key-does-not-exist
 * write {key, value}        write_ok
 * cas {key, from, to}       cas_ok | error 20 key-does-not-exist | error 22 precondition-failed
 * other type with msg_id    error 10 not-supported;   bad fields: error 12 malformed-request
 * not served here           error 11 temporarily-unavailable (definite: nothing was proposed)
 * proposed, then lost       error 13 crash (indefinite: another leader's entry took its index, but a
 *                           copy of the entry may still commit elsewhere)
 * </pre>
 * A request whose outcome this node cannot know and that it keeps trying (Multi-Paxos re-forwards until
 * applied) gets its answer when it is applied, or none: Maelstrom's client times out and records it as
 * indefinite, which is the truth. Every answer body is {@code type, msg_id, in_reply_to} and then its
 * fields, {@code msg_id} counting up from 1 on each node. 20 and 22 are told apart exactly: a cas's
 * answer is produced in the step that applies it, and keys are never deleted, so this server's copy of
 * the key at that moment is the value the cas saw.
 *
 * <p>Requests: each request becomes a new request of this node's own numbering (node index times
 * 2^40 plus a counter), in a session of its own per (client, node): Maelstrom's msg_ids need not increase
 * from one request of a client to the next, nor be unique across nodes, and the stores' sessions and
 * duplicate suppression rely on both. Values must be integers (the stores hold longs); keys may be any
 * JSON value, whose compact JSON text is the store's key. {@code create_if_not_exists} is not supported
 * (error 10).
 *
 * <p>Between servers a message is {@code {"type":"dsw","data":BASE64}}, the bytes of the protocol's
 * codec (Maelstrom lets servers use any body). State is in memory ({@link MemoryStorage}): Maelstrom
 * never restarts a process.
 *
 * @param <M> the protocol's message type
 */
public final class MaelstromNode<M> {

    private static final Object EOF = new Object();

    private record TimerEntry(long deadline, long id, Object tag) {
    }

    private record Pending(String src, long msgId, String type, String key) {
    }

    /** A message the node sent to itself: delivered after the current step, as the real runtime does. */
    private record ToSelf(Object message) {
    }

    private final KvProtocol<M> kv;
    private final PrintStream out;
    private final PrintStream log;
    private final LinkedBlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final PriorityQueue<TimerEntry> timers = new PriorityQueue<>((a, b) -> a.deadline() != b.deadline()
            ? Long.compare(a.deadline(), b.deadline()) : Long.compare(a.id(), b.id()));
    private final Set<Long> liveTimers = new HashSet<>();
    private final Map<Long, Pending> pending = new HashMap<>();
    private final Map<String, Integer> clients = new HashMap<>();
    private final MemoryStorage storage = new MemoryStorage();
    private long timerSeq;
    private long nextMsgId;
    private long nextRequest;
    private long requestInStep = -1;
    private String nodeId;
    private List<String> nodeIds;
    private int self = -1;
    private Node<M> node;
    private Ctx ctx;

    private MaelstromNode(KvProtocol<M> kv, PrintStream out, PrintStream log) {
        this.kv = kv;
        this.out = out;
        this.log = log;
    }

    /** Runs protocol {@code kv} on {@code in}/{@code out} until {@code in} ends; returns the exit code (0). */
    public static <M> int run(KvProtocol<M> kv, InputStream in, PrintStream out, PrintStream log) {
        MaelstromNode<M> n = new MaelstromNode<>(kv, out, log);
        Thread reader = Thread.ofPlatform().daemon().name("maelstrom-stdin").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    n.inbox.add(line);
                }
            } catch (IOException e) {
                log.println("maelstrom: stdin failed: " + e);
            }
            n.inbox.add(EOF);
        });
        try {
            n.loop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reader.interrupt();
        }
        return 0;
    }

    /** The event loop: timers that are due, then every line that has arrived; sleeps until the next of either. */
    private void loop() throws InterruptedException {
        while (true) {
            TimerEntry t;
            while ((t = timers.peek()) != null && t.deadline() <= System.nanoTime()) {
                timers.poll();
                if (liveTimers.remove(t.id())) {
                    Object tag = t.tag();
                    step(() -> node.timer(ctx, tag));
                }
            }
            long wait = timers.isEmpty() ? 100_000_000L : Math.max(0, timers.peek().deadline() - System.nanoTime());
            Object item = inbox.poll(wait, TimeUnit.NANOSECONDS);
            while (item != null) {
                if (item == EOF) {
                    out.flush();
                    return;
                }
                if (item instanceof ToSelf ts) {
                    @SuppressWarnings("unchecked")
                    M m = (M) ts.message();
                    step(() -> node.receive(ctx, self, m));
                } else {
                    handle((String) item);
                }
                item = inbox.poll();
            }
            out.flush();
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(String line) {
        if (line.isBlank()) {
            return;
        }
        Map<String, Object> msg;
        try {
            if (!(Json.parse(line) instanceof Map<?, ?> m) || !(m.get("body") instanceof Map<?, ?>) || !(m.get("src") instanceof String)) {
                log.println("maelstrom: dropped a line that is not a message: " + line);
                return;
            }
            msg = (Map<String, Object>) m;
        } catch (IllegalArgumentException e) {
            log.println("maelstrom: dropped a malformed line (" + e.getMessage() + "): " + line);
            return;
        }
        String src = (String) msg.get("src");
        Map<String, Object> body = (Map<String, Object>) msg.get("body");
        Object type = body.get("type");
        Long msgId = body.get("msg_id") instanceof Long l ? l : null;
        if ("init".equals(type)) {
            init(src, body, msgId);
            return;
        }
        if (node == null) {
            if (msgId != null) {
                error(src, msgId, 11, "node not initialized yet");
            }
            return;
        }
        if ("dsw".equals(type)) {
            fromServer(src, body);
            return;
        }
        if (msgId == null) {
            log.println("maelstrom: dropped a message without msg_id: " + line);
            return;
        }
        Fn f;
        Object value;
        switch (String.valueOf(type)) {
            case "read" -> {
                f = Fn.READ;
                value = null;
            }
            case "write" -> {
                if (!(body.get("value") instanceof Long v)) {
                    error(src, msgId, 12, "value must be an integer, got " + Json.write(body.get("value")));
                    return;
                }
                f = Fn.WRITE;
                value = v;
            }
            case "cas" -> {
                if (Boolean.TRUE.equals(body.get("create_if_not_exists"))) {
                    error(src, msgId, 10, "create_if_not_exists is not supported");
                    return;
                }
                if (!(body.get("from") instanceof Long from) || !(body.get("to") instanceof Long to)) {
                    error(src, msgId, 12, "from and to must be integers");
                    return;
                }
                f = Fn.CAS;
                value = new Cas(from.longValue(), to.longValue());
            }
            default -> {
                error(src, msgId, 10, "unsupported request type " + Json.write(type));
                return;
            }
        }
        if (!body.containsKey("key")) {
            error(src, msgId, 12, "missing key");
            return;
        }
        String key = Json.write(body.get("key"));
        int client = session(src);
        long requestId = ((long) (self + 1) << 40) | ++nextRequest;
        pending.put(requestId, new Pending(src, msgId, (String) type, key));
        M request = kv.request(requestId, f, key, value);
        requestInStep = requestId;
        try {
            step(() -> node.receive(ctx, client, request));
        } finally {
            requestInStep = -1;
        }
    }

    private void fromServer(String src, Map<String, Object> body) {
        int from = nodeIds.indexOf(src);
        if (from < 0 || !(body.get("data") instanceof String data)) {
            log.println("maelstrom: dropped a server message from unknown " + src);
            return;
        }
        M m;
        try {
            m = kv.codec().decode(Base64.getDecoder().decode(data));
        } catch (CodecException | IllegalArgumentException e) {
            log.println("maelstrom: dropped an undecodable server message from " + src + ": " + e.getMessage());
            return;
        }
        step(() -> node.receive(ctx, from, m));
    }

    private void init(String src, Map<String, Object> body, Long msgId) {
        if (node != null) {
            log.println("maelstrom: ignored a second init");
            return;
        }
        if (!(body.get("node_id") instanceof String id) || !(body.get("node_ids") instanceof List<?> ids) || !ids.contains(id)) {
            log.println("maelstrom: malformed init " + Json.write(body));
            if (msgId != null) {
                error(src, msgId, 12, "init needs node_id and node_ids containing it");
            }
            return;
        }
        nodeId = id;
        nodeIds = ids.stream().map(String::valueOf).toList();
        self = nodeIds.indexOf(id);
        long seed = System.nanoTime() ^ ((long) self << 40);
        log.println("maelstrom: node " + id + " (" + (self + 1) + " of " + nodeIds.size() + ") runs " + kv.name() + ", seed " + seed);
        node = kv.node(self, nodeIds.size());
        ctx = new Ctx(new SplitMix64(seed));
        reply(src, "init_ok", msgId, Map.of());
        step(() -> node.start(ctx));
    }

    /** The store's session (its client id) of client {@code src} at this node: unique across nodes and clients. */
    private int session(String src) {
        int n = nodeIds.size();
        int k = clients.computeIfAbsent(src, s -> clients.size());
        return n + k * n + self;
    }

    private void error(String to, long inReplyTo, int code, String text) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("code", code);
        fields.put("text", text);
        reply(to, "error", inReplyTo, fields);
    }

    /** Writes {@code {"src","dest","body":{"type","msg_id","in_reply_to",fields...}}}. */
    private void reply(String to, String type, Long inReplyTo, Map<String, Object> fields) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("type", type);
        b.put("msg_id", ++nextMsgId);
        if (inReplyTo != null) {
            b.put("in_reply_to", inReplyTo);
        }
        b.putAll(fields);
        emit(to, b);
    }

    private void emit(String to, Map<String, Object> body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("src", nodeId);
        m.put("dest", to);
        m.put("body", body);
        out.println(Json.write(m));
    }

    private void step(Runnable input) {
        input.run();
        storage.commit();
    }

    /** A message the node sends: to a server as a "dsw" body, to a client as the answer to its request. */
    private void send(int to, M m) {
        int n = nodeIds.size();
        if (to < n) {
            if (to == self) {
                inbox.add(new ToSelf(m));
            } else {
                emit(nodeIds.get(to), Map.of("type", "dsw", "data", Base64.getEncoder().encodeToString(kv.codec().encode(m))));
            }
            return;
        }
        KvProtocol.Answer a = kv.answer(m);
        if (a == null) {
            return;
        }
        Pending p = pending.remove(a.requestId());
        if (p == null) {
            return; // a second answer to one request: the client has its answer
        }
        switch (a.kind()) {
            case RETRY -> {
                boolean definite = a.requestId() == requestInStep || p.type().equals("read");
                if (definite) {
                    error(p.src(), p.msgId(), 11, a.redirect() >= 0 ? "not the leader; the leader is " + nodeIds.get(a.redirect())
                            : "not the leader, and no leader is known");
                } else {
                    error(p.src(), p.msgId(), 13, "indefinite: another leader's entry took the index this request was proposed at;"
                            + " a copy of it may still commit");
                }
            }
            case OK -> {
                switch (p.type()) {
                    case "read" -> {
                        if (a.value() == null) {
                            error(p.src(), p.msgId(), 20, "key does not exist");
                        } else {
                            reply(p.src(), "read_ok", p.msgId(), Map.of("value", a.value()));
                        }
                    }
                    case "write" -> reply(p.src(), "write_ok", p.msgId(), Map.of());
                    default -> reply(p.src(), "cas_ok", p.msgId(), Map.of());
                }
            }
            case FAIL -> {
                if (kv.localValue(node, p.key()) == null) {
                    error(p.src(), p.msgId(), 20, "key does not exist");
                } else {
                    error(p.src(), p.msgId(), 22, "precondition failed: the key does not hold from");
                }
            }
        }
    }

    /** The node's environment during a step: stdout instead of sockets, memory instead of a disk. */
    private final class Ctx implements Context<M> {
        final Rng rng;
        final long wallOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();

        Ctx(Rng rng) {
            this.rng = rng;
        }

        @Override
        public int self() {
            return self;
        }

        @Override
        public int servers() {
            return nodeIds.size();
        }

        /** Wall-clock time at start plus monotonic time since: this environment never sets its clock. */
        @Override
        public long now() {
            return wallOffset + System.nanoTime();
        }

        @Override
        public long monotonicNow() {
            return System.nanoTime();
        }

        @Override
        public Rng random() {
            return rng;
        }

        /**
         * Sent at once, inside the step: an answer to a client must see this server's store as the step
         * left it at that point (error 20 vs 22). Nothing here is durable, so nothing waits for a force.
         */
        @Override
        public void send(int to, M message) {
            MaelstromNode.this.send(to, message);
        }

        @Override
        public long setTimer(long delayNs, Object tag) {
            long id = ++timerSeq;
            timers.add(new TimerEntry(System.nanoTime() + Math.max(0, delayNs), id, tag));
            liveTimers.add(id);
            return id;
        }

        @Override
        public void cancelTimer(long timerId) {
            liveTimers.remove(timerId);
        }

        @Override
        public Object read(String key) {
            return storage.get(key);
        }

        @Override
        public void write(String key, Object value) {
            storage.put(key, value);
        }

        @Override
        public void fsync() {
            // memory storage: nothing to force
        }

        @Override
        public void output(Object event) {
            // no monitors attached
        }
    }
}
