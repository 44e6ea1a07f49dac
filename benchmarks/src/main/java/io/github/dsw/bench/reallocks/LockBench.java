package io.github.dsw.bench.reallocks;

import io.github.dsw.cluster.FsyncPolicy;
import io.github.dsw.cluster.LocalCluster;
import io.github.dsw.cluster.LockClient;
import io.github.dsw.cluster.RaftLock;
import io.github.dsw.cluster.Torture;
import io.github.dsw.reallocks.DistLock;
import io.github.dsw.reallocks.EtcdLock;
import io.github.dsw.reallocks.LockServers;
import io.github.dsw.reallocks.Resp;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Chapter 9's lock benchmark: acquire + release latency (HdrHistogram, p50/p99) and throughput of real lock
 * services on loopback, for 1, 4 and 16 clients, contended (every client on one lock) and uncontended (a lock
 * per client), all in one run. Each client is a thread with its own connection or session, running
 * acquire-then-release back to back (closed loop) for a fixed time after a warm-up; the latency of one
 * operation is from the start of the acquire to the end of the release, so under contention it includes the
 * wait for the other clients.
 *
 * <p>The anchor measured in the same run is one Redis {@code PING} round trip from one client: every row is
 * also given as a multiple of it, the only form in which numbers from a loaded machine mean something.
 *
 * <p>Targets are a list ({@link #defaultTargets}); the last two are the project's own lock service on three
 * real node processes ({@link #raftLock}), fsync'd and in memory.
 */
public final class LockBench {
    private LockBench() {}

    /** Makes one client of a target (a connection/session of its own). */
    @FunctionalInterface
    public interface ClientFactory {
        DistLock open() throws IOException;
    }

    /** A lock service under test: its row name, version, clients, and the servers to stop afterwards. */
    public record Target(String system, String version, ClientFactory clients, List<? extends AutoCloseable> servers) {}

    /** One measured cell. */
    public record Row(String system, String version, int clients, String mode, long ops, double seconds,
                      double throughput, double p50Micros, double p99Micros, double maxMicros, long errors) {}

    /**
     * Starts Redis (one instance, the token + compare-and-delete lock), Redis x5 (Redlock), ZooKeeper (Curator's
     * mutex and the project's recipe, one server) and etcd (a session lease per client, 60 s). Lock TTLs and
     * sessions are long (10 s and more) so that no lock expires during the run. Then the project's lock service,
     * fsync'd and in memory ({@link #raftLock}).
     */
    public static List<Target> defaultTargets() throws IOException {
        List<Target> t = new ArrayList<>();
        LockServers.Running redis = LockServers.startRedis();
        String rv = LockServers.redisVersion();
        t.add(new Target("redis-single", rv, () -> DistLock.open("redis-cad", List.of(redis.address()), 10_000), List.of(redis)));
        List<LockServers.Running> five = LockServers.startRedises(5);
        List<String> fiveAddresses = five.stream().map(LockServers.Running::address).toList();
        t.add(new Target("redlock-5", rv, () -> DistLock.open("redlock", fiveAddresses, 10_000), five));
        LockServers.Running zk = LockServers.startZooKeeper(500);
        String zv = LockServers.zooKeeperVersion();
        t.add(new Target("zk-curator", zv + " / curator 5.9.0", () -> DistLock.open("zk-curator", List.of(zk.address()), 10_000),
                List.of()));
        t.add(new Target("zk-recipe", zv, () -> DistLock.open("zk-recipe", List.of(zk.address()), 10_000), List.of(zk)));
        LockServers.Running etcd = LockServers.startEtcd();
        t.add(new Target("etcd", LockServers.etcdVersion(), () -> {
            EtcdLock e = new EtcdLock(etcd.address(), 60);
            e.useSessionLease();
            return e;
        }, List.of(etcd)));
        t.add(raftLock("dsw-raft-lock", FsyncPolicy.EVERY, "disk"));
        t.add(raftLock("dsw-raft-lock-mem", FsyncPolicy.NONE, "memory"));
        return t;
    }

    private static final AtomicInteger CLIENT_IDS = new AtomicInteger(1_000);

    /**
     * The project's lock service (chapter 9; {@link RaftLock}): three node processes on 127.0.0.1 started here
     * ({@link LocalCluster}), each client a {@link LockClient} with its own session (lease 60 s). {@code disk} +
     * {@link FsyncPolicy#EVERY}: every grant and release is forced to the log of a majority before it is
     * answered, as ZooKeeper and etcd do; {@code memory}: the same protocol with nothing forced (what the
     * fsyncs cost).
     */
    public static Target raftLock(String system, FsyncPolicy fsync, String storage) throws IOException {
        Path dir = Files.createTempDirectory("dsw-lock-bench-");
        List<InetSocketAddress> peers = Torture.freeLoopbackPorts(3);
        LocalCluster cluster = new LocalCluster(new LocalCluster.Spec(RaftLock.NAME, dir, peers, fsync, storage, true, LocalCluster.NODE_JVM));
        AutoCloseable stop = () -> {
            cluster.close();
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        };
        try {
            cluster.startAll(120_000_000_000L);
        } catch (RuntimeException e) {
            try {
                stop.close();
            } catch (Exception ignored) {
                // already failing
            }
            throw e;
        }
        String version = "this repo, 3 nodes, " + storage + (storage.equals("disk") ? " fsync " + fsync.cliName() : "");
        return new Target(system, version, () -> new RaftLockClient(peers, CLIENT_IDS.incrementAndGet()), List.of(stop));
    }

    /** {@link LockClient} as a {@link DistLock}: a session per client; the token is the grant's log index. */
    static final class RaftLockClient implements DistLock {
        private final LockClient client;

        RaftLockClient(List<InetSocketAddress> peers, int id) throws IOException {
            client = new LockClient(peers, id, 1_000_000_000L);
            try {
                client.open(60_000_000_000L, System.nanoTime() + 30_000_000_000L);
            } catch (RuntimeException e) {
                client.close(0);
                throw new IOException("cannot open a lock-service session: " + e.getMessage(), e);
            }
        }

        @Override
        public Grant acquire(String lock, long timeoutMillis) throws IOException {
            long token = client.acquire(lock, System.nanoTime() + timeoutMillis * 1_000_000L);
            return token < 0 ? null : new Grant(lock, token, String.valueOf(client.session()));
        }

        @Override
        public boolean release(Grant grant) throws IOException {
            try {
                client.release(grant.lock(), grant.token(), System.nanoTime() + 10_000_000_000L);
                return true;
            } catch (LockClient.Refused e) {
                return false;
            }
        }

        @Override
        public void close() {
            client.close(1_000_000_000L);
        }
    }

    /** The anchor: p50 of one Redis PING round trip (microseconds) over {@code seconds}. */
    public static Row pingAnchor(String redisAddress, String version, double seconds) throws IOException {
        Histogram h = new Histogram(3);
        long ops = 0;
        try (Resp r = new Resp(redisAddress, 5_000)) {
            long warm = System.nanoTime() + 200_000_000L;
            while (System.nanoTime() < warm) {
                r.call("PING");
            }
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                r.call("PING");
                h.recordValue(System.nanoTime() - t0);
                ops++;
            }
            double s = (System.nanoTime() - start) / 1e9;
            return new Row("anchor-redis-ping", version, 1, "-", ops, s, ops / s, h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3, 0);
        }
    }

    /** Measures one cell: {@code clients} threads on {@code target}, contended or not. */
    public static Row measure(Target target, int clients, boolean contended, double warmupSeconds, double seconds)
            throws IOException, InterruptedException {
        List<DistLock> locks = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                locks.add(target.clients().open());
            }
            Histogram[] hist = new Histogram[clients];
            long[] ops = new long[clients];
            long[] errors = new long[clients];
            AtomicBoolean recording = new AtomicBoolean(false);
            AtomicBoolean stop = new AtomicBoolean(false);
            CountDownLatch done = new CountDownLatch(clients);
            String prefix = "bench-" + target.system() + "-" + clients + (contended ? "-c" : "-u");
            for (int i = 0; i < clients; i++) {
                int me = i;
                hist[i] = new Histogram(3);
                Thread th = new Thread(() -> {
                    DistLock l = locks.get(me);
                    String name = contended ? prefix : prefix + "-" + me;
                    try {
                        while (!stop.get()) {
                            long t0 = System.nanoTime();
                            try {
                                DistLock.Grant g = l.acquire(name, 30_000);
                                if (g == null) {
                                    errors[me]++;
                                    continue;
                                }
                                l.release(g);
                            } catch (IOException | RuntimeException e) {
                                errors[me]++;
                                continue;
                            }
                            if (recording.get()) {
                                hist[me].recordValue(System.nanoTime() - t0);
                                ops[me]++;
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                }, "lock-bench-" + i);
                th.setDaemon(true);
                th.start();
            }
            Thread.sleep((long) (warmupSeconds * 1000));
            recording.set(true);
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            recording.set(false);
            double s = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            done.await();
            Histogram all = new Histogram(3);
            long n = 0;
            long err = 0;
            for (int i = 0; i < clients; i++) {
                all.add(hist[i]);
                n += ops[i];
                err += errors[i];
            }
            return new Row(target.system(), target.version(), clients, contended ? "contended" : "uncontended", n, s,
                    n / s, all.getValueAtPercentile(50) / 1e3, all.getValueAtPercentile(99) / 1e3,
                    all.getMaxValue() / 1e3, err);
        } finally {
            locks.forEach(DistLock::close);
        }
    }

    /** The CSV header of {@link #csv(Row, double)}. */
    public static final String HEADER =
            "system,version,clients,mode,ops,seconds,throughput_per_s,p50_us,p99_us,max_us,errors,p50_vs_ping";

    /** One CSV line; {@code anchorP50} is the PING anchor's p50 (microseconds). */
    public static String csv(Row r, double anchorP50) {
        return String.format(java.util.Locale.ROOT, "%s,%s,%d,%s,%d,%.3f,%.1f,%.1f,%.1f,%.1f,%d,%.1f", r.system(),
                r.version().replace(',', ';'), r.clients(), r.mode(), r.ops(), r.seconds(), r.throughput(),
                r.p50Micros(), r.p99Micros(), r.maxMicros(), r.errors(), r.p50Micros() / anchorP50);
    }

    /**
     * Runs every cell of every target, printing CSV lines to {@code out} as they come; returns the rows
     * (anchor first). Stops every target's servers at the end.
     */
    public static List<Row> run(List<Target> targets, String anchorRedis, String redisVersion, int[] clientCounts,
                                double warmup, double seconds, PrintStream out) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        try {
            Row anchor = pingAnchor(anchorRedis, redisVersion, seconds);
            rows.add(anchor);
            out.println(HEADER);
            out.println(csv(anchor, anchor.p50Micros()));
            for (Target t : targets) {
                for (boolean contended : new boolean[] {true, false}) {
                    for (int c : clientCounts) {
                        Row r = measure(t, c, contended, warmup, seconds);
                        rows.add(r);
                        out.println(csv(r, anchor.p50Micros()));
                        out.flush();
                    }
                }
            }
            return rows;
        } finally {
            for (Target t : targets) {
                for (AutoCloseable s : t.servers()) {
                    try {
                        s.close();
                    } catch (Exception ignored) {
                        // stopping
                    }
                }
            }
        }
    }
}
