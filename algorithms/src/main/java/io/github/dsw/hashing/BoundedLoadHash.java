package io.github.dsw.hashing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup &amp; Zadimoghaddam, SODA 2018,
 * arXiv:1608.01350): a {@link HashRing} where every node has capacity
 * {@code C = ceil((1+ε)·m/n)} for m assigned keys, and a key goes to the first node clockwise from its
 * hash that is below capacity (linear probing on the ring). HAProxy's {@code hash-balance-factor}
 * (contributed by Vimeo) and Envoy's {@code hash_balance_factor} use the same forwarding rule.
 *
 * <p><b>Invariant.</b> After every operation ({@link #assign}, {@link #release}, {@link #withNode},
 * {@link #withoutNode}) no node holds more than {@link #bound()} = ⌈(1+ε)·m/n⌉ keys, for the m keys
 * assigned then and the n nodes. An assignment can only raise the cap, so it never breaks the bound. A
 * release, or a new node, lowers the mean, and the cap can drop by one: nodes that were full are then
 * above it. As in the paper, where a deletion is followed by moving balls so that no bin is above
 * capacity, this class then moves keys off every node above the new cap, one at a time (the node's
 * most recently placed key first), each re-placed by the assignment rule: the first node clockwise from
 * the key's hash whose load is below the cap. Each move is reported as a {@link Move}; the caller that
 * keeps per-key state (a cache entry, a session) must follow them. HAProxy does not move anything: its
 * "keys" are requests that end by themselves, so it only applies the cap when it picks a server.
 *
 * <p><b>Cost.</b> {@code assign}: O(log(nv)) for the ring lookup plus the walk past full nodes.
 * {@code release}: O(log(nv) + walk) to find the key, plus, only when the cap drops, an O(n) scan for
 * nodes above it and one re-placement per key moved. A release lowers the cap by at most
 * ⌈(1+ε)/n⌉ (one, unless ε ≥ n−1), and each node sheds at most that many keys, so one release usually
 * moves at most one key per node that was at the old cap (fewer than n keys). Over a run of r
 * consecutive releases the cap falls by at most (1+ε)·r/n + 1 and each unit of fall moves at most one
 * key per node, so at most (1+ε)·r + n keys move in total (up to floating-point rounding of the cap):
 * about 1+ε moves per release on long runs. The paper's sharper result on the expected number of moves
 * per update (within O(1/ε²) of optimal for ε ≤ 1, from its abstract) is neither claimed nor tested for
 * this class, whose choice of which key moves is its own. {@code withNode}/{@code withoutNode}: O(m) to
 * copy the assignments, plus
 * the moves that restore the bound; the removed node's keys are re-placed by the assignment rule.
 *
 * <p>Unlike the other classes of the package this one has state: it remembers the key hashes assigned
 * to each node (a multiset: the same hash may be assigned more than once; each assignment counts).
 * {@link #nodeFor} answers where {@code assign} would put a key now, without recording it. The node set
 * is immutable, and {@link #withNode}/{@link #withoutNode} return new instances that carry the
 * assignments over. Not thread-safe. Keys already placed do not move back towards their ring owner when
 * room frees up there; only the bound is restored.
 */
public final class BoundedLoadHash implements ConsistentHash {
    /** One key hash moved from node {@code from} to node {@code to} to restore the bound. */
    public record Move(long keyHash, String from, String to) {}

    private final HashRing ring;
    private final double epsilon;
    private final long[] load;
    /** Per node: key hash to the number of its assignments held there, in the order first placed. */
    private final List<LinkedHashMap<Long, Integer>> keys;
    /** Key hash to the number of its assignments held anywhere: answers "is it assigned" in O(1). */
    private final Map<Long, Integer> assignments = new HashMap<>();
    private long assigned;
    private List<Move> lastMoves = List.of();

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
        this.keys = new ArrayList<>(load.length);
        for (int i = 0; i < load.length; i++) {
            keys.add(new LinkedHashMap<>());
        }
    }

    /** The capacity for the next key: ceil((1+ε)·(m+1)/n), m = keys assigned so far. */
    public long capacity() {
        return cap(assigned + 1);
    }

    /** The bound every node satisfies now: ceil((1+ε)·m/n), m = keys assigned now. */
    public long bound() {
        return cap(assigned);
    }

    private long cap(long keys) {
        return (long) Math.ceil((1 + epsilon) * keys / load.length);
    }

    /** Where {@link #assign} would put {@code keyHash} now; records nothing. */
    @Override
    public String nodeFor(long keyHash) {
        return ring.nodes().get(firstBelow(keyHash, capacity()));
    }

    /** Assigns {@code keyHash} to the first node clockwise with spare capacity and returns it. O(log(nv) + walk). */
    public String assign(long keyHash) {
        int node = firstBelow(keyHash, capacity());
        place(keyHash, node);
        lastMoves = List.of();
        return ring.nodes().get(node);
    }

    /**
     * Ends one assignment of {@code keyHash} (if the hash was assigned several times, the copy found
     * first clockwise from it), then restores the bound, which may have dropped, by moving keys off the
     * nodes above it. The moves made, in order (often none), are then in {@link #lastMoves()}: a caller
     * that stores data by node must follow them. ({@code void} because the public API fixes it.)
     *
     * @throws IllegalArgumentException if {@code keyHash} holds no assignment
     */
    public void release(long keyHash) {
        if (!assignments.containsKey(keyHash)) {
            throw new IllegalArgumentException("key hash " + keyHash + " is not assigned, so it cannot be released");
        }
        unplace(keyHash, holderIndex(keyHash));
        lastMoves = restoreBound();
    }

    /** The moves made by the operation that last changed this instance (or built it); empty if none. */
    public List<Move> lastMoves() {
        return lastMoves;
    }

    /**
     * The node holding an assignment of {@code keyHash} (the first found clockwise from it).
     *
     * @throws IllegalArgumentException if {@code keyHash} holds no assignment
     */
    public String holder(long keyHash) {
        if (!assignments.containsKey(keyHash)) {
            throw new IllegalArgumentException("key hash " + keyHash + " is not assigned");
        }
        return ring.nodes().get(holderIndex(keyHash));
    }

    /** Keys currently assigned to {@code node}. */
    public long load(String node) {
        return load[Nodes.indexOf(ring.nodes(), node)];
    }

    /** Keys currently assigned in total. */
    public long assigned() {
        return assigned;
    }

    private void place(long keyHash, int node) {
        keys.get(node).merge(keyHash, 1, Integer::sum);
        assignments.merge(keyHash, 1, Integer::sum);
        load[node]++;
        assigned++;
    }

    private void unplace(long keyHash, int node) {
        keys.get(node).computeIfPresent(keyHash, (k, count) -> count == 1 ? null : count - 1);
        assignments.computeIfPresent(keyHash, (k, count) -> count == 1 ? null : count - 1);
        load[node]--;
        assigned--;
    }

    /** Index of the first node clockwise from {@code keyHash} that holds it; the caller checked it is held. */
    private int holderIndex(long keyHash) {
        int points = ring.pointCount();
        int i = ring.successorIndex(keyHash);
        // Keys are only ever placed by the walk from their hash, so one turn finds the holder.
        for (int step = 0; step < points; step++, i = (i + 1 == points) ? 0 : i + 1) {
            int owner = ring.ownerAt(i);
            if (keys.get(owner).containsKey(keyHash)) {
                return owner;
            }
        }
        throw new IllegalStateException("key hash " + keyHash + " is counted as assigned but no node holds it");
    }

    /** The first node clockwise from {@code keyHash} whose load is below {@code cap}. */
    private int firstBelow(long keyHash, long cap) {
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

    /**
     * Moves keys off every node above {@link #bound()}, each to the first node clockwise from its hash
     * with load below the bound. There is always room: the nodes below the bound have n·bound - m plus
     * the total excess of spare places, and n·bound &gt;= (1+ε)·m &gt;= m.
     */
    private List<Move> restoreBound() {
        long bound = bound();
        List<Move> moves = null;
        for (int node = 0; node < load.length; node++) {
            while (load[node] > bound) {
                // Most recently placed key first: it is the one whose arrival filled the node.
                Map.Entry<Long, Integer> last = keys.get(node).lastEntry();
                long keyHash = last.getKey();
                unplace(keyHash, node);
                int target = firstBelow(keyHash, bound);
                place(keyHash, target);
                if (moves == null) {
                    moves = new ArrayList<>();
                }
                moves.add(new Move(keyHash, ring.nodes().get(node), ring.nodes().get(target)));
            }
        }
        checkBound();
        return moves == null ? List.of() : Collections.unmodifiableList(moves);
    }

    private void checkBound() {
        long bound = bound();
        for (int node = 0; node < load.length; node++) {
            if (load[node] > bound) {
                throw new IllegalStateException("node '" + ring.nodes().get(node) + "' holds " + load[node]
                        + " keys, above the bound " + bound + " for " + assigned + " keys on " + load.length + " nodes");
            }
        }
    }

    @Override
    public List<String> nodes() {
        return ring.nodes();
    }

    /**
     * A new instance with {@code node} added and the assignments carried over. The cap falls with the
     * larger n, so keys move off nodes above it (see {@link #lastMoves()} of the result); keys whose ring
     * owner is now the new node stay where they are unless moved for that reason.
     */
    @Override
    public BoundedLoadHash withNode(String node) {
        BoundedLoadHash next = new BoundedLoadHash(Nodes.plus(nodes(), node), ring.virtualNodes(), epsilon);
        next.copyFrom(this);
        next.lastMoves = next.restoreBound();
        return next;
    }

    /**
     * A new instance without {@code node}. The surviving assignments are carried over and the bound
     * restored for them; then the removed node's keys are re-placed one by one by the assignment rule.
     * {@link #lastMoves()} of the result lists every move, those of the removed node's keys included.
     */
    @Override
    public BoundedLoadHash withoutNode(String node) {
        int removed = Nodes.indexOf(nodes(), node);
        BoundedLoadHash next = new BoundedLoadHash(Nodes.minus(nodes(), node), ring.virtualNodes(), epsilon);
        next.copyFrom(this);
        List<Move> moves = new ArrayList<>(next.restoreBound());
        for (Map.Entry<Long, Integer> e : keys.get(removed).entrySet()) {
            for (int copy = 0; copy < e.getValue(); copy++) {
                moves.add(new Move(e.getKey(), node, next.assign(e.getKey())));
            }
        }
        next.checkBound();
        next.lastMoves = Collections.unmodifiableList(moves);
        return next;
    }

    /** Copies the assignments of the nodes this instance shares with {@code other}. */
    private void copyFrom(BoundedLoadHash other) {
        for (int i = 0; i < load.length; i++) {
            int j = other.nodes().indexOf(nodes().get(i));
            if (j >= 0) {
                for (Map.Entry<Long, Integer> e : other.keys.get(j).entrySet()) {
                    keys.get(i).put(e.getKey(), e.getValue());
                    assignments.merge(e.getKey(), e.getValue(), Integer::sum);
                }
                load[i] = other.load[j];
                assigned += load[i];
            }
        }
    }
}
