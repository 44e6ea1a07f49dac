package io.github.dsw.hashing;

import java.util.ArrayList;
import java.util.List;

/**
 * Karger et al.'s consistent hashing ring (STOC 1997) with virtual nodes: each node puts
 * {@code virtualNodes} points on a circle of 2^64 positions, and a key belongs to the owner of the first
 * point at or after its hash, clockwise (wrapping past the largest point to the smallest).
 *
 * <p>Layout: the points sit in one sorted {@code long[]} with a parallel {@code int[]} of owner indices,
 * and lookup is a lower-bound binary search: O(log(n·v)), 12 bytes per point, no pointers to chase (the
 * "Karger B" layout of Lamping &amp; Veach 2014, as opposed to a balanced tree, "Karger A", 48 bytes per
 * point). A {@link PointIndex} on the top bits of the points narrows the search to about one point, so
 * lookup is O(1) expected. The circle is the signed {@code long} order, which is the same circle as
 * arithmetic mod 2^64.
 *
 * <p>Balance: a node's share of the circle is Beta(v, (n−1)v), so its coefficient of variation is
 * sqrt((n−1)/(nv+1)) ≈ 1/√v. Adding a node only inserts points, so keys move only to the new node;
 * removing one only deletes points, so only its keys move. Point i of node x is at
 * {@code KeyHash.hashLong(KeyHash.of(x), i)}; ties between equal points go to the smaller node name,
 * so the ring does not depend on the order of {@code nodes}.
 */
public final class HashRing implements ConsistentHash {
    private final List<String> nodes;
    private final int virtualNodes;
    private final long[] points;
    private final int[] owners;
    private final PointIndex index;

    /**
     * Builds the ring in O(n·v·log(n·v)).
     *
     * @throws IllegalArgumentException if {@code nodes} is empty or has nulls, blanks or duplicates,
     *     if {@code virtualNodes < 1}, or if n·v exceeds 2^30 points
     */
    public HashRing(List<String> nodes, int virtualNodes) {
        List<String> checked = Nodes.checked(nodes);
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("virtualNodes must be >= 1, got " + virtualNodes);
        }
        long total = (long) checked.size() * virtualNodes;
        if (total > (1 << 30)) {
            throw new IllegalArgumentException("nodes x virtualNodes must be <= 2^30, got " + total);
        }
        this.nodes = checked;
        this.virtualNodes = virtualNodes;
        int count = (int) total;
        long[] rawPoints = new long[count];
        int[] rawOwners = new int[count];
        for (int n = 0; n < checked.size(); n++) {
            long nodeHash = KeyHash.of(checked.get(n));
            for (int i = 0; i < virtualNodes; i++) {
                rawPoints[n * virtualNodes + i] = KeyHash.hashLong(nodeHash, i);
                rawOwners[n * virtualNodes + i] = n;
            }
        }
        int[] order = sortedOrder(rawPoints, rawOwners, checked);
        this.points = new long[count];
        this.owners = new int[count];
        for (int i = 0; i < count; i++) {
            points[i] = rawPoints[order[i]];
            owners[i] = rawOwners[order[i]];
        }
        this.index = new PointIndex(points);
    }

    /**
     * Indices of the points in ring order: by point, then by node name (so equal points, probability
     * 2^-64 per pair, do not depend on the order of the node list). A bottom-up merge sort over an
     * {@code int[]}, stable and allocation-light: sorting boxed indices costs several times more.
     */
    private static int[] sortedOrder(long[] points, int[] owners, List<String> names) {
        int count = points.length;
        int[] order = new int[count];
        int[] buffer = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int width = 1; width < count; width *= 2) {
            for (int low = 0; low < count - width; low += 2 * width) {
                int mid = low + width;
                int high = Math.min(low + 2 * width, count);
                int a = low;
                int b = mid;
                for (int k = low; k < high; k++) {
                    boolean takeLeft = b >= high || (a < mid && !before(order[b], order[a], points, owners, names));
                    buffer[k] = takeLeft ? order[a++] : order[b++];
                }
                System.arraycopy(buffer, low, order, low, high - low);
            }
        }
        return order;
    }

    private static boolean before(int i, int j, long[] points, int[] owners, List<String> names) {
        if (points[i] != points[j]) {
            return points[i] < points[j];
        }
        return names.get(owners[i]).compareTo(names.get(owners[j])) < 0;
    }

    @Override
    public String nodeFor(long keyHash) {
        return nodes.get(owners[index.successor(keyHash)]);
    }

    /**
     * The first {@code n} distinct nodes met walking clockwise from {@code keyHash}: the ring's
     * replica placement (Dynamo's "preference list"). Cost O(log(nv) + points walked).
     *
     * @throws IllegalArgumentException if {@code n} is not in [1, nodes().size()]
     */
    public List<String> replicasFor(long keyHash, int n) {
        if (n < 1 || n > nodes.size()) {
            throw new IllegalArgumentException("n must be in [1, " + nodes.size() + "], got " + n);
        }
        List<String> replicas = new ArrayList<>(n);
        boolean[] taken = new boolean[nodes.size()];
        for (int i = index.successor(keyHash); replicas.size() < n; i = (i + 1) % points.length) {
            if (!taken[owners[i]]) {
                taken[owners[i]] = true;
                replicas.add(nodes.get(owners[i]));
            }
        }
        return List.copyOf(replicas);
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    /** Virtual nodes (points) per node. */
    public int virtualNodes() {
        return virtualNodes;
    }

    @Override
    public HashRing withNode(String node) {
        return new HashRing(Nodes.plus(nodes, node), virtualNodes);
    }

    @Override
    public HashRing withoutNode(String node) {
        return new HashRing(Nodes.minus(nodes, node), virtualNodes);
    }

    /** Estimated heap bytes of the lookup arrays: 12 bytes per point plus the prefix index (at most 8 per point). */
    public long estimatedBytes() {
        return 8L * points.length + 4L * owners.length + index.estimatedBytes();
    }

    /**
     * The fraction of the circle each node owns (arc lengths, not key counts), in {@link #nodes()} order:
     * the balance of the ring itself, free of the sampling noise of a finite key set.
     */
    public double[] arcShares() {
        double[] share = new double[nodes.size()];
        for (int i = 0; i < points.length; i++) {
            // Point i owns the arc (points[i-1], points[i]]; the first point owns the wrap-around arc.
            long previous = points[(i + points.length - 1) % points.length];
            long arc = points[i] - previous; // mod 2^64; a single point owns the whole circle
            double length = (points.length == 1) ? 0x1p64 : unsignedToDouble(arc);
            share[owners[i]] += length / 0x1p64;
        }
        return share;
    }

    // Package-private views for BoundedLoadHash, which walks the same ring.
    int pointCount() {
        return points.length;
    }

    int ownerAt(int index) {
        return owners[index];
    }

    int successorIndex(long keyHash) {
        return index.successor(keyHash);
    }

    /**
     * The plain lookup, kept as the reference the indexed one is tested against: index of the first point
     * >= {@code hash} in signed order, or 0 past the end (the wrap-around).
     */
    static int successor(long[] sortedPoints, long hash) {
        int low = 0;
        int high = sortedPoints.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (sortedPoints[mid] < hash) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low == sortedPoints.length ? 0 : low;
    }

    static double unsignedToDouble(long value) {
        double d = (double) (value >>> 1) * 2.0;
        return d + (value & 1L);
    }
}
