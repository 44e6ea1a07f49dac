package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dsw.consistency.dynamo.Resolution;
import io.github.dsw.consistency.dynamo.VersionVector;
import io.github.dsw.consistency.dynamo.VersionVector.Order;
import io.github.dsw.consistency.dynamo.Versioned;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Version vectors by their definition, and both reconciliation rules on hand-made and random versions. */
class VersionVectorTest {

    static final long SEED = Long.getLong("dsw.seed", 12L);

    static VersionVector vv(long... pairs) {
        Map<Integer, Long> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((int) pairs[i], pairs[i + 1]);
        }
        return new VersionVector(m);
    }

    @Test
    void theFourOrdersOfTheDynamoPaperFigure3() {
        // Dynamo, Figure 3: D1 [Sx,1] -> D2 [Sx,2] -> D3 [Sx,2][Sy,1] and D4 [Sx,2][Sz,1] concurrent -> D5 [Sx,3][Sy,1][Sz,1]
        VersionVector d1 = vv(0, 1);
        VersionVector d2 = vv(0, 2);
        VersionVector d3 = vv(0, 2, 1, 1);
        VersionVector d4 = vv(0, 2, 2, 1);
        VersionVector d5 = vv(0, 3, 1, 1, 2, 1);
        assertEquals(Order.BEFORE, d1.compare(d2));
        assertEquals(Order.AFTER, d3.compare(d2));
        assertEquals(Order.CONCURRENT, d3.compare(d4));
        assertEquals(Order.AFTER, d5.compare(d3));
        assertEquals(Order.AFTER, d5.compare(d4));
        assertEquals(Order.EQUAL, d3.compare(vv(1, 1, 0, 2, 2, 0)));
        assertEquals(d3.merge(d4).with(0, 3), d5);
    }

    @Test
    void compareAgreesWithTheDefinitionOnRandomVectors() {
        Random r = new Random(SEED);
        for (int i = 0; i < 2000; i++) {
            long[] a = new long[3];
            long[] b = new long[3];
            for (int k = 0; k < 3; k++) {
                a[k] = r.nextInt(3);
                b[k] = r.nextInt(3);
            }
            boolean le = true;
            boolean ge = true;
            for (int k = 0; k < 3; k++) {
                le &= a[k] <= b[k];
                ge &= a[k] >= b[k];
            }
            Order expected = le && ge ? Order.EQUAL : le ? Order.BEFORE : ge ? Order.AFTER : Order.CONCURRENT;
            assertEquals(expected, vv(0, a[0], 1, a[1], 2, a[2]).compare(vv(0, b[0], 1, b[1], 2, b[2])), "seed " + SEED + " case " + i);
        }
    }

    @Test
    void versionVectorsKeepConcurrentSiblingsAndDropDominatedOnes() {
        Versioned x = new Versioned(10, vv(0, 1), 100, 0);
        Versioned y = new Versioned(20, vv(1, 1), 50, 1);
        Versioned z = new Versioned(30, vv(0, 1, 1, 1, 2, 1), 10, 2); // written with both in its context
        assertEquals(2, Resolution.VERSION_VECTORS.reconcile(List.of(x), List.of(y)).size());
        assertEquals(List.of(z), Resolution.VERSION_VECTORS.reconcile(Resolution.VERSION_VECTORS.reconcile(List.of(x), List.of(y)), List.of(z)));
        // LWW keeps the largest timestamp, even when that version is the older one causally
        assertEquals(List.of(x), Resolution.LWW.reconcile(List.of(x, y), List.of(z)));
    }

    @Test
    void reconcileIsOrderInsensitiveOnRandomVersions() {
        Random r = new Random(SEED + 1);
        for (int round = 0; round < 300; round++) {
            List<Versioned> vs = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                vs.add(new Versioned(r.nextInt(1000), vv(0, r.nextInt(3), 1, r.nextInt(3)), r.nextInt(100), r.nextInt(3)));
            }
            for (Resolution res : Resolution.values()) {
                List<Versioned> forward = List.of();
                List<Versioned> backward = List.of();
                for (int i = 0; i < vs.size(); i++) {
                    forward = res.reconcile(forward, List.of(vs.get(i)));
                    backward = res.reconcile(List.of(vs.get(vs.size() - 1 - i)), backward);
                }
                assertEquals(forward.stream().map(Versioned::clock).toList().size(), backward.size(), res + " seed " + SEED);
                assertEquals(forward.stream().map(Versioned::clock).toList(), backward.stream().map(Versioned::clock).toList(),
                        res + " seed " + SEED + " round " + round);
            }
        }
    }
}
