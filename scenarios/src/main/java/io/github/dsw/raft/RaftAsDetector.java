package io.github.dsw.raft;

import io.github.dsw.model.FailureDetectorQos;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Raft's election timeout is a fixed-timeout failure detector on the leader's heartbeats (chapter 11): each
 * follower suspects the leader when no AppendEntries arrived for its election timeout, drawn uniformly from
 * [T, 2T] at every reset (Ongaro and Ousterhout, "In Search of an Understandable Consensus Algorithm", 2014,
 * section 5.2), and its suspicion <em>is</em> an election. A mistake (a heartbeat gap longer than the timeout
 * while the leader is alive) is a spurious election: the term goes up, the live leader steps down and writes
 * stop for an election; a slow detection is the same outage after a real crash. This experiment runs the
 * paper's Raft ({@link RaftNode}, PreVote and CheckQuorum off, three servers, 10 ms ticks, heartbeat every 50 ms)
 * in the simulator as T sweeps and measures both:
 *
 * <ul>
 *   <li>spurious elections per hour: leaders elected after the first one in a run without crashes;</li>
 *   <li>detection time: from a crash of the leader (uniform within its heartbeat interval, after a warm-up) to the
 *       first server leading a later term.</li>
 * </ul>
 *
 * Beside them, the closed form of a fixed-timeout detector for the same links ({@link FailureDetectorQos#fixedTimeout},
 * heartbeat 50 ms): two followers, each a detector whose timeout is uniform in [T, 2T], make mistakes at about
 * 2 · E_τ[1 / T_MR(τ)] (PreVote would need a second follower to agree, which independent network mistakes rarely do);
 * the first of two timeouts uniform in [T, 2T] is T·4/3 on average, so the crash is detected after about
 * T_D(4T/3), and an election adds a RequestVote round trip. Under GC-like pauses of the leader the model says
 * nothing (a pause longer than T is an election whatever the links); the simulation shows it.
 *
 * <p>How to run this: {@code java -cp scenarios/target/classes:algorithms/target/classes
 * io.github.dsw.raft.RaftAsDetector [outDir]}; virtual time, deterministic.
 */
public final class RaftAsDetector {

    static final int SERVERS = 3;
    static final long TICK_NS = 10_000_000L;
    /** Heartbeat interval: 5 ticks = 50 ms. */
    public static final int HEARTBEAT_TICKS = 5;

    /** The links and pauses of one condition. */
    public record Links(String name, Latency latency, double loss, long pauseEveryNs, long pauseMedianNs) {
        /** Log-normal delays (median 10 ms, σ = 1, chapter 11's), 1% loss. */
        public static Links lognormal() {
            return new Links("lognormal", new Latency.LogNormal(10_000_000, 1.0), 0.01, 0, 0);
        }

        /** The same links and a GC-like pause of the leader every 60 s on average, log-normal duration median 300 ms (σ 0.5). */
        public static Links lognormalWithPauses() {
            return new Links("lognormal+pauses", new Latency.LogNormal(10_000_000, 1.0), 0.01, 60_000_000_000L, 300_000_000L);
        }
    }

    /** One timeout's measurements and model. */
    public record Point(String condition, int timeoutMs, double hours, int spurious, double spuriousPerHour, int trials,
                       double detectionMs, double minDetectionMs, double modelSpuriousPerHour, double modelDetectionMs) {
    }

    private RaftAsDetector() {
    }

    static Simulator<RaftMessage> cluster(Links c, int timeoutMs, long seed, RaftHost<?, ?>[] hosts) {
        return cluster(c, timeoutMs, seed, hosts, false);
    }

    /** The cluster, with PreVote and CheckQuorum both on ({@code preVote}) or both off (the paper's Raft). */
    static Simulator<RaftMessage> cluster(Links c, int timeoutMs, long seed, RaftHost<?, ?>[] hosts, boolean preVote) {
        SimConfig cfg = SimConfig.defaults(seed, SERVERS).withServerLink(LinkModel.reliable(c.latency()).withLoss(c.loss()))
                .withFsyncNs(0).withTrace(Trace.Level.COUNTS, false);
        int ticks = timeoutMs / 10;
        return new Simulator<>(cfg, id -> {
            RaftConfig rc = RaftConfig.builder(id, SERVERS).preVote(preVote).checkQuorum(preVote).electionTicks(ticks, 2 * ticks)
                    .heartbeatTicks(HEARTBEAT_TICKS).build();
            RaftHost<AppliedLog, RaftMessage> h = RaftHost.ofLog(rc, TICK_NS, 0);
            hosts[id] = h;
            return h;
        });
    }

    static int leader(RaftHost<?, ?>[] hosts, Simulator<RaftMessage> sim) {
        int best = -1;
        for (int i = 0; i < SERVERS; i++) {
            RaftNode r = hosts[i].raft();
            if (sim.isUp(i) && r != null && r.role() == RaftNode.Role.LEADER && (best < 0 || r.currentTerm() > hosts[best].raft().currentTerm())) {
                best = i;
            }
        }
        return best;
    }

    /** Leaders elected after the first one during {@code durationNs} without crashes (pauses per the condition). */
    public static int spuriousElections(Links c, int timeoutMs, long durationNs, long seed) {
        return spuriousElections(c, timeoutMs, durationNs, seed, false);
    }

    /** {@link #spuriousElections(Links, int, long, long)} with PreVote and CheckQuorum on ({@code preVote}) or off. */
    public static int spuriousElections(Links c, int timeoutMs, long durationNs, long seed, boolean preVote) {
        RaftHost<?, ?>[] hosts = new RaftHost<?, ?>[SERVERS];
        Simulator<RaftMessage> sim = cluster(c, timeoutMs, seed, hosts, preVote);
        long[] lastTerm = {-1};
        int[] elections = {0};
        sim.afterEachEvent(() -> {
            int l = leader(hosts, sim);
            if (l >= 0 && hosts[l].raft().currentTerm() > lastTerm[0]) {
                lastTerm[0] = hosts[l].raft().currentTerm();
                elections[0]++;
            }
        });
        schedulePauses(sim, c, durationNs, seed, () -> leader(hosts, sim));
        sim.runUntil(durationNs);
        return Math.max(0, elections[0] - 1);
    }

    /**
     * GC-like pauses of the current leader ({@code leader}, -1 for none) per {@code c}: exponential gaps with mean
     * {@code c.pauseEveryNs()}, log-normal lengths with median {@code c.pauseMedianNs()} and σ 0.5, from a stream of the
     * seed's own (none when {@code c.pauseEveryNs()} is 0). Shared with {@code PaxosLeaderAsDetector}.
     */
    public static void schedulePauses(Simulator<?> sim, Links c, long durationNs, long seed, java.util.function.IntSupplier leader) {
        if (c.pauseEveryNs() <= 0) {
            return;
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        for (long t = (long) (-Math.log(1 - r.nextDouble()) * c.pauseEveryNs()); t < durationNs;
                t += (long) (-Math.log(1 - r.nextDouble()) * c.pauseEveryNs())) {
            long length = (long) (c.pauseMedianNs() * Math.exp(0.5 * gaussian(r)));
            sim.schedule(t, () -> {
                int l = leader.getAsInt();
                if (l >= 0) {
                    sim.pause(l, length);
                }
            });
        }
    }

    /** Crash → first leader of a later term, in ns (-1 if none within 20 s); the crash comes after a 3 s warm-up. */
    public static long detection(Links c, int timeoutMs, long seed) {
        return detection(c, timeoutMs, seed, false);
    }

    /** {@link #detection(Links, int, long)} with PreVote and CheckQuorum on ({@code preVote}) or off. */
    public static long detection(Links c, int timeoutMs, long seed, boolean preVote) {
        RaftHost<?, ?>[] hosts = new RaftHost<?, ?>[SERVERS];
        Simulator<RaftMessage> sim = cluster(c, timeoutMs, seed, hosts, preVote);
        sim.runUntil(3_000_000_000L);
        SplittableRandom r = new SplittableRandom(seed);
        sim.runUntil(sim.now() + (long) (r.nextDouble() * HEARTBEAT_TICKS * TICK_NS));
        int l = leader(hosts, sim);
        if (l < 0) {
            return detection(c, timeoutMs, seed + 1_000_003, preVote); // no leader at that instant (an election in progress): another seed
        }
        long term = hosts[l].raft().currentTerm();
        long crashAt = sim.now();
        sim.crash(l);
        long[] elected = {-1};
        sim.runUntil(crashAt + 20_000_000_000L, () -> {
            int n = leader(hosts, sim);
            if (n >= 0 && hosts[n].raft().currentTerm() > term) {
                elected[0] = sim.now();
                return true;
            }
            return false;
        });
        return elected[0] < 0 ? -1 : elected[0] - crashAt;
    }

    /** The fixed-timeout detector's closed form for the condition's links, heartbeat 50 ms, timeout τ (ms). */
    public static FailureDetectorQos.Expected detector(Links c, double timeoutMs) {
        Latency.LogNormal l = (Latency.LogNormal) c.latency();
        return FailureDetectorQos.fixedTimeout(HEARTBEAT_TICKS * TICK_NS / 1e9, timeoutMs / 1e3, c.loss(),
                FailureDetectorQos.logNormalQuantile(l.medianNs() / 1e9, l.sigma()), 2000);
    }

    /** Model: spurious elections per hour = 2 followers × the mean over τ ~ U[T, 2T] of 3600 / T_MR(τ). */
    public static double modelSpuriousPerHour(Links c, int timeoutMs) {
        double sum = 0;
        int k = 20;
        for (int i = 0; i < k; i++) {
            double tau = timeoutMs * (1 + (i + 0.5) / k);
            sum += 3600 / detector(c, tau).mistakeRecurrence();
        }
        return 2 * sum / k;
    }

    /** Model: detection ≈ T_D of the first of two timeouts (4T/3 on average) + a RequestVote round trip (two mean delays). */
    public static double modelDetectionMs(Links c, int timeoutMs) {
        Latency.LogNormal l = (Latency.LogNormal) c.latency();
        double meanDelayMs = l.medianNs() / 1e6 * Math.exp(l.sigma() * l.sigma() / 2);
        return detector(c, timeoutMs * 4.0 / 3).detectionTime() * 1e3 + 2 * meanDelayMs;
    }

    public static Point point(Links c, int timeoutMs, long durationNs, int trials, long seed) {
        return point(c, timeoutMs, durationNs, trials, seed, false);
    }

    /** One point of the sweep, PreVote and CheckQuorum on ({@code preVote}) or off; the model columns are the paper Raft's. */
    public static Point point(Links c, int timeoutMs, long durationNs, int trials, long seed, boolean preVote) {
        int spurious = spuriousElections(c, timeoutMs, durationNs, seed, preVote);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        int ok = 0;
        for (int t = 0; t < trials; t++) {
            long d = detection(c, timeoutMs, seed * 1000 + t, preVote);
            if (d >= 0) {
                sum += d / 1e6;
                min = Math.min(min, d / 1e6);
                ok++;
            }
        }
        double hours = durationNs / 3.6e12;
        return new Point(c.name(), timeoutMs, hours, spurious, spurious / hours, ok, sum / ok, min,
                c.pauseEveryNs() > 0 ? Double.NaN : modelSpuriousPerHour(c, timeoutMs), modelDetectionMs(c, timeoutMs));
    }

    /** The timeouts T of the sweep (ms; the election timeout is uniform in [T, 2T]). */
    public static final int[] TIMEOUTS_MS = {60, 80, 100, 150, 200, 300, 500};

    /**
     * The fixed-timeout detector ({@link io.github.dsw.detect.DetectorQos}, heartbeat 50 ms) simulated on the same
     * links and pauses with timeout τ = 1.5 T, the mean of Raft's [T, 2T]: {T_MR in s, T_D in ms}.
     */
    public static double[] simulatedDetector(Links c, int timeoutMs, long durationNs, long seed) {
        return simulatedDetector(c, timeoutMs, durationNs, seed, HEARTBEAT_TICKS * TICK_NS);
    }

    /** {@link #simulatedDetector(Links, int, long, long)} with heartbeats every {@code heartbeatNs} (Multi-Paxos: 10 ms). */
    public static double[] simulatedDetector(Links c, int timeoutMs, long durationNs, long seed, long heartbeatNs) {
        return simulatedFixedTimeout(c, 1.5 * timeoutMs, durationNs, seed, heartbeatNs);
    }

    /** The fixed-timeout detector with timeout {@code tauMs} itself, heartbeats every {@code heartbeatNs}: {T_MR in s, T_D in ms}. */
    public static double[] simulatedFixedTimeout(Links c, double tauMs, long durationNs, long seed, long heartbeatNs) {
        io.github.dsw.detect.DetectorQos.Settings s = new io.github.dsw.detect.DetectorQos.Settings(
                io.github.dsw.detect.DetectorQos.Kind.FIXED, tauMs, seed, c.latency(), c.loss(), c.pauseEveryNs() > 0 ? c.pauseEveryNs() : 0,
                c.pauseEveryNs() > 0 ? c.pauseMedianNs() : 1, durationNs, 5_000_000_000L, 20, 8, heartbeatNs);
        io.github.dsw.detect.QosMetrics m = io.github.dsw.detect.DetectorQos.run(s).metrics();
        return new double[] {m.tMrNs() / 1e9, m.tDNs() / 1e6};
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(dir);
        if (args.length > 1 && args[1].equals("prevote")) {
            preVoteSweep(dir);
            return;
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("raft-election-timeout.csv"), StandardCharsets.UTF_8))) {
            w.println("condition,timeout_min_ms,timeout_max_ms,hours,spurious_elections,spurious_per_hour,detection_trials,"
                    + "detection_mean_ms,detection_min_ms,model_spurious_per_hour,model_detection_ms,model_detector_T_MR_s,model_detector_T_D_ms,"
                    + "sim_detector_T_MR_s,sim_detector_T_D_ms,sim_detector_spurious_per_hour");
            for (Links c : new Links[] {Links.lognormal(), Links.lognormalWithPauses()}) {
                for (int to : TIMEOUTS_MS) {
                    Point p = point(c, to, 900_000_000_000L, 30, 1);
                    FailureDetectorQos.Expected d = detector(c, 1.5 * to);
                    double[] sd = simulatedDetector(c, to, 600_000_000_000L, 1);
                    String row = String.format(Locale.ROOT, "%s,%d,%d,%.3f,%d,%.3f,%d,%.3f,%.3f,%.4f,%.3f,%.4f,%.3f,%.4f,%.3f,%.3f", p.condition(), to,
                            2 * to, p.hours(), p.spurious(), p.spuriousPerHour(), p.trials(), p.detectionMs(), p.minDetectionMs(),
                            p.modelSpuriousPerHour(), p.modelDetectionMs(), d.mistakeRecurrence(), d.detectionTime() * 1e3, sd[0], sd[1],
                            2 * 3600 / sd[0]);
                    w.println(row);
                    System.err.println(row);
                }
            }
        }
    }

    /**
     * The same sweep with PreVote and CheckQuorum on, beside the paper's Raft recomputed in the same run (same seeds):
     * {@code raft-prevote-election-timeout.csv}.
     */
    static void preVoteSweep(Path dir) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("raft-prevote-election-timeout.csv"), StandardCharsets.UTF_8))) {
            w.println("condition,variant,timeout_min_ms,timeout_max_ms,hours,spurious_elections,spurious_per_hour,detection_trials,"
                    + "detection_mean_ms,detection_min_ms");
            for (Links c : new Links[] {Links.lognormal(), Links.lognormalWithPauses()}) {
                for (int to : TIMEOUTS_MS) {
                    for (boolean pv : new boolean[] {false, true}) {
                        Point p = point(c, to, 900_000_000_000L, 30, 1, pv);
                        String row = String.format(Locale.ROOT, "%s,%s,%d,%d,%.3f,%d,%.3f,%d,%.3f,%.3f", p.condition(),
                                pv ? "prevote+checkquorum" : "paper", to, 2 * to, p.hours(), p.spurious(), p.spuriousPerHour(), p.trials(),
                                p.detectionMs(), p.minDetectionMs());
                        w.println(row);
                        w.flush();
                        System.err.println(row);
                    }
                }
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
