package io.github.dsw.cli;

import io.github.dsw.bench.cluster.ClusterBench;
import io.github.dsw.bench.cluster.RaftSystem;
import io.github.dsw.cluster.Opts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./dsw cluster-bench --systems dsw-raft,jgroups-raft,ratis --nodes 3 --clients C --size BYTES --time D
 * [--storage memory|disk]}: the project's Raft KV beside jgroups-raft and Apache Ratis, measured in the same
 * JVM and the same run ({@link ClusterBench}); also chapter 13's Zab store and a real ZooKeeper ensemble. One line
 * per system and repetition, {@code system=NAME ops_per_s=X p50_ms=Y p99_ms=Z ...}; with {@code --repeat N >= 2}, the
 * ratios of the first listed system's throughput to each other system's, paired by repetition, with a 95 % t interval.
 */
final class ClusterBenchCommand implements Command {

    static final String CSV_HEADER = "repeat,system,nodes,clients,size_bytes,storage,mode,rate,warmup_s,time_s,ops,errors,ops_per_s,"
            + "p50_ms,p90_ms,p99_ms,p999_ms,max_ms,loopback_rtt_p50_us,load_average";

    @Override
    public String name() {
        return "cluster-bench";
    }

    @Override
    public String summary() {
        return "the project's Raft and Zab KV beside jgroups-raft, Apache Ratis and ZooKeeper on 127.0.0.1, same run";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw cluster-bench [--systems dsw-raft,jgroups-raft,ratis] [--nodes 3] [--clients 8] [--size 256]
                                           [--time 10s] [--storage memory|disk] [--warmup 3s] [--rate OPS] [--repeat 1]
                                           [--warmup-rounds 0] [--csv FILE] [--dir DIR]

                Starts each system's cluster in this JVM (servers on 127.0.0.1, free ports), lets --clients threads
                write values of --size bytes to their own keys, and prints one line per system:
                  system=NAME ops_per_s=X p50_ms=Y p99_ms=Z p999_ms=W max_ms=M ops=N errors=E
                Systems: dsw-raft (chapter 7's KvService on chapter 8's NodeRuntime, KvClients over TCP),
                dsw-raft-embedded (the same servers, clients in process at the leader's event loop, as jgroups-raft's
                clients call the leader's RaftHandle: no client round trip over TCP), jgroups-raft 1.1.4.Final
                (TCP + TCPPING, InMemoryLog or FileBasedLog with fsync), ratis 3.2.2 (gRPC, memory or disk log;
                an async RaftClient per client thread, linearizable reads), ratis-embedded (the same servers, requests submitted in process at the
                leader);
                chapter 13's Zab store on NodeRuntime: dsw-zab (one change per PROPOSAL) and dsw-zab-batch (the
                leader batches up to 64); a real ZooKeeper 3.9 ensemble (curator-test TestingCluster): zookeeper
                (setData on the client's znode) and zookeeper-create (create a znode per write); disk: forceSync.
                Closed loop by default (each client waits for its answer); --rate OPS is the open loop: writes
                due at a fixed total rate, latency counted from when each was due (coordinated omission corrected).
                --repeat N runs the systems N times in rotating order; N >= 2 prints the first listed system's
                throughput ratio to each other system with a 95 % interval. --warmup-rounds K first runs K whole
                rotations that are printed as warm-up but neither recorded nor counted (as JMH's warm-up iterations:
                on 2 cores the JIT compilers share the CPU with the benchmark, and every system keeps speeding up
                over its first runs). --csv FILE appends one row per measurement.
                The machine's other load changes every number: compare systems of the same run only.
                Exit code: 0 done, 2 usage error.

                options:
                  --systems LIST    comma-separated: dsw-raft, dsw-raft-embedded, jgroups-raft, ratis, ratis-embedded,
                                    dsw-zab, dsw-zab-batch, zookeeper, zookeeper-create
                                    (default dsw-raft,jgroups-raft,ratis)
                  --nodes N         servers per cluster, 1..9 (default 3)
                  --clients C       client threads, 1..1024 (default 8)
                  --size BYTES      value size, 8..1048576 (default 256)
                  --time D          measured duration, e.g. 10s (default 10s)
                  --storage S       memory (default) or disk (fsync'd log)
                  --warmup D        unmeasured warm-up before each measurement (default 3s)
                  --rate OPS        open loop at OPS writes per second in all (default 0: closed loop)
                  --repeat N        runs per system in rotating order, 1..100 (default 1)
                  --warmup-rounds K unmeasured rotations of all systems before the first measured one, 0..20 (default 0)
                  --csv FILE        append one row per measurement to FILE
                  --dir DIR         data folder of the disk logs (default a new temporary folder)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("systems").option("nodes").option("clients").option("size").option("time")
                .option("storage").option("warmup").option("rate").option("repeat").option("warmup-rounds").option("csv").option("dir").parse(argv)
                .expectPositional(0, 0, "only options");
        List<String> systems = List.of(a.get("systems", "dsw-raft,jgroups-raft,ratis").split(","));
        for (String s : systems) {
            ClusterBench.system(s); // refuses an unknown name before anything starts
        }
        if (systems.stream().distinct().count() != systems.size()) {
            throw new UsageException(name() + ": --systems lists a system twice");
        }
        RaftSystem.LogStorage storage = RaftSystem.LogStorage.parse(a.get("storage", "memory"));
        ClusterBench.Settings settings = new ClusterBench.Settings(a.getInt("nodes", 3, 1, 9), a.getInt("clients", 8, 1, 1024),
                a.getInt("size", 256, 8, 1 << 20), storage, duration(a, "warmup", "3s"), duration(a, "time", "10s"), a.getDouble("rate", 0));
        if (settings.rate() < 0) {
            throw new UsageException(name() + ": --rate must be positive");
        }
        int repeat = a.getInt("repeat", 1, 1, 100);
        int warmupRounds = a.getInt("warmup-rounds", 0, 0, 20);
        Path csv = a.get("csv") == null ? null : Workbench.userPath(a.get("csv"));
        Path root = a.get("dir") == null ? Files.createTempDirectory("dsw-cluster-bench") : Files.createDirectories(Workbench.userPath(a.get("dir")));
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "# cluster-bench nodes=%d clients=%d size=%d storage=%s mode=%s%s warmup=%.1fs time=%.1fs repeat=%d warmup_rounds=%d cpus=%d jdk=%s%n",
                settings.nodes(), settings.clients(), settings.valueBytes(), storage.name().toLowerCase(Locale.ROOT), settings.mode(),
                settings.rate() > 0 ? " rate=" + settings.rate() : "", settings.warmupNs() / 1e9, settings.durationNs() / 1e9, repeat,
                warmupRounds, Runtime.getRuntime().availableProcessors(), Runtime.version());
        org.HdrHistogram.Histogram rtt = io.github.dsw.bench.cluster.LoopbackRtt.measure(2000);
        double rttUs = rtt.getValueAtPercentile(50);
        out.printf(Locale.ROOT, "# loopback_rtt_us p50=%d p99=%d (2000 TCP round trips of 64 bytes on 127.0.0.1)%n", rtt.getValueAtPercentile(50),
                rtt.getValueAtPercentile(99));
        Map<String, List<Double>> throughput = new LinkedHashMap<>();
        systems.forEach(s -> throughput.put(s, new ArrayList<>()));
        try {
            for (int r = -warmupRounds; r < repeat; r++) {
                for (int k = 0; k < systems.size(); k++) {
                    String name = systems.get(Math.floorMod(k + r, systems.size()));
                    Path dir = Files.createDirectories(root.resolve("r" + r + "-" + name));
                    System.gc();
                    ClusterBench.Result res = ClusterBench.run(ClusterBench.system(name), settings, dir);
                    if (r < 0) { // a warm-up round: shown, so that a reader sees the speed-up, but not measured
                        out.println("# warm-up round " + (r + warmupRounds + 1) + " of " + warmupRounds + " (not recorded): " + res.line());
                        deleteTree(dir);
                        continue;
                    }
                    out.println(res.line());
                    out.println("# " + res.describe() + "; load average " + loadAverage());
                    throughput.get(name).add(res.opsPerSecond());
                    if (csv != null) {
                        appendCsv(csv, r, res, rttUs);
                    }
                    deleteTree(dir);
                }
            }
        } finally {
            if (a.get("dir") == null) {
                deleteTree(root);
            }
        }
        if (repeat >= 2) {
            String anchor = systems.get(0);
            for (String other : systems) {
                if (!other.equals(anchor)) {
                    out.println(ratioLine(anchor, other, throughput.get(anchor), throughput.get(other)));
                }
            }
        }
        return 0;
    }

    private long duration(Args a, String option, String fallback) {
        try {
            return Opts.duration("--" + option, a.get(option, fallback));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
    }

    /** Mean of the paired ratios a[i] / b[i] with a 95 % Student t interval. */
    static String ratioLine(String a, String b, List<Double> num, List<Double> den) {
        int n = num.size();
        double[] r = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            r[i] = num.get(i) / den.get(i);
            mean += r[i] / n;
        }
        double var = 0;
        for (double x : r) {
            var += (x - mean) * (x - mean) / (n - 1);
        }
        double half = tQuantile975(n - 1) * Math.sqrt(var / n);
        return String.format(Locale.ROOT, "ratio %s/%s ops_per_s mean=%.3f ci95=[%.3f,%.3f] n=%d", a, b, mean, mean - half, mean + half, n);
    }

    /** Student's t 0.975 quantile for {@code df} degrees of freedom (table values, then the normal 1.96). */
    static double tQuantile975(int df) {
        double[] t = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
                2.101, 2.093, 2.086};
        return df >= 1 && df <= t.length ? t[df - 1] : 1.96;
    }

    private static void appendCsv(Path csv, int repeat, ClusterBench.Result r, double rttUs) throws IOException {
        boolean fresh = !Files.exists(csv) || Files.size(csv) == 0;
        ClusterBench.Settings s = r.settings();
        String row = String.format(Locale.ROOT, "%d,%s,%d,%d,%d,%s,%s,%.1f,%.1f,%.1f,%d,%d,%.1f,%.3f,%.3f,%.3f,%.3f,%.3f,%.0f,%s%n", repeat, r.system(), s.nodes(),
                s.clients(), s.valueBytes(), s.storage().name().toLowerCase(Locale.ROOT), s.mode(), s.rate(), s.warmupNs() / 1e9, s.durationNs() / 1e9,
                r.ops(), r.errors(), r.opsPerSecond(), r.ms(50), r.ms(90), r.ms(99), r.ms(99.9),
                r.latencyUs().getTotalCount() == 0 ? Double.NaN : r.latencyUs().getMaxValue() / 1000.0, rttUs, loadAverage());
        Files.writeString(csv, (fresh ? CSV_HEADER + "\n" : "") + row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
