package io.github.dsw.bench.cluster;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.curator.test.TestingZooKeeperServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The production anchor of chapter 13: a real ZooKeeper ensemble (the server classes of ZooKeeper 3.9, started by
 * curator-test's {@link TestingCluster}, as {@code QuorumPeerMain} would run them) with {@code nodes} servers in this JVM
 * on 127.0.0.1 and free ports, each with its own data folder; clients are plain {@link ZooKeeper} handles, one session
 * per client, each connected to the ensemble's connect string (the client library picks a server at random, and a
 * follower forwards writes to the leader, as in zab-kv).
 *
 * <p>Two operations, as two system names: {@code zookeeper} measures {@code setData} on the client's own znode
 * ({@code /bench/k<id>}, created before the measurement), {@code zookeeper-create} measures {@code create} of a new
 * persistent znode per write ({@code /bench/c<id>/n<seq>}). Data are {@code valueBytes} bytes whose first 8 are the
 * sequence number. Reads ({@link Client#read}) are {@code sync} then {@code getData}, ZooKeeper's recipe for a read that
 * sees every write completed before it.
 *
 * <p>Storage: {@code disk} is ZooKeeper's default, the transaction log forced before a write is acknowledged
 * ({@code zookeeper.forceSync=yes}, group commit in its SyncRequestProcessor); {@code memory} sets
 * {@code zookeeper.forceSync=no} (the log is still written, never forced), the nearest ZooKeeper has to an in-memory log.
 * The tick is 200 ms (ZooKeeper's default 2000 ms would make a session timeout at least 4 s), initLimit 10, syncLimit 5.
 */
public final class ZooKeeperSystem implements RaftSystem {
    private static final int TICK_MS = 200;
    private static final int SESSION_MS = 10_000;

    private final boolean create;
    private TestingCluster cluster;
    private LogStorage storage;
    private int valueBytes;
    private String connect;
    private final List<ZooKeeper> handles = new ArrayList<>();

    /** @param create true: {@code zookeeper-create} (create per write); false: {@code zookeeper} (setData) */
    public ZooKeeperSystem(boolean create) {
        this.create = create;
    }

    @Override
    public String name() {
        return create ? "zookeeper-create" : "zookeeper";
    }

    @Override
    public void start(int nodes, LogStorage storage, int valueBytes, Path dir) throws Exception {
        this.storage = storage;
        this.valueBytes = valueBytes;
        System.setProperty("zookeeper.forceSync", storage == LogStorage.DISK ? "yes" : "no");
        System.setProperty("zookeeper.admin.enableServer", "false"); // no Jetty admin port
        List<InetSocketAddress> ports = Ports.free(3 * nodes);
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            File data = java.nio.file.Files.createDirectories(dir.resolve("zk-" + (i + 1))).toFile();
            specs.add(new InstanceSpec(data, ports.get(3 * i).getPort(), ports.get(3 * i + 1).getPort(), ports.get(3 * i + 2).getPort(), true,
                    i + 1, TICK_MS, 1000, Map.<String, Object>of("clientPortAddress", "127.0.0.1", "initLimit", "10", "syncLimit", "5"), "127.0.0.1"));
        }
        cluster = new TestingCluster(specs);
        CompletableFuture<Void> started = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                cluster.start();
                started.complete(null);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "start-zookeeper-ensemble");
        t.setDaemon(true);
        t.start();
        started.get(60, TimeUnit.SECONDS); // ZooKeeper's own start can hang on a loaded machine: bounded
        connect = cluster.getConnectString();
        try (ZooKeeper zk = open()) {
            try {
                zk.create("/bench", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // a retry after a connection loss may find it created
            }
        }
    }

    /** A new session, connected (waits up to 60 s: the ensemble elects its leader first). */
    private ZooKeeper open() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connect, SESSION_MS, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(60, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException(name() + ": no connection to " + connect + " within 60 s");
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) { // connected is not serving: wait until a write can commit
            try {
                zk.exists("/", false);
                zk.sync("/", (rc, path, ctx) -> { }, null);
                return zk;
            } catch (KeeperException.ConnectionLossException e) {
                if (System.nanoTime() > deadline) {
                    zk.close();
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private byte[] value(long seq) {
        ByteBuffer b = ByteBuffer.allocate(valueBytes);
        b.putLong(seq);
        return b.array();
    }

    @Override
    public Client client(int id) throws Exception {
        ZooKeeper zk = open();
        synchronized (handles) {
            handles.add(zk);
        }
        String key = "/bench/k" + id;
        String parent = "/bench/c" + id;
        for (String path : List.of(key, parent)) {
            try {
                zk.create(path, value(-1), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // an earlier client with this id made it
            }
        }
        return new Client() {
            @Override
            public void write(long seq) throws Exception {
                if (create) {
                    zk.create(parent + "/n" + seq, value(seq), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                } else {
                    zk.setData(key, value(seq), -1);
                }
            }

            @Override
            public long read() throws Exception {
                CountDownLatch synced = new CountDownLatch(1);
                zk.sync(create ? parent : key, (rc, path, ctx) -> synced.countDown(), null);
                if (!synced.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(name() + ": sync not answered in 30 s");
                }
                if (create) {
                    List<String> children = zk.getChildren(parent, false);
                    long max = -1;
                    for (String c : children) {
                        max = Math.max(max, Long.parseLong(c.substring(1)));
                    }
                    return max;
                }
                return ByteBuffer.wrap(zk.getData(key, false, null)).getLong();
            }

            @Override
            public void close() {
                try {
                    zk.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    @Override
    public void stopLeader() throws Exception {
        for (TestingZooKeeperServer s : cluster.getServers()) {
            if (mode(s.getInstanceSpec().getPort()).equals("leader")) {
                s.stop();
                return;
            }
        }
        throw new IllegalStateException(name() + ": no leader to stop");
    }

    /** The server's "Mode:" line from ZooKeeper's {@code srvr} four-letter command (whitelisted by default): leader, follower... */
    private static String mode(int clientPort) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", clientPort)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (String line : reply.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring(6).strip();
                }
            }
            return "unknown";
        } catch (java.io.IOException e) {
            return "down";
        }
    }

    @Override
    public String describe() {
        return name() + ": ZooKeeper " + org.apache.zookeeper.Version.getFullVersion().split(" ")[0] + " ensemble in this JVM (curator-test "
                + "TestingCluster), " + (create ? "create" : "setData") + " per write, tick " + TICK_MS + " ms, "
                + (storage == LogStorage.DISK ? "transaction log forced (forceSync=yes, group commit)" : "forceSync=no (log written, never forced)");
    }

    @Override
    public void close() {
        synchronized (handles) {
            for (ZooKeeper zk : handles) {
                try {
                    zk.close(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            handles.clear();
        }
        if (cluster != null) {
            try {
                cluster.close();
            } catch (Exception e) {
                // stopping anyway
            }
            cluster = null;
        }
    }
}
