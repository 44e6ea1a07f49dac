package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class HashRingTest {

    /** A second implementation, the textbook TreeMap ring with the same points, as the oracle. */
    @Test
    void agreesWithATreeMapRing() {
        long seed = 5L;
        List<String> nodes = MinimalDisruptionTest.names(37);
        HashRing ring = new HashRing(nodes, 25);
        TreeMap<Long, String> tree = new TreeMap<>();
        for (String node : nodes) {
            for (int i = 0; i < 25; i++) {
                tree.put(KeyHash.hashLong(KeyHash.of(node), i), node);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int q = 0; q < 100_000; q++) {
            long key = random.nextLong();
            Map.Entry<Long, String> e = tree.ceilingEntry(key);
            String expected = (e != null ? e : tree.firstEntry()).getValue();
            assertEquals(expected, ring.nodeFor(key), "seed=" + seed + " key=" + key);
        }
    }

    @Test
    void doesNotDependOnTheOrderOfTheNodeList() {
        List<String> nodes = new ArrayList<>(MinimalDisruptionTest.names(50));
        HashRing a = new HashRing(nodes, 10);
        Collections.shuffle(nodes, new java.util.Random(1));
        HashRing b = new HashRing(nodes, 10);
        for (long key : MinimalDisruptionTest.keys(3)) {
            assertEquals(a.nodeFor(key), b.nodeFor(key));
        }
    }
}
