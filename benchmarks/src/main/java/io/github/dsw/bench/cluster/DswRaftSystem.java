package io.github.dsw.bench.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.cluster.AdminClient;
import io.github.dsw.cluster.ClientMux;
import io.github.dsw.cluster.DiskStorage;
import io.github.dsw.cluster.FsyncPolicy;
import io.github.dsw.cluster.KvClient;
import io.github.dsw.cluster.KvProtocol;
import io.github.dsw.cluster.MemoryStorage;
import io.github.dsw.cluster.NodeRuntime;
import io.github.dsw.cluster.RaftKv;
import io.github.dsw.cluster.Storage;
import io.github.dsw.raft.KvMessage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's Raft key-value store (chapter 7's {@code KvService}, run by chapter 8's {@link NodeRuntime}):
 * {@code nodes} runtimes in this JVM, each with its event-loop thread, its TCP sockets on 127.0.0.1 and its
 * storage: {@link MemoryStorage} for {@code memory}, {@link DiskStorage} with group commit
 * ({@link FsyncPolicy#GROUP}: one {@code FileChannel.force} per batch of waiting inputs, before the batch's
 * messages leave) for {@code disk}. Clients are {@link KvClient}s over TCP, with leader redirection; the clients
 * of the benchmark's process share {@link #CONNECTIONS} connections per server ({@link ClientMux}, as a client
 * library shares a small pool of connections among an application's threads; each client keeps its own session). The system property
 * {@code dsw.bench.clientMux=false} gives every client its own connections (the before/after of chapter 8.8).
 *
 * <p>The store's values are longs (chapter 7's checker values), so the payload rides in the key: each
 * client writes the key {@code k<id>/} padded with {@code x} to {@code valueBytes} bytes, with the
 * sequence number as the value. Every log entry, AppendEntries message and fsync therefore carries the same
 * number of payload bytes as the other systems' entries, and the map holds one such key per client.
 */
public final class DswRaftSystem implements RaftSystem {
    /** Clients share connections ({@link ClientMux}); {@code -Ddsw.bench.clientMux=false}: a connection each. */
    static final boolean SHARED_CONNECTIONS = !"false".equals(System.getProperty("dsw.bench.clientMux", "true"));

    private final boolean embedded;
    /**
     * Connections per server shared by the clients ({@link ClientMux}es; client {@code id} uses number
     * {@code id % CONNECTIONS}); {@code -Ddsw.bench.clientConnections=N}. Two, not one: a connection's reader thread
     * wakes each client its answers are for, one after another, and at 64 clients that one thread's wake-ups are a
     * queue of their own; two readers wake in parallel (chapter 8.8: 62.1k vs 57.3k writes/s, 5 alternating runs).
     */
    static final int CONNECTIONS = Math.max(1, Integer.getInteger("dsw.bench.clientConnections", 2));

    private final List<ClientMux> muxes = new ArrayList<>();
    private final List<NodeRuntime<KvMessage>> nodes = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger(1_000_000);
    private List<InetSocketAddress> peers = List.of();
    private LogStorage storage;
    private int valueBytes;
    /** Writes that needed more than one attempt (a timeout or a redirection), and the extra requests sent. */
    private final java.util.concurrent.atomic.AtomicLong retried = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong extraAttempts = new java.util.concurrent.atomic.AtomicLong();

    /** Clients over TCP ({@code dsw-raft}). */
    public DswRaftSystem() {
        this(false);
    }

    /**
     * {@code embedded}: the clients live in the servers' process and hand their requests to the leader's event loop
     * ({@link NodeRuntime#submitLocal}), as jgroups-raft's clients call the leader's {@code RaftHandle}
     * ({@code dsw-raft-embedded}); the same requests, sessions, log entries and commit rule, minus the client's TCP hop.
     */
    public DswRaftSystem(boolean embedded) {
        this.embedded = embedded;
    }

    @Override
    public String name() {
        return embedded ? "dsw-raft-embedded" : "dsw-raft";
    }

    @Override
    public void start(int n, LogStorage storage, int valueBytes, Path dir) throws Exception {
        this.storage = storage;
        this.valueBytes = valueBytes;
        peers = Ports.free(n);
        FsyncPolicy policy = storage == LogStorage.DISK ? FsyncPolicy.GROUP : FsyncPolicy.NONE;
        for (int i = 0; i < n; i++) {
            Storage s = storage == LogStorage.DISK
                    ? DiskStorage.open(dir.resolve("dsw-" + (i + 1)), new DiskStorage.Identity(RaftKv.NAME, i + 1, n), RaftKv.durableCodec(),
                            policy, DiskStorage.Options.DEFAULT, RaftKv.RETENTION, l -> { })
                    : new MemoryStorage(RaftKv.RETENTION); // entries below the snapshot dropped: memory bounded by the live log
            NodeRuntime<KvMessage> rt = new NodeRuntime<>(new NodeRuntime.Settings(RaftKv.NAME, i, peers, policy, 1000 + i, 4096),
                    RaftKv.node(i, n), RaftKv.codec(), s, RaftKv::status, l -> { }, t -> { });
            nodes.add(rt);
            rt.start();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (leader() < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("dsw-raft: no leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** The 0-based index of a running node that says it leads, or -1. */
    private int leader() {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == null) {
                continue;
            }
            try {
                String status = AdminClient.call(peers.get(i), RaftKv.NAME, "status", 2000);
                if (status.startsWith("raft: node " + (i + 1) + " leader ")) {
                    return i;
                }
            } catch (Exception e) {
                // not answering: not the leader we can use
            }
        }
        return -1;
    }

    /** A client in this process that submits to the leader's event loop; same request ids and retries as KvClient. */
    private Client embeddedClient(int id) {
        int session = sessions.incrementAndGet();
        String key = paddedKey(id);
        return new Client() {
            private long nextRequest;
            private int leader = Math.max(0, leader());

            private KvProtocol.Answer call(Fn f, Object value) throws InterruptedException {
                long requestId = ((long) session << 32) | ++nextRequest;
                KvMessage request = RaftKv.PROTOCOL.request(requestId, f, key, value);
                long deadline = System.nanoTime() + 30_000_000_000L;
                long attempt = 1_000_000_000L;
                while (System.nanoTime() < deadline) {
                    java.util.concurrent.CompletableFuture<KvProtocol.Answer> answer = new java.util.concurrent.CompletableFuture<>();
                    NodeRuntime<KvMessage> node = nodes.get(leader);
                    if (node == null) {
                        leader = Math.max(0, leader());
                        Thread.sleep(20);
                        continue;
                    }
                    node.submitLocal(session, request, m -> {
                        KvProtocol.Answer a = RaftKv.PROTOCOL.answer(m);
                        if (a != null && a.requestId() == requestId) {
                            answer.complete(a);
                        }
                    });
                    KvProtocol.Answer a;
                    try {
                        a = answer.get(attempt, java.util.concurrent.TimeUnit.NANOSECONDS);
                    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                        retried.incrementAndGet();
                        attempt = Math.min(attempt * 2, 8_000_000_000L);
                        leader = Math.max(0, leader());
                        continue;
                    }
                    if (a.kind() == KvProtocol.Kind.RETRY) {
                        extraAttempts.incrementAndGet();
                        leader = a.redirect() >= 0 ? a.redirect() : Math.max(0, leader());
                        Thread.sleep(a.redirect() >= 0 ? 0 : 20);
                        continue;
                    }
                    return a;
                }
                return null;
            }

            @Override
            public void write(long seq) throws InterruptedException {
                KvProtocol.Answer a = call(Fn.WRITE, seq);
                if (a == null || a.kind() != KvProtocol.Kind.OK) {
                    throw new IllegalStateException("dsw-raft-embedded: write " + seq + " not acknowledged: " + a);
                }
            }

            @Override
            public long read() throws InterruptedException {
                KvProtocol.Answer a = call(Fn.READ, null);
                if (a == null || a.kind() != KvProtocol.Kind.OK) {
                    throw new IllegalStateException("dsw-raft-embedded: read not answered: " + a);
                }
                return a.value() == null ? -1 : a.value();
            }

            @Override
            public void close() {
            }
        };
    }

    private String paddedKey(int id) {
        StringBuilder k = new StringBuilder("k").append(id).append('/');
        while (k.length() < valueBytes) {
            k.append('x');
        }
        return k.toString();
    }

    @Override
    public synchronized Client client(int id) {
        if (embedded) {
            return embeddedClient(id);
        }
        // every server, stopped ones included: a "not the leader" reply names the leader by its index in this list
        // a fresh session per client object (chapter 7's sessions: request ids restart at 1 with a new KvClient)
        KvClient kv;
        if (SHARED_CONNECTIONS) {
            while (muxes.size() < CONNECTIONS) {
                muxes.add(new ClientMux(peers, RaftKv.PROTOCOL, sessions.incrementAndGet()));
            }
            ClientMux mux = muxes.get(Math.floorMod(id, CONNECTIONS));
            kv = new KvClient(mux, sessions.incrementAndGet(), 1_000_000_000L);
        } else {
            kv = new KvClient(peers, RaftKv.NAME, RaftKv.codec(), sessions.incrementAndGet(), 1_000_000_000L);
        }
        String key = paddedKey(id);
        return new Client() {
            @Override
            public void write(long seq) {
                KvClient.Result r = kv.execute(Fn.WRITE, key, seq, System.nanoTime() + 30_000_000_000L);
                if (r.attempts() > 1) {
                    retried.incrementAndGet();
                    extraAttempts.addAndGet(r.attempts() - 1);
                }
                if (r.status() != KvClient.Status.OK) {
                    throw new IllegalStateException("dsw-raft: write " + seq + " not acknowledged: " + r.status());
                }
            }

            @Override
            public long read() {
                KvClient.Result r = kv.execute(Fn.READ, key, null, System.nanoTime() + 30_000_000_000L);
                if (r.status() != KvClient.Status.OK) {
                    throw new IllegalStateException("dsw-raft: read not answered: " + r.status());
                }
                return r.value() == null ? -1 : r.value();
            }

            @Override
            public void close() {
                kv.close();
            }
        };
    }

    @Override
    public void stopLeader() {
        int l = leader();
        if (l < 0) {
            throw new IllegalStateException("dsw-raft: no leader to stop");
        }
        nodes.get(l).close();
        nodes.set(l, null);
    }

    @Override
    public String describe() {
        return name() + ": chapter 7 KvService on NodeRuntime (TCP, event loop per node), ReadIndex reads, "
                + (embedded ? "clients in process at the leader's event loop, "
                        : SHARED_CONNECTIONS ? "KvClients over TCP sharing " + CONNECTIONS + " connection(s) per server, " : "KvClients over TCP, a connection each, ")
                + (storage == LogStorage.DISK ? "DiskStorage segmented log, fsync policy group" : "MemoryStorage (no fsync)")
                + "; writes retried " + retried.get() + " (extra requests " + extraAttempts.get() + "); transport "
                + nodes.stream().map(n -> n == null ? "stopped" : "[" + n.counters() + "]").toList() + "; " + statuses();
    }

    /** Each running node's Raft status line (role, term, indexes): a changed term shows an election during the run. */
    private String statuses() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) != null) {
                try {
                    lines.add(AdminClient.call(peers.get(i), RaftKv.NAME, "status", 2000).lines().findFirst().orElse(""));
                } catch (Exception e) {
                    lines.add("node " + (i + 1) + " not answering");
                }
            }
        }
        return String.join("; ", lines);
    }

    @Override
    public synchronized void close() {
        for (ClientMux m : muxes) {
            m.close();
        }
        muxes.clear();
        for (NodeRuntime<KvMessage> n : nodes) {
            if (n != null) {
                try {
                    n.close();
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
        }
        nodes.clear();
    }
}
