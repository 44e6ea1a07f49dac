package io.github.dsw.hashing;

import java.util.ArrayList;
import java.util.List;

/**
 * Rendezvous or highest-random-weight hashing (Thaler &amp; Ravishankar, CSE-TR-316-96, 1996): every
 * node scores the key with a hash of (key, node) and the highest score wins. Lookup O(n); no table.
 *
 * <p>Removing a node only moves the keys it won (every other score is unchanged); adding one only moves
 * the keys it now wins. The order of scores is a full preference list, so {@link #replicasFor} gives n
 * distinct nodes. Score of node x for key k: {@code KeyHash.hashLong(k, KeyHash.of(x))}, compared as
 * unsigned; equal scores (probability 2^-64) go to the smaller node name.
 */
public final class RendezvousHash implements ConsistentHash {
    private final List<String> nodes;
    private final long[] nodeHashes;

    /** @throws IllegalArgumentException if {@code nodes} is empty or has nulls, blanks or duplicates */
    public RendezvousHash(List<String> nodes) {
        this.nodes = Nodes.checked(nodes);
        this.nodeHashes = new long[this.nodes.size()];
        for (int i = 0; i < nodeHashes.length; i++) {
            nodeHashes[i] = KeyHash.of(this.nodes.get(i));
        }
    }

    /** The score of node {@code index} for {@code keyHash}: its "random weight". */
    long score(long keyHash, int index) {
        return KeyHash.hashLong(keyHash, nodeHashes[index]);
    }

    @Override
    public String nodeFor(long keyHash) {
        int best = 0;
        long bestScore = score(keyHash, 0);
        for (int i = 1; i < nodeHashes.length; i++) {
            long s = score(keyHash, i);
            if (beats(s, i, bestScore, best)) {
                best = i;
                bestScore = s;
            }
        }
        return nodes.get(best);
    }

    /**
     * The {@code n} highest-scoring nodes, best first. Cost O(n_nodes · n).
     *
     * @throws IllegalArgumentException if {@code n} is not in [1, nodes().size()]
     */
    public List<String> replicasFor(long keyHash, int n) {
        if (n < 1 || n > nodes.size()) {
            throw new IllegalArgumentException("n must be in [1, " + nodes.size() + "], got " + n);
        }
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = score(keyHash, i);
        }
        boolean[] taken = new boolean[scores.length];
        List<String> replicas = new ArrayList<>(n);
        while (replicas.size() < n) {
            int best = -1;
            for (int i = 0; i < scores.length; i++) {
                if (!taken[i] && (best < 0 || beats(scores[i], i, scores[best], best))) {
                    best = i;
                }
            }
            taken[best] = true;
            replicas.add(nodes.get(best));
        }
        return List.copyOf(replicas);
    }

    private boolean beats(long score, int index, long otherScore, int other) {
        int c = Long.compareUnsigned(score, otherScore);
        return c > 0 || (c == 0 && nodes.get(index).compareTo(nodes.get(other)) < 0);
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    @Override
    public RendezvousHash withNode(String node) {
        return new RendezvousHash(Nodes.plus(nodes, node));
    }

    @Override
    public RendezvousHash withoutNode(String node) {
        return new RendezvousHash(Nodes.minus(nodes, node));
    }

    /** Estimated heap bytes: one 8-byte hash per node. */
    public long estimatedBytes() {
        return 8L * nodeHashes.length;
    }
}
