package io.github.dsw.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link HaproxyRoundRobin} and {@link HaproxyConsistentHash} against the real HAProxy 2.6.12: datasets/balance/
 * haproxy/*.csv hold what HAProxy chose (recorded by io.github.dsw.proxy.HaproxyFixtures). The live comparison, with
 * more weight vectors and server sets, is scenarios' RealBalancersTest and {@code ./dsw lb-compare}.
 */
class HaproxyPortsTest {
    private static List<String[]> rows(String file) throws IOException {
        return Files.readAllLines(Path.of("../datasets/balance/haproxy", file)).stream()
                .filter(l -> !l.startsWith("#") && !l.startsWith("weights,") && !l.startsWith("key,"))
                .map(l -> l.split(",")).toList();
    }

    private static int index(String server) {
        return Integer.parseInt(server.substring(1));
    }

    @Test
    void roundRobinServesTheSequenceHaproxyServed() throws IOException {
        Map<String, StringBuilder> byWeights = new LinkedHashMap<>();
        for (String[] r : rows("roundrobin.csv")) {
            byWeights.computeIfAbsent(r[0], k -> new StringBuilder()).append((char) ('a' + index(r[2])));
        }
        assertEquals(5, byWeights.size());
        for (var e : byWeights.entrySet()) {
            int[] w = Arrays.stream(e.getKey().split(" ")).mapToInt(Integer::parseInt).toArray();
            HaproxyRoundRobin rr = new HaproxyRoundRobin(w);
            StringBuilder ours = new StringBuilder();
            for (int i = 0; i < e.getValue().length(); i++) {
                ours.append((char) ('a' + rr.next()));
            }
            assertEquals(e.getValue().toString(), ours.toString(), "weights " + e.getKey());
        }
        // HAProxy's roundrobin is not nginx's smooth sequence (a a b a c a a for 5, 1, 1)
        assertEquals("aaabaac", byWeights.get("5 1 1").substring(0, 7));
    }

    @Test
    void roundRobinGivesEachServerItsWeightPerCycle() {
        int[] w = {7, 3, 1, 9};
        HaproxyRoundRobin rr = new HaproxyRoundRobin(w);
        int[] counts = new int[w.length];
        for (int i = 0; i < 100 * 20; i++) {
            counts[rr.next()]++;
        }
        for (int s = 0; s < w.length; s++) {
            assertEquals(100 * w[s], counts[s], 1, "server " + s);
        }
        assertThrows(IllegalArgumentException.class, () -> new HaproxyRoundRobin());
        assertThrows(IllegalArgumentException.class, () -> new HaproxyRoundRobin(1, 0));
    }

    private static final int[] WEIGHTS = {1, 2, 1, 3, 1};

    @Test
    void everyKeyGoesWhereHaproxySentIt() throws IOException {
        HaproxyConsistentHash ring = new HaproxyConsistentHash(new int[] {1, 2, 3, 4, 5}, WEIGHTS);
        List<String[]> rows = rows("chash-all.csv");
        assertEquals(1000, rows.size());
        for (String[] r : rows) {
            assertEquals(index(r[1]), ring.serverFor(r[0]), "key " + r[0]);
        }
    }

    @Test
    void withoutAServerKeepingIdsOnlyItsKeysMoveAndTheyGoWhereHaproxySentThem() throws IOException {
        HaproxyConsistentHash ring = new HaproxyConsistentHash(new int[] {1, 2, 3, 4, 5}, WEIGHTS);
        HaproxyConsistentHash smaller = ring.without(2);
        int[] rest = {0, 1, 3, 4};
        List<String[]> rows = rows("chash-without-s2.csv");
        assertEquals(1000, rows.size());
        int moved = 0;
        for (String[] r : rows) {
            int now = rest[smaller.serverFor(r[0])];
            assertEquals(index(r[1]), now, "key " + r[0]);
            int before = ring.serverFor(r[0]);
            if (before != now) {
                moved++;
                assertEquals(2, before, "key " + r[0] + " moved although its server stayed");
            }
        }
        assertTrue(moved > 0);
    }

    @Test
    void avalancheAndSdbmAreHaproxysFunctions() {
        // sdbm by hand: h = c + (h << 6) + (h << 16) - h, i.e. h * 65599 + c
        long h = 0;
        for (char c : "key-42".toCharArray()) {
            h = (h * 65599 + c) & 0xffffffffL;
        }
        assertEquals(h, HaproxyConsistentHash.sdbm("key-42"));
        // full_hash is a bijection of 32-bit integers (each step is invertible): no two of many inputs collide
        long[] out = new long[1 << 16];
        for (int i = 0; i < out.length; i++) {
            out[i] = HaproxyConsistentHash.fullHash(i * 4096 + 7);
        }
        assertEquals(out.length, Arrays.stream(out).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> new HaproxyConsistentHash(new int[] {1, 1}, new int[] {1, 1}));
    }
}
