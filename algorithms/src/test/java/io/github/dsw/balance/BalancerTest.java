package io.github.dsw.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.hashing.JumpHash;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BalancerTest {

    static LoadView view(int... outstanding) {
        return new LoadView() {
            @Override
            public int size() {
                return outstanding.length;
            }

            @Override
            public int outstanding(int server) {
                return outstanding[server];
            }
        };
    }

    /** nginx commit 52327e0's own example: weights {5, 1, 1} give a a b a c a a. */
    @Test
    void smoothWeightedRoundRobinMatchesNginx() {
        SmoothWeightedRoundRobin swrr = new SmoothWeightedRoundRobin(5, 1, 1);
        int[] picks = new int[14];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = swrr.pick(0, 0, view(0, 0, 0));
        }
        assertArrayEquals(new int[] {0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 2, 0, 0}, picks);
        assertThrows(IllegalArgumentException.class, () -> new SmoothWeightedRoundRobin(1, 0));
    }

    @Test
    void roundRobinCycles() {
        RoundRobin rr = new RoundRobin();
        for (int i = 0; i < 10; i++) {
            assertEquals(i % 3, rr.pick(0, 0, view(5, 0, 9)));
        }
    }

    @Test
    void leastConnectionsPicksTheMinimumAndRotatesAmongEquals() {
        LeastConnections lc = new LeastConnections();
        assertEquals(1, lc.pick(0, 0, view(3, 1, 2)));
        LeastConnections ties = new LeastConnections();
        assertEquals(0, ties.pick(0, 0, view(0, 0, 0)));
        assertEquals(1, ties.pick(0, 0, view(0, 0, 0)));
        assertEquals(2, ties.pick(0, 0, view(0, 0, 0)));
    }

    @Test
    void powerOfTwoChoicesTakesTheLessLoadedOfTwoDistinctServers() {
        long seed = 11L;
        PowerOfTwoChoices p2c = new PowerOfTwoChoices(new SplittableRandom(seed));
        // With two servers both are always sampled, so the emptier one always wins.
        for (int i = 0; i < 1000; i++) {
            assertEquals(1, p2c.pick(0, 0, view(4, 2)), "seed=" + seed);
        }
        // With three, the most loaded server can never win (it loses to whichever other is sampled).
        for (int i = 0; i < 1000; i++) {
            assertNotEquals(2, p2c.pick(0, 0, view(1, 1, 7)), "seed=" + seed);
        }
        PowerOfTwoChoices all = new PowerOfTwoChoices(5, new SplittableRandom(seed));
        assertEquals(3, all.pick(0, 0, view(5, 4, 3, 0, 9)), "d = n samples everything");
        assertThrows(IllegalArgumentException.class, () -> new PowerOfTwoChoices(0, new SplittableRandom(1)));
    }

    @Test
    void randomChoiceIsUniform() {
        long seed = 12L;
        RandomChoice random = new RandomChoice(new SplittableRandom(seed));
        int[] counts = new int[4];
        for (int i = 0; i < 40_000; i++) {
            counts[random.pick(0, 0, view(0, 0, 0, 0))]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400, "seed=" + seed);
        }
    }

    /** Finagle's rules: a slower RTT replaces the cost at once; faster ones blend in with weight exp(−Δt/τ). */
    @Test
    void peakEwmaJumpsToPeaksAndDecays() {
        long tau = 1_000_000_000L;
        PeakEwma ewma = new PeakEwma(tau, new SplittableRandom(1));
        ewma.completed(0, 100, 0);
        assertEquals(100.0, ewma.cost(0), 1e-9);
        ewma.completed(0, 500, 0);
        assertEquals(500.0, ewma.cost(0), 1e-9, "peak: a slower observation replaces the cost");
        ewma.completed(0, 100, tau);
        double w = Math.exp(-1.0);
        assertEquals(500 * w + 100 * (1 - w), ewma.cost(0), 1e-9);
        // A server without history but with requests outstanding carries the penalty.
        assertEquals(PeakEwma.PENALTY, ewma.load(1, tau, view(0, 3)), 0.0);
        // Two servers: the one with the lower cost x (pending + 1) wins.
        ewma.completed(1, 10_000, tau);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, ewma.pick(0, tau, view(0, 0)));
        }
    }

    @Test
    void consistentHashBalancerFollowsTheHash() {
        JumpHash jump = new JumpHash(List.of("s0", "s1", "s2"));
        ConsistentHashBalancer chb = new ConsistentHashBalancer(jump);
        for (long key = 0; key < 1000; key++) {
            assertEquals(JumpHash.bucket(key, 3), chb.pick(key, 0, view(0, 0, 0)));
        }
        assertThrows(IllegalArgumentException.class, () -> new ConsistentHashBalancer(null));
    }

    @Test
    void argumentsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PeakEwma(0, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new RandomChoice(null));
        assertThrows(IllegalArgumentException.class,
                () -> Scenario.of("x", 4, 1.0, new ServiceTime.Exponential(1), 100, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Scenario.of("x", 4, 0.5, new ServiceTime.Exponential(1), 100, 1).withSpeeds(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new ServiceTime.LogNormal(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ServiceTime.Bimodal(1, 10, 1.5));
        assertTrue(new ServiceTime.Bimodal(1, 11, 0.1).mean() == 2.0);
    }
}
