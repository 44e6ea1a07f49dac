package io.github.dsw.commit;

import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.commit.CommitRun.Settings;
import io.github.dsw.model.QuorumLatency;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.Trace;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * Chapter 10's latency model against the simulator, and the load that limits throughput as N grows.
 *
 * <p><b>Commit latency</b> = the time from RM 0's Begin to the last RM's decision, failure-free, every RM voting
 * yes, separate processes, fsync free (so only link delays count). Written as a sum of independent stages, each
 * the maximum (the m-th order statistic, {@link QuorumLatency} with k = m) of m paths of {@code hops} one-way
 * delays (Gray and Lamport, "Consensus on Transaction Commit", ACM TODS 2006, sections 3-5, for the message
 * flows):
 *
 * <pre>
 *   2PC                  D + max_{N-1}(2D)            + max_N(D)     BeginCommit; Prepare+Prepared; Commit
 *   Paxos Commit         D + max_{(N-1)(F+1)}(3D)     + max_N(D)     BeginCommit; Prepare+2a+2b; Commit
 *   Faster Paxos Commit  D + max_{(N-1)(F+1)N}(3D)                   BeginCommit; Prepare+2a+2b to every RM
 * </pre>
 *
 * With a constant delay d every stage is its number of hops, 4d / 5d / 4d: the paper's message delays. For
 * random delays the 2PC expression is exact (its paths share no link message, and the TM's decision waits for
 * all of them). Paxos Commit's paths share messages (RM i's Prepare feeds F+1 paths; an acceptor's bundled 2b
 * ends N-1 of them), so treating them as independent is an approximation; because the path delays are
 * increasing functions of the same independent link delays they are positively associated (Esary, Proschan and
 * Walkup, "Association of random variables", Ann. Math. Stat. 1967), so P(max ≤ t) ≥ Π P(path ≤ t): the model
 * is stochastically <em>larger</em> than the real maximum, an upper bound (RM 0's own 2a, sent at Begin and two
 * hops shorter than the others, is left out of the paths; it almost never is the last). The path model counts a
 * shared message in many paths, which overstates the chance of one huge delay: with Pareto links it is loose, so
 * the model used for Paxos Commit is the pointwise tighter of it and a second upper bound with a barrier after
 * every message round ({@link #barrierStages}), each message counted once. Timers (2PC's inquiry after 20 ms,
 * Paxos Commit's 40 ms RM timeout) could cut a very slow run short; with the links below they almost never fire.
 *
 * <p><b>Load</b>: with every message costing its sender and its receiver the same CPU, the busiest process
 * limits throughput; its messages per transaction are counted here from the simulator's flights. By hand: 2PC's
 * TM handles 3N-1, Paxos Commit's leader 2N+F+1 (acceptors N+1), Faster Paxos Commit's acceptors 2N (leader N),
 * so the capacity falls like 1/N for all three, with the coordinator of 2PC the most loaded.
 *
 * <p>How to run this: {@code mvn -q -o install -DskipTests}, then {@code java -cp
 * scenarios/target/classes:algorithms/target/classes io.github.dsw.commit.CommitLatency [outDir]} (default
 * {@code datasets/results/10-atomic-commit}); a few seconds. Virtual time: the numbers are the same on any machine.
 */
public final class CommitLatency {

    /** A one-way link delay: the simulator's form, an independent sampler and its CDF (ns) for the model. */
    public enum Link {
        /** 1 ms. */
        CONSTANT(new Latency.Constant(1_000_000)),
        /** Log-normal, median 1 ms, sigma 0.5 (chapter 6's). */
        LOGNORMAL(new Latency.LogNormal(1_000_000, 0.5)),
        /** Pareto from 0.5 ms with alpha 2 (median 0.71 ms, mean 1 ms), capped at 50 ms. */
        PARETO(new Latency.Pareto(500_000, 2.0, 50_000_000));

        public final Latency latency;

        Link(Latency latency) {
            this.latency = latency;
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** An independent sampler of one delay (ns), not the simulator's code. */
        public double sample(SplittableRandom r) {
            return switch (this) {
                case CONSTANT -> 1e6;
                case LOGNORMAL -> 1e6 * Math.exp(0.5 * gaussian(r));
                case PARETO -> Math.min(50e6, 0.5e6 / Math.pow(1 - r.nextDouble(), 1 / 2.0));
            };
        }

        /** CDF of one delay (ns). */
        public DoubleUnaryOperator cdf() {
            return switch (this) {
                case CONSTANT -> QuorumLatency.constantCdf(1e6);
                case LOGNORMAL -> QuorumLatency.logNormalCdf(Math.log(1e6), 0.5);
                case PARETO -> t -> t < 0.5e6 ? 0 : t >= 50e6 ? 1 : 1 - Math.pow(0.5e6 / t, 2.0);
            };
        }
    }

    /** One stage of the model: the maximum of {@code paths} i.i.d. paths of {@code hops} one-way delays. */
    public record Stage(int paths, int hops) {
    }

    /** The stages of a protocol's commit latency with N participants and F faults (N >= 2), as paths. */
    public static List<Stage> stages(Protocol p, int n, int f) {
        if (n < 2) {
            throw new IllegalArgumentException("the model needs N >= 2 (N = 1 has no Prepare round), got " + n);
        }
        return switch (p) {
            case TWO_PC -> List.of(new Stage(1, 1), new Stage(n - 1, 2), new Stage(n, 1));
            case PAXOS_COMMIT -> List.of(new Stage(1, 1), new Stage((n - 1) * (f + 1), 3), new Stage(n, 1));
            case FASTER_PAXOS_COMMIT -> List.of(new Stage(1, 1), new Stage((n - 1) * (f + 1) * n, 3));
            case THREE_PC -> throw new IllegalArgumentException("no latency model for 3PC here");
        };
    }

    /**
     * The same latency with a barrier after every message round (each round waits for the slowest of its
     * messages, RM 0's phase 2a included): BeginCommit; N-1 Prepares; N(F+1) phase 2a; F+1 phase 2b to the
     * leader then N Commits (Paxos Commit) or (F+1)N phase 2b to the RMs (Faster). Every message's arrival is at
     * most the previous round's maximum plus its own delay, so this is an upper bound too; it counts each
     * message once where the path model counts a shared message in many paths, so it is the tighter of the two
     * when one huge delay dominates (Pareto links).
     */
    public static List<Stage> barrierStages(Protocol p, int n, int f) {
        return switch (p) {
            case PAXOS_COMMIT -> List.of(new Stage(1, 1), new Stage(n - 1, 1), new Stage(n * (f + 1), 1), new Stage(f + 1, 1),
                    new Stage(n, 1));
            case FASTER_PAXOS_COMMIT -> List.of(new Stage(1, 1), new Stage(n - 1, 1), new Stage(n * (f + 1), 1), new Stage((f + 1) * n, 1));
            default -> throw new IllegalArgumentException("the barrier model is for Paxos Commit");
        };
    }

    /** Whether the model is exact (2PC, or any protocol with constant links) or an upper bound (Paxos Commit's shared messages). */
    public static boolean exact(Protocol p, Link link) {
        return p == Protocol.TWO_PC || link == Link.CONSTANT;
    }

    /** The model's distribution: its mean (by integration of order-statistic CDFs) and quantiles (by sampling the model). */
    public record Model(double meanNs, double p50Ns, double p90Ns, double p99Ns) {
    }

    /**
     * Computes the model: 2PC's exact sum of order statistics; for Paxos Commit the tighter of the path model and the
     * barrier model at every point (both are upper bounds, so their pointwise minimum is one: its quantiles are the
     * minimum of the two quantiles, its mean at most the smaller mean). {@code seed} drives the empirical CDF of
     * multi-hop paths and the sampling of the model's quantiles ({@code trials} draws).
     */
    public static Model model(Protocol p, int n, int f, Link link, long seed, int trials) {
        Model a = sumOfMaxima(stages(p, n, f), link, seed, trials);
        if (p == Protocol.TWO_PC) {
            return a;
        }
        Model b = sumOfMaxima(barrierStages(p, n, f), link, seed + 1, trials);
        return new Model(Math.min(a.meanNs(), b.meanNs()), Math.min(a.p50Ns(), b.p50Ns()), Math.min(a.p90Ns(), b.p90Ns()),
                Math.min(a.p99Ns(), b.p99Ns()));
    }

    /** A sum of independent stages, each the maximum of its paths: mean by {@link QuorumLatency#kthMean}, quantiles by sampling. */
    static Model sumOfMaxima(List<Stage> stages, Link link, long seed, int trials) {
        double mean = 0;
        for (Stage s : stages) {
            if (link == Link.CONSTANT) {
                mean += s.hops() * 1e6;
            } else {
                DoubleUnaryOperator cdf = s.hops() == 1 ? link.cdf() : pathCdf(link, s.hops(), seed + s.hops());
                double hi = s.hops() * (link == Link.PARETO ? 50e6 : 20e6);
                mean += QuorumLatency.kthMean(cdf, s.paths(), s.paths(), hi, 8_000);
            }
        }
        double[] total = new double[trials];
        SplittableRandom r = new SplittableRandom(seed);
        for (Stage s : stages) {
            ToDoubleFunction<SplittableRandom> path = g -> {
                double sum = 0;
                for (int h = 0; h < s.hops(); h++) {
                    sum += link.sample(g);
                }
                return sum;
            };
            double[] x = QuorumLatency.sampleKth(path, s.paths(), s.paths(), trials, r);
            for (int i = 0; i < trials; i++) {
                total[i] += x[i];
            }
        }
        Arrays.sort(total);
        return new Model(mean, quantile(total, 0.5), quantile(total, 0.9), quantile(total, 0.99));
    }

    /** The empirical CDF of a sum of {@code hops} independent delays (200,000 draws), as chapter 6 does for round trips. */
    static DoubleUnaryOperator pathCdf(Link link, int hops, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] s = new double[200_000];
        for (int i = 0; i < s.length; i++) {
            for (int h = 0; h < hops; h++) {
                s[i] += link.sample(r);
            }
        }
        return QuorumLatency.empiricalCdf(s);
    }

    /** What the simulator measured for one configuration. */
    public record Measured(double[] latenciesNs, double meanNs, double stdErrNs, double p50Ns, double p90Ns, double p99Ns,
                           int busiestProcess, double busiestPerTx, double messagesPerTx) {
    }

    /** Runs {@code transactions} failure-free transactions (all yes, separate processes, fsync 0) and measures them. */
    public static Measured simulate(Protocol p, int n, int f, Link link, int transactions, long seed) {
        Settings s = new Settings(p, n, p == Protocol.TWO_PC ? 0 : f, false, transactions, Set.of(), seed, link.latency, 0, 0, false, null,
                Trace.Level.COUNTS, true);
        Outcome o = CommitRun.run(s);
        if (!o.ok()) {
            throw new IllegalStateException("seed=" + seed + ": a failure-free run violated " + o.violations());
        }
        double[] lat = new double[transactions];
        for (int t = 0; t < transactions; t++) {
            if (o.lastDecisionNs()[t] < 0) {
                throw new IllegalStateException("seed=" + seed + ": transaction " + t + " undecided");
            }
            lat[t] = o.lastDecisionNs()[t] - o.beganNs()[t];
        }
        long[] handled = new long[s.layout().processes()];
        long messages = 0;
        for (Trace.Flight fl : o.trace().flights()) {
            if (fl.type().equals("Work") || fl.type().equals("Begin") || fl.from() == fl.to()) {
                continue; // the client's messages are the transaction's execution, not the commit protocol
            }
            messages++;
            if (fl.from() < handled.length) {
                handled[fl.from()]++;
            }
            if (fl.to() < handled.length) {
                handled[fl.to()]++;
            }
        }
        int busiest = 0;
        for (int i = 1; i < handled.length; i++) {
            if (handled[i] > handled[busiest]) {
                busiest = i;
            }
        }
        double mean = Arrays.stream(lat).average().orElseThrow();
        double var = 0;
        for (double x : lat) {
            var += (x - mean) * (x - mean);
        }
        double se = Math.sqrt(var / (transactions - 1) / transactions);
        double[] sorted = lat.clone();
        Arrays.sort(sorted);
        return new Measured(lat, mean, se, quantile(sorted, 0.5), quantile(sorted, 0.9), quantile(sorted, 0.99), busiest,
                handled[busiest] / (double) transactions, messages / (double) transactions);
    }

    /** The protocols of the experiment. */
    public static final List<Protocol> PROTOCOLS = List.of(Protocol.TWO_PC, Protocol.PAXOS_COMMIT, Protocol.FASTER_PAXOS_COMMIT);

    /** Participants of the latency sweep. */
    public static final int[] SIZES = {2, 3, 5, 7, 9};

    /** F of the Paxos Commit runs. */
    public static final int F = 1;

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "datasets/results/10-atomic-commit");
        Files.createDirectories(out);
        int transactions = 2000;
        try (PrintWriter lat = new PrintWriter(Files.newBufferedWriter(out.resolve("commit-latency.csv"), StandardCharsets.UTF_8));
             PrintWriter thr = new PrintWriter(Files.newBufferedWriter(out.resolve("commit-load.csv"), StandardCharsets.UTF_8))) {
            lat.println("protocol,participants,faults,link,transactions,sim_mean_ms,sim_stderr_ms,sim_p50_ms,sim_p90_ms,sim_p99_ms,"
                    + "model_mean_ms,model_p50_ms,model_p90_ms,model_p99_ms,model_kind");
            thr.println("protocol,participants,faults,messages_per_tx,busiest_process,busiest_messages_per_tx,capacity_vs_2pc_n2");
            double anchor = simulate(Protocol.TWO_PC, 2, 0, Link.CONSTANT, 20, 1).busiestPerTx();
            for (Protocol p : PROTOCOLS) {
                for (int n : SIZES) {
                    for (Link link : Link.values()) {
                        Measured m = simulate(p, n, F, link, transactions, 1);
                        Model mo = model(p, n, F, link, 42, 40_000);
                        String row = String.format(Locale.ROOT, "%s,%d,%d,%s,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%s",
                                p.cliName, n, p == Protocol.TWO_PC ? 0 : F, link.cliName(), transactions, m.meanNs() / 1e6,
                                m.stdErrNs() / 1e6, m.p50Ns() / 1e6, m.p90Ns() / 1e6, m.p99Ns() / 1e6, mo.meanNs() / 1e6,
                                mo.p50Ns() / 1e6, mo.p90Ns() / 1e6, mo.p99Ns() / 1e6, exact(p, link) ? "exact" : "upper-bound");
                        lat.println(row);
                        System.out.println("latency " + row);
                    }
                }
                for (int n = 2; n <= 9; n++) {
                    Measured m = simulate(p, n, F, Link.CONSTANT, 20, 1);
                    String row = String.format(Locale.ROOT, "%s,%d,%d,%.3f,%d,%.3f,%.4f", p.cliName, n, p == Protocol.TWO_PC ? 0 : F,
                            m.messagesPerTx(), m.busiestProcess(), m.busiestPerTx(), anchor / m.busiestPerTx());
                    thr.println(row);
                    System.out.println("load " + row);
                }
            }
        }
        System.out.println("wrote " + out);
    }

    static double quantile(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double gaussian(SplittableRandom r) {
        double u1 = 1 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private CommitLatency() {
    }
}
