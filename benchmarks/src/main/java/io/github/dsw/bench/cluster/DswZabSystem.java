package io.github.dsw.bench.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.cluster.AdminClient;
import io.github.dsw.cluster.DiskStorage;
import io.github.dsw.cluster.FsyncPolicy;
import io.github.dsw.cluster.KvClient;
import io.github.dsw.cluster.MemoryStorage;
import io.github.dsw.cluster.NodeRuntime;
import io.github.dsw.cluster.ZabKv;
import io.github.dsw.cluster.Storage;
import io.github.dsw.zab.ZabMessage;
import io.github.dsw.zab.ZabNode;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Chapter 13's Zab key-value store ({@link ZabKv}: {@code ZabKvServer} on {@code ZabNode}, run by chapter 8's
 * {@link NodeRuntime}), set up exactly as {@link DswRaftSystem} sets up the Raft store: {@code nodes} runtimes in this
 * JVM, TCP on 127.0.0.1, {@link MemoryStorage} for {@code memory}, {@link DiskStorage} with group commit
 * ({@link FsyncPolicy#GROUP}) for {@code disk}, {@link KvClient}s over TCP, the payload in the key. Two variants:
 * {@code dsw-zab} proposes every change in its own PROPOSAL; {@code dsw-zab-batch} lets the leader batch up to
 * {@link #BATCH} changes per PROPOSAL with up to {@code ZabNode.DEFAULT_WINDOW} batches in flight ({@code ZabNode}'s
 * batch switch, pipelined). Both snapshot the store every {@code ZabKv.SNAPSHOT_EVERY} deliveries. A client talks to server {@code id mod n}
 * first, as ZooKeeper's clients spread over the ensemble; a follower forwards writes to the leader.
 */
public final class DswZabSystem implements RaftSystem {
    /** Changes per PROPOSAL at most in {@code dsw-zab-batch}. */
    public static final int BATCH = 64;

    private final int batch;
    private final List<NodeRuntime<ZabMessage>> nodes = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger sessions = new java.util.concurrent.atomic.AtomicInteger(1_000_000);
    private List<InetSocketAddress> peers = List.of();
    private LogStorage storage;
    private int valueBytes;

    /** @param batch 1 for {@code dsw-zab}, {@link #BATCH} for {@code dsw-zab-batch} */
    public DswZabSystem(int batch) {
        this.batch = batch;
    }

    @Override
    public String name() {
        return batch == 1 ? "dsw-zab" : "dsw-zab-batch";
    }

    @Override
    public void start(int n, LogStorage storage, int valueBytes, Path dir) throws Exception {
        this.storage = storage;
        this.valueBytes = valueBytes;
        peers = Ports.free(n);
        FsyncPolicy policy = storage == LogStorage.DISK ? FsyncPolicy.GROUP : FsyncPolicy.NONE;
        for (int i = 0; i < n; i++) {
            Storage s = storage == LogStorage.DISK
                    ? DiskStorage.open(dir.resolve("dsw-" + (i + 1)), new DiskStorage.Identity(ZabKv.NAME, i + 1, n), ZabKv.PROTOCOL.durableCodec(),
                            policy, DiskStorage.Options.DEFAULT, ZabKv.PROTOCOL.retention(), l -> { })
                    : new MemoryStorage();
            NodeRuntime<ZabMessage> rt = new NodeRuntime<>(new NodeRuntime.Settings(ZabKv.NAME, i, peers, policy, 1000 + i, 4096),
                    ZabKv.node(i, n, batch), ZabKv.PROTOCOL.codec(), s, ZabKv.PROTOCOL::status, l -> { }, t -> { });
            nodes.add(rt);
            rt.start();
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (leader() < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name() + ": no established leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    /** The 0-based index of a running node that leads an established epoch, or -1. */
    private int leader() {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i) == null) {
                continue;
            }
            try {
                String status = AdminClient.call(peers.get(i), ZabKv.NAME, "status", 2000);
                String first = status.lines().findFirst().orElse("");
                if (first.startsWith("zab: leading broadcast ") && first.endsWith(" serving")) {
                    return i;
                }
            } catch (Exception e) {
                // not answering: not the leader we can use
            }
        }
        return -1;
    }

    @Override
    public Client client(int id) {
        // a fresh session per client object (the store's sessions: request ids restart at 1 with a new KvClient)
        KvClient<ZabMessage> kv = new KvClient<>(peers, ZabKv.PROTOCOL, sessions.incrementAndGet(), 1_000_000_000L);
        StringBuilder k = new StringBuilder("k").append(id).append('/');
        while (k.length() < valueBytes) {
            k.append('x');
        }
        String key = k.toString();
        return new Client() {
            @Override
            public void write(long seq) {
                KvClient.Result r = kv.execute(Fn.WRITE, key, seq, System.nanoTime() + 30_000_000_000L);
                if (r.status() != KvClient.Status.OK) {
                    throw new IllegalStateException(name() + ": write " + seq + " not acknowledged: " + r.status());
                }
            }

            @Override
            public long read() {
                KvClient.Result r = kv.execute(Fn.READ, key, null, System.nanoTime() + 30_000_000_000L);
                if (r.status() != KvClient.Status.OK) {
                    throw new IllegalStateException(name() + ": read not answered: " + r.status());
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
            throw new IllegalStateException(name() + ": no leader to stop");
        }
        nodes.get(l).close();
        nodes.set(l, null);
    }

    @Override
    public String describe() {
        return name() + ": chapter 13 ZabKvServer on NodeRuntime (TCP, event loop per node), sync+read reads, "
                + (batch == 1 ? "one change per PROPOSAL, " : "up to " + batch + " changes per PROPOSAL, " + ZabNode.DEFAULT_WINDOW + " in flight, ")
                + (storage == LogStorage.DISK ? "DiskStorage segmented log, fsync policy group" : "MemoryStorage (no fsync)");
    }

    @Override
    public void close() {
        for (NodeRuntime<ZabMessage> n : nodes) {
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
