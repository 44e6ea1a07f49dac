package io.github.dsw.hashing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Weighted rendezvous hashing with the logarithmic method (Schindelhauer &amp; Schomaker, SPAA 2005):
 * node x scores the key with {@code w_x / −ln(u_x)}, u_x a hash of (key, x) mapped into (0, 1). Then
 * −ln(u_x)/w_x is exponential with rate w_x, and the minimum of independent exponentials is the one of
 * rate w_x with probability w_x / Σw: each node wins exactly its weight's share of keys, and as in plain
 * rendezvous a change of one node's weight or presence only moves keys to or from that node.
 * Lookup O(n) with one logarithm per node.
 */
public final class WeightedRendezvousHash implements ConsistentHash {
    private final List<String> nodes;
    private final double[] weights;
    private final long[] nodeHashes;

    /**
     * @param weights node to weight, in the order {@link #nodes()} will report
     * @throws IllegalArgumentException if {@code weights} is empty, has a blank name, or a weight that is
     *     not finite and positive
     */
    public WeightedRendezvousHash(Map<String, Double> weights) {
        if (weights == null || weights.isEmpty()) {
            throw new IllegalArgumentException("weights must be a non-empty map, got " + weights);
        }
        this.nodes = Nodes.checked(new ArrayList<>(weights.keySet()));
        this.weights = new double[nodes.size()];
        this.nodeHashes = new long[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Double w = weights.get(nodes.get(i));
            if (w == null || !(w > 0) || w.isInfinite()) {
                throw new IllegalArgumentException("weight of '" + nodes.get(i) + "' must be finite and > 0, got " + w);
            }
            this.weights[i] = w;
            this.nodeHashes[i] = KeyHash.of(nodes.get(i));
        }
    }

    @Override
    public String nodeFor(long keyHash) {
        int best = 0;
        double bestScore = score(keyHash, 0);
        for (int i = 1; i < nodes.size(); i++) {
            double s = score(keyHash, i);
            if (s > bestScore) {
                best = i;
                bestScore = s;
            }
        }
        return nodes.get(best);
    }

    /**
     * The {@code n} highest-scoring nodes, best first.
     *
     * @throws IllegalArgumentException if {@code n} is not in [1, nodes().size()]
     */
    public List<String> replicasFor(long keyHash, int n) {
        if (n < 1 || n > nodes.size()) {
            throw new IllegalArgumentException("n must be in [1, " + nodes.size() + "], got " + n);
        }
        double[] scores = new double[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score(keyHash, i);
        }
        List<String> replicas = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            int best = -1;
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] >= 0 && (best < 0 || scores[i] > scores[best])) {
                    best = i;
                }
            }
            scores[best] = -1; // scores are > 0, so -1 marks "taken"
            replicas.add(nodes.get(best));
        }
        return List.copyOf(replicas);
    }

    /** w / −ln(u), u = the top 53 bits of hash(key, node) plus one half, times 2^-53: strictly inside (0, 1). */
    private double score(long keyHash, int index) {
        long h = KeyHash.hashLong(keyHash, nodeHashes[index]);
        double u = ((h >>> 11) + 0.5) * 0x1p-53;
        return weights[index] / -Math.log(u);
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    /** The weight of {@code node}. */
    public double weight(String node) {
        return weights[Nodes.indexOf(nodes, node)];
    }

    /** Adds {@code node} with weight 1. */
    @Override
    public WeightedRendezvousHash withNode(String node) {
        return withNode(node, 1.0);
    }

    /** Adds {@code node} with {@code weight}. */
    public WeightedRendezvousHash withNode(String node, double weight) {
        Nodes.plus(nodes, node);
        Map<String, Double> map = asMap();
        map.put(node, weight);
        return new WeightedRendezvousHash(map);
    }

    @Override
    public WeightedRendezvousHash withoutNode(String node) {
        Nodes.minus(nodes, node);
        Map<String, Double> map = asMap();
        map.remove(node);
        return new WeightedRendezvousHash(map);
    }

    private Map<String, Double> asMap() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            map.put(nodes.get(i), weights[i]);
        }
        return map;
    }
}
