package io.github.dsw.detect;

import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Measures a failure detector's QoS (Chen, Toueg and Aguilera 2002) in the deterministic simulator:
 * process 0 monitors process 1, which sends a heartbeat every second (for SWIM: member 0's view of
 * member 1 in a group of {@code members}). Two kinds of runs, all derived from one seed:
 * <ol>
 *   <li>one failure-free run of {@code durationNs} after a {@code warmupNs} warm-up, under the delay
 *       distribution, message loss and GC-like pauses of process 1 (pauses start at exponential
 *       intervals of mean {@code pauseEveryNs}, last a log-normal time of median {@code pauseMedianNs}
 *       and shape 1): every suspicion is a mistake, giving T_MR, T_M and P_A ({@link QosMetrics});</li>
 *   <li>{@code trials} runs in which process 1 crashes after the warm-up, at a uniform offset within a
 *       heartbeat interval: T_D is the time from the crash to the final S-transition (0 if the monitor
 *       already suspected it and never trusted it again), averaged over the trials; a crash still
 *       undetected {@link #HORIZON_NS} later counts as undetected.</li>
 * </ol>
 * The threshold means, by kind: the timeout in ms (fixed), φ (phi, Akka's defaults otherwise; phi-exp,
 * Cassandra's defaults otherwise), the suspicion timeout in protocol periods (swim, SWIM's defaults
 * otherwise, see {@link SwimNode.Config#defaults}).
 */
public final class DetectorQos {

    /** The detectors, by command-line name. */
    public enum Kind {
        FIXED("fixed", 3000), PHI("phi", 8), PHI_EXP("phi-exp", 8), SWIM("swim", 3);

        public final String cliName;
        /** The threshold used when none is given: a 3 s timeout, φ = 8 (Akka, Cassandra), 3 SWIM periods. */
        public final double defaultThreshold;

        Kind(String cliName, double defaultThreshold) {
            this.cliName = cliName;
            this.defaultThreshold = defaultThreshold;
        }

        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.cliName.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("--kind must be fixed, phi, phi-exp or swim, got '" + name + "'");
        }
    }

    /** The one-way delay distributions of the command line. */
    public enum Delay {
        /** 10 ms, always. */
        CONSTANT(new Latency.Constant(10_000_000L)),
        /** Median 10 ms, shape 1: mean 16.5 ms, 1 in 1000 above 220 ms. */
        LOGNORMAL(new Latency.LogNormal(10_000_000L, 1.0)),
        /** Pareto from 5 ms with α = 1.5 (mean 15 ms, 1 in 3000 above 1 s), capped at 60 s. */
        PARETO(new Latency.Pareto(5_000_000L, 1.5, 60_000_000_000L));

        public final Latency latency;

        Delay(Latency latency) {
            this.latency = latency;
        }

        public static Delay parse(String name) {
            for (Delay d : values()) {
                if (d.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("--latency must be constant, lognormal or pareto, got '" + name + "'");
        }
    }

    /** A crash still undetected this long after it happened counts as undetected. */
    public static final long HORIZON_NS = 600_000_000_000L;

    /**
     * @param kind          detector
     * @param threshold     its threshold (see the class comment for the unit)
     * @param seed          seed of every run
     * @param latency       one-way delay of every link
     * @param loss          probability that a message is lost
     * @param pauseEveryNs  mean time between GC-like pauses of process 1 (0: none)
     * @param pauseMedianNs median pause length
     * @param durationNs    failure-free observation window (after the warm-up)
     * @param warmupNs      time before observation starts and before a crash
     * @param trials        crash trials for T_D (0: T_D not measured)
     * @param members       group size for SWIM (>= 3); heartbeat detectors always run 2 processes
     * @param heartbeatNs   heartbeat interval (SWIM: protocol period)
     */
    public record Settings(Kind kind, double threshold, long seed, Latency latency, double loss, long pauseEveryNs,
                           long pauseMedianNs, long durationNs, long warmupNs, int trials, int members, long heartbeatNs) {
        public Settings {
            if (kind == null || latency == null) {
                throw new IllegalArgumentException("kind and latency must not be null");
            }
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                if (!(kind == Kind.SWIM && threshold == 0)) {
                    throw new IllegalArgumentException("--threshold must be a finite number > 0, got " + threshold);
                }
            }
            if (kind == Kind.SWIM && (threshold != Math.rint(threshold) || threshold > 1000)) {
                throw new IllegalArgumentException("--threshold for swim is the suspicion timeout in whole protocol periods,"
                        + " 0..1000, got " + threshold);
            }
            if (!(loss >= 0 && loss < 1)) {
                throw new IllegalArgumentException("--loss must be in [0, 1), got " + loss);
            }
            if (pauseEveryNs < 0 || pauseMedianNs <= 0) {
                throw new IllegalArgumentException("need pauseEveryNs >= 0 and pauseMedianNs > 0, got " + pauseEveryNs + ", "
                        + pauseMedianNs);
            }
            if (durationNs <= 0 || warmupNs < 0 || trials < 0 || heartbeatNs <= 0) {
                throw new IllegalArgumentException("need durationNs > 0, warmupNs >= 0, trials >= 0, heartbeatNs > 0");
            }
            if (members < 3 || members > 1000) {
                throw new IllegalArgumentException("--members must be in 3..1000, got " + members);
            }
        }

        /**
         * One day of observation after 2 minutes of warm-up, 30 crash trials, log-normal delays, 1% loss,
         * a GC-like pause every 5 minutes on average (median 500 ms), 8 SWIM members, 1 s heartbeats.
         */
        public static Settings defaults(Kind kind, double threshold, long seed) {
            return new Settings(kind, threshold, seed, Delay.LOGNORMAL.latency, 0.01, 300_000_000_000L, 500_000_000L,
                    86_400_000_000_000L, 120_000_000_000L, 30, 8, 1_000_000_000L);
        }

        public Settings withLatency(Latency l) {
            return new Settings(kind, threshold, seed, l, loss, pauseEveryNs, pauseMedianNs, durationNs, warmupNs, trials, members,
                    heartbeatNs);
        }

        public Settings withLoss(double p) {
            return new Settings(kind, threshold, seed, latency, p, pauseEveryNs, pauseMedianNs, durationNs, warmupNs, trials, members,
                    heartbeatNs);
        }

        public Settings withPauses(long everyNs, long medianNs) {
            return new Settings(kind, threshold, seed, latency, loss, everyNs, medianNs, durationNs, warmupNs, trials, members,
                    heartbeatNs);
        }

        public Settings withDurationNs(long ns) {
            return new Settings(kind, threshold, seed, latency, loss, pauseEveryNs, pauseMedianNs, ns, warmupNs, trials, members,
                    heartbeatNs);
        }

        public Settings withTrials(int t) {
            return new Settings(kind, threshold, seed, latency, loss, pauseEveryNs, pauseMedianNs, durationNs, warmupNs, t, members,
                    heartbeatNs);
        }

        public Settings withMembers(int n) {
            return new Settings(kind, threshold, seed, latency, loss, pauseEveryNs, pauseMedianNs, durationNs, warmupNs, trials, n,
                    heartbeatNs);
        }

        public Settings withThreshold(double t) {
            return new Settings(kind, t, seed, latency, loss, pauseEveryNs, pauseMedianNs, durationNs, warmupNs, trials, members,
                    heartbeatNs);
        }

        public Settings withSeed(long s) {
            return new Settings(kind, threshold, s, latency, loss, pauseEveryNs, pauseMedianNs, durationNs, warmupNs, trials, members,
                    heartbeatNs);
        }
    }

    /** What the failure-free run saw besides the metrics: the raw transitions and the message count. */
    public record Outcome(QosMetrics metrics, List<QosMetrics.Transition> transitions, List<Long> detectionNs, long messagesSent) {
    }

    private DetectorQos() {
    }

    /** Runs the failure-free run and the crash trials. */
    public static Outcome run(Settings s) {
        Observed accuracy = simulate(s, s.seed(), -1, s.warmupNs() + s.durationNs(), new SplitMix64(s.seed() ^ 0x9E3779B97F4A7C15L));
        QosMetrics m = QosMetrics.accuracy(accuracy.recorder.transitions(), s.warmupNs(), s.warmupNs() + s.durationNs());
        List<Long> detections = new ArrayList<>();
        SplitMix64 trialSeeds = new SplitMix64(s.seed() * 0x2545F4914F6CDD1DL + 1);
        for (int i = 0; i < s.trials(); i++) {
            long seed = trialSeeds.nextLong();
            SplitMix64 env = new SplitMix64(seed ^ 0x9E3779B97F4A7C15L);
            long crashAt = s.warmupNs() + env.nextLong(s.heartbeatNs());
            Observed trial = simulate(s, seed, crashAt, crashAt + HORIZON_NS, env);
            long last = trial.recorder.finalSuspicionNs();
            detections.add(last < 0 ? -1 : Math.max(0, last - crashAt));
        }
        return new Outcome(m.withDetection(detections), accuracy.recorder.transitions(), List.copyOf(detections),
                accuracy.messagesSent);
    }

    private record Observed(QosMetrics.Recorder recorder, long messagesSent) {
    }

    /** One run until {@code untilNs}; process 1 crashes at {@code crashAtNs} unless it is negative. */
    private static Observed simulate(Settings s, long seed, long crashAtNs, long untilNs, SplitMix64 env) {
        int n = s.kind() == Kind.SWIM ? s.members() : 2;
        SimConfig config = new SimConfig(seed, n, LinkModel.reliable(s.latency()).withLoss(s.loss()),
                LinkModel.reliable(new Latency.Constant(500_000)), 100_000, Trace.Level.COUNTS, false);
        if (s.kind() == Kind.SWIM) {
            SwimNode.Config swim = SwimNode.Config.defaults().withSuspicionPeriods((int) s.threshold());
            swim = new SwimNode.Config(s.heartbeatNs(), swim.pingTimeoutNs() * s.heartbeatNs() / 1_000_000_000L,
                    swim.indirectChecks(), swim.suspicionPeriods(), swim.retransmitMult(), swim.maxPiggyback(), swim.roundRobin());
            SwimNode.Config c = swim;
            return observe(s, new Simulator<SwimMessage>(config, id -> new SwimNode(c)), crashAtNs, untilNs, env);
        }
        Supplier<HeartbeatDetector> detectors = detectorFactory(s.kind(), s.threshold(), s.heartbeatNs());
        IntFunction<Node<HeartbeatMessage>> factory = id -> id == 0
                ? new HeartbeatNode(new int[0], new int[] {1}, detectors, s.heartbeatNs())
                : new HeartbeatNode(new int[] {0}, new int[0], null, s.heartbeatNs());
        return observe(s, new Simulator<>(config, factory), crashAtNs, untilNs, env);
    }

    /** The detector of {@code kind} with the given threshold and the defaults of the system it comes from. */
    public static Supplier<HeartbeatDetector> detectorFactory(Kind kind, double threshold, long heartbeatNs) {
        return switch (kind) {
            case FIXED -> {
                long timeoutNs = Math.round(threshold * 1e6);
                yield () -> new FixedTimeoutDetector(timeoutNs);
            }
            case PHI -> {
                PhiAccrualDetector.Settings p = PhiAccrualDetector.Settings.akkaDefaults().withThreshold(threshold);
                PhiAccrualDetector.Settings q = new PhiAccrualDetector.Settings(p.threshold(), p.maxSampleSize(), p.minStdDeviationNs(),
                        p.acceptableHeartbeatPauseNs(), heartbeatNs);
                yield () -> new PhiAccrualDetector(q);
            }
            case PHI_EXP -> {
                ExponentialPhiDetector.Settings c = ExponentialPhiDetector.Settings.cassandraDefaults().withThreshold(threshold);
                ExponentialPhiDetector.Settings d = new ExponentialPhiDetector.Settings(c.threshold(), c.windowSize(), 2 * heartbeatNs,
                        2 * heartbeatNs);
                yield () -> new ExponentialPhiDetector(d);
            }
            case SWIM -> throw new IllegalArgumentException("swim is a group protocol, not a heartbeat detector");
        };
    }

    private static <M> Observed observe(Settings s, Simulator<M> sim, long crashAtNs, long untilNs, SplitMix64 env) {
        QosMetrics.Recorder recorder = new QosMetrics.Recorder();
        sim.onOutput((node, event) -> {
            if (node == 0 && event instanceof Suspicion x && x.member() == 1) {
                recorder.add(sim.now(), x.suspected());
            }
        });
        long pausesUntil = crashAtNs >= 0 ? crashAtNs : untilNs;
        if (s.pauseEveryNs() > 0) {
            long t = Math.round(env.nextExponential(s.pauseEveryNs()));
            while (t < pausesUntil) {
                long length = Math.round(s.pauseMedianNs() * Math.exp(env.nextGaussian()));
                sim.schedule(t, () -> sim.pause(1, length));
                t += Math.max(1, Math.round(env.nextExponential(s.pauseEveryNs())));
            }
        }
        if (crashAtNs >= 0) {
            sim.schedule(crashAtNs, () -> sim.crash(1));
        }
        sim.runUntil(untilNs);
        long sent = 0;
        for (Trace.Counts c : sim.trace().messageCounts().values()) {
            sent += c.sent();
        }
        return new Observed(recorder, sent);
    }
}
