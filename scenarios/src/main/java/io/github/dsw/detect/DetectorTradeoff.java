package io.github.dsw.detect;

import io.github.dsw.model.FailureDetectorQos;
import io.github.dsw.runtime.Node;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The experiments behind chapter 11's charts: (1) detection time against mistake rate as each detector's
 * threshold sweeps, on the same seeds, with the fixed timeout's closed form beside it; (2) messages per
 * second of SWIM and of all-to-all heartbeats against the group size. {@link #main} writes both as CSV.
 */
public final class DetectorTradeoff {

    /** One point of a trade-off curve. */
    public record Point(String kind, double threshold, double tDMs, double tMrS, double tMMs, double pA, int mistakes,
                        double modelTDMs, double modelTMrS, double modelPA) {
    }

    /** Thresholds swept per kind: timeouts in ms, φ values, SWIM suspicion periods. */
    public static double[] thresholds(DetectorQos.Kind kind) {
        return switch (kind) {
            case FIXED -> new double[] {1100, 1250, 1500, 2000, 3000, 5000};
            case PHI -> new double[] {0.5, 1, 2, 4, 8, 16};
            case PHI_EXP -> new double[] {0.5, 1, 2, 4, 8, 16};
            case SWIM -> new double[] {0, 1, 2, 3, 5, 8};
        };
    }

    private DetectorTradeoff() {
    }

    /**
     * The curve of {@code kind} under {@code base} (its threshold replaced by each of {@link #thresholds}); for
     * the fixed timeout also the closed form of {@link FailureDetectorQos} (which ignores GC pauses: compare
     * with runs without them). Delays must be log-normal, constant or Pareto for the model columns.
     */
    public static List<Point> curve(DetectorQos.Kind kind, DetectorQos.Settings base) {
        List<Point> out = new ArrayList<>();
        for (double t : thresholds(kind)) {
            QosMetrics m = DetectorQos.run(base.withThreshold(t)).metrics();
            double mTd = Double.NaN;
            double mTmr = Double.NaN;
            double mPa = Double.NaN;
            if (kind == DetectorQos.Kind.FIXED) {
                FailureDetectorQos.Expected e = FailureDetectorQos.fixedTimeout(base.heartbeatNs() / 1e9, t / 1e3, base.loss(),
                        quantileSeconds(base.latency()), 2000);
                mTd = e.detectionTime() * 1e3;
                mTmr = e.mistakeRecurrence();
                mPa = e.queryAccuracy();
            }
            out.add(new Point(kind.cliName, t, m.tDNs() / 1e6, m.tMrNs() / 1e9, m.tMNs() / 1e6, m.pA(), m.mistakes(), mTd, mTmr, mPa));
        }
        return out;
    }

    /** The quantile function of a simulator delay, in seconds. */
    public static java.util.function.DoubleUnaryOperator quantileSeconds(Latency l) {
        return switch (l) {
            case Latency.Constant c -> FailureDetectorQos.constant(c.ns() / 1e9);
            case Latency.LogNormal g -> FailureDetectorQos.logNormalQuantile(g.medianNs() / 1e9, g.sigma());
            case Latency.Pareto p -> FailureDetectorQos.paretoQuantile(p.minNs() / 1e9, p.alpha(), p.capNs() / 1e9);
            case Latency.Uniform u -> q -> (u.minNs() + q * (u.maxNs() - u.minNs())) / 1e9;
        };
    }

    /** Messages per second of a group of {@code n}: SWIM or all-to-all heartbeats, 1 s period, no faults. */
    public static double messagesPerSecond(boolean swim, int n, int periods, long seed) {
        SimConfig config = new SimConfig(seed, n, LinkModel.reliable(new Latency.LogNormal(5_000_000, 0.5)),
                LinkModel.reliable(new Latency.Constant(500_000)), 100_000, Trace.Level.COUNTS, false);
        long periodNs = 1_000_000_000L;
        long sent;
        if (swim) {
            Simulator<SwimMessage> sim = new Simulator<>(config, id -> new SwimNode(SwimNode.Config.defaults()));
            sim.runUntil(periods * periodNs);
            sent = sent(sim);
        } else {
            Simulator<HeartbeatMessage> sim = new Simulator<>(config,
                    id -> (Node<HeartbeatMessage>) HeartbeatNode.allToAll(id, n, () -> new FixedTimeoutDetector(3 * periodNs), periodNs));
            sim.runUntil(periods * periodNs - 1); // heartbeats go out at 0, 1 s, ...: exactly `periods` rounds
            sent = sent(sim);
        }
        return sent / (double) periods;
    }

    private static long sent(Simulator<?> sim) {
        long sent = 0;
        for (Trace.Counts c : sim.trace().messageCounts().values()) {
            sent += c.sent();
        }
        return sent;
    }

    /**
     * Writes {@code tradeoff.csv} (every kind's curve: log-normal delays, 1% loss, GC-like pauses every 300 s,
     * and the fixed timeout again without pauses beside its model) and {@code load.csv} into the folder
     * {@code args[0]}; {@code args[1]} is the seed (default 1).
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Files.createDirectories(dir);
        long s = 1_000_000_000L;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("tradeoff.csv"), StandardCharsets.UTF_8))) {
            w.println("kind,pauses,threshold,T_D_ms,T_MR_s,T_M_ms,P_A,mistakes,model_T_D_ms,model_T_MR_s,model_P_A");
            for (DetectorQos.Kind kind : DetectorQos.Kind.values()) {
                for (boolean pauses : new boolean[] {true, false}) {
                    if (!pauses && kind != DetectorQos.Kind.FIXED) {
                        continue;
                    }
                    DetectorQos.Settings base = DetectorQos.Settings.defaults(kind, kind.defaultThreshold, seed)
                            .withDurationNs(20_000 * s).withTrials(20);
                    if (!pauses) {
                        base = base.withPauses(0, 1);
                    }
                    for (Point p : curve(kind, base)) {
                        w.printf(Locale.ROOT, "%s,%b,%s,%.3f,%.3f,%.3f,%.6f,%d,%.3f,%.3f,%.6f%n", p.kind(), pauses, p.threshold(), p.tDMs(),
                                p.tMrS(), p.tMMs(), p.pA(), p.mistakes(), p.modelTDMs(), p.modelTMrS(), p.modelPA());
                    }
                    System.err.println("tradeoff " + kind.cliName + (pauses ? "" : " without pauses") + " done");
                }
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("load.csv"), StandardCharsets.UTF_8))) {
            w.println("members,scheme,messages_per_s,messages_per_member_per_s");
            for (int n : new int[] {10, 30, 100, 300, 1000}) {
                double swim = messagesPerSecond(true, n, 20, seed);
                double all = messagesPerSecond(false, n, n >= 300 ? 2 : 5, seed);
                w.printf(Locale.ROOT, "%d,swim,%.1f,%.3f%n", n, swim, swim / n);
                w.printf(Locale.ROOT, "%d,all-to-all,%.1f,%.3f%n", n, all, all / n);
                System.err.println("load n=" + n + " done");
            }
        }
    }
}
