package io.github.dsw.detect;

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

/**
 * SWIM's analysis (Das, Gupta and Motivala, "SWIM: Scalable Weakly-consistent Infection-style Process Group
 * Membership Protocol", DSN 2002, section 3.1) beside the simulated {@link SwimNode}, with uniformly random
 * probe targets (the analysed protocol; round-robin is section 4.3's refinement).
 *
 * <p><b>Time to first detection.</b> After member X crashes, each of the other n − 1 members probes, once per
 * protocol period T', a target drawn uniformly from its n − 1 peers, X among them with probability
 * q = 1/(n − 1). Every window of length T' after the crash holds exactly one probe of each member (their periods
 * are staggered, not aligned), so the number K of windows until X is first probed is geometric with
 * <pre>  p = 1 − (1 − 1/(n − 1))^(n−1)  →  1 − 1/e,     E[K] = 1/p  →  e/(e − 1) ≈ 1.582</pre>
 * the paper's "expected time to first detection ... T'·1/(1 − e^(−q_f))" with q_f = 1 (no other failures),
 * independent of n. In time, with uniformly distributed phases, the first probe of X comes after
 * <pre>  E[first probe] = T' · (1 − (1 − q)^n) / (q n (1 − (1 − q)^(n−1)))  →  T'</pre>
 * (integrate P(no probe yet) = ((1 − q)^m (1 − q r/T'))^(n−1) over t = mT' + r), and this implementation suspects X
 * one period later, when the probe's period ends without an ack: E[first suspicion] = E[first probe] + T'.
 *
 * <p><b>Message load per member.</b> Per period a member sends one ping, one ack for the ping it receives on
 * average, and, if its own probe got no ack (probability 1 − (1 − ℓ)² with independent loss ℓ per message),
 * k ping-reqs whose helpers each ping the target (if the ping-req arrived), get an ack and relay it: in expectation
 * <pre>  2 − ℓ + (1 − (1 − ℓ)²) · k · (1 + (1 − ℓ) + (1 − ℓ)² + (1 − ℓ)³)   messages per member per period,</pre>
 * 2 without loss and at most 4k + 2 (the paper's bound), whatever n.
 */
public final class SwimAnalysis {

    private SwimAnalysis() {
    }

    /** P(a crashed member is probed in a window of one period) with n members: 1 − (1 − 1/(n − 1))^(n−1). */
    public static double probeProbability(int n) {
        if (n < 2) {
            throw new IllegalArgumentException("need n >= 2, got " + n);
        }
        return 1 - Math.pow(1 - 1.0 / (n - 1), n - 1);
    }

    /** E[periods until the first probe of a crashed member] = 1/p, e/(e−1) as n grows. */
    public static double expectedPeriodsToFirstProbe(int n) {
        return 1 / probeProbability(n);
    }

    /** E[time from the crash to the first probe], in periods, with staggered uniform phases. */
    public static double expectedFirstProbe(int n) {
        double q = 1.0 / (n - 1);
        return (1 - Math.pow(1 - q, n)) / (q * n * (1 - Math.pow(1 - q, n - 1)));
    }

    /** E[messages sent per member per period] with loss ℓ per message and k ping-reqs. */
    public static double expectedLoad(double loss, int k) {
        double s = 1 - loss;
        return 2 - loss + (1 - s * s) * k * (1 + s + s * s + s * s * s);
    }

    /** One simulated crash: when X = member 1 was first probed and first suspected, relative to the crash (ns). */
    public record Detection(long firstProbeNs, long firstSuspicionNs, long periodNs) {
        /** The window (1, 2, ...) of length T' after the crash that holds the first probe. */
        public long window() {
            return (firstProbeNs + periodNs - 1) / periodNs;
        }
    }

    /**
     * Crashes member 1 of a group of {@code n} at a seed-dependent instant after 5 periods and returns when it was
     * first probed (the first Ping sent to it after the crash) and first suspected (the first member's confirmation,
     * minus the suspicion periods: a suspicion confirms exactly that long after it starts unless refuted).
     */
    public static Detection detect(int n, long seed) {
        SwimNode.Config config = SwimNode.Config.defaults().withRoundRobin(false).withSuspicionPeriods(1);
        long period = config.periodNs();
        SimConfig c = new SimConfig(seed, n, LinkModel.reliable(new Latency.LogNormal(5_000_000, 0.5)),
                LinkModel.reliable(new Latency.Constant(500_000)), 100_000, Trace.Level.COUNTS, true);
        Simulator<SwimMessage> sim = new Simulator<>(c, id -> new SwimNode(config));
        long crashAt = 5 * period + Math.floorMod(seed * 0x9E3779B97F4A7C15L, period);
        long[] confirmed = {-1};
        sim.onOutput((node, event) -> {
            if (event instanceof Suspicion s && s.member() == 1 && s.suspected() && confirmed[0] < 0) {
                confirmed[0] = sim.now();
            }
        });
        sim.schedule(crashAt, () -> sim.crash(1));
        sim.runUntil(crashAt + 60 * period, () -> confirmed[0] >= 0);
        long firstProbe = -1;
        for (Trace.Flight f : sim.trace().flights()) {
            if (f.to() == 1 && f.type().equals("Ping") && f.sendNs() >= crashAt && (firstProbe < 0 || f.sendNs() < firstProbe)) {
                firstProbe = f.sendNs();
            }
        }
        if (firstProbe < 0 || confirmed[0] < 0) {
            throw new IllegalStateException("seed=" + seed + " n=" + n + ": member 1 was never probed or never confirmed");
        }
        return new Detection(firstProbe - crashAt, confirmed[0] - crashAt - config.suspicionPeriods() * period, period);
    }

    /** Messages sent per member per period by a group of {@code n} with loss {@code loss}, no crash, k = 3. */
    public static double load(int n, double loss, int periods, long seed) {
        SwimNode.Config config = SwimNode.Config.defaults().withRoundRobin(false);
        SimConfig c = new SimConfig(seed, n, LinkModel.reliable(new Latency.LogNormal(5_000_000, 0.5)).withLoss(loss),
                LinkModel.reliable(new Latency.Constant(500_000)), 100_000, Trace.Level.COUNTS, false);
        Simulator<SwimMessage> sim = new Simulator<>(c, id -> new SwimNode(config));
        sim.runUntil(periods * config.periodNs());
        long sent = 0;
        for (Trace.Counts k : sim.trace().messageCounts().values()) {
            sent += k.sent();
        }
        return sent / (double) n / periods;
    }

    /** Writes {@code swim-analysis.csv} and {@code swim-load.csv} into {@code args[0]} (default the current folder). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : ".");
        Files.createDirectories(dir);
        int trials = 300;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("swim-analysis.csv"), StandardCharsets.UTF_8))) {
            w.println("members,trials,sim_periods_to_first_probe,model_periods,sim_first_probe_T,model_first_probe_T,"
                    + "sim_first_suspicion_T,model_first_suspicion_T,paper_e_over_e_minus_1");
            for (int n : new int[] {4, 8, 16, 32, 64}) {
                double k = 0;
                double probe = 0;
                double susp = 0;
                for (long seed = 1; seed <= trials; seed++) {
                    Detection d = detect(n, seed);
                    k += d.window();
                    probe += d.firstProbeNs() / (double) d.periodNs();
                    susp += d.firstSuspicionNs() / (double) d.periodNs();
                }
                w.printf(Locale.ROOT, "%d,%d,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f%n", n, trials, k / trials, expectedPeriodsToFirstProbe(n),
                        probe / trials, expectedFirstProbe(n), susp / trials, expectedFirstProbe(n) + 1, Math.E / (Math.E - 1));
                System.err.println("swim analysis n=" + n + " done");
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dir.resolve("swim-load.csv"), StandardCharsets.UTF_8))) {
            w.println("members,loss,sim_messages_per_member_per_period,model");
            for (double loss : new double[] {0, 0.05, 0.2}) {
                for (int n : new int[] {8, 32, 128}) {
                    w.printf(Locale.ROOT, "%d,%.2f,%.4f,%.4f%n", n, loss, load(n, loss, 200, 1), expectedLoad(loss, 3));
                }
            }
        }
    }
}
