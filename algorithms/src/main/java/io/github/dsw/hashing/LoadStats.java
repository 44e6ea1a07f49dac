package io.github.dsw.hashing;

import java.util.List;

/**
 * Balance of a key-to-node assignment: the metrics the papers report.
 *
 * @param nodes number of nodes
 * @param total keys (or entries, or share) counted over all nodes
 * @param mean total / nodes
 * @param max largest per-node count
 * @param min smallest per-node count
 * @param peakToMean max / mean (Maglev's "overprovision" is this minus 1)
 * @param coefficientOfVariation population standard deviation / mean (Lamping &amp; Veach's "standard error")
 */
public record LoadStats(int nodes, double total, double mean, double max, double min,
                        double peakToMean, double coefficientOfVariation) {

    /**
     * Statistics of per-node counts or shares.
     *
     * @throws IllegalArgumentException if {@code perNode} is empty, has a negative value or sums to 0
     */
    public static LoadStats of(double[] perNode) {
        if (perNode == null || perNode.length == 0) {
            throw new IllegalArgumentException("perNode must be non-empty");
        }
        double total = 0;
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double v : perNode) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("per-node values must be >= 0, got " + v);
            }
            total += v;
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        if (total == 0) {
            throw new IllegalArgumentException("per-node values must not all be 0");
        }
        double mean = total / perNode.length;
        double squares = 0;
        for (double v : perNode) {
            squares += (v - mean) * (v - mean);
        }
        double cv = Math.sqrt(squares / perNode.length) / mean;
        return new LoadStats(perNode.length, total, mean, max, min, max / mean, cv);
    }

    /** Statistics of integer counts. */
    public static LoadStats of(long[] perNode) {
        double[] values = new double[perNode == null ? 0 : perNode.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = perNode[i];
        }
        return of(values);
    }

    /** Counts how many of {@code keyHashes} each node of {@code hash} receives, in {@code hash.nodes()} order. */
    public static long[] count(ConsistentHash hash, long[] keyHashes) {
        List<String> nodes = hash.nodes();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i), i);
        }
        long[] counts = new long[nodes.size()];
        for (long key : keyHashes) {
            counts[index.get(hash.nodeFor(key))]++;
        }
        return counts;
    }

    /** Balance of {@code hash} over {@code keyHashes}. */
    public static LoadStats measure(ConsistentHash hash, long[] keyHashes) {
        return of(count(hash, keyHashes));
    }

    /**
     * Memory per node in bytes, from a structure's estimated size.
     *
     * @throws IllegalArgumentException if {@code nodes < 1}
     */
    public static double bytesPerNode(long estimatedBytes, int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, got " + nodes);
        }
        return (double) estimatedBytes / nodes;
    }
}
