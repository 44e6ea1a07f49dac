package io.github.dsw.raft;

import io.github.dsw.model.ElectionTimeModel;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.ForwardingContext;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * The Raft paper's leader-election experiment (Ongaro and Ousterhout, extended version, section 9.3 and
 * Figure 16; Figure 14 of the USENIX ATC 2014 version; dissertation section 9.4, {@code real.tex}) on the
 * simulator: repeatedly crash the leader of a five-server cluster and time how long the others take to
 * replace it.
 *
 * <h2>The setup, and how each point of the paper is reproduced</h2>
 * <ul>
 *   <li><b>Servers</b>: five unmodified {@link RaftHost}s of an {@link AppliedLog} ({@link RaftNode}), 1 ms ticks, election timeouts
 *       uniform in [min, max] ticks inclusive ({@link RaftConfig#withElectionRange}), heartbeat every
 *       floor(min / 2) ticks ("half of the minimum election timeout"). <b>PreVote and CheckQuorum are off</b>:
 *       the paper's Raft has neither (both come later, dissertation sections 9.6 and 6.2).</li>
 *   <li><b>Broadcast time about 15 ms</b> (paper section 5.6: "the average time it takes a server to send RPCs
 *       in parallel to every server in the cluster and receive their responses"; dissertation: "network round
 *       trip plus disk write"). Here every step that changes durable state, and every step that sends, waits
 *       for an fsync of {@link Setup#fsyncNs} before its messages leave (RaftHost's persist-before-send), and
 *       the one-way latency is {@link Setup#oneWay}. {@link Setup#paper} uses fsync 5 ms and one-way latency
 *       uniform in [1, 3] ms, so a leader's broadcast takes
 *       {@code W + max over 4 followers of (L + W + L')}, about 14.9 ms on average ({@link #broadcastTimeMeanMs}).</li>
 *   <li><b>Different logs, so that two of the four survivors cannot win</b> (the dissertation's words). Roles are
 *       a random permutation of the server ids per trial: the leader P, and followers A, B, C, D. Every server
 *       boots with a preset durable log of term-1 entries, of lengths P 4, A 4, B 3, C 2, D 1 (as if an earlier
 *       term-1 leader had replicated unevenly). During warm-up the followers cannot reach each other (only P), so
 *       only P can collect a majority; when P wins it appends its no-op at index 5, which only A can accept (the
 *       others' logs are too short for the consistency check). The links from B, C and D back to P are then
 *       cut, so P never learns of their rejections and never repairs their logs; they still take P's
 *       AppendEntries as heartbeats. At the crash the survivors' logs are A 5 (last term = P's term), B 3, C 2,
 *       D 1: all different, and only A (every vote) and B (votes of C and D) can win.</li>
 *   <li><b>Synchronised heartbeat, crash uniformly within the heartbeat interval</b>: once every follower follows
 *       P (the warm-up also holds the followers' clocks back, so that P times out first) and the followers can reach each other again, the trial waits for one of P's heartbeat broadcasts
 *       (sent to all four in one step) and crashes P at a uniform random point of the following heartbeat
 *       interval, counted from when the broadcast left P (after its fsync).</li>
 *   <li><b>What is timed</b>: the dissertation measured "the time from when the old leader crashed until the
 *       other servers received the new leader's first heartbeat". Here: {@link Trial#establishedNs}, from the
 *       crash until every surviving server is in the new leader's term and names it as leader (it has received
 *       an AppendEntries from it). Also recorded: {@link Trial#electedNs}, until some server first becomes
 *       leader in a later term. A trial that has no established leader after {@link Setup#horizonNs} is
 *       censored (-1).</li>
 * </ul>
 *
 * <h2>Known differences from LogCabin, the paper's implementation</h2>
 * {@link RaftNode} follows etcd: a server that sees a higher term (for instance a RequestVote from a
 * candidate it then refuses because its log is shorter) becomes follower and <i>restarts its election timer</i>;
 * LogCabin's {@code stepDown} keeps the running timer, and the paper's Figure 2 resets it only on an
 * AppendEntries from the leader or a granted vote. An ineligible candidate therefore delays the eligible ones
 * here. LogCabin's leader also writes its log in parallel with sending (dissertation section 10.2.1), while
 * RaftHost persists before every send. The published curves' fastest trials (half the minimum timeout plus about
 * 9.3 ms) put LogCabin's three election hops at about 3 ms each, less than the 7 ms hop that a 15 ms broadcast gives
 * here: with a 2 ms fsync ({@link Setup#withNetwork}) the simulated medians land within 15 % of the published ones
 * ({@code ElectionTrialsVsPublishedTest}; the reference run's README compares the whole curves).
 *
 * <p>Each trial is one {@link Simulator} run with its own seed ({@link #trialSeed}); a run is reproducible from
 * the run seed. Cost: about 5 tick events per simulated millisecond plus messages: a 10 s censored trial is
 * some 60,000 events.
 */
public final class ElectionTrials {

    /** Number of servers, as in the paper. */
    public static final int SERVERS = 5;

    private static final long MS = 1_000_000L;

    /**
     * Virtual time the warm-up before each crash may take (P elected in the star, then every survivor following
     * it); a trial that needs longer fails with {@link IllegalStateException}.
     */
    public static final long WARMUP_LIMIT_MS = 60_000;

    /**
     * Largest maximum election timeout a {@link Setup} accepts. The warm-up holds the followers back for one
     * maximum timeout, then needs P's timeout and possibly a few more rounds when a follower's timer fires
     * first: with longer ranges it cannot fit in {@link #WARMUP_LIMIT_MS}, and the trial would fail after
     * simulating a minute for nothing.
     */
    public static final int MAX_TIMEOUT_MS = 10_000;

    /**
     * One experiment configuration.
     *
     * @param minMs       minimum election timeout in ms (= ticks), >= 2
     * @param maxMs       maximum election timeout in ms, >= minMs
     * @param heartbeatMs ticks between heartbeats, in 1..minMs-1 (the paper: minMs / 2)
     * @param oneWay      one-way latency of every server-to-server link
     * @param fsyncNs     time of one fsync (every step that persists or sends waits for one)
     * @param horizonNs   a trial without an established leader this long after the crash is censored
     * @param timerResetOnNewTerm the servers' {@link RaftConfig#timerResetOnNewTerm}: false for the paper's
     *                    rule (Figure 2, LogCabin), true for RaftNode's default (etcd)
     */
    public record Setup(int minMs, int maxMs, int heartbeatMs, Latency oneWay, long fsyncNs, long horizonNs,
                        boolean timerResetOnNewTerm) {
        public Setup {
            if (minMs < 2) {
                throw new IllegalArgumentException("minMs must be >= 2, got " + minMs);
            }
            if (maxMs < minMs || maxMs > MAX_TIMEOUT_MS) {
                throw new IllegalArgumentException("maxMs must be in " + minMs + ".." + MAX_TIMEOUT_MS + ", got " + maxMs);
            }
            if (heartbeatMs < 1 || heartbeatMs >= minMs) {
                throw new IllegalArgumentException("heartbeatMs must be in 1.." + (minMs - 1) + ", got " + heartbeatMs);
            }
            if (oneWay == null) {
                throw new IllegalArgumentException("oneWay must not be null");
            }
            if (fsyncNs < 0) {
                throw new IllegalArgumentException("fsyncNs must be >= 0, got " + fsyncNs);
            }
            if (horizonNs <= 0) {
                throw new IllegalArgumentException("horizonNs must be > 0, got " + horizonNs);
            }
        }

        /**
         * The paper's setup for timeouts uniform in [minMs, maxMs]: heartbeat minMs / 2 (rounded down),
         * fsync 5 ms, one-way latency uniform in [1, 3] ms (broadcast time about 15 ms), horizon 10 s, and the
         * paper's timer rule (a new term alone does not restart a server's election timer).
         */
        public static Setup paper(int minMs, int maxMs) {
            if (minMs < 2) {
                throw new IllegalArgumentException("minMs must be >= 2, got " + minMs);
            }
            return new Setup(minMs, maxMs, minMs / 2, new Latency.Uniform(1 * MS, 3 * MS), 5 * MS, 10_000 * MS, false);
        }

        public Setup withHorizonNs(long ns) {
            return new Setup(minMs, maxMs, heartbeatMs, oneWay, fsyncNs, ns, timerResetOnNewTerm);
        }

        public Setup withTimerResetOnNewTerm(boolean reset) {
            return new Setup(minMs, maxMs, heartbeatMs, oneWay, fsyncNs, horizonNs, reset);
        }

        public Setup withNetwork(Latency latency, long fsync) {
            return new Setup(minMs, maxMs, heartbeatMs, latency, fsync, horizonNs, timerResetOnNewTerm);
        }

        /** "150-155" */
        public String range() {
            return minMs + "-" + maxMs;
        }
    }

    /**
     * One trial.
     *
     * @param index         trial number in the run, from 0
     * @param seed          the trial's simulator seed
     * @param crashOffsetNs where in the heartbeat interval the leader crashed (0 = just as its heartbeat left)
     * @param firstCandidateNs crash to the first survivor becoming candidate (the earliest election timeout); -1 if none
     *                      within the horizon. {@code crashOffsetNs + firstCandidateNs} is the time since the last
     *                      heartbeat left the leader, the quantity the dissertation's M_s models (plus one-way latency)
     * @param electedNs     crash to the first server becoming leader in a later term; -1 if none within the horizon
     * @param establishedNs crash to every survivor following that leader; -1 if censored
     * @param leaderRole    role of the new leader ('A' or 'B' are the eligible ones; '-' if censored)
     * @param terms         terms the election used (new leader's term - old leader's term); the failed ones split
     *                      or were won by nobody
     */
    public record Trial(int index, long seed, long crashOffsetNs, long firstCandidateNs, long electedNs, long establishedNs,
                        char leaderRole, long terms) {
        public boolean censored() {
            return establishedNs < 0;
        }
    }

    /** All trials of one setup, with summary statistics over {@link Trial#establishedNs}. */
    public record Result(Setup setup, long runSeed, List<Trial> trials) {
        public Result {
            trials = List.copyOf(trials);
        }

        public int censored() {
            return (int) trials.stream().filter(Trial::censored).count();
        }

        /** Mean over the trials that completed (NaN if none did). */
        public double meanMs() {
            return trials.stream().filter(t -> !t.censored()).mapToLong(Trial::establishedNs).average().orElse(Double.NaN) / MS;
        }

        /**
         * The q-quantile (nearest rank) with censored trials counted as longer than every completed one;
         * +infinity when the rank falls among the censored trials.
         */
        public double quantileMs(double q) {
            if (!(q > 0 && q <= 1)) {
                throw new IllegalArgumentException("q must be in (0, 1], got " + q);
            }
            long[] v = trials.stream().mapToLong(t -> t.censored() ? Long.MAX_VALUE : t.establishedNs()).sorted().toArray();
            if (v.length == 0) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(q * v.length) - 1;
            long x = v[Math.max(0, rank)];
            return x == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : x / (double) MS;
        }

        public double medianMs() {
            return quantileMs(0.5);
        }

        /** Fastest trial (+infinity if every trial was censored). */
        public double fastestMs() {
            long best = trials.stream().filter(t -> !t.censored()).mapToLong(Trial::establishedNs).min().orElse(-1);
            return best < 0 ? Double.POSITIVE_INFINITY : best / (double) MS;
        }

        /** Longest trial, +infinity if any was censored. */
        public double maxMs() {
            return quantileMs(1.0);
        }

        /**
         * One line: range, trials, seed, censored, mean, median, p99, max (">horizon" when censored trials reach
         * that rank), the model's mean ("inf" when it predicts that every term splits) and split rate, the
         * setup's mean broadcast time, fsync and mean one-way latency, and the timer rule.
         */
        public String summary() {
            return String.format(Locale.ROOT,
                    "raft-elections range_ms=%s trials=%d seed=%d censored=%d mean_ms=%s median_ms=%s p99_ms=%s max_ms=%s"
                            + " model_mean_ms=%s model_split_rate=%.3f broadcast_ms=%.1f fsync_ms=%.1f one_way_mean_ms=%.1f"
                            + " horizon_ms=%d timer_rule=%s",
                    setup.range(), trials.size(), runSeed, censored(), fmt(meanMs()), fmt(medianMs()), fmt(quantileMs(0.99)),
                    fmt(maxMs()), Double.isInfinite(modelMeanMs(setup)) ? "inf" : fmt(modelMeanMs(setup)), modelSplitRate(setup), broadcastTimeMeanMs(setup, 7), setup.fsyncNs() / (double) MS,
                    meanOneWayMs(setup.oneWay()), setup.horizonNs() / MS,
                    setup.timerResetOnNewTerm() ? "etcd" : "paper");
        }

        private String fmt(double ms) {
            if (Double.isNaN(ms)) {
                return "NaN";
            }
            return Double.isInfinite(ms) ? ">" + setup.horizonNs() / MS : String.format(Locale.ROOT, "%.1f", ms);
        }
    }

    private ElectionTrials() {
    }

    /** Runs {@code trials} trials of {@code setup}; {@code progress} is called with each finished trial's index. */
    public static Result run(Setup setup, long runSeed, int trials, IntConsumer progress) {
        if (setup == null || progress == null) {
            throw new IllegalArgumentException("setup and progress must not be null");
        }
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1, got " + trials);
        }
        List<Trial> out = new ArrayList<>(trials);
        for (int i = 0; i < trials; i++) {
            out.add(trial(setup, i, trialSeed(runSeed, i)));
            progress.accept(i);
        }
        return new Result(setup, runSeed, out);
    }

    /** The seed of trial {@code index} of a run: a SplitMix64 output, so neighbouring trials are unrelated. */
    public static long trialSeed(long runSeed, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, got " + index);
        }
        SplitMix64 r = new SplitMix64(runSeed + 0x632be59bd9b4e019L * (index + 1L));
        return r.nextLong();
    }

    // Roles in a trial's permutation.
    private static final int P = 0;
    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;
    private static final int D = 4;
    private static final int[] PRESET_LENGTH = {4, 4, 3, 2, 1};
    private static final String ROLES = "PABCD";

    /** Runs one trial (see the class comment for the procedure). */
    public static Trial trial(Setup setup, int index, long seed) {
        SplitMix64 harness = new SplitMix64(seed ^ 0x5deece66dL); // the harness's own choices, apart from the simulation's
        int[] server = permutation(harness); // server[role] = id
        int[] role = new int[SERVERS];
        for (int r = 0; r < SERVERS; r++) {
            role[server[r]] = r;
        }
        LinkModel link = LinkModel.reliable(setup.oneWay());
        LinkModel cut = link.withLoss(1.0);
        SimConfig cfg = SimConfig.defaults(seed, SERVERS).withServerLink(link).withFsyncNs(setup.fsyncNs())
                .withTrace(Trace.Level.COUNTS, false);
        Harnessed[] nodes = new Harnessed[SERVERS];
        Simulator<RaftMessage> sim = new Simulator<>(cfg, id -> {
            RaftConfig c = RaftConfig.builder(id, SERVERS).preVote(false).checkQuorum(false)
                    .electionTicks(setup.minMs(), setup.maxMs()).heartbeatTicks(setup.heartbeatMs())
                    .timerResetOnNewTerm(setup.timerResetOnNewTerm()).build();
            // no tick catch-up: the warm-up below holds the followers' clocks back with a pause
            nodes[id] = new Harnessed(RaftHost.ofLog(c, MS, 0).withoutTickCatchUp(), PRESET_LENGTH[role[id]]);
            return nodes[id];
        });
        int p = server[P];
        // Warm-up: a star around P, so that only P can gather a majority, and the followers' clocks held back
        // for one maximum timeout, so that P times out first (with fixed timeouts they would all campaign at
        // once, for ever).
        setFollowerMesh(sim, server, cut);
        for (int r = A; r <= D; r++) {
            sim.pause(server[r], setup.maxMs() * MS);
        }
        long warmupLimit = WARMUP_LIMIT_MS * MS;
        boolean returnsCut = false;
        while (true) {
            if (!sim.step() || sim.now() > warmupLimit) {
                throw new IllegalStateException("warm-up did not settle (seed=" + seed + ", range " + setup.range() + ")");
            }
            RaftNode pr = nodes[p].raft();
            boolean leads = pr != null && pr.role() == RaftNode.Role.LEADER;
            if (leads != returnsCut) {
                // While P leads, B, C and D cannot answer it (their rejections would let it repair their logs);
                // while it does not, they must be able to vote for it.
                for (int r = B; r <= D; r++) {
                    sim.setLink(server[r], p, leads ? cut : link);
                }
                returnsCut = leads;
                if (leads) {
                    // Hold the followers until P's first AppendEntries is surely there: with short timeouts one of
                    // them could time out first, depose P, and the warm-up would start again (and again).
                    for (int r = A; r <= D; r++) {
                        sim.pause(server[r], setup.minMs() * MS + 2 * setup.fsyncNs());
                    }
                }
            }
            if (leads && settled(nodes, server, pr)) {
                break;
            }
        }
        setFollowerMesh(sim, server, link);
        // Wait for a heartbeat broadcast from P with everyone following it; crash P within the next interval.
        long hbNs = setup.heartbeatMs() * MS;
        long old = nodes[p].raft().currentTerm();
        nodes[p].heartbeatAt = -1;
        long heartbeatStep;
        while (true) {
            if (!sim.step() || sim.now() > warmupLimit || nodes[p].raft().role() != RaftNode.Role.LEADER
                    || nodes[p].raft().currentTerm() != old) {
                throw new IllegalStateException("no heartbeat from the settled leader (seed=" + seed + ", range " + setup.range() + ")");
            }
            if (nodes[p].heartbeatAt >= 0) {
                if (settled(nodes, server, nodes[p].raft())) {
                    heartbeatStep = nodes[p].heartbeatAt;
                    break;
                }
                nodes[p].heartbeatAt = -1;
            }
        }
        long sentAt = heartbeatStep + setup.fsyncNs(); // the broadcast leaves after the step's fsync
        long offset = harness.nextLong(hbNs);
        long crashAt = sentAt + offset;
        sim.runUntil(crashAt);
        if (nodes[p].raft().role() != RaftNode.Role.LEADER || nodes[p].raft().currentTerm() != old) {
            throw new IllegalStateException("leader lost its term before the crash (seed=" + seed + ")");
        }
        sim.crash(p);
        long end = crashAt + setup.horizonNs();
        long[] firstCandidate = {-1};
        long[] elected = {-1};
        long[] established = {-1};
        char[] winner = {'-'};
        long[] terms = {0};
        sim.runUntil(end, () -> {
            for (int id = 0; id < SERVERS; id++) {
                RaftNode n = id == p ? null : nodes[id].raft();
                if (n != null && firstCandidate[0] < 0 && n.role() == RaftNode.Role.CANDIDATE) {
                    firstCandidate[0] = sim.now() - crashAt;
                }
                if (n == null || n.role() != RaftNode.Role.LEADER || n.currentTerm() <= old) {
                    continue;
                }
                if (elected[0] < 0) {
                    elected[0] = sim.now() - crashAt;
                }
                if (allFollow(nodes, p, id, n.currentTerm())) {
                    established[0] = sim.now() - crashAt;
                    winner[0] = ROLES.charAt(role[id]);
                    terms[0] = n.currentTerm() - old;
                    return true;
                }
            }
            return false;
        });
        return new Trial(index, seed, offset, firstCandidate[0], elected[0], established[0], winner[0], terms[0]);
    }

    /**
     * P leads, every follower follows it in its term, A holds P's whole log (its preset entries and the no-op of
     * each term P won; a follower that timed out during warm-up may have made P run again), and B, C, D still
     * have their preset logs.
     */
    private static boolean settled(Harnessed[] nodes, int[] server, RaftNode leader) {
        for (int r = A; r <= D; r++) {
            RaftNode f = nodes[server[r]].raft();
            if (f == null || f.role() != RaftNode.Role.FOLLOWER || f.currentTerm() != leader.currentTerm()
                    || f.leaderId() != server[P]) {
                return false;
            }
            long want = r == A ? leader.lastIndex() : PRESET_LENGTH[r];
            if (f.lastIndex() != want) {
                return false;
            }
        }
        return leader.lastIndex() > PRESET_LENGTH[P];
    }

    private static boolean allFollow(Harnessed[] nodes, int crashed, int leader, long term) {
        for (int id = 0; id < SERVERS; id++) {
            if (id == crashed || id == leader) {
                continue;
            }
            RaftNode n = nodes[id].raft();
            if (n.currentTerm() != term || n.leaderId() != leader) {
                return false;
            }
        }
        return true;
    }

    private static void setFollowerMesh(Simulator<RaftMessage> sim, int[] server, LinkModel model) {
        for (int x = A; x <= D; x++) {
            for (int y = A; y <= D; y++) {
                if (x != y) {
                    sim.setLink(server[x], server[y], model);
                }
            }
        }
    }

    private static int[] permutation(SplitMix64 r) {
        int[] a = {0, 1, 2, 3, 4};
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    // ------------------------------------------------------------------ model

    /** Mean of the one-way latency in ms (exact for the four {@link Latency} shapes; Pareto ignores its cap). */
    static double meanOneWayMs(Latency l) {
        return switch (l) {
            case Latency.Constant c -> c.ns() / (double) MS;
            case Latency.Uniform u -> (u.minNs() + u.maxNs()) / 2.0 / MS;
            case Latency.LogNormal g -> g.medianNs() * Math.exp(g.sigma() * g.sigma() / 2) / MS;
            case Latency.Pareto p -> p.alpha() > 1 ? p.minNs() * p.alpha() / (p.alpha() - 1) / MS : Double.POSITIVE_INFINITY;
        };
    }

    /**
     * Mean broadcast time in ms (paper section 5.6) in this setup, by Monte Carlo with a fixed seed (100,000
     * draws): the leader's fsync, then the slowest of the 4 followers' round trips, each one-way out, the
     * follower's fsync, and one-way back.
     */
    public static double broadcastTimeMeanMs(Setup setup, long seed) {
        SplitMix64 r = new SplitMix64(seed);
        int draws = 100_000;
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            long worst = 0;
            for (int f = 0; f < SERVERS - 1; f++) {
                worst = Math.max(worst, setup.oneWay().sampleNs(r) + setup.fsyncNs() + setup.oneWay().sampleNs(r));
            }
            sum += setup.fsyncNs() + worst;
        }
        return sum / draws / MS;
    }

    /**
     * The dissertation's expected election time (section 9.3, {@link ElectionTimeModel#expectedElectionTime})
     * mapped onto this setup, in ms; +infinity when every term is predicted to split (a range of width 0).
     * Mapping: every message hop costs an fsync plus a one-way latency here (persist before send), so the
     * model's L becomes {@code hop = W + E[L]} and its W (the voter's write) is already in the voter's hop;
     * the split-vote rate is {@link ElectionTimeModel#splitVoteProbability} with n = 5, s = 4 and
     * l = hop / (max - min); the heartbeat adjustment is min / 4. Two terms are added that the dissertation's
     * E_s leaves out but this measurement includes: the old leader's last heartbeat reaches the followers
     * E[L] after it leaves (their timers start then), and the new leader's first AppendEntries needs one more
     * hop to reach them. Timers fire on whole ticks, which this ignores (about -0.5 ms).
     */
    public static double modelMeanMs(Setup setup) {
        double meanL = meanOneWayMs(setup.oneWay());
        double hop = setup.fsyncNs() / (double) MS + meanL;
        double width = setup.maxMs() - setup.minMs();
        double l = width == 0 ? Double.POSITIVE_INFINITY : hop / width;
        double p = ElectionTimeModel.splitVoteProbability(SERVERS, SERVERS - 1, l);
        double e = ElectionTimeModel.expectedElectionTime(p, SERVERS - 1, setup.minMs(), width, hop, 0, setup.minMs() / 4.0);
        return e + meanL + hop;
    }

    /**
     * The dissertation's earliest timeout (section 9.1) in this setup: the q-quantile, in ms, of the time from the last
     * heartbeat leaving the leader to the first election timeout among the 4 survivors,
     * {@code E[L] + min + (max - min) (1 - (1 - q)^(1/4))} ({@link ElectionTimeModel#earliestTimeoutQuantile}). It treats
     * the heartbeat's latency as the constant E[L] and time as continuous; here each survivor's latency differs and
     * timers fire on whole ticks (0.5 ms early on average).
     */
    public static double modelEarliestTimeoutMs(Setup setup, double q) {
        return meanOneWayMs(setup.oneWay()) + setup.minMs()
                + (setup.maxMs() - setup.minMs()) * ElectionTimeModel.earliestTimeoutQuantile(SERVERS - 1, q);
    }

    /** Mean of {@link #modelEarliestTimeoutMs}: {@code E[L] + min + (max - min) / 5} (E[M_4] = 1/5). */
    public static double modelEarliestTimeoutMeanMs(Setup setup) {
        return meanOneWayMs(setup.oneWay()) + setup.minMs()
                + (setup.maxMs() - setup.minMs()) * ElectionTimeModel.earliestTimeoutMean(SERVERS - 1);
    }

    /** The model's split-vote rate per term for this setup (see {@link #modelMeanMs}). */
    public static double modelSplitRate(Setup setup) {
        double hop = setup.fsyncNs() / (double) MS + meanOneWayMs(setup.oneWay());
        double width = setup.maxMs() - setup.minMs();
        return ElectionTimeModel.splitVoteProbability(SERVERS, SERVERS - 1, width == 0 ? Double.POSITIVE_INFINITY : hop / width);
    }

    // ------------------------------------------------------------------ harness node

    /**
     * A RaftHost with a preset durable log (written before it loads its state, through the same
     * {@link RaftStorage} layout) whose context notes when it broadcasts an AppendEntries to every peer in one
     * timer step while leading: a heartbeat.
     */
    private static final class Harnessed implements Node<RaftMessage> {
        private final RaftHost<AppliedLog, RaftMessage> server;
        private final int presetLength;
        long heartbeatAt = -1;

        Harnessed(RaftHost<AppliedLog, RaftMessage> server, int presetLength) {
            this.server = server;
            this.presetLength = presetLength;
        }

        RaftNode raft() {
            return server.raft();
        }

        @Override
        public void start(Context<RaftMessage> ctx) {
            if (ctx.read("last") == null) {
                List<LogEntry> log = new ArrayList<>();
                for (int i = 1; i <= presetLength; i++) {
                    log.add(new LogEntry(1, "preset-" + i));
                }
                RaftStorage.persist(ctx, new Ready(new HardState(1, RaftNode.NONE), 1, log, List.of(), 1,
                        List.of(), List.of(), null, null));
            }
            server.start(ctx);
        }

        @Override
        public void receive(Context<RaftMessage> ctx, int from, RaftMessage message) {
            server.receive(ctx, from, message);
        }

        @Override
        public void timer(Context<RaftMessage> ctx, Object tag) {
            boolean leading = server.raft() != null && server.raft().role() == RaftNode.Role.LEADER;
            CountingContext counting = new CountingContext(ctx);
            server.timer(counting, tag);
            if (leading && counting.appends == SERVERS - 1) {
                heartbeatAt = ctx.now();
            }
        }
    }

    /** Forwards everything; counts AppendEntries sent to distinct peers during one step. */
    private static final class CountingContext extends ForwardingContext<RaftMessage> {
        final boolean[] to = new boolean[SERVERS];
        int appends;

        CountingContext(Context<RaftMessage> ctx) {
            super(ctx);
            to[ctx.self()] = true;
        }

        @Override
        public void send(int dest, RaftMessage message) {
            if (message instanceof AppendEntries && dest < SERVERS && !to[dest]) {
                to[dest] = true;
                appends++;
            }
            super.send(dest, message);
        }
    }
}
