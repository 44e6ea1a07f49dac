package io.github.dsw.cli;

import io.github.dsw.bench.reallocks.LockBench;
import io.github.dsw.reallocks.LockServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./dsw lock-bench [--seconds S] [--warmup S] [--clients 1,4,16] [--out DIR]}: chapter 9's benchmark of
 * real lock services on loopback ({@link LockBench}): Redis single instance, Redlock over five, ZooKeeper with
 * Curator's mutex and with the project's recipe, etcd. Writes {@code locks.csv} and {@code provenance.md} into
 * the output folder. Exits 3 if redis-server or etcd is missing (nothing measured).
 */
final class LockBenchCommand implements Command {

    @Override
    public String name() {
        return "lock-bench";
    }

    @Override
    public String summary() {
        return "chapter 9: acquire+release latency and throughput of real Redis, Redlock, ZooKeeper, etcd locks";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw lock-bench [--seconds S] [--warmup S] [--clients LIST] [--out DIR]

                Starts redis-server (one, and five for Redlock) and etcd (Debian packages redis-server and
                etcd-server; ./dsw setup installs them as root) and ZooKeeper (in the JVM) on 127.0.0.1, then
                measures acquire+release back to back for each lock: Redis single instance (token +
                compare-and-delete), Redlock over 5, ZooKeeper with Curator's InterProcessMutex and with the
                project's ephemeral-sequential recipe, etcd's lock API with a session lease, and the project's own
                lock service (./dsw cluster start raft-lock: 3 node processes started here, once fsync'd on disk,
                once in memory, a session per client); for each client
                count, contended (one lock) and uncontended (a lock per client). The anchor is one Redis PING
                round trip, measured in the same run; p50_vs_ping is each row's p50 over the anchor's.

                Output: CSV lines on stdout as they are measured; with --out, DIR/locks.csv and
                DIR/provenance.md (command, JDK, CPU, load average before and after, versions).
                Exit status: 0 measured; 3 redis-server or etcd is missing.

                options:
                  --seconds S     measured time per cell (default 1)
                  --warmup S      warm-up per cell, not measured (default 0.3)
                  --clients LIST  client counts, comma-separated (default 1,4,16)
                  --out DIR       write locks.csv and provenance.md there
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("seconds").option("warmup").option("clients").option("out").parse(argv)
                .expectPositional(0, 0, "no positional arguments");
        double seconds = a.getDouble("seconds", 1.0);
        double warmup = a.getDouble("warmup", 0.3);
        if (!(seconds > 0 && seconds <= 600) || !(warmup >= 0 && warmup <= 600)) {
            throw new UsageException("lock-bench: --seconds must be in (0, 600] and --warmup in [0, 600]");
        }
        int[] clients;
        try {
            clients = Arrays.stream(a.get("clients", "1,4,16").split(",")).map(String::strip)
                    .mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new UsageException("lock-bench: --clients must be a comma-separated list of integers, got "
                    + a.get("clients"));
        }
        for (int c : clients) {
            if (c < 1 || c > 64) {
                throw new UsageException("lock-bench: each --clients count must be in 1..64, got " + c);
            }
        }
        Path out = OutputPaths.forCommand(name()).folder("--out", a.get("out", null));
        Optional<String> missing = LockServers.missing(true, true);
        if (missing.isPresent()) {
            System.err.println("dsw lock-bench: " + missing.get());
            return ExitCode.UNDECIDED;
        }
        String loadBefore = load();
        Instant started = Instant.now();
        List<LockBench.Target> targets = LockBench.defaultTargets();
        String redis = ((io.github.dsw.reallocks.LockServers.Running) targets.get(0).servers().get(0)).address();
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(new TeeStream(System.out, csv), true, StandardCharsets.UTF_8);
        LockBench.run(targets, redis, targets.get(0).version(), clients, warmup, seconds, both);
        both.flush();
        if (out != null) {
            Files.write(out.resolve("locks.csv"), csv.toByteArray());
            Files.writeString(out.resolve("provenance.md"), """
                    # ./dsw lock-bench

                    - Command: `./dsw lock-bench %s` from %s to %s UTC.
                    - JDK: %s (%s); CPU: %s, %d cores seen by the JVM.
                    - Load average (1, 5, 15 min) before: %s; after: %s. The machine may be shared: read
                      ratios (p50_vs_ping) and orderings, not microseconds.
                    - Servers: redis-server %s (no persistence), etcd %s (one member, WAL fsync'd), ZooKeeper %s
                      in the same JVM as the clients (curator-test TestingServer), the project's lock service as 3
                      node JVMs (dsw-raft-lock: disk, fsync every; dsw-raft-lock-mem: memory), all on 127.0.0.1.
                    - Clients: threads of this JVM, each with its own connection/session, acquire then release
                      back to back; latency from the start of acquire to the end of release (HdrHistogram, 3
                      significant digits); %.1f s warm-up, %.1f s measured per cell.
                    """.formatted(String.join(" ", argv), started, Instant.now(), Runtime.version(),
                    System.getProperty("java.vendor"), cpu(), Runtime.getRuntime().availableProcessors(), loadBefore,
                    load(), LockServers.redisVersion(), LockServers.etcdVersion(), LockServers.zooKeeperVersion(),
                    warmup, seconds));
            System.err.println("dsw lock-bench: wrote " + out.resolve("locks.csv") + " and provenance.md");
        }
        return ExitCode.OK;
    }

    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (Exception e) {
            return String.format("%.1f (1 min)", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (Exception e) {
            return System.getProperty("os.arch");
        }
    }
}
