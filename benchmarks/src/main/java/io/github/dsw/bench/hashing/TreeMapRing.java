package io.github.dsw.bench.hashing;

import io.github.dsw.hashing.KeyHash;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The anchor: a consistent-hashing ring written the way textbooks and blog posts write it, a
 * {@code TreeMap<Long, String>} from point to node, looked up with {@code ceilingEntry} and wrapped
 * with {@code firstEntry} (Lamping &amp; Veach's "Karger A"). It uses the same points as
 * {@link io.github.dsw.hashing.HashRing}, so both rings send every key to the same node and only the
 * data structure differs: boxed keys and a red-black tree of ~40-byte entries against two sorted arrays.
 */
public final class TreeMapRing {
    private final TreeMap<Long, String> ring = new TreeMap<>();

    public TreeMapRing(List<String> nodes, int virtualNodes) {
        for (String node : nodes) {
            long nodeHash = KeyHash.of(node);
            for (int i = 0; i < virtualNodes; i++) {
                ring.put(KeyHash.hashLong(nodeHash, i), node);
            }
        }
    }

    public String nodeFor(long keyHash) {
        Map.Entry<Long, String> e = ring.ceilingEntry(keyHash);
        return (e != null ? e : ring.firstEntry()).getValue();
    }
}
