package io.github.dsw.hashing;

import java.util.List;

/**
 * Jump consistent hash (Lamping &amp; Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
 * arXiv:1406.2294, 2014): buckets 0..n−1, no table at all, O(ln n) expected steps.
 *
 * <p>Idea (paper §"Explanation of the algorithm"): follow one key as the bucket count grows; at each
 * growth from b to b+1 buckets the key jumps to the new bucket with probability 1/(b+1), otherwise it
 * stays. Instead of testing every b, draw the next b at which it jumps directly: P(next jump ≥ i) =
 * (b+1)/i, so with r uniform in (0,1], j = floor((b+1)/r). The random stream is a 64-bit LCG seeded
 * by the key, so the same key always jumps the same way. This is what makes it minimal: going from n to
 * n+1 buckets moves exactly the keys that jump to bucket n.
 *
 * <p>Its limit: buckets are numbered, so only the last one can be removed ({@link #withoutNode} of any
 * other node throws {@link UnsupportedOperationException}).
 */
public final class JumpHash implements ConsistentHash {
    /** The LCG multiplier of the paper's listing (from L'Ecuyer's tables of good multipliers). */
    static final long LCG_MULTIPLIER = 2862933555777941757L;

    private final List<String> nodes;

    /** @throws IllegalArgumentException if {@code nodes} is empty or has nulls, blanks or duplicates */
    public JumpHash(List<String> nodes) {
        this.nodes = Nodes.checked(nodes);
    }

    /**
     * The paper's Figure 1, line for line: returns a bucket in {@code [0, buckets)}.
     * Computes {@code j = (b + 1) * (2^31 / ((key >>> 33) + 1))} in double precision with two roundings,
     * as the C++ listing does; Guava's {@code Hashing.consistentHash} differs for rare keys (it rounds once,
     * and its {@code int} arithmetic overflows when the top 31 state bits are all ones).
     *
     * @throws IllegalArgumentException if {@code buckets < 1}
     */
    public static int bucket(long key, int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
        }
        long b = -1;
        long j = 0;
        while (j < buckets) {
            b = j;
            key = key * LCG_MULTIPLIER + 1;
            j = (long) ((b + 1) * ((double) (1L << 31) / (double) ((key >>> 33) + 1)));
        }
        return (int) b;
    }

    @Override
    public String nodeFor(long keyHash) {
        return nodes.get(bucket(keyHash, nodes.size()));
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    /** Appends {@code node} as bucket n: only keys that jump to bucket n move. */
    @Override
    public JumpHash withNode(String node) {
        return new JumpHash(Nodes.plus(nodes, node));
    }

    /**
     * Removes the last bucket only.
     *
     * @throws UnsupportedOperationException if {@code node} is not the last node
     */
    @Override
    public JumpHash withoutNode(String node) {
        int index = Nodes.indexOf(nodes, node);
        if (index != nodes.size() - 1) {
            throw new UnsupportedOperationException("jump hash can only remove its last bucket ('"
                    + nodes.get(nodes.size() - 1) + "'), not '" + node + "' at bucket " + index
                    + ": removing it would renumber every later bucket and move their keys");
        }
        return new JumpHash(Nodes.minus(nodes, node));
    }

    /** Estimated heap bytes of the lookup structure: none beyond the node list. */
    public long estimatedBytes() {
        return 8L * nodes.size();
    }
}
