package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.model.FailureDetectorQos;
import io.github.dsw.sim.Latency;
import org.junit.jupiter.api.Test;

/**
 * The QoS measurement against answers known in advance: the fixed timeout with a constant delay (solved by
 * hand), the fixed timeout with log-normal delays and losses ({@link FailureDetectorQos}, computed
 * independently of the simulator), Cassandra's conviction point 8·ln 10·mean and Akka's φ = 8 point
 * (Cardano's root of the logistic, 5.226 standard deviations past mean + pause). Every message names the
 * seed; the same seed replays the same runs.
 */
class DetectorQosTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;
    private static final Latency TEN_MS = new Latency.Constant(10 * MS);

    private static DetectorQos.Settings quiet(DetectorQos.Kind kind, double threshold, long seed) {
        return DetectorQos.Settings.defaults(kind, threshold, seed).withLatency(TEN_MS).withLoss(0).withPauses(0, MS)
                .withDurationNs(2_000 * S).withTrials(40);
    }

    @Test
    void fixedTimeoutWithConstantDelayNeverMistakesAndDetectsWithinOneInterval() {
        long seed = 17;
        QosMetrics m = DetectorQos.run(quiet(DetectorQos.Kind.FIXED, 1500, seed)).metrics();
        assertEquals(0, m.mistakes(), "seed " + seed);
        assertEquals(1.0, m.pA(), 0, "seed " + seed);
        assertEquals(0, m.undetected(), "seed " + seed);
        // Last arrival kη + d, suspicion TO after it, crash in [kη, (k+1)η): T_D in (TO + d − η, TO + d].
        for (long d : DetectorQos.run(quiet(DetectorQos.Kind.FIXED, 1500, seed)).detectionNs()) {
            assertTrue(d > (1500 + 10 - 1000) * MS && d <= (1500 + 10) * MS + 1, "T_D " + d + " ns, seed " + seed);
        }
        assertEquals((1500 + 10 - 500) * MS, m.tDNs(), 100 * MS, "mean over a uniform crash offset, seed " + seed);
    }

    @Test
    void fixedTimeoutShorterThanTheIntervalMistakesEveryPeriod() {
        long seed = 3;
        QosMetrics m = DetectorQos.run(quiet(DetectorQos.Kind.FIXED, 700, seed).withTrials(0)).metrics();
        assertEquals(1.0, m.tMrNs() / S, 0.001, "T_MR = η, seed " + seed);
        assertEquals(300.0, m.tMNs() / MS, 0.01, "T_M = η − TO, seed " + seed);
        assertEquals(0.7, m.pA(), 0.001, "P_A = TO/η, seed " + seed);
    }

    @Test
    void fixedTimeoutUnderLogNormalDelaysAndLossMatchesTheClosedForm() {
        long seed = 11;
        double loss = 0.05;
        DetectorQos.Settings s = DetectorQos.Settings.defaults(DetectorQos.Kind.FIXED, 1200, seed)
                .withLatency(new Latency.LogNormal(10 * MS, 1.0)).withLoss(loss).withPauses(0, MS).withDurationNs(20_000 * S)
                .withTrials(200);
        QosMetrics m = DetectorQos.run(s).metrics();
        var expected = FailureDetectorQos.fixedTimeout(1.0, 1.2, loss, FailureDetectorQos.logNormalQuantile(0.010, 1.0), 2000);
        String at = " (seed " + seed + ", " + m.mistakes() + " mistakes)";
        assertEquals(expected.mistakeRecurrence(), m.tMrNs() / S, 0.12 * expected.mistakeRecurrence(), "T_MR" + at);
        assertEquals(expected.mistakeDuration(), m.tMNs() / S, 0.05 * expected.mistakeDuration(), "T_M" + at);
        assertEquals(expected.queryAccuracy(), m.pA(), 0.005, "P_A" + at);
        assertEquals(expected.detectionTime(), m.tDNs() / S, 0.08, "T_D" + at);
        // Chen, Toueg and Aguilera's Theorem 1: P_A = 1 − E(T_M)/E(T_MR).
        assertEquals(1 - m.tMNs() / m.tMrNs(), m.pA(), 1e-3, "P_A identity" + at);
    }

    @Test
    void cassandrasDetectorConvictsAfterEightLn10MeansOfSilence() {
        long seed = 5;
        DetectorQos.Outcome o = DetectorQos.run(quiet(DetectorQos.Kind.PHI_EXP, 8, seed));
        // After the 120 s warm-up the window holds the initial 2 s and ~120 intervals of 1 s: mean in [1.0, 1.01] s.
        double lo = 8 * Math.log(10) * 1.0 + 0.010 - 1.0;
        double hi = 8 * Math.log(10) * 1.01 + 0.010;
        for (long d : o.detectionNs()) {
            assertTrue(d / 1e9 > lo && d / 1e9 <= hi, "T_D " + d / 1e9 + " s outside (" + lo + ", " + hi + "], seed " + seed);
        }
        assertEquals(0, o.metrics().mistakes(), "seed " + seed);
    }

    @Test
    void akkasDetectorSuspectsWherePhiReachesEight() {
        long seed = 9;
        DetectorQos.Outcome o = DetectorQos.run(quiet(DetectorQos.Kind.PHI, 8, seed));
        // Regular intervals: mean 1000 ms, std at the 100 ms floor, pause 3000 ms; φ = 8 at y = 5.2260 (Cardano, see
        // PhiAccrualDetectorTest), so 4522.6 ms after the last arrival.
        double after = 4000 + 5.2260 * 100;
        for (long d : o.detectionNs()) {
            assertTrue(d / 1e6 > after + 10 - 1000 - 0.1 && d / 1e6 <= after + 10 + 0.1, "T_D " + d / 1e6 + " ms, seed " + seed);
        }
    }

    @Test
    void aHigherThresholdTradesSlowerDetectionForFewerMistakes() {
        long seed = 21;
        for (DetectorQos.Kind kind : new DetectorQos.Kind[] {DetectorQos.Kind.PHI, DetectorQos.Kind.PHI_EXP, DetectorQos.Kind.FIXED}) {
            double low = kind == DetectorQos.Kind.FIXED ? 1500 : 1;
            double high = kind == DetectorQos.Kind.FIXED ? 4000 : 16;
            // GC-like pauses every minute, median 1 s: long enough to cross every detector's threshold now and then.
            DetectorQos.Settings s = DetectorQos.Settings.defaults(kind, low, seed).withLatency(DetectorQos.Delay.PARETO.latency)
                    .withPauses(60 * S, 1000 * MS).withDurationNs(20_000 * S).withTrials(20);
            QosMetrics a = DetectorQos.run(s).metrics();
            QosMetrics b = DetectorQos.run(s.withThreshold(high)).metrics();
            assertTrue(a.mistakes() > b.mistakes(), kind + ": mistakes " + a.mistakes() + " vs " + b.mistakes() + ", seed " + seed);
            assertTrue(a.tDNs() < b.tDNs(), kind + ": T_D " + a.tDNs() + " vs " + b.tDNs() + ", seed " + seed);
        }
    }

    @Test
    void theSameSeedReplaysTheSameMeasurements() {
        DetectorQos.Settings s = DetectorQos.Settings.defaults(DetectorQos.Kind.SWIM, 2, 4).withDurationNs(3_000 * S).withTrials(3)
                .withLoss(0.05);
        assertEquals(DetectorQos.run(s).metrics(), DetectorQos.run(s).metrics());
        assertEquals(DetectorQos.run(s).transitions(), DetectorQos.run(s).transitions());
    }
}
