package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.model.FailureDetectorQos;
import io.github.dsw.model.OvertakingTimeoutQos;
import io.github.dsw.model.OvertakingTimeoutQos.Delay;
import io.github.dsw.sim.Latency;
import org.junit.jupiter.api.Test;

/**
 * {@link OvertakingTimeoutQos}, the fixed timeout's QoS when later heartbeats may arrive first, against two independent
 * references: where no heartbeat can overtake another (delays within 5..15 ms, heartbeats 50 ms apart) it must equal
 * {@link FailureDetectorQos#fixedTimeout}, whose gap model is exact there; where they do (log-normal delays, median
 * 10 ms, σ = 1, heartbeats every 50 ms, timeout 90 ms: chapter 11's Raft setting at T = 60 ms), it must match the
 * simulator ({@link DetectorQos}: {@code HeartbeatNode} and {@code FixedTimeoutDetector}) within sampling error, where the
 * older closed form overstates the mistakes.
 */
class OvertakingTimeoutQosTest {

    @Test
    void withoutOvertakingItIsTheGapModel() {
        double eta = 0.050;
        for (double loss : new double[] {0, 0.05, 0.3}) {
            for (double timeout : new double[] {0.055, 0.070, 0.120}) {
                var exact = OvertakingTimeoutQos.fixedTimeout(eta, timeout, loss, Delay.uniform(0.005, 0.015), 200);
                var gap = FailureDetectorQos.fixedTimeout(eta, timeout, loss, u -> 0.005 + 0.010 * u, 4000);
                String what = "loss=" + loss + " timeout=" + timeout;
                assertEquals(gap.queryAccuracy(), exact.queryAccuracy(), 2e-4, what + ": P_A");
                if (Double.isFinite(gap.mistakeRecurrence())) {
                    assertEquals(1, exact.mistakeRecurrence() / gap.mistakeRecurrence(), 0.02, what + ": T_MR " + exact + " vs " + gap);
                    assertEquals(1, exact.mistakeDuration() / gap.mistakeDuration(), 0.02, what + ": T_M " + exact + " vs " + gap);
                } else {
                    assertTrue(exact.mistakeRecurrence() > 1e9 * eta, what + ": no gap can exceed the timeout, T_MR " + exact);
                }
            }
        }
        // detection: exact in the gap model too when M + TO > 0 always (timeout above delay + period, no loss)
        var exact = OvertakingTimeoutQos.fixedTimeout(eta, 0.120, 0, Delay.uniform(0.005, 0.015), 200);
        var gap = FailureDetectorQos.fixedTimeout(eta, 0.120, 0, u -> 0.005 + 0.010 * u, 4000);
        assertEquals(gap.detectionTime(), exact.detectionTime(), 2e-4, "T_D without loss: " + exact + " vs " + gap);
    }

    @Test
    void withOvertakingItMatchesTheSimulatorAndTheGapModelDoesNot() {
        long seed = 7;
        long durationNs = 1_200_000_000_000L;
        DetectorQos.Settings s = new DetectorQos.Settings(DetectorQos.Kind.FIXED, 90, seed, new Latency.LogNormal(10_000_000, 1.0), 0.01, 0, 1,
                durationNs, 5_000_000_000L, 200, 8, 50_000_000L);
        QosMetrics m = DetectorQos.run(s).metrics();
        var exact = OvertakingTimeoutQos.fixedTimeout(0.050, 0.090, 0.01, Delay.logNormal(0.010, 1.0), 200);
        var gap = FailureDetectorQos.fixedTimeout(0.050, 0.090, 0.01, FailureDetectorQos.logNormalQuantile(0.010, 1.0), 4000);
        double simTmr = m.tMrNs() / 1e9;
        assertTrue(m.mistakes() >= 400, "seed=" + seed + ": too few mistakes to compare: " + m.mistakes());
        double se = simTmr / Math.sqrt(m.mistakes()); // mistakes are nearly a renewal process: relative SE ~ 1/sqrt(k)
        assertEquals(exact.mistakeRecurrence(), simTmr, 4 * se + 0.02 * simTmr, "seed=" + seed + ": T_MR simulated " + simTmr + " s vs model "
                + exact);
        assertEquals(1 - exact.queryAccuracy(), 1 - m.pA(), 0.15 * (1 - m.pA()), "seed=" + seed + ": 1 - P_A simulated " + (1 - m.pA()) + " vs " + exact);
        assertEquals(exact.detectionTime(), m.tDNs() / 1e9, 0.10 * exact.detectionTime(), "seed=" + seed + ": T_D simulated " + m.tDNs() / 1e6
                + " ms vs " + exact);
        assertTrue(1 - gap.queryAccuracy() > 2 * (1 - m.pA()), "the gap model should overstate the time suspected here: " + gap
                + " vs simulated 1 - P_A " + (1 - m.pA()));
        assertTrue(gap.mistakeRecurrence() < 0.95 * simTmr, "the gap model should overstate the mistakes here: " + gap + " vs simulated " + simTmr);
    }
}
