package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics against hand-computed values. */
class MetricsTest {

    @Test
    void loadStatsOfASmallVector() {
        LoadStats s = LoadStats.of(new long[] {1, 2, 3, 6});
        assertEquals(3.0, s.mean(), 1e-12);
        assertEquals(2.0, s.peakToMean(), 1e-12);
        // Population variance: (4 + 1 + 0 + 9) / 4 = 3.5.
        assertEquals(Math.sqrt(3.5) / 3, s.coefficientOfVariation(), 1e-12);
        assertEquals(1.0, s.min(), 0);
        assertEquals(12.5, LoadStats.bytesPerNode(50, 4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LoadStats.of(new long[] {0, 0}));
        assertThrows(IllegalArgumentException.class, () -> LoadStats.of(new double[] {1, -1}));
    }

    @Test
    void disruptionCountsMovesAgainstTheIdeal() {
        // Two nodes to three with mod n: keys 0..5 map 0,1,0,1,0,1 then 0,1,2,0,1,2; keys 2, 3, 4, 5 move.
        long[] keys = {0, 1, 2, 3, 4, 5};
        ModuloHash two = new ModuloHash(List.of("a", "b"));
        Disruption d = Disruption.measure(two, two.withNode("c"), keys);
        assertEquals(4, d.moved());
        assertEquals(2, d.misplaced(), "keys 3 (b -> a) and 4 (a -> b) move between old nodes");
        assertEquals(1.0 / 3, d.idealFraction(), 1e-12);
        assertEquals(2.0, d.ratioToIdeal(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Disruption.measure(two, two, keys));
    }

    @Test
    void boundedLoadCarriesLoadsAcrossMembershipChanges() {
        BoundedLoadHash h = new BoundedLoadHash(List.of("a", "b"), 10, 0.5);
        for (long k = 0; k < 100; k++) {
            h.assign(KeyHash.of(k));
        }
        // Three nodes: the cap falls to ceil(1.5 * 100 / 3) = 50, so a and b shed what they hold above 50.
        BoundedLoadHash more = h.withNode("c");
        assertEquals(100, more.assigned());
        long excess = Math.max(0, h.load("a") - 50) + Math.max(0, h.load("b") - 50);
        assertEquals(excess, more.lastMoves().size());
        for (String node : List.of("a", "b")) {
            // A node above the cap sheds down to it exactly; one below may take keys, up to the cap.
            long expected = h.load(node) > 50 ? 50 : more.load(node);
            assertEquals(expected, more.load(node), node);
            assertTrue(more.load(node) <= 50 && more.load(node) >= Math.min(50, h.load(node)), node);
        }
        assertTrue(more.load("c") <= 50);
        // One node: the cap is 150, and every key of a moves to b.
        BoundedLoadHash fewer = h.withoutNode("a");
        assertEquals(100, fewer.assigned());
        assertEquals(100, fewer.load("b"));
        assertEquals(h.load("a"), fewer.lastMoves().size());
        assertEquals(100, h.assigned(), "instances are independent");
    }
}
