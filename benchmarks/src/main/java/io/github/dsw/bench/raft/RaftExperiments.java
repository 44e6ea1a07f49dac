package io.github.dsw.bench.raft;

import io.github.dsw.bench.paxos.PaxosExperiments.Dist;
import io.github.dsw.bench.paxos.PaxosExperiments;
import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.model.QuorumLatency;
import io.github.dsw.paxos.MultiPaxosMessage;
import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.PaxosKvRun;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.raft.KvStore.Command;
import io.github.dsw.raft.KvStore;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.Proposal;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftHost;
import io.github.dsw.raft.RaftMessage;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.Status;
import io.github.dsw.report.Provenance;
import io.github.dsw.runtime.Context;
import io.github.dsw.sim.ClientProtocol;
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
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * Chapter 7 experiments: {@link RaftNode} in the simulator, no faults, next to the order-statistic model
 * ({@link QuorumLatency}) and next to Multi-Paxos ({@link MultiPaxosNode}) on the same network.
 *
 * <p><b>Set-up.</b> Each server is a {@link RaftHost} of a {@link KvStore} with a {@link ForwardingService}: all
 * operations (reads too) through the log. A client may contact any server (the same {@link Workload} as
 * {@code PaxosExperiments}, {@code PaxosKvRun.SPEC}); a follower forwards the request to the leader it
 * knows (or holds it until it knows one), the leader proposes it and answers the client itself once the
 * entry is applied. Client links 0.5 ms constant, fsync free (so "persist before send" costs no virtual
 * time), ticks of 10 ms (election timeout 100-190 ms, heartbeat every 2 ticks). Server links either as
 * the simulator makes them ({@link Links#RAW}: with a random delay, later messages overtake earlier ones)
 * or in order per link ({@link Links#FIFO}: the service numbers Raft messages per link and holds back
 * those that arrive early, like TCP, which real Raft implementations run over).
 *
 * <p><b>Commit latency</b>, exactly: for an entry appended by the leader in its step at virtual time a
 * ({@link RaftNode#propose} inside the handling of a client request or a forward), and first reported
 * committed by the leader's {@link RaftNode#ready()} at the end of its step at time c, the latency is
 * c − a. Entries appended before the leader's own no-op (section 8 of the paper) committed are left out
 * (the followers are still in probe state then). The client-observed latency (request sent to reply
 * received, including the forward hop and client links) is reported too, for operations invoked after the
 * first ok answer of the run (earlier ones waited for the first election).
 *
 * <p><b>Model.</b> The leader counts itself (its own entry is stable as soon as it is appended, fsync
 * being free), so it needs k = ⌊n/2⌋ follower answers: the commit latency is the k-th smallest of the
 * n − 1 follower round trips, as for Multi-Paxos's phase 2 ({@link QuorumLatency}). Heartbeat ticks play
 * no part: a proposal is sent at once, and with a constant delay nothing else does either, so the model is
 * exact (2 × the one-way delay). An fsync of f would add 2f (the leader's before its AppendEntries leave,
 * as RaftHost persists before sending, and the follower's before it answers; etcd overlaps the leader's
 * with the sending, dissertation section 10.2.1); the runs here use f = 0, and the test checks 2d + 2f. With random delays Raft departs from it in three ways:
 * <ol>
 *   <li>a follower accepts entry i only after entry i − 1 (the consistency check keeps the log a prefix).
 *       On FIFO links an entry waits behind a slower earlier one (head-of-line blocking): follower f's
 *       answer for i arrives no earlier than its own round trip for i, and the k-th smallest of values that
 *       are each at least as large is at least as large, so the simulated latency is stochastically at
 *       least the model's (every percentile at least the model's, up to sampling error);</li>
 *   <li>on RAW links an AppendEntries that overtakes its predecessor is rejected (log too short) and the
 *       follower goes back to probe state, which costs at least one more round trip; the rejections are
 *       counted. Answers are cumulative (matchIndex), so a quick answer for i + 1 also acknowledges i,
 *       which can make single entries faster than the model;</li>
 *   <li>a full window holds entries back until an answer frees a slot (none here at 1 or 8 clients with a
 *       window of 8).</li>
 * </ol>
 * Multi-Paxos slots are independent of each other, so on the same RAW links Multi-Paxos follows the model.
 *
 * <p>Experiments and files (in the output folder, with {@code provenance.json} and {@code README.md}):
 * <ol>
 *   <li>{@code commit-latency.csv}: 3, 5, 7 servers × the three delay distributions of
 *       {@code PaxosExperiments} × RAW/FIFO links × 1 and 8 closed-loop clients, 3000 operations,
 *       window 8, batch 1; {@code commit-latency-samples.csv}: the first 2000 entries of each run.</li>
 *   <li>{@code throughput.csv}: 5 servers, log-normal links (median 1 ms, sigma 0.3), FIFO, 200 closed-loop
 *       clients, 20000 operations; commands per second of wall time (median of 3 identical runs) and of
 *       virtual time versus {@code maxEntriesPerAppend} and {@code maxInflight}, next to the window bound
 *       (Little's law per follower: window × batch entries per mean round trip). Raft batches only what
 *       waits: entries leave one message each while the window is open, so the batch size matters only when
 *       the window is full.</li>
 *   <li>{@code window-heartbeat.csv}: window 1, batch 1 of the throughput set-up with heartbeats every 2, 20
 *       and 200 ms: throughput over the window bound (the heartbeat answer frees a slot of a full window).</li>
 *   <li>{@code raft-vs-paxos.csv}: Raft (RAW and FIFO links) and Multi-Paxos ({@code MultiPaxosNode}, links to
 *       self instantaneous as in {@code PaxosExperiments}) on the same simulator network, same workload, same
 *       seed, 5 servers: window 8 / batch 1 with 8 clients and 3000 operations, window 4 / batch 16 with 200
 *       clients and 20000 operations (wall time: median of 5 identical runs). Two differences of definition:
 *       Multi-Paxos times a slot from its Accepts, after the commands waited in the leader's queue, while
 *       Raft's log is its queue, so Raft's commit latency includes the wait for the window; the column
 *       {@code from_send} times Raft entries from their first AppendEntries, like Paxos. And a Multi-Paxos
 *       server answers its client once it learns the commit (one more hop when it is not the leader), while
 *       here the Raft leader answers the client directly.</li>
 * </ol>
 *
 * <p>How to run this: {@code mvn -q -pl benchmarks -am package -DskipTests} then
 * {@code java -cp benchmarks/target/benchmarks.jar io.github.dsw.bench.raft.RaftExperiments [outDir] [--note TEXT]}
 * (default {@code datasets/results/<host>-<yyyymmdd-hhmm>-raft}); a few minutes on 2 shared cores.
 */
public final class RaftExperiments {

    /** The same three distributions as {@link PaxosExperiments}, so the two chapters' numbers compare. */
    static final List<Dist> DISTS = PaxosExperiments.DISTS;

    /** How server-to-server Raft messages are delivered. */
    enum Links {
        /** As the simulator delivers them: each message its own delay, so later ones may overtake. */
        RAW,
        /** In send order per link, as over one TCP connection: an early arrival waits for its predecessors. */
        FIFO
    }

    static final int[] SIZES = {3, 5, 7};
    /**
     * Closed-loop clients of the latency runs: 8 as in {@code PaxosExperiments}, and 1, where an entry is proposed
     * only after the previous one was committed and answered, so it can queue only behind an earlier entry still
     * travelling to a slow follower.
     */
    static final int[] LATENCY_CLIENTS = {1, 8};
    static final int[] BATCHES = {1, 4, 16, 64};
    static final int[] WINDOWS = {1, 4, 16, 256};
    static final double[] PERCENTILES = {50, 90, 99, 99.9};
    static final long TICK_NS = 10_000_000;
    static final Latency THROUGHPUT_LINK = new Latency.LogNormal(1_000_000, 0.3);
    static final int CLIENTS = 200;
    static final int THROUGHPUT_OPS = 20_000;

    private RaftExperiments() {
    }

    /**
     * One fault-free run.
     *
     * @param seed        simulation seed
     * @param nodes       servers
     * @param latency     one-way delay of every server link
     * @param links       RAW or FIFO delivery of Raft messages
     * @param clients     closed-loop clients
     * @param ops         operations in total
     * @param maxInflight {@link RaftConfig#maxInflight()}
     * @param maxEntries  {@link RaftConfig#maxEntriesPerAppend()}
     */
    record Setup(long seed, int nodes, Latency latency, Links links, int clients, int ops, int maxInflight, int maxEntries) {
        Setup {
            if (nodes < 1 || clients < 1 || ops < 1 || latency == null || links == null || maxInflight < 1 || maxEntries < 1) {
                throw new IllegalArgumentException("need nodes, clients, ops, maxInflight, maxEntries >= 1 and latency, links given; got "
                        + nodes + ", " + clients + ", " + ops + ", " + maxInflight + ", " + maxEntries);
            }
        }
    }

    /**
     * What one run produced.
     *
     * @param commitNs    commit latency of every steady-state entry at the leader, in commit order
     * @param fromSendNs  the same entries' latency from the first AppendEntries that carried them (equal to
     *                    commitNs unless a full window held them back; for Multi-Paxos equal to commitNs, as
     *                    its slots are timed from their Accepts)
     * @param clientNs    client-observed latency of every ok operation invoked after the first ok answer
     *                    (see {@link #steadyClientLatencies})
     * @param okOps       operations completed ok
     * @param commands    client commands committed (at any leader, no-ops excluded)
     * @param appends     non-empty AppendEntries sent by leaders (Multi-Paxos: slots chosen)
     * @param rejections  AppendEntries rejections received by leaders
     * @param virtualNs   simulated duration
     * @param wallNs      wall time of the simulation
     */
    record Result(long[] commitNs, long[] fromSendNs, long[] clientNs, int okOps, long commands, long appends, long rejections,
                  long virtualNs, long wallNs) {
        double meanCommitNs() {
            return Arrays.stream(commitNs).average().orElse(Double.NaN);
        }
    }

    /** Runs one fault-free simulation of the Raft key-value store, fsync free, 10 ms ticks. */
    static Result simulate(Setup s) {
        return simulate(s, 0, TICK_NS);
    }

    /**
     * The same with an fsync of {@code fsyncNs} (before the leader sends an entry and before a follower
     * answers) and ticks of {@code tickNs} (election timeout 10-19 ticks, heartbeat every 2).
     */
    static Result simulate(Setup s, long fsyncNs, long tickNs) {
        SimConfig config = SimConfig.defaults(s.seed(), s.nodes()).withServerLink(LinkModel.reliable(s.latency())).withFsyncNs(fsyncNs)
                .withTrace(Trace.Level.COUNTS, false);
        long t0 = System.nanoTime();
        ForwardingService[] services = new ForwardingService[s.nodes()];
        // no tick catch-up: there are no pauses here, and a plain periodic timer is what these runs always had
        Simulator<Msg> sim = new Simulator<>(config, id -> {
            services[id] = new ForwardingService(s.nodes(), s.links() == Links.FIFO);
            return new RaftHost<>(RaftConfig.builder(id, s.nodes()).electionTicks(10, 19).heartbeatTicks(2).maxInflight(s.maxInflight())
                    .maxEntriesPerAppend(s.maxEntries()).build(), tickNs, 0, new KvStore(), services[id]).withoutTickCatchUp();
        });
        List<Long> commit = new ArrayList<>();
        List<Long> fromSend = new ArrayList<>();
        long[] commands = {0};
        sim.onOutput((node, event) -> {
            if (event instanceof Committed c) {
                commands[0]++;
                if (c.steady()) {
                    commit.add(c.commitNs() - c.appendNs());
                    fromSend.add(c.commitNs() - c.sentNs());
                }
            }
        });
        Workload<Msg> workload = new Workload<>(PaxosKvRun.SPEC, new Client(), s.ops());
        workload.attach(sim, s.clients());
        sim.runUntil(PaxosKvRun.HORIZON_NS, workload::done);
        long wall = System.nanoTime() - t0;
        long appends = 0;
        long rejections = 0;
        for (int i = 0; i < s.nodes(); i++) {
            appends += services[i].appendsSent;
            rejections += ((RaftHost<?, ?>) sim.node(i)).raft().status().rejectionsReceived();
        }
        return new Result(toArray(commit), toArray(fromSend), steadyClientLatencies(workload.history()),
                workload.latenciesNs().length, commands[0], appends, rejections, sim.now(), wall);
    }

    /** The same run for Multi-Paxos (as {@code PaxosExperiments.simulate}): window = slots outstanding, batch = commands per slot. */
    static Result simulatePaxos(long seed, int nodes, Latency latency, int clients, int ops, int window, int batch) {
        SimConfig config = SimConfig.defaults(seed, nodes).withServerLink(LinkModel.reliable(latency)).withFsyncNs(0)
                .withTrace(Trace.Level.COUNTS, false);
        Quorums q = Quorums.majority(nodes);
        long t0 = System.nanoTime();
        Simulator<MultiPaxosMessage> sim = new Simulator<>(config, id -> new MultiPaxosNode(q, window, batch, MultiPaxosNode.Mutation.NONE));
        for (int i = 0; i < nodes; i++) {
            sim.setLink(i, i, LinkModel.reliable(new Latency.Constant(0))); // the leader's own acceptor answers at once, as Raft counts itself
        }
        List<Long> commit = new ArrayList<>();
        long[] commands = {0};
        long[] slots = {0};
        sim.onOutput((node, event) -> {
            if (event instanceof MultiPaxosNode.SlotChosen c) {
                commit.add(c.chosenNs() - c.proposedNs());
                commands[0] += c.commands();
                slots[0]++;
            }
        });
        Workload<MultiPaxosMessage> workload = new Workload<>(PaxosKvRun.SPEC, new PaxosKvRun.Client(), ops);
        workload.attach(sim, clients);
        sim.runUntil(PaxosKvRun.HORIZON_NS, workload::done);
        long wall = System.nanoTime() - t0;
        return new Result(toArray(commit), toArray(commit), steadyClientLatencies(workload.history()),
                workload.latenciesNs().length, commands[0], slots[0], 0, sim.now(), wall);
    }

    private static long[] toArray(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Latencies of the ok operations invoked at or after the first ok answer of the run: the operations
     * issued before it waited for the first election, which says nothing about the steady state.
     */
    static long[] steadyClientLatencies(History h) {
        long firstOk = Long.MAX_VALUE;
        for (HistoryEvent e : h.events()) {
            if (e.type() == HistoryEvent.Type.OK) {
                firstOk = Math.min(firstOk, e.timeNs());
            }
        }
        Map<Integer, Long> invoked = new HashMap<>();
        List<Long> out = new ArrayList<>();
        for (HistoryEvent e : h.events()) {
            if (e.type() == HistoryEvent.Type.INVOKE) {
                invoked.put(e.process(), e.timeNs());
            } else {
                Long t = invoked.remove(e.process());
                if (e.type() == HistoryEvent.Type.OK && t != null && t >= firstOk) {
                    out.add(e.timeNs() - t);
                }
            }
        }
        return toArray(out);
    }

    /** The model's CDF of one round trip (two independent one-way delays), in ns. */
    static DoubleUnaryOperator roundTripCdf(Dist d, long seed) {
        return PaxosExperiments.roundTripCdf(d, seed); // the same model input as chapter 6
    }

    /** Model quantile p (in [0, 1]) of the commit latency for {@code n} servers, in ns. */
    static double modelQuantileNs(Dist d, DoubleUnaryOperator rtt, int n, double p) {
        return d.latency() instanceof Latency.Constant c ? 2.0 * c.ns()
                : QuorumLatency.kthQuantile(rtt, n - 1, QuorumLatency.followerAcks(n), p, 0, 50e6);
    }

    static double modelMeanNs(Dist d, DoubleUnaryOperator rtt, int n) {
        return d.latency() instanceof Latency.Constant c ? 2.0 * c.ns()
                : QuorumLatency.kthMean(rtt, n - 1, QuorumLatency.followerAcks(n), 20e6, 4000);
    }

    /** Exact percentiles of a sample (nearest rank), so that a constant 2 ms is reported as 2 ms, not as its bucket. */
    record Sample(long[] sorted) {
        static Sample of(long[] values) {
            long[] s = values.clone();
            Arrays.sort(s);
            return new Sample(s);
        }

        /** The smallest value with at least p percent of the sample at or below it; NaN if empty. */
        double getValueAtPercentile(double p) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(p / 100 * sorted.length);
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
        }
    }

    public static void main(String[] args) throws IOException {
        String note = "";
        String outArg = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--note") && i + 1 < args.length) {
                note = args[++i];
            } else if (outArg == null) {
                outArg = args[i];
            } else {
                System.err.println("usage: RaftExperiments [outDir] [--note TEXT]");
                System.exit(2);
            }
        }
        Provenance prov = Provenance.capture(Path.of("."), "simulation: RaftExperiments",
                Map.of("experiments", "commit-latency, throughput, raft-vs-paxos"), commandLine(args), note);
        Path out = Path.of(outArg != null ? outArg : "datasets/results/" + prov.host() + "-"
                + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmm")) + "-raft");
        Files.createDirectories(out);
        prov.write(out.resolve("provenance.json"));
        long start = System.nanoTime();
        Map<String, String> summary = new LinkedHashMap<>();
        latency(out, start, summary);
        throughput(out, start, summary);
        heartbeatEffect(out, start, summary);
        raftVsPaxos(out, start, summary);
        writeReadme(out, prov, summary);
        System.out.printf(Locale.ROOT, "done in %.1f s, wrote %s%n", (System.nanoTime() - start) / 1e9, out);
    }

    private static List<String> commandLine(String[] args) {
        List<String> c = new ArrayList<>(List.of("java", "-cp", "benchmarks/target/benchmarks.jar", RaftExperiments.class.getName()));
        c.addAll(List.of(args));
        return c;
    }

    private static void progress(long start, String what, int i, int of) {
        double el = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "[%5.1f s] %s %d/%d%n", el, what, i, of);
    }

    static void latency(Path out, long start, Map<String, String> summary) throws IOException {
        latency(out, start, summary, DISTS, SIZES, 3000);
    }

    /** The latency experiment over the given distributions and sizes, {@code ops} operations per run. */
    static void latency(Path out, long start, Map<String, String> summary, List<Dist> dists, int[] sizes, int ops) throws IOException {
        try (PrintWriter lat = new PrintWriter(Files.newBufferedWriter(out.resolve("commit-latency.csv"), StandardCharsets.UTF_8));
             PrintWriter samples = new PrintWriter(Files.newBufferedWriter(out.resolve("commit-latency-samples.csv"), StandardCharsets.UTF_8))) {
            lat.println("nodes,k,latency,links,clients,entries,rejections,mean_ms,p50_ms,p90_ms,p99_ms,p999_ms,"
                    + "model_mean_ms,model_p50_ms,model_p90_ms,model_p99_ms,model_p999_ms,client_p50_ms,client_p99_ms");
            samples.println("nodes,latency,links,clients,commit_ns");
            int total = dists.size() * sizes.length * Links.values().length * LATENCY_CLIENTS.length;
            int done = 0;
            for (Dist d : dists) {
                DoubleUnaryOperator rtt = roundTripCdf(d, 42);
                for (int n : sizes) {
                    for (Links links : Links.values()) {
                        for (int clients : LATENCY_CLIENTS) {
                            String row = latencyRow(d, rtt, n, links, clients, ops, samples, summary);
                            lat.println(row);
                            progress(start, "latency " + row, ++done, total);
                        }
                    }
                }
            }
        }
    }

    private static String latencyRow(Dist d, DoubleUnaryOperator rtt, int n, Links links, int clients, int ops, PrintWriter samples,
                                     Map<String, String> summary) {
        String linkName = links.name().toLowerCase(Locale.ROOT);
        Result r = simulate(new Setup(1, n, d.latency(), links, clients, ops, 8, 1));
        Sample h = Sample.of(r.commitNs());
        Sample c = Sample.of(r.clientNs());
        for (int i = 0; i < Math.min(2000, r.commitNs().length); i++) {
            samples.printf(Locale.ROOT, "%d,%s,%s,%d,%d%n", n, d.name(), linkName, clients, r.commitNs()[i]);
        }
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%d,%s,%s,%d,%d,%d,%.6f", n, QuorumLatency.followerAcks(n),
                d.name(), linkName, clients, r.commitNs().length, r.rejections(), r.meanCommitNs() / 1e6));
        for (double p : PERCENTILES) {
            row.append(String.format(Locale.ROOT, ",%.6f", h.getValueAtPercentile(p) / 1e6));
        }
        row.append(String.format(Locale.ROOT, ",%.6f", modelMeanNs(d, rtt, n) / 1e6));
        for (double p : PERCENTILES) {
            row.append(String.format(Locale.ROOT, ",%.6f", modelQuantileNs(d, rtt, n, p / 100) / 1e6));
        }
        row.append(String.format(Locale.ROOT, ",%.6f,%.6f", c.getValueAtPercentile(50) / 1e6, c.getValueAtPercentile(99) / 1e6));
        if (n == 5) {
            String tag = "n=5, " + d.name() + ", " + linkName + " links, " + clients + " clients";
            summary.put("commit p50 simulated / model, " + tag,
                    String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(50) / modelQuantileNs(d, rtt, n, 0.5)));
            summary.put("commit p99 simulated / model, " + tag,
                    String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(99) / modelQuantileNs(d, rtt, n, 0.99)));
        }
        return row.toString();
    }

    static void throughput(Path out, long start, Map<String, String> summary) throws IOException {
        try (PrintWriter thr = new PrintWriter(Files.newBufferedWriter(out.resolve("throughput.csv"), StandardCharsets.UTF_8))) {
            thr.println("batch,window,links,ok_ops,commands,appends,entries_per_append,virtual_s,wall_ms,"
                    + "commands_per_wall_s,commands_per_virtual_s,window_bound_per_virtual_s,client_p50_ms");
            // Little's law per follower: at most window x batch entries per mean round trip, 2 x median x exp(sigma^2 / 2).
            double meanRtt = 2 * 1e-3 * Math.exp(0.3 * 0.3 / 2);
            // A warm-up run so that the first measured configuration is not charged for JIT compilation.
            simulate(new Setup(99, 5, THROUGHPUT_LINK, Links.FIFO, CLIENTS, THROUGHPUT_OPS, 4, 4));
            int total = BATCHES.length * WINDOWS.length;
            int done = 0;
            Map<String, Double> perWall = new HashMap<>();
            Map<String, Double> perVirtual = new HashMap<>();
            for (int b : BATCHES) {
                for (int w : WINDOWS) {
                    // Same seed three times: identical virtual runs, so the median wall time only filters noise.
                    Result[] reps = new Result[3];
                    for (int i = 0; i < reps.length; i++) {
                        reps[i] = simulate(new Setup(2, 5, THROUGHPUT_LINK, Links.FIFO, CLIENTS, THROUGHPUT_OPS, w, b));
                    }
                    Arrays.sort(reps, Comparator.comparingLong(Result::wallNs));
                    Result r = reps[1];
                    double wallS = r.wallNs() / 1e9;
                    double virtualS = r.virtualNs() / 1e9;
                    String row = String.format(Locale.ROOT, "%d,%d,fifo,%d,%d,%d,%.3f,%.6f,%.3f,%.1f,%.1f,%.1f,%.6f", b, w, r.okOps(), r.commands(),
                            r.appends(), r.commands() / (double) Math.max(1, r.appends()) * (5 - 1), virtualS, r.wallNs() / 1e6,
                            r.commands() / wallS, r.commands() / virtualS, w * b / meanRtt, Sample.of(r.clientNs()).getValueAtPercentile(50) / 1e6);
                    thr.println(row);
                    perWall.put(b + "/" + w, r.commands() / wallS);
                    perVirtual.put(b + "/" + w, r.commands() / virtualS);
                    progress(start, "throughput " + row, ++done, total);
                }
            }
            summary.put("commands per virtual s, batch 1 window 1 / window bound (1 entry per mean round trip)",
                    String.format(Locale.ROOT, "%.3f", perVirtual.get("1/1") / (1 / meanRtt)));
            summary.put("commands per virtual s, batch 1 window 4 / batch 1 window 1",
                    String.format(Locale.ROOT, "%.2f", perVirtual.get("1/4") / perVirtual.get("1/1")));
            summary.put("commands per virtual s, batch 4 window 1 / batch 1 window 1",
                    String.format(Locale.ROOT, "%.2f", perVirtual.get("4/1") / perVirtual.get("1/1")));
            summary.put("commands per virtual s, batch 1 window 256 / batch 1 window 1 (256: the offered load is the limit)",
                    String.format(Locale.ROOT, "%.2f", perVirtual.get("1/256") / perVirtual.get("1/1")));
            summary.put("commands per wall s, batch 64 window 1 / batch 1 window 256 (same virtual throughput, fewer messages)",
                    String.format(Locale.ROOT, "%.2f", perWall.get("64/1") / perWall.get("1/256")));
        }
    }

    /**
     * Window 1, batch 1 (the window-bound case) with heartbeats every 2, 20 and 200 ms: a heartbeat's answer
     * acknowledges nothing new, and when the window is full RaftNode frees one slot for it, as etcd's raft
     * does on a heartbeat response ("free one slot for the full inflights window to allow progress"), so one
     * more message slips through per heartbeat.
     */
    static void heartbeatEffect(Path out, long start, Map<String, String> summary) throws IOException {
        double meanRtt = 2 * 1e-3 * Math.exp(0.3 * 0.3 / 2);
        long[] ticks = {1_000_000, 10_000_000, 100_000_000};
        try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(out.resolve("window-heartbeat.csv"), StandardCharsets.UTF_8))) {
            pw.println("batch,window,heartbeat_ms,commands,virtual_s,commands_per_virtual_s,window_bound_per_virtual_s,ratio_to_bound");
            int done = 0;
            for (long tick : ticks) {
                Result r = simulate(new Setup(2, 5, THROUGHPUT_LINK, Links.FIFO, CLIENTS, THROUGHPUT_OPS, 1, 1), 0, tick);
                double perS = r.commands() / (r.virtualNs() / 1e9);
                String row = String.format(Locale.ROOT, "1,1,%d,%d,%.6f,%.1f,%.1f,%.3f", 2 * tick / 1_000_000, r.commands(), r.virtualNs() / 1e9,
                        perS, 1 / meanRtt, perS * meanRtt);
                pw.println(row);
                progress(start, "window-heartbeat " + row, ++done, ticks.length);
                summary.put("commands per virtual s / window bound, batch 1 window 1, heartbeat every " + 2 * tick / 1_000_000 + " ms",
                        String.format(Locale.ROOT, "%.3f", perS * meanRtt));
            }
        }
    }

    static void raftVsPaxos(Path out, long start, Map<String, String> summary) throws IOException {
        int[][] settings = {{8, 1, 8, 3000}, {4, 16, CLIENTS, THROUGHPUT_OPS}}; // window, batch, clients, ops
        try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(out.resolve("raft-vs-paxos.csv"), StandardCharsets.UTF_8))) {
            pw.println("protocol,latency,window,batch,clients,seed,ok_ops,commands,commit_p50_ms,commit_p99_ms,"
                    + "from_send_p50_ms,from_send_p99_ms,client_p50_ms,client_p99_ms,"
                    + "virtual_s,wall_ms,commands_per_wall_s,commands_per_virtual_s");
            int total = DISTS.size() * settings.length * 3;
            int done = 0;
            for (Dist d : DISTS) {
                for (int[] st : settings) {
                    long seed = 7;
                    Result[] rs = {
                        medianWall(() -> simulate(new Setup(seed, 5, d.latency(), Links.RAW, st[2], st[3], st[0], st[1]))),
                        medianWall(() -> simulate(new Setup(seed, 5, d.latency(), Links.FIFO, st[2], st[3], st[0], st[1]))),
                        medianWall(() -> simulatePaxos(seed, 5, d.latency(), st[2], st[3], st[0], st[1]))};
                    String[] names = {"raft-raw", "raft-fifo", "multi-paxos"};
                    for (int i = 0; i < rs.length; i++) {
                        Result r = rs[i];
                        Sample h = Sample.of(r.commitNs());
                        Sample fs = Sample.of(r.fromSendNs());
                        Sample c = Sample.of(r.clientNs());
                        String row = String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f,%.1f,%.1f", names[i],
                                d.name(), st[0], st[1], st[2], seed, r.okOps(), r.commands(), h.getValueAtPercentile(50) / 1e6,
                                h.getValueAtPercentile(99) / 1e6, fs.getValueAtPercentile(50) / 1e6, fs.getValueAtPercentile(99) / 1e6,
                                c.getValueAtPercentile(50) / 1e6, c.getValueAtPercentile(99) / 1e6,
                                r.virtualNs() / 1e9, r.wallNs() / 1e6, r.commands() / (r.wallNs() / 1e9), r.commands() / (r.virtualNs() / 1e9));
                        pw.println(row);
                        progress(start, "raft-vs-paxos " + row, ++done, total);
                    }
                    String tag = d.name() + ", window " + st[0] + " batch " + st[1] + ", " + st[2] + " clients";
                    summary.put("commit p50 (from first send) raft-fifo / multi-paxos, " + tag, String.format(Locale.ROOT, "%.3f",
                            Sample.of(rs[1].fromSendNs()).getValueAtPercentile(50) / Sample.of(rs[2].commitNs()).getValueAtPercentile(50)));
                    summary.put("client p50 raft-fifo / multi-paxos, " + tag, String.format(Locale.ROOT, "%.3f",
                            Sample.of(rs[1].clientNs()).getValueAtPercentile(50) / Sample.of(rs[2].clientNs()).getValueAtPercentile(50)));
                    if (st[2] == CLIENTS) { // the 3000-operation runs last a few ms of wall time: too short to compare
                        summary.put("commands per wall s raft-fifo / multi-paxos, " + tag, String.format(Locale.ROOT, "%.3f",
                                (rs[1].commands() / (double) rs[1].wallNs()) / (rs[2].commands() / (double) rs[2].wallNs())));
                    }
                    summary.put("commands per virtual s raft-fifo / multi-paxos, " + tag, String.format(Locale.ROOT, "%.3f",
                            (rs[1].commands() / (double) rs[1].virtualNs()) / (rs[2].commands() / (double) rs[2].virtualNs())));
                }
            }
        }
    }

    /** Five identical runs (same seed, same virtual outcome); the one with the median wall time. */
    private static Result medianWall(java.util.function.Supplier<Result> run) {
        Result[] reps = {run.get(), run.get(), run.get(), run.get(), run.get()};
        Arrays.sort(reps, Comparator.comparingLong(Result::wallNs));
        return reps[2];
    }

    private static void writeReadme(Path out, Provenance p, Map<String, String> summary) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Raft simulation experiments: ").append(out.getFileName()).append("\n\n");
        sb.append("Written by `io.github.dsw.bench.raft.RaftExperiments` (see its Javadoc and the Raft section of datasets/README.md).\n\n");
        sb.append("- Machine: ").append(p.host()).append(" — ").append(p.summary()).append('\n');
        sb.append("- Note: ").append(p.note().isEmpty() ? "(none)" : p.note()).append("\n\n");
        sb.append("Virtual-time numbers are exact and reproducible from the seeds; wall-time numbers depend on the machine: "
                + "quote them only as ratios within this run.\n\n");
        sb.append("| ratio measured in this run | value |\n|---|---|\n");
        summary.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        sb.append(READING);
        Files.writeString(out.resolve("README.md"), sb.toString(), StandardCharsets.UTF_8);
    }

    /** How to read the ratios; the reasons are derived in the class comment of RaftExperiments. */
    static final String READING = """

            ## How to read these ratios

            - **Model vs simulation** (`commit-latency.csv`). With a constant delay the order-statistic model
              (k-th smallest of n − 1 round trips, k = ⌊n/2⌋, the leader counting itself) is exact: every
              entry commits in 2 × the one-way delay. With random delays and 1 client the simulation stays
              within 1.5 % of the model at p50 and p90 and within 6 % at p99 and p99.9 (3000 entries: the
              p99.9 is the third largest): entries hardly overlap, so each one meets the model's
              independent round trips. With 8 clients on `fifo` links the simulation is above
              the model, more so for the log-normal delay than for the uniform one: a follower accepts
              entry i only after entry i − 1 (the log is a prefix), so an entry waits behind a slower
              earlier one (head-of-line blocking); each follower's answer comes no earlier than its own
              round trip, so every percentile is at least the model's. On `raw` links an AppendEntries that
              overtakes its predecessor is rejected (`rejections`) and the follower is probed again: the
              tails grow to 2-3 × the model. Real Raft runs over ordered connections (TCP); Multi-Paxos
              slots are independent of each other and follow the model on either kind of link.
            - **Fsync and ticks.** The runs have free fsyncs; a test (`RaftExperimentsTest`) checks that an
              fsync f adds exactly 2f (leader before sending, follower before answering) and that the tick
              length does not change the append path.
            - **Throughput** (`throughput.csv`, virtual time). Window 1, batch 1 gives about one entry per
              mean round trip (`window_bound_per_virtual_s`); more window or bigger batches multiply that
              until the offered load of the 200 closed-loop clients (10 ms mean think time) is the limit.
              Raft batches only what waits: while the window is open every proposal leaves alone, so the
              batch size matters only with a small window, where it cuts the number of messages and the
              wall time of the simulation. The heartbeat answer frees one slot of a full window (etcd's
              rule), so with frequent heartbeats the window bound is exceeded (`window-heartbeat.csv`).
            - **Raft vs Multi-Paxos** (`raft-vs-paxos.csv`, same links, workload and seed). Timed from the
              first message (`from_send`), Raft and Multi-Paxos commit in the same time on constant links at
              the median (with 200 clients Raft's p99 is higher: `from_send` counts from the first
              AppendEntries to any follower, while another follower's window may still be full); on random
              links Raft is slower by its in-order log (above). Raft's `commit` column also counts
              the wait for a full window (its log is its queue), which Multi-Paxos's slot timing leaves out.
              Client latency is lower for Raft here only because its leader answers the client directly,
              while a Multi-Paxos server answers once it learns the commit (one more hop). Virtual
              throughput is the same: the offered load is the limit. Wall-time ratios are of this simulator
              on this machine.
            """;


    // ------------------------------------------------------------------ the simulated service

    /** What travels in these runs: Raft messages (numbered per link for FIFO delivery) and client traffic. */
    sealed interface Msg {
        record Peer(long seq, RaftMessage message) implements Msg {
        }

        record Request(long requestId, Fn f, String key, Object value) implements Msg {
        }

        /** A request a follower passes on to the leader; the leader answers {@code client} directly. */
        record Forward(int client, long requestId, Fn f, String key, Object value) implements Msg {
        }

        record Reply(long requestId, boolean ok, Long value) implements Msg {
        }
    }

    /**
     * Output: leader {@code node} appended {@code index} at {@code appendNs}, first sent it at {@code sentNs}
     * and learned it committed at {@code commitNs}; {@code steady} if appended after this leader's no-op committed.
     */
    record Committed(int node, long index, long appendNs, long sentNs, long commitNs, boolean steady) {
    }

    /**
     * The service on top of each server's {@link RaftHost} (which persists, fsyncs before sending and applies
     * to the {@link KvStore}; see the class comment): FIFO numbering of Raft messages per link, followers
     * forwarding client requests to the leader they know (or holding them until they know one, retried at
     * every tick), and the leader timing its entries ({@link Committed}) and answering its client.
     */
    static final class ForwardingService implements RaftHost.Service<KvStore, Msg> {
        private final boolean fifo;
        long appendsSent;
        private final long[] sendSeq;
        private final long[] nextSeq;
        private final List<TreeMap<Long, RaftMessage>> early = new ArrayList<>();
        private final Map<Long, Long> appendNs = new HashMap<>();
        private final Map<Long, Long> sentNs = new HashMap<>();
        private long highestSent;
        private final Map<Long, Command> waiting = new HashMap<>();
        private final ArrayDeque<Command> held = new ArrayDeque<>();
        private long steadyFromNs = Long.MAX_VALUE;
        private long steadyTerm = -1;

        ForwardingService(int servers, boolean fifo) {
            this.fifo = fifo;
            this.sendSeq = new long[servers];
            this.nextSeq = new long[servers];
            for (int i = 0; i < servers; i++) {
                early.add(new TreeMap<>());
            }
        }

        @Override
        public Msg peer(RaftHost<KvStore, Msg> host, Context<Msg> ctx, int to, RaftMessage m) {
            if (m instanceof RaftMessage.AppendEntries ae && !ae.entries().isEmpty()) {
                appendsSent++;
                long lastSent = ae.prevLogIndex() + ae.entries().size();
                for (long i = Math.max(highestSent, ae.prevLogIndex()) + 1; i <= lastSent; i++) {
                    if (appendNs.containsKey(i)) {
                        sentNs.put(i, ctx.now()); // the first time any follower is sent entry i
                    }
                }
                highestSent = Math.max(highestSent, lastSent);
            }
            return new Msg.Peer(sendSeq[to]++, m);
        }

        @Override
        public void receive(RaftHost<KvStore, Msg> host, Context<Msg> ctx, int from, Msg message) {
            switch (message) {
                case Msg.Peer p -> deliver(host.raft(), from, p);
                case Msg.Request r -> onCommand(host.raft(), ctx, new Command(from, r.requestId(), r.f(), r.key(), r.value()));
                case Msg.Forward f -> onCommand(host.raft(), ctx, new Command(f.client(), f.requestId(), f.f(), f.key(), f.value()));
                case Msg.Reply r -> throw new IllegalStateException("servers get no replies: " + r);
            }
        }

        private void deliver(RaftNode raft, int from, Msg.Peer p) {
            if (!fifo) {
                raft.step(from, p.message());
                return;
            }
            TreeMap<Long, RaftMessage> q = early.get(from);
            q.put(p.seq(), p.message());
            while (!q.isEmpty() && q.firstKey() == nextSeq[from]) {
                raft.step(from, q.pollFirstEntry().getValue());
                nextSeq[from]++;
            }
        }

        @Override
        public void ticked(RaftHost<KvStore, Msg> host, Context<Msg> ctx) {
            int n = held.size();
            for (int i = 0; i < n && host.raft().leaderId() != RaftNode.NONE; i++) {
                onCommand(host.raft(), ctx, held.poll());
            }
        }

        private void onCommand(RaftNode raft, Context<Msg> ctx, Command c) {
            if (raft.role() == RaftNode.Role.LEADER) {
                long index = ((Proposal.Accepted) raft.propose(c)).index(); // a leader not transferring accepts
                appendNs.put(index, ctx.now());
                waiting.put(index, c);
            } else if (raft.leaderId() != RaftNode.NONE) {
                ctx.send(raft.leaderId(), new Msg.Forward(c.client(), c.requestId(), c.f(), c.key(), c.value()));
            } else {
                held.add(c); // no leader known yet: try again at the next tick
            }
        }

        @Override
        public void applied(RaftHost<KvStore, Msg> host, Context<Msg> ctx, long index, LogEntry e, Object result) {
            RaftNode raft = host.raft();
            long now = ctx.now();
            boolean leader = raft.role() == RaftNode.Role.LEADER;
            Long appended = appendNs.remove(index);
            Long sent = sentNs.remove(index);
            if (e.command() == null && leader && e.term() == raft.currentTerm() && steadyTerm != e.term()) {
                steadyTerm = e.term();
                steadyFromNs = now; // this leader's no-op committed: the followers are past probing
            }
            if (e.command() instanceof Command c) {
                if (leader && appended != null) {
                    ctx.output(new Committed(host.id(), index, appended, sent == null ? now : sent, now,
                            appended >= steadyFromNs && steadyTerm == raft.currentTerm()));
                } else if (leader) {
                    ctx.output(new Committed(host.id(), index, -1, -1, now, false));
                }
                Command mine = waiting.remove(index);
                if (mine != null) {
                    boolean ok = mine.equals(c) && result instanceof KvStore.Result r && r.ok();
                    ctx.send(mine.client(), new Msg.Reply(mine.requestId(), ok, c.f() == Fn.READ ? host.stateMachine().read(c.key()) : null));
                }
            }
        }
    }

    /** Client side of the Raft runs. */
    static final class Client implements ClientProtocol<Msg> {
        @Override
        public Msg request(long requestId, Fn f, String key, Object value) {
            return new Msg.Request(requestId, f, key, value);
        }

        @Override
        public Reply reply(Msg message) {
            return message instanceof Msg.Reply r ? new Reply(r.requestId(), r.ok() ? Status.OK : Status.FAIL, r.value(), -1) : null;
        }
    }
}
