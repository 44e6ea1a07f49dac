package io.github.dsw.sim;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Which server-to-server links are cut. Immutable; a {@link Simulator} holds the current one and
 * checks it when a message is sent and again when it would be delivered (a cut drops messages already
 * in flight, as an iptables rule on the receiver does in Jepsen). Links to and from clients are never
 * cut: clients stand for the test harness, as in Jepsen and Maelstrom.
 *
 * <p>Not every partition is a set of disjoint groups: {@link #bridge} connects one node to two halves
 * that cannot talk to each other (Jepsen's {@code :bridge}), and {@link #majoritiesRing} gives every
 * node a different majority.
 */
public final class Partition {
    private final int nodes;
    private final BitSet cut; // bit a * nodes + b set: messages a -> b are dropped

    private Partition(int nodes, BitSet cut) {
        this.nodes = nodes;
        this.cut = cut;
    }

    /** No link cut. */
    public static Partition none(int nodes) {
        checkNodes(nodes);
        return new Partition(nodes, new BitSet());
    }

    /**
     * Disjoint groups: nodes talk only inside their group; a node named in no group is alone.
     */
    public static Partition split(int nodes, List<List<Integer>> groups) {
        checkNodes(nodes);
        int[] group = new int[nodes];
        Arrays.fill(group, -1);
        for (int g = 0; g < groups.size(); g++) {
            for (int n : groups.get(g)) {
                if (n < 0 || n >= nodes) {
                    throw new IllegalArgumentException("node " + n + " is not in 0.." + (nodes - 1));
                }
                if (group[n] != -1) {
                    throw new IllegalArgumentException("node " + n + " is in two groups");
                }
                group[n] = g;
            }
        }
        BitSet cut = new BitSet();
        for (int a = 0; a < nodes; a++) {
            for (int b = 0; b < nodes; b++) {
                if (a != b && (group[a] == -1 || group[a] != group[b])) {
                    cut.set(a * nodes + b);
                }
            }
        }
        return new Partition(nodes, cut);
    }

    /** One node cut off from all others. */
    public static Partition isolate(int nodes, int node) {
        List<Integer> rest = new java.util.ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            if (i != node) {
                rest.add(i);
            }
        }
        return split(nodes, List.of(List.of(node), rest));
    }

    /**
     * Two halves that cannot talk to each other, plus node {@code bridge} that talks to both
     * (Jepsen's {@code :bridge} nemesis). Nodes below {@code bridge} form one half, the rest the other.
     */
    public static Partition bridge(int nodes, int bridge) {
        checkNodes(nodes);
        if (bridge < 0 || bridge >= nodes) {
            throw new IllegalArgumentException("bridge must be in 0.." + (nodes - 1) + ", got " + bridge);
        }
        BitSet cut = new BitSet();
        for (int a = 0; a < nodes; a++) {
            for (int b = 0; b < nodes; b++) {
                if (a != bridge && b != bridge && (a < bridge) != (b < bridge)) {
                    cut.set(a * nodes + b);
                }
            }
        }
        return new Partition(nodes, cut);
    }

    /**
     * Every node talks only to the nodes within ring distance {@code ceil(floor(n/2) / 2)} of it, so it
     * sees at least a majority, and neighbouring nodes see different majorities (Jepsen's
     * {@code :majorities-ring}; for 5 nodes node i sees i-1, i and i+1).
     */
    public static Partition majoritiesRing(int nodes) {
        checkNodes(nodes);
        int reach = (nodes / 2 + 1) / 2;
        BitSet cut = new BitSet();
        for (int a = 0; a < nodes; a++) {
            for (int b = 0; b < nodes; b++) {
                int d = Math.floorMod(a - b, nodes);
                int dist = Math.min(d, nodes - d);
                if (dist > reach) {
                    cut.set(a * nodes + b);
                }
            }
        }
        return new Partition(nodes, cut);
    }

    private static void checkNodes(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1, got " + nodes);
        }
    }

    public int nodes() {
        return nodes;
    }

    /** True when messages from {@code from} to {@code to} get through; ids outside the servers always do. */
    public boolean connected(int from, int to) {
        if (from >= nodes || to >= nodes || from == to) {
            return true;
        }
        return !cut.get(from * nodes + to);
    }

    /** True when no link is cut. */
    public boolean isHealed() {
        return cut.isEmpty();
    }

    /** A compact description, e.g. {@code [0 1 | 2 3 4]} for a split, or the cut links otherwise. */
    @Override
    public String toString() {
        if (cut.isEmpty()) {
            return "healed";
        }
        StringBuilder sb = new StringBuilder("cut{");
        String sep = "";
        for (int a = 0; a < nodes; a++) {
            for (int b = a + 1; b < nodes; b++) {
                boolean ab = cut.get(a * nodes + b);
                boolean ba = cut.get(b * nodes + a);
                if (ab || ba) {
                    sb.append(sep).append(a).append(ab && ba ? "-" : ab ? ">" : "<").append(b);
                    sep = " ";
                }
            }
        }
        return sb.append('}').toString();
    }
}
