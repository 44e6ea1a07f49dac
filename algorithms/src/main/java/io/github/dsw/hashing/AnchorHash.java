package io.github.dsw.hashing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AnchorHash (Mendelson, Vargaftik, Barabash, Lorenz, Keslassy &amp; Orda, "AnchorHash: A Scalable
 * Consistent Hash", IEEE/ACM ToN 29(2), 2021, arXiv:1812.09674): jump-like speed with removal of
 * <em>any</em> node, within a fixed capacity {@code a} of buckets chosen up front.
 *
 * <p>Buckets 0..a−1 form the anchor set; the working ones hold nodes. A key first hashes uniformly onto
 * all a buckets. If it lands on a removed bucket b, it rehashes uniformly onto the {@code A[b]} buckets
 * that were working just after b was removed ("W_b"); that set is found without storing it, through the
 * removal history kept in four arrays (paper Algorithm 3, the minimal-memory version):
 * {@code A[b]} = |W_b| (0 while b works), {@code W} = working buckets in positions 0..N−1,
 * {@code L[b]} = position of b in W, {@code K[b]} = the bucket that took b's position when b left.
 * Removing a bucket moves only its keys; re-adding takes the last removed bucket back (a stack), so it
 * undoes the removal exactly. Expected lookup cost O(1 + ln(a/N)²) under random removals.
 *
 * <p>As a {@link ConsistentHash}: every {@link #withNode}/{@link #withoutNode} copies the arrays (O(a))
 * to keep instances immutable. The mapping depends on the order of removals, so all clients must apply
 * the same changes in the same order (the paper's note on consensus).
 */
public final class AnchorHash implements ConsistentHash {
    private final int[] A; // paper's names, kept for readability against Algorithm 3
    private final int[] W;
    private final int[] L;
    private final int[] K;
    private final int[] removed; // the stack R
    private final int removedCount;
    private final int working; // N
    private final String[] nodeOfBucket;
    private final Map<String, Integer> bucketOfNode;
    private final List<String> nodes;

    /**
     * Puts {@code nodes} in buckets 0..n−1 of an anchor set of {@code capacity} buckets.
     *
     * @throws IllegalArgumentException if {@code nodes} is empty or has nulls, blanks or duplicates, or
     *     {@code capacity} is smaller than the number of nodes
     */
    public AnchorHash(List<String> nodes, int capacity) {
        List<String> checked = Nodes.checked(nodes);
        if (capacity < checked.size()) {
            throw new IllegalArgumentException("capacity must be >= the number of nodes " + checked.size()
                    + ", got " + capacity);
        }
        int a = capacity;
        A = new int[a];
        W = new int[a];
        L = new int[a];
        K = new int[a];
        removed = new int[a];
        for (int b = 0; b < a; b++) {
            W[b] = L[b] = K[b] = b;
        }
        // INITANCHOR: the unused buckets are removed from the top down, so A[b] = b for them.
        int r = 0;
        for (int b = a - 1; b >= checked.size(); b--) {
            removed[r++] = b;
            A[b] = b;
        }
        removedCount = r;
        working = checked.size();
        nodeOfBucket = new String[a];
        bucketOfNode = new HashMap<>();
        for (int b = 0; b < checked.size(); b++) {
            nodeOfBucket[b] = checked.get(b);
            bucketOfNode.put(checked.get(b), b);
        }
        this.nodes = checked;
    }

    private AnchorHash(AnchorHash from, int working, int removedCount, List<String> nodes) {
        A = from.A.clone();
        W = from.W.clone();
        L = from.L.clone();
        K = from.K.clone();
        removed = from.removed.clone();
        nodeOfBucket = from.nodeOfBucket.clone();
        bucketOfNode = new HashMap<>(from.bucketOfNode);
        this.working = working;
        this.removedCount = removedCount;
        this.nodes = nodes;
    }

    /** GETBUCKET(k) of Algorithm 3. */
    int bucket(long keyHash) {
        int b = KeyHash.toRange(keyHash, A.length);
        while (A[b] > 0) { // b is removed: rehash into W_b, the A[b] buckets working right after b left
            int h = KeyHash.toRange(KeyHash.hashLong(keyHash, b), A[b]);
            while (A[h] >= A[b]) { // h had left before b, so W_b holds at position h whoever replaced it
                h = K[h];
            }
            b = h;
        }
        return b;
    }

    @Override
    public String nodeFor(long keyHash) {
        return nodeOfBucket[bucket(keyHash)];
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    /** Capacity a: the most nodes this instance and its descendants can hold. */
    public int capacity() {
        return A.length;
    }

    /**
     * ADDBUCKET: {@code node} takes the most recently removed bucket.
     *
     * @throws UnsupportedOperationException if all {@code capacity()} buckets are in use
     */
    @Override
    public AnchorHash withNode(String node) {
        List<String> list = Nodes.plus(nodes, node);
        if (removedCount == 0) {
            throw new UnsupportedOperationException("AnchorHash is full: all " + A.length
                    + " buckets of its fixed capacity hold nodes; build a new one with a larger capacity");
        }
        AnchorHash next = new AnchorHash(this, working + 1, removedCount - 1, list);
        int b = next.removed[removedCount - 1];
        int n = working;
        next.A[b] = 0;
        next.L[next.W[n]] = n;
        next.W[next.L[b]] = b;
        next.K[b] = b;
        next.nodeOfBucket[b] = node;
        next.bucketOfNode.put(node, b);
        return next;
    }

    /** REMOVEBUCKET: only the keys of {@code node} move. */
    @Override
    public AnchorHash withoutNode(String node) {
        List<String> list = Nodes.minus(nodes, node);
        int b = bucketOfNode.get(node);
        AnchorHash next = new AnchorHash(this, working - 1, removedCount + 1, list);
        next.removed[removedCount] = b;
        int n = working - 1;
        next.A[b] = n;
        next.W[next.L[b]] = next.W[n];
        next.K[b] = next.W[n];
        next.L[next.W[n]] = next.L[b];
        next.nodeOfBucket[b] = null;
        next.bucketOfNode.remove(node);
        return next;
    }

    /** Estimated heap bytes of the four arrays and the stack: 20 per bucket of capacity (plus the name map). */
    public long estimatedBytes() {
        return 20L * A.length;
    }

    @Override
    public String toString() {
        return "AnchorHash[capacity=" + A.length + ", working=" + working + "]";
    }
}
