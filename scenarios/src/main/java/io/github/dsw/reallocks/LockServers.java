package io.github.dsw.reallocks;

import io.github.dsw.proxy.Executables;
import io.github.dsw.proxy.LocalProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * Starts the real lock servers of chapter 9 on 127.0.0.1, each on free ports with its files in a temporary
 * folder, in the foreground, stopped by {@code close()} and by a shutdown hook if the run is interrupted
 * ({@link LocalProcess}): Debian's {@code redis-server} (one, or five independent instances for Redlock),
 * Debian's {@code etcd} (one member, client and peer URLs on loopback) and Apache ZooKeeper in this JVM
 * (curator-test's {@link TestingServer}, the real server class, standalone).
 *
 * <p>Redis runs without persistence ({@code save ""}, no AOF): the lock keys live in memory only, which is
 * what the Redlock description assumes unless fsync is enabled (its section "Performance, crash-recovery and
 * fsync").
 */
public final class LockServers {
    private LockServers() {}

    /** A started server: where clients connect, and how to stop it. */
    public interface Running extends AutoCloseable {
        /** {@code host:port} for clients (always 127.0.0.1). */
        String address();

        @Override
        void close();
    }

    /** What is missing and how to install it, or empty if {@code redis-server} and {@code etcd} are there. */
    public static Optional<String> missing(boolean redis, boolean etcd) {
        List<String> pkgs = new ArrayList<>();
        if (redis && redisBinary().isEmpty()) {
            pkgs.add("redis-server");
        }
        if (etcd && etcdBinary().isEmpty()) {
            pkgs.add("etcd-server");
        }
        if (pkgs.isEmpty()) {
            return Optional.empty();
        }
        String p = String.join(" ", pkgs);
        return Optional.of(p + " not installed: run ./dsw setup as root, or apt-get install " + p);
    }

    /** {@code $DSW_REDIS}, {@code /usr/bin/redis-server} or {@code redis-server} on the PATH. */
    public static Optional<Path> redisBinary() {
        return Executables.find("DSW_REDIS", "/usr/bin/redis-server", "redis-server");
    }

    /** {@code $DSW_ETCD}, {@code /usr/bin/etcd} or {@code etcd} on the PATH. */
    public static Optional<Path> etcdBinary() {
        return Executables.find("DSW_ETCD", "/usr/bin/etcd", "etcd");
    }

    /** {@code redis-server --version}'s version, e.g. {@code 7.0.15}. */
    public static String redisVersion() throws IOException {
        String out = Executables.run(List.of(redisBinary().orElseThrow().toString(), "--version"));
        int at = out.indexOf("v=");
        return at < 0 ? out.strip() : out.substring(at + 2).split(" ")[0];
    }

    /** {@code etcd --version}'s version, e.g. {@code 3.4.23}. */
    public static String etcdVersion() throws IOException {
        String out = Executables.run(List.of(etcdBinary().orElseThrow().toString(), "--version"));
        int at = out.indexOf("etcd Version:");
        return at < 0 ? out.strip() : out.substring(at + 13).strip().split("\\s")[0];
    }

    /** The ZooKeeper server's version in this JVM (from its jar), e.g. {@code 3.9.3}. */
    public static String zooKeeperVersion() {
        return org.apache.zookeeper.Version.getFullVersion().split("[-, ]")[0];
    }

    /** Starts one {@code redis-server} on 127.0.0.1 and a free port, without persistence. */
    public static Running startRedis() throws IOException {
        Path bin = redisBinary().orElseThrow(() -> new IOException(missing(true, false).orElseThrow()));
        Path dir = LocalProcess.tempFolder("redis");
        int port = LocalProcess.freePort();
        LocalProcess p = LocalProcess.start("redis-server", List.of(bin.toString(), "--bind", "127.0.0.1",
                "--port", Integer.toString(port), "--protected-mode", "yes", "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", dir.toString(), "--logfile", ""), dir, port);
        return running(p, "127.0.0.1:" + port);
    }

    /** Starts {@code n} independent {@code redis-server}s (Redlock's N masters). */
    public static List<Running> startRedises(int n) throws IOException {
        List<Running> all = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                all.add(startRedis());
            }
            return all;
        } catch (IOException | RuntimeException e) {
            all.forEach(Running::close);
            throw e;
        }
    }

    /**
     * Starts a one-member etcd: client and peer URLs on 127.0.0.1 and free ports, data in a temporary folder
     * (WAL fsync'd as always), and waits until it answers a request through its JSON gateway.
     */
    public static Running startEtcd() throws IOException {
        Path bin = etcdBinary().orElseThrow(() -> new IOException(missing(false, true).orElseThrow()));
        Path dir = LocalProcess.tempFolder("etcd");
        int client = LocalProcess.freePort();
        int peer = LocalProcess.freePort();
        String c = "http://127.0.0.1:" + client;
        String pu = "http://127.0.0.1:" + peer;
        LocalProcess p = LocalProcess.start("etcd", List.of(bin.toString(), "--name", "dsw",
                "--data-dir", dir.resolve("data").toString(), "--listen-client-urls", c, "--advertise-client-urls", c,
                "--listen-peer-urls", pu, "--initial-advertise-peer-urls", pu, "--initial-cluster", "dsw=" + pu,
                "--initial-cluster-state", "new", "--log-outputs", "stderr"), dir, client);
        Running r = running(p, "127.0.0.1:" + client);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        EtcdLock probe = new EtcdLock("127.0.0.1:" + client, 5);
        while (true) {
            try {
                probe.revision();
                return r;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    String log = p.log();
                    r.close();
                    throw new IOException("etcd did not answer within 20 s: " + notYet.getMessage() + "; " + log.strip());
                }
                sleep(50);
            }
        }
    }

    /**
     * Starts a standalone ZooKeeper in this JVM (curator-test's TestingServer) on 127.0.0.1 and a free port,
     * with {@code tickTime} ms ticks: sessions may last from 2 to 20 ticks.
     */
    public static Running startZooKeeper(int tickTime) throws IOException {
        try {
            Path dir = LocalProcess.tempFolder("zookeeper");
            int port = LocalProcess.freePort();
            InstanceSpec spec = new InstanceSpec(new File(dir.toString()), port, -1, -1, true, 1, tickTime, 100,
                    Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
            TestingServer zk = startBounded(spec);
            Thread hook = new Thread(() -> closeQuietly(zk), "stop-zookeeper");
            Runtime.getRuntime().addShutdownHook(hook);
            return new Running() {
                @Override
                public String address() {
                    return "127.0.0.1:" + zk.getPort();
                }

                @Override
                public void close() {
                    closeQuietly(zk);
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs anyway
                    }
                }
            };
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("ZooKeeper did not start: " + e, e);
        }
    }

    /**
     * Starts the TestingServer in a thread of its own and waits at most 60 s. ZooKeeper's embedded server, when
     * its start times out (seen at load average 32 on 2 cores), closes itself by joining a thread that never
     * ends: without this bound the caller would hang for ever instead of failing.
     */
    private static TestingServer startBounded(InstanceSpec spec) throws Exception {
        java.util.concurrent.CompletableFuture<TestingServer> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(new TestingServer(spec, true));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "start-zookeeper");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("ZooKeeper (TestingServer on 127.0.0.1:" + spec.getPort() + ") did not start within 60 s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("ZooKeeper did not start: " + e.getCause(), e.getCause());
        }
    }

    private static void closeQuietly(TestingServer zk) {
        try {
            zk.close();
        } catch (IOException ignored) {
            // stopping
        }
    }

    private static Running running(LocalProcess p, String address) {
        return new Running() {
            @Override
            public String address() {
                return address;
            }

            @Override
            public void close() {
                p.close();
            }

            @Override
            public String toString() {
                return p + " on " + address;
            }
        };
    }

    static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
