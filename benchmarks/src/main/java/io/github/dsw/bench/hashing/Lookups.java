package io.github.dsw.bench.hashing;

import com.google.common.hash.Hashing;
import io.github.dsw.hashing.AnchorHash;
import io.github.dsw.hashing.HashRing;
import io.github.dsw.hashing.JumpHash;
import io.github.dsw.hashing.MaglevHash;
import io.github.dsw.hashing.ModuloHash;
import io.github.dsw.hashing.MultiProbeHash;
import io.github.dsw.hashing.RendezvousHash;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** Builds a lookup function {@code keyHash -> node} for each algorithm name used by the benchmarks. */
final class Lookups {
    static final int VIRTUAL_NODES = 100;
    static final int PROBES = 21;

    private Lookups() {}

    static List<String> names(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add("node-" + i);
        }
        return names;
    }

    /** Maglev's table: 65537 up to 655 nodes (M > 100 n, paper §5.3), 655373 above. */
    static int maglevTableSize(int nodes) {
        return nodes * 100 < 65537 ? 65537 : 655373;
    }

    static LongFunction<String> of(String algorithm, int n) {
        List<String> nodes = names(n);
        return switch (algorithm) {
            case "modulo" -> new ModuloHash(nodes)::nodeFor;
            case "guava" -> key -> nodes.get(Hashing.consistentHash(key, nodes.size()));
            case "jump" -> new JumpHash(nodes)::nodeFor;
            case "ring" -> new HashRing(nodes, VIRTUAL_NODES)::nodeFor;
            case "treeMapRing" -> new TreeMapRing(nodes, VIRTUAL_NODES)::nodeFor;
            case "rendezvous" -> new RendezvousHash(nodes)::nodeFor;
            case "maglev" -> new MaglevHash(nodes, maglevTableSize(n))::nodeFor;
            case "multiProbe" -> new MultiProbeHash(nodes, PROBES)::nodeFor;
            case "anchor" -> new AnchorHash(nodes, 2 * n)::nodeFor;
            default -> throw new IllegalArgumentException("unknown algorithm '" + algorithm + "'");
        };
    }
}
