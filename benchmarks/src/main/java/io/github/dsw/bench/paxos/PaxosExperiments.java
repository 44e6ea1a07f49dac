package io.github.dsw.bench.paxos;

import io.github.dsw.model.QuorumLatency;
import io.github.dsw.paxos.MultiPaxosMessage;
import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.PaxosKvRun;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Chapter 6 experiments on the simulated Multi-Paxos key-value store ({@link MultiPaxosNode}), no faults:
 *
 * <ol>
 *   <li><b>Commit latency</b> (virtual time, exact and reproducible from the seed): for every slot the leader
 *       chooses, the time from sending its Accepts to seeing a phase-2 quorum ({@link MultiPaxosNode.SlotChosen}),
 *       for 3, 5 and 7 servers and three one-way delay distributions between servers (constant 1 ms,
 *       uniform 0.5-1.5 ms, log-normal median 1 ms sigma 0.5). Links to self are instantaneous and fsync
 *       costs nothing, so the model is exactly the k-th smallest of the n − 1 follower round trips
 *       ({@link QuorumLatency}, k = majority − 1), the round trip being the sum of two one-way delays.
 *       Writes {@code commit-latency.csv} (percentiles, simulated and model) and
 *       {@code commit-latency-samples.csv} (the first 2000 slots of every run, for histograms).</li>
 *   <li><b>Throughput</b> (wall time, machine dependent): ok operations and chosen slots per second of wall
 *       time of the simulation (median of 3 identical runs), 5 servers, 200 closed-loop clients, 20000 operations,
 *       versus batch size and pipeline window.
 *       Writes {@code throughput.csv}.</li>
 * </ol>
 *
 * <p>How to run this: {@code mvn -q -pl benchmarks -am package -DskipTests} then
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.dsw.bench.paxos.PaxosExperiments [outDir]}
 * (default {@code datasets/paxos}); about 30-60 s.
 */
public final class PaxosExperiments {

    /** One link-delay distribution: its simulator form and an independent sampler for the model. */
    public record Dist(String name, Latency latency, ToDoubleFunction<SplittableRandom> oneWayNs) {
    }

    /** The three one-way delay distributions of chapters 6 and 7 (Raft's experiments reuse them). */
    public static final List<Dist> DISTS = List.of(
            new Dist("constant", new Latency.Constant(1_000_000), r -> 1_000_000),
            new Dist("uniform", new Latency.Uniform(500_000, 1_500_000), r -> 500_000 + r.nextDouble() * 1_000_000),
            new Dist("lognormal", new Latency.LogNormal(1_000_000, 0.5), r -> 1_000_000 * Math.exp(0.5 * gaussian(r))));

    static final int[] SIZES = {3, 5, 7};
    static final int[] BATCHES = {1, 2, 4, 8, 16, 32};
    static final int[] WINDOWS = {1, 4, 16};
    static final double[] PERCENTILES = {50, 90, 99, 99.9};
    /** Closed-loop clients and operations of each throughput run. */
    static final int CLIENTS = 200;
    static final int THROUGHPUT_OPS = 20_000;

    private PaxosExperiments() {
    }

    /** What one simulation produced. */
    record Result(long[] commitNs, int okOps, int slots, long commands, long virtualNs, long wallNs) {
    }

    /** Runs one fault-free simulation; self links instantaneous, fsync free. */
    static Result simulate(long seed, int nodes, Latency serverLatency, int clients, int ops, int window, int batch) {
        SimConfig config = SimConfig.defaults(seed, nodes).withServerLink(LinkModel.reliable(serverLatency)).withFsyncNs(0)
                .withTrace(Trace.Level.COUNTS, false);
        Quorums q = Quorums.majority(nodes);
        long t0 = System.nanoTime();
        Simulator<MultiPaxosMessage> sim = new Simulator<>(config, id -> new MultiPaxosNode(q, window, batch, MultiPaxosNode.Mutation.NONE));
        for (int i = 0; i < nodes; i++) {
            sim.setLink(i, i, LinkModel.reliable(new Latency.Constant(0)));
        }
        List<Long> commit = new ArrayList<>();
        long[] commands = {0};
        sim.onOutput((node, event) -> {
            if (event instanceof MultiPaxosNode.SlotChosen c) {
                commit.add(c.chosenNs() - c.proposedNs());
                commands[0] += c.commands();
            }
        });
        Workload<MultiPaxosMessage> workload = new Workload<>(PaxosKvRun.SPEC, new PaxosKvRun.Client(), ops);
        workload.attach(sim, clients);
        sim.runUntil(PaxosKvRun.HORIZON_NS, workload::done);
        long wall = System.nanoTime() - t0;
        int ok = workload.latenciesNs().length;
        return new Result(commit.stream().mapToLong(Long::longValue).toArray(), ok, commit.size(), commands[0], sim.now(), wall);
    }

    /**
     * The model's CDF of one round trip (two independent one-way delays), in ns: exact for a constant
     * delay, else the empirical CDF of 200,000 sums drawn with {@code seed}. Shared with the Raft experiments.
     */
    public static DoubleUnaryOperator roundTripCdf(Dist d, long seed) {
        if (d.latency() instanceof Latency.Constant c) {
            return QuorumLatency.constantCdf(2.0 * c.ns());
        }
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[200_000];
        for (int i = 0; i < s.length; i++) {
            s[i] = d.oneWayNs().applyAsDouble(r) + d.oneWayNs().applyAsDouble(r);
        }
        return QuorumLatency.empiricalCdf(s);
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "datasets/paxos");
        Files.createDirectories(out);
        long start = System.nanoTime();
        try (PrintWriter lat = new PrintWriter(Files.newBufferedWriter(out.resolve("commit-latency.csv"), StandardCharsets.UTF_8));
             PrintWriter samples = new PrintWriter(Files.newBufferedWriter(out.resolve("commit-latency-samples.csv"), StandardCharsets.UTF_8))) {
            lat.println("nodes,k,latency,slots,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms,model_mean_ms,model_p50_ms,model_p90_ms,model_p99_ms,model_p999_ms");
            samples.println("nodes,latency,commit_ns");
            for (Dist d : DISTS) {
                DoubleUnaryOperator rtt = roundTripCdf(d, 42);
                for (int n : SIZES) {
                    int k = QuorumLatency.followerAcks(n);
                    Result r = simulate(1, n, d.latency(), 8, 3000, 8, 1);
                    // 5 significant digits: a constant 2 ms is reported as 2.0000 ms, not as its 3-digit bucket.
                    Histogram h = new Histogram(5);
                    for (long v : r.commitNs()) {
                        h.recordValue(v);
                    }
                    for (int i = 0; i < Math.min(2000, r.commitNs().length); i++) {
                        samples.printf(Locale.ROOT, "%d,%s,%d%n", n, d.name(), r.commitNs()[i]);
                    }
                    StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%d,%s,%d,%.6f", n, k, d.name(), r.slots(),
                            java.util.Arrays.stream(r.commitNs()).average().orElse(Double.NaN) / 1e6));
                    for (double p : PERCENTILES) {
                        row.append(String.format(Locale.ROOT, ",%.6f", h.getValueAtPercentile(p) / 1e6));
                    }
                    double modelMean = d.latency() instanceof Latency.Constant c ? 2.0 * c.ns() : QuorumLatency.kthMean(rtt, n - 1, k, 20e6, 4000);
                    row.append(String.format(Locale.ROOT, ",%.6f", modelMean / 1e6));
                    for (double p : PERCENTILES) {
                        double m = d.latency() instanceof Latency.Constant c ? 2.0 * c.ns()
                                : QuorumLatency.kthQuantile(rtt, n - 1, k, p / 100, 0, 50e6);
                        row.append(String.format(Locale.ROOT, ",%.6f", m / 1e6));
                    }
                    lat.println(row);
                    System.out.println("latency " + row);
                }
            }
        }
        try (PrintWriter thr = new PrintWriter(Files.newBufferedWriter(out.resolve("throughput.csv"), StandardCharsets.UTF_8))) {
            thr.println("batch,window,ok_ops,slots,commands,virtual_s,wall_ms,commands_per_wall_s,slots_per_wall_s,commands_per_virtual_s");
            // One warm-up run so that the first measured configuration is not charged for JIT compilation.
            simulate(99, 5, new Latency.LogNormal(1_000_000, 0.3), CLIENTS, THROUGHPUT_OPS, 4, 4);
            for (int b : BATCHES) {
                for (int w : WINDOWS) {
                    // Same seed three times: identical virtual runs, so the median wall time only filters noise.
                    Result[] reps = new Result[3];
                    for (int i = 0; i < reps.length; i++) {
                        reps[i] = simulate(2, 5, new Latency.LogNormal(1_000_000, 0.3), CLIENTS, THROUGHPUT_OPS, w, b);
                    }
                    java.util.Arrays.sort(reps, java.util.Comparator.comparingLong(Result::wallNs));
                    Result r = reps[1];
                    double wallS = r.wallNs() / 1e9;
                    String row = String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%.6f,%.3f,%.1f,%.1f,%.1f", b, w, r.okOps(), r.slots(), r.commands(),
                            r.virtualNs() / 1e9, r.wallNs() / 1e6, r.commands() / wallS, r.slots() / wallS, r.commands() / (r.virtualNs() / 1e9));
                    thr.println(row);
                    System.out.println("throughput " + row);
                }
            }
        }
        System.out.printf(Locale.ROOT, "done in %.1f s, wrote %s%n", (System.nanoTime() - start) / 1e9, out);
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
