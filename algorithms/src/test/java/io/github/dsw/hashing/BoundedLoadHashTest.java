package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Restoring the bound on release and on membership changes; the costs the Javadoc states. */
class BoundedLoadHashTest {
    static final long SEED = 2024L;

    /**
     * The cost bound of the Javadoc, derived independently: over r consecutive releases the cap
     * ceil((1+ε)m/n) falls by at most (1+ε)r/n + 1 units and each unit moves at most one key per node,
     * so at most (1+ε)r + n keys move (one more n allowed for floating-point rounding of the cap).
     */
    @Test
    void drainingMovesAboutOnePlusEpsilonKeysPerRelease() {
        int n = 16;
        for (double epsilon : new double[] {0.1, 0.5}) {
            SplittableRandom random = new SplittableRandom(SEED);
            BoundedLoadHash h = new BoundedLoadHash(MinimalDisruptionTest.names(n), 10, epsilon);
            List<Long> held = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                long key = random.nextLong();
                h.assign(key);
                held.add(key);
            }
            long moves = 0;
            int r = 0;
            while (!held.isEmpty()) {
                h.release(held.remove(random.nextInt(held.size())));
                moves += h.lastMoves().size();
                r++;
                for (String node : h.nodes()) {
                    assertTrue(h.load(node) <= BalanceTest.cap(epsilon, h.assigned(), n), "seed=" + SEED + " r=" + r);
                }
            }
            assertEquals(0, h.assigned());
            assertTrue(moves <= (1 + epsilon) * r + 2 * n, moves + " moves for " + r + " releases, seed=" + SEED);
            assertTrue(moves > 0, "seed=" + SEED);
        }
    }

    /** A moved key can be found and released where it went; repeated hashes count once per assignment. */
    @Test
    void holderFollowsMovesAndRepeatedHashesCountSeparately() {
        BoundedLoadHash h = new BoundedLoadHash(List.of("a", "b", "c"), 5, 0.2);
        for (int i = 0; i < 5; i++) {
            h.assign(7L);
        }
        assertEquals(5, h.assigned());
        SplittableRandom random = new SplittableRandom(SEED);
        List<Long> others = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long key = random.nextLong();
            h.assign(key);
            others.add(key);
        }
        for (long key : others) {
            h.release(key);
            List<BoundedLoadHash.Move> moves = h.lastMoves();
            for (BoundedLoadHash.Move m : moves) {
                assertTrue(h.load(m.to()) <= h.bound(), m + " seed=" + SEED);
                if (m.keyHash() != 7L) {
                    assertEquals(m.to(), h.holder(m.keyHash()), "a moved key is found where it went, seed=" + SEED);
                }
            }
            assertEquals(moves, h.lastMoves());
        }
        assertEquals(5, h.assigned());
        for (int i = 0; i < 5; i++) {
            h.release(7L);
        }
        assertEquals(0, h.assigned());
        assertThrows(IllegalArgumentException.class, () -> h.release(7L));
        assertThrows(IllegalArgumentException.class, () -> h.holder(7L));
    }

    /** Adding and removing nodes keeps every node under the cap and keeps every key. */
    @Test
    void membershipChangesKeepTheBound() {
        SplittableRandom random = new SplittableRandom(SEED);
        BoundedLoadHash h = new BoundedLoadHash(MinimalDisruptionTest.names(4), 20, 0.25);
        for (int i = 0; i < 2_000; i++) {
            h.assign(random.nextLong());
        }
        for (int step = 0; step < 8; step++) {
            h = step % 2 == 0 ? h.withNode("extra-" + step) : h.withoutNode(h.nodes().get(0));
            assertEquals(2_000, h.assigned(), "seed=" + SEED + " step=" + step);
            long bound = BalanceTest.cap(0.25, 2_000, h.nodes().size());
            for (String node : h.nodes()) {
                assertTrue(h.load(node) <= bound, node + " holds " + h.load(node) + " > " + bound + " seed=" + SEED);
            }
        }
    }
}
