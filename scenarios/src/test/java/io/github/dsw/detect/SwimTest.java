package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SWIM against the claims of Das, Gupta and Motivala (DSN 2002): a constant expected message load per
 * member (§3.1: one ping and one ack per period, whatever the group size), every crash detected by every
 * member within a bounded time (§4.3: round-robin probing finds a crashed member within 2n − 1 periods;
 * then the suspicion timeout and dissemination), a paused member refuting its suspicion with a higher
 * incarnation (§4.2), and indirect probing reducing false suspicions on lossy links (§3.1, §5).
 */
class SwimTest {

    private static final long S = 1_000_000_000L;

    private static Simulator<SwimMessage> group(int n, long seed, double loss, SwimNode.Config config) {
        SimConfig c = new SimConfig(seed, n, LinkModel.reliable(new Latency.LogNormal(5_000_000, 0.5)).withLoss(loss),
                LinkModel.reliable(new Latency.Constant(500_000)), 100_000, Trace.Level.HASH, false);
        return new Simulator<>(c, id -> new SwimNode(config));
    }

    private static long sent(Simulator<?> sim) {
        long sent = 0;
        for (Trace.Counts c : sim.trace().messageCounts().values()) {
            sent += c.sent();
        }
        return sent;
    }

    @Test
    void loadPerMemberIsTwoMessagesPerPeriodWhateverTheGroupSize() {
        for (int n : new int[] {4, 16, 64}) {
            long seed = 100 + n;
            Simulator<SwimMessage> sim = group(n, seed, 0, SwimNode.Config.defaults());
            List<Suspicion> events = new ArrayList<>();
            sim.onOutput((node, e) -> events.add((Suspicion) e));
            sim.runUntil(200 * S);
            double perMemberPerPeriod = sent(sim) / (double) n / 200;
            assertEquals(2.0, perMemberPerPeriod, 0.02, "n=" + n + " seed " + seed);
            assertTrue(events.isEmpty(), "no failure, no confirmation: " + events + " seed " + seed);
        }
    }

    @Test
    void everyMemberConfirmsACrashWithinTheRoundRobinBound() {
        int n = 10;
        long seed = 7;
        SwimNode.Config config = SwimNode.Config.defaults();
        Simulator<SwimMessage> sim = group(n, seed, 0, config);
        long crashAt = 30 * S;
        long[] confirmedAt = new long[n];
        sim.onOutput((node, e) -> {
            if (e instanceof Suspicion s && s.member() == 3 && s.suspected()) {
                confirmedAt[node] = sim.now();
            }
        });
        sim.schedule(crashAt, () -> sim.crash(3));
        sim.runUntil(200 * S);
        // Found within 2n − 1 periods (+1 for the period in progress), confirmed after the suspicion timeout, and
        // a few periods more for the CONFIRM to reach everybody by piggybacking.
        long bound = (2L * n - 1 + 1 + config.suspicionPeriods() + 6) * config.periodNs();
        for (int i = 0; i < n; i++) {
            if (i != 3) {
                assertTrue(confirmedAt[i] > crashAt && confirmedAt[i] - crashAt <= bound,
                        "member " + i + " confirmed " + (confirmedAt[i] - crashAt) / 1e9 + " s after the crash, seed " + seed);
                assertEquals(SwimNode.Status.FAULTY, ((SwimNode) sim.node(i)).status(3));
            }
        }
    }

    @Test
    void aPausedMemberRefutesItsSuspicionWithAHigherIncarnation() {
        int n = 6;
        long seed = 12;
        Simulator<SwimMessage> sim = group(n, seed, 0, SwimNode.Config.defaults().withSuspicionPeriods(8));
        List<String> confirmations = new ArrayList<>();
        sim.onOutput((node, e) -> confirmations.add(node + ":" + e));
        sim.schedule(20 * S, () -> sim.pause(2, 4 * S)); // long enough to be probed and suspected, short enough to refute
        sim.runUntil(80 * S);
        SwimNode member2 = (SwimNode) sim.node(2);
        assertTrue(member2.incarnation(2) >= 1, "member 2 refuted at least once, seed " + seed);
        for (int i = 0; i < n; i++) {
            SwimNode m = (SwimNode) sim.node(i);
            assertEquals(SwimNode.Status.ALIVE, m.status(2 == i ? 0 : 2), "member " + i + ", seed " + seed);
            assertEquals(member2.incarnation(2), m.incarnation(2), "member " + i + " knows the refutation, seed " + seed);
        }
        assertTrue(confirmations.isEmpty(), "never confirmed: " + confirmations + ", seed " + seed);
    }

    @Test
    void indirectProbesCutFalseSuspicionsOnLossyLinks() {
        int n = 12;
        long seed = 31;
        int[] mistakes = new int[2];
        int[] ks = {0, 3};
        for (int i = 0; i < 2; i++) {
            // Suspicion timeout 0: every suspicion is confirmed at once, so each false one shows as an output.
            Simulator<SwimMessage> sim = group(n, seed, 0.05, SwimNode.Config.defaults().withSuspicionPeriods(0).withIndirectChecks(ks[i]));
            int index = i;
            sim.onOutput((node, e) -> mistakes[index] += ((Suspicion) e).suspected() ? 1 : 0);
            sim.runUntil(300 * S);
        }
        // Without ping-req a probe fails with 1 − 0.95² ≈ 10%; with k = 3 it also needs all three relays to fail.
        assertTrue(mistakes[0] > 20 * Math.max(1, mistakes[1]), "k=0: " + mistakes[0] + ", k=3: " + mistakes[1] + ", seed " + seed);
    }

    @Test
    void theSameSeedGivesTheSameTrace() {
        Simulator<SwimMessage> a = group(8, 5, 0.1, SwimNode.Config.defaults());
        Simulator<SwimMessage> b = group(8, 5, 0.1, SwimNode.Config.defaults());
        a.schedule(10 * S, () -> a.crash(4));
        b.schedule(10 * S, () -> b.crash(4));
        a.runUntil(100 * S);
        b.runUntil(100 * S);
        assertEquals(a.trace().hash(), b.trace().hash());
    }
}
