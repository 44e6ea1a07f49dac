package io.github.dsw.paxos;

import io.github.dsw.raft.RaftAsDetector;
import io.github.dsw.raft.RaftAsDetector.Links;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.SplittableRandom;

/**
 * Multi-Paxos's leader timeout measured as a failure detector, the way {@link RaftAsDetector} measures Raft's
 * (chapter 11). In {@link MultiPaxosNode} the leader sends a heartbeat every tick (10 ms) and a follower that has
 * heard nothing from the highest ballot for its election timeout, random in [T, 2T), runs phase 1 with a higher
 * ballot: its suspicion is an election, as in the paper's Raft, and nothing like PreVote holds it back (the other
 * acceptors promise to any higher ballot). Three servers, no clients (heartbeats only), the same links and pauses
 * as the Raft experiment ({@link Links}):
 *
 * <ul>
 *   <li>spurious elections per hour: leaderships ({@link MultiPaxosNode.LeaderElected} with a higher ballot than any
 *       before) after the first one, in a run without crashes;</li>
 *   <li>detection time: from a crash of the leader (uniform within a heartbeat period, after a 3 s warm-up) to the
 *       first leadership with a higher ballot.</li>
 * </ul>
 *
 * <p>Virtual time, deterministic for a seed.
 */
public final class PaxosLeaderAsDetector {

    static final int SERVERS = 3;

    /** The timeouts T of the sweep (ms; the election timeout is uniform in [T, 2T), heartbeat every 10 ms). */
    public static final int[] TIMEOUTS_MS = {20, 30, 40, 60, 100, 150, 300};

    private PaxosLeaderAsDetector() {
    }

    /** Current leadership: the node and ballot of the last {@link MultiPaxosNode.LeaderElected} with a higher ballot. */
    private static final class Leadership {
        int node = -1;
        Ballot ballot = Ballot.ZERO;
        int elections;
        long lastElectedNs = -1;
    }

    private static Simulator<MultiPaxosMessage> cluster(Links c, int timeoutMs, long seed, Leadership lead) {
        SimConfig cfg = SimConfig.defaults(seed, SERVERS).withServerLink(LinkModel.reliable(c.latency()).withLoss(c.loss()))
                .withFsyncNs(0).withTrace(Trace.Level.COUNTS, false);
        Quorums q = Quorums.majority(SERVERS);
        Simulator<MultiPaxosMessage> sim = new Simulator<>(cfg,
                id -> new MultiPaxosNode(q, 8, 4, MultiPaxosNode.Mutation.NONE, timeoutMs * 1_000_000L));
        sim.onOutput((node, event) -> {
            if (event instanceof MultiPaxosNode.LeaderElected e && e.ballot().above(lead.ballot)) {
                lead.node = e.node();
                lead.ballot = e.ballot();
                lead.elections++;
                lead.lastElectedNs = sim.now();
            }
        });
        return sim;
    }

    /** Leaderships after the first one during {@code durationNs} without crashes (GC-like pauses of the leader per {@code c}). */
    public static int spuriousElections(Links c, int timeoutMs, long durationNs, long seed) {
        Leadership lead = new Leadership();
        Simulator<MultiPaxosMessage> sim = cluster(c, timeoutMs, seed, lead);
        RaftAsDetector.schedulePauses(sim, c, durationNs, seed, () -> lead.node);
        sim.runUntil(durationNs);
        return Math.max(0, lead.elections - 1);
    }

    /** Crash of the leader → first leadership with a higher ballot, in ns (-1 if none within 20 s). */
    public static long detection(Links c, int timeoutMs, long seed) {
        Leadership lead = new Leadership();
        Simulator<MultiPaxosMessage> sim = cluster(c, timeoutMs, seed, lead);
        sim.runUntil(3_000_000_000L);
        SplittableRandom r = new SplittableRandom(seed);
        sim.runUntil(sim.now() + (long) (r.nextDouble() * MultiPaxosNode.TICK_NS));
        int l = lead.node;
        if (l < 0 || !((MultiPaxosNode) sim.node(l)).isLeader()) {
            return detection(c, timeoutMs, seed + 1_000_003); // no settled leader at that instant: another seed
        }
        Ballot crashed = lead.ballot;
        long crashAt = sim.now();
        sim.crash(l);
        sim.runUntil(crashAt + 20_000_000_000L, () -> lead.ballot.above(crashed));
        return lead.ballot.above(crashed) ? lead.lastElectedNs - crashAt : -1;
    }

    /** Spurious elections per hour and mean/min detection (ms) over {@code trials} crashes: {perHour, spurious, meanMs, minMs, trials}. */
    public static double[] point(Links c, int timeoutMs, long durationNs, int trials, long seed) {
        int spurious = spuriousElections(c, timeoutMs, durationNs, seed);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        int ok = 0;
        for (int t = 0; t < trials; t++) {
            long d = detection(c, timeoutMs, seed * 1000 + t);
            if (d >= 0) {
                sum += d / 1e6;
                min = Math.min(min, d / 1e6);
                ok++;
            }
        }
        return new double[] {spurious / (durationNs / 3.6e12), spurious, sum / ok, min, ok};
    }

    /**
     * The sweep: {@code paxos-leader-timeout.csv} in {@code args[0]}, with the fixed-timeout detector simulated on the
     * same links with heartbeats every 10 ms and timeout 1.5 T (two followers' worth of its mistakes per hour).
     * How to run: {@code java -cp scenarios/target/classes:algorithms/target/classes io.github.dsw.paxos.PaxosLeaderAsDetector DIR}.
     */
    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Path.of(args.length > 0 ? args[0] : ".");
        java.nio.file.Files.createDirectories(dir);
        try (java.io.PrintWriter w = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(dir.resolve("paxos-leader-timeout.csv"),
                java.nio.charset.StandardCharsets.UTF_8))) {
            w.println("condition,timeout_min_ms,timeout_max_ms,heartbeat_ms,hours,spurious_elections,spurious_per_hour,detection_trials,"
                    + "detection_mean_ms,detection_min_ms,sim_detector_T_MR_s,sim_detector_T_D_ms,sim_detector_spurious_per_hour");
            for (Links c : new Links[] {Links.lognormal(), Links.lognormalWithPauses()}) {
                for (int to : TIMEOUTS_MS) {
                    long duration = 900_000_000_000L;
                    double[] p = point(c, to, duration, 30, 1);
                    double[] sd = RaftAsDetector.simulatedDetector(c, to, 600_000_000_000L, 1, MultiPaxosNode.TICK_NS);
                    String row = String.format(java.util.Locale.ROOT, "%s,%d,%d,%d,%.3f,%d,%.3f,%d,%.3f,%.3f,%.4f,%.3f,%.3f", c.name(), to, 2 * to,
                            MultiPaxosNode.TICK_NS / 1_000_000, duration / 3.6e12, (long) p[1], p[0], (long) p[4], p[2], p[3], sd[0], sd[1],
                            2 * 3600 / sd[0]);
                    w.println(row);
                    w.flush();
                    System.err.println(row);
                }
            }
        }
    }
}
