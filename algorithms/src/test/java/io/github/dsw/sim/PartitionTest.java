package io.github.dsw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionTest {

    private static Set<Integer> reach(Partition p, int node) {
        Set<Integer> s = new HashSet<>();
        for (int i = 0; i < p.nodes(); i++) {
            if (p.connected(node, i)) {
                s.add(i);
            }
        }
        return s;
    }

    @Test
    void splitConnectsOnlyWithinGroups() {
        Partition p = Partition.split(5, List.of(List.of(0, 1), List.of(2, 3, 4)));
        assertTrue(p.connected(0, 1));
        assertTrue(p.connected(2, 4));
        assertFalse(p.connected(1, 2));
        assertFalse(p.connected(4, 0));
        assertTrue(p.connected(0, 7), "clients (ids >= nodes) are never cut");
    }

    @Test
    void isolateCutsOneNodeBothWays() {
        Partition p = Partition.isolate(3, 1);
        assertEquals(Set.of(1), reach(p, 1));
        assertEquals(Set.of(0, 2), reach(p, 0));
    }

    @Test
    void bridgeTalksToBothHalvesWhichDoNotTalk() {
        // Jepsen :bridge on 5 nodes: {0,1} and {3,4} split, 2 sees everyone.
        Partition p = Partition.bridge(5, 2);
        assertEquals(Set.of(0, 1, 2, 3, 4), reach(p, 2));
        assertEquals(Set.of(0, 1, 2), reach(p, 0));
        assertEquals(Set.of(2, 3, 4), reach(p, 4));
    }

    @Test
    void majoritiesRingGivesEachOfFiveNodesItsOwnMajority() {
        Partition p = Partition.majoritiesRing(5);
        Set<Set<Integer>> views = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            Set<Integer> r = reach(p, i);
            assertEquals(3, r.size(), "node " + i + " sees a majority of 5");
            assertEquals(Set.of((i + 4) % 5, i, (i + 1) % 5), r);
            views.add(r);
        }
        assertEquals(5, views.size());
        assertNotEquals(reach(p, 0), reach(p, 1));
    }

    @Test
    void aNodeInTwoGroupsIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Partition.split(3, List.of(List.of(0, 1), List.of(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> Partition.split(3, List.of(List.of(0, 3))));
    }
}
