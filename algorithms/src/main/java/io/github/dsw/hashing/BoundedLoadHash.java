package io.github.dsw.hashing;

import java.util.List;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup &amp; Zadimoghaddam, SODA 2018,
 * arXiv:1608.01350): a {@link HashRing} where every node has capacity
 * {@code C = ceil((1+ε)·m/n)} for m assigned keys, and a key goes to the first node clockwise from its
 * hash that is below capacity. No node ever holds more than ⌈(1+ε)·mean⌉ keys; the price is that a
 * key's node depends on the loads when it arrives (HAProxy's {@code hash-balance-factor}, 1.25-2 in
 * practice, is this algorithm).
 *
 * <p>Unlike the other classes of the package this one has state: it counts the keys assigned to each
 * node. {@link #assign} records an assignment, {@link #release} ends one; {@link #nodeFor} answers
 * where {@code assign} would put a key now, without recording it. The node set is still immutable, and
 * {@link #withNode}/{@link #withoutNode} return new instances that carry the remaining nodes' loads.
 * Not thread-safe. The bound is enforced at each assignment; releases can leave it temporarily
 * exceeded for the smaller m (the paper moves keys on deletion; this class does not).
 */
public final class BoundedLoadHash implements ConsistentHash {
    private final HashRing ring;
    private final double epsilon;
    private final long[] load;
    private long assigned;

    /**
     * @throws IllegalArgumentException if {@code nodes} is empty or has nulls, blanks or duplicates, if
     *     {@code virtualNodes < 1}, or if {@code epsilon} is not finite and positive
     */
    public BoundedLoadHash(List<String> nodes, int virtualNodes, double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be finite and > 0, got " + epsilon);
        }
        this.ring = new HashRing(nodes, virtualNodes);
        this.epsilon = epsilon;
        this.load = new long[ring.nodes().size()];
    }

    /** The capacity for the next key: ceil((1+ε)·(m+1)/n), m = keys assigned so far. */
    public long capacity() {
        return (long) Math.ceil((1 + epsilon) * (assigned + 1) / load.length);
    }

    /** Where {@link #assign} would put {@code keyHash} now; records nothing. */
    @Override
    public String nodeFor(long keyHash) {
        return ring.nodes().get(choose(keyHash));
    }

    /** Assigns {@code keyHash} to the first node clockwise with spare capacity and returns it. O(log(nv) + walk). */
    public String assign(long keyHash) {
        int node = choose(keyHash);
        load[node]++;
        assigned++;
        return ring.nodes().get(node);
    }

    /**
     * Ends one assignment to {@code node}.
     *
     * @throws IllegalArgumentException if {@code node} is unknown or holds no key
     */
    public void release(String node) {
        int index = Nodes.indexOf(ring.nodes(), node);
        if (load[index] == 0) {
            throw new IllegalArgumentException("node '" + node + "' holds no assigned key to release");
        }
        load[index]--;
        assigned--;
    }

    /** Keys currently assigned to {@code node}. */
    public long load(String node) {
        return load[Nodes.indexOf(ring.nodes(), node)];
    }

    /** Keys currently assigned in total. */
    public long assigned() {
        return assigned;
    }

    private int choose(long keyHash) {
        long cap = capacity();
        int points = ring.pointCount();
        int i = ring.successorIndex(keyHash);
        // Total load m < n·cap, so some node is below capacity and the walk ends within one turn.
        for (int step = 0; step < points; step++, i = (i + 1 == points) ? 0 : i + 1) {
            int owner = ring.ownerAt(i);
            if (load[owner] < cap) {
                return owner;
            }
        }
        throw new IllegalStateException("no node below capacity " + cap + " with " + assigned + " keys on "
                + load.length + " nodes: the capacity invariant is broken");
    }

    @Override
    public List<String> nodes() {
        return ring.nodes();
    }

    @Override
    public BoundedLoadHash withNode(String node) {
        BoundedLoadHash next = new BoundedLoadHash(Nodes.plus(nodes(), node), ring.virtualNodes(), epsilon);
        next.copyLoadsFrom(this);
        return next;
    }

    @Override
    public BoundedLoadHash withoutNode(String node) {
        BoundedLoadHash next = new BoundedLoadHash(Nodes.minus(nodes(), node), ring.virtualNodes(), epsilon);
        next.copyLoadsFrom(this);
        return next;
    }

    private void copyLoadsFrom(BoundedLoadHash other) {
        for (int i = 0; i < load.length; i++) {
            int j = other.nodes().indexOf(nodes().get(i));
            if (j >= 0) {
                load[i] = other.load[j];
                assigned += load[i];
            }
        }
    }
}
