package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Balance within the bounds the papers and a model give. */
class BalanceTest {
    static final long SEED = 99L;

    /**
     * Ring arcs: a node's share is Beta(v, (n−1)v), CV = sqrt((n−1)/(nv+1)) (order statistics of uniform
     * points). The CV estimated over 200 nodes has a relative sampling error of about 1/sqrt(2·200) = 5%.
     */
    @Test
    void ringArcSharesFollowTheBetaModel() {
        int n = 200;
        for (int v : new int[] {1, 10, 100}) {
            HashRing ring = new HashRing(MinimalDisruptionTest.names(n), v);
            double cv = LoadStats.of(ring.arcShares()).coefficientOfVariation();
            double model = Math.sqrt((n - 1.0) / (n * v + 1.0));
            assertEquals(model, cv, 0.2 * model, "v=" + v);
            assertEquals(1.0, java.util.Arrays.stream(ring.arcShares()).sum(), 1e-9);
        }
    }

    /** Jump hash splits the hash space exactly, so only multinomial key noise is left: CV ≈ sqrt(n/K). */
    @Test
    void jumpAndRendezvousAreAtThePoissonFloor() {
        long[] keys = MinimalDisruptionTest.keys(SEED);
        int n = 50;
        double floor = Math.sqrt((double) n / keys.length);
        for (ConsistentHash h : List.of(new JumpHash(MinimalDisruptionTest.names(n)),
                new RendezvousHash(MinimalDisruptionTest.names(n)),
                new AnchorHash(MinimalDisruptionTest.names(n), 100))) {
            double cv = LoadStats.measure(h, keys).coefficientOfVariation();
            assertEquals(floor, cv, 0.35 * floor, h.getClass().getSimpleName() + " seed=" + SEED);
        }
    }

    /** Appleton &amp; O'Reilly: 21 probes give a peak-to-mean of about 1.05 (plus key noise here). */
    @Test
    void multiProbeWith21ProbesIsNearOnePointZeroFive() {
        SplittableRandom random = new SplittableRandom(SEED);
        long[] keys = new long[500_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextLong();
        }
        LoadStats one = LoadStats.measure(new MultiProbeHash(MinimalDisruptionTest.names(20), 1), keys);
        LoadStats many = LoadStats.measure(new MultiProbeHash(MinimalDisruptionTest.names(20), 21), keys);
        assertTrue(many.peakToMean() < 1.15, "k=21 peak/mean " + many.peakToMean() + " seed=" + SEED);
        assertTrue(one.peakToMean() > many.peakToMean(), "k=1 " + one.peakToMean());
    }

    /** Maglev's turn-taking gives every node floor(M/n) or ceil(M/n) entries (paper §3.4). */
    @Test
    void maglevEntriesDifferByAtMostOne() {
        for (int n : new int[] {3, 100, 1000}) {
            long[] entries = new MaglevHash(MinimalDisruptionTest.names(n), 65537).entriesPerNode();
            LoadStats s = LoadStats.of(entries);
            assertTrue(s.max() - s.min() <= 1, "n=" + n + " " + s);
            assertEquals(65537, (long) s.total());
        }
    }

    /** The paper's Table 1 (M = 7, three backends given as (offset, skip)), before and after B1 fails. */
    @Test
    void maglevReproducesThePapersTable1() {
        assertArrayEquals(new int[] {1, 0, 1, 0, 2, 2, 0},
                MaglevHash.populate(new long[] {3, 0, 3}, new long[] {4, 2, 1}, 7));
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1},
                MaglevHash.populate(new long[] {3, 3}, new long[] {4, 1}, 7));
    }

    /** Weights 1:2:7 give shares 0.1 / 0.2 / 0.7 (the logarithmic method's exponential-race argument). */
    @Test
    void weightedRendezvousFollowsWeights() {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put("a", 1.0);
        w.put("b", 2.0);
        w.put("c", 7.0);
        long[] keys = MinimalDisruptionTest.keys(SEED);
        long[] counts = LoadStats.count(new WeightedRendezvousHash(w), keys);
        assertEquals(0.1, counts[0] / (double) keys.length, 0.005);
        assertEquals(0.2, counts[1] / (double) keys.length, 0.005);
        assertEquals(0.7, counts[2] / (double) keys.length, 0.005);
    }

    /**
     * Mirrokni, Thorup &amp; Zadimoghaddam: no node above ceil((1+ε)·m/n), checked on every node after
     * EVERY assign and EVERY release, with the cap computed here from m and n (not asked of the class).
     * A model of who holds which key, updated only from {@code assign}'s answer and the reported moves,
     * must agree with the class's loads, so the moves it reports are exactly the moves it made. The
     * key stream mixes fresh random hashes with a small pool of repeated ones (several assignments of one
     * hash); a growth phase (1 release in 4 operations) is followed by a drain (3 in 4), so the cap
     * falls often.
     */
    @Test
    void boundedLoadNeverExceedsTheCap() {
        long seed = SEED;
        SplittableRandom random = new SplittableRandom(seed);
        int n = 10;
        List<String> names = MinimalDisruptionTest.names(n);
        long[] pool = new long[50];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = random.nextLong();
        }
        for (double epsilon : new double[] {0.05, 0.25, 1.0}) {
            BoundedLoadHash h = new BoundedLoadHash(names, 20, epsilon);
            Map<String, Map<Long, Integer>> model = new LinkedHashMap<>();
            names.forEach(name -> model.put(name, new java.util.HashMap<>()));
            Map<String, Long> modelLoad = new LinkedHashMap<>();
            names.forEach(name -> modelLoad.put(name, 0L));
            java.util.List<Long> held = new java.util.ArrayList<>();
            long moves = 0;
            long capDrops = 0;
            for (int i = 0; i < 40_000; i++) {
                String where = "seed=" + seed + " eps=" + epsilon + " op=" + i;
                boolean release = !held.isEmpty() && (i < 20_000 ? random.nextInt(4) == 0 : random.nextInt(4) != 0);
                if (release) {
                    long key = held.remove(random.nextInt(held.size()));
                    long boundBefore = cap(epsilon, h.assigned(), n);
                    h.release(key);
                    List<BoundedLoadHash.Move> moved = h.lastMoves();
                    moves += moved.size();
                    boolean dropped = cap(epsilon, h.assigned(), n) < boundBefore;
                    capDrops += dropped ? 1 : 0;
                    assertTrue(dropped || moved.isEmpty(), "moves without a cap drop: " + moved + " " + where);
                    for (BoundedLoadHash.Move m : moved) {
                        assertTrue(remove(model.get(m.from()), m.keyHash()), "moved a key its node did not hold: " + m + " " + where);
                        model.get(m.to()).merge(m.keyHash(), 1, Integer::sum);
                        modelLoad.merge(m.from(), -1L, Long::sum);
                        modelLoad.merge(m.to(), 1L, Long::sum);
                    }
                    // Exactly one node lost one key, and it held a copy of the released hash.
                    String lost = null;
                    for (String name : names) {
                        long diff = modelLoad.get(name) - h.load(name);
                        assertTrue(diff == 0 || (diff == 1 && lost == null), "load of " + name + " off by " + diff + " " + where);
                        lost = diff == 1 ? name : lost;
                    }
                    assertTrue(lost != null && remove(model.get(lost), key), "release of " + key + " not seen " + where);
                    modelLoad.merge(lost, -1L, Long::sum);
                } else {
                    long key = random.nextInt(8) == 0 ? pool[random.nextInt(pool.length)] : random.nextLong();
                    String node = h.assign(key);
                    held.add(key);
                    model.get(node).merge(key, 1, Integer::sum);
                    modelLoad.merge(node, 1L, Long::sum);
                }
                long bound = cap(epsilon, held.size(), n);
                assertEquals(held.size(), h.assigned(), where);
                for (String name : names) {
                    assertEquals(modelLoad.get(name), h.load(name), "load of " + name + " " + where);
                    assertTrue(h.load(name) <= bound, "load " + h.load(name) + " of " + name + " > cap " + bound + " " + where);
                }
            }
            for (String name : names) {
                assertEquals(size(model.get(name)), h.load(name), "final multiset of " + name + " seed=" + seed);
            }
            assertTrue(capDrops > 100, "the drain should lower the cap often, got " + capDrops + " seed=" + seed);
            assertTrue(moves > 0, "no key ever moved, so the release path was not exercised, seed=" + seed);
        }
    }

    static long cap(double epsilon, long m, int n) {
        return (long) Math.ceil((1 + epsilon) * m / n);
    }

    private static long size(Map<Long, Integer> multiset) {
        return multiset.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static boolean remove(Map<Long, Integer> multiset, long key) {
        Integer count = multiset.get(key);
        if (count == null) {
            return false;
        }
        if (count == 1) {
            multiset.remove(key);
        } else {
            multiset.put(key, count - 1);
        }
        return true;
    }

    @Test
    void replicasAreDistinctAndStartWithTheOwner() {
        List<String> nodes = MinimalDisruptionTest.names(8);
        HashRing ring = new HashRing(nodes, 50);
        RendezvousHash hrw = new RendezvousHash(nodes);
        for (long key : java.util.Arrays.copyOf(MinimalDisruptionTest.keys(SEED), 1000)) {
            for (List<String> r : List.of(ring.replicasFor(key, 3), hrw.replicasFor(key, 3))) {
                assertEquals(3, new java.util.HashSet<>(r).size());
            }
            assertEquals(ring.nodeFor(key), ring.replicasFor(key, 3).get(0));
            assertEquals(hrw.nodeFor(key), hrw.replicasFor(key, 3).get(0));
            assertEquals(8, ring.replicasFor(key, 8).size());
        }
    }
}
