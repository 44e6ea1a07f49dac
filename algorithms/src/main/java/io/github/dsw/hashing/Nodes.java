package io.github.dsw.hashing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Argument checks on node lists, shared by every algorithm of the package so the messages agree. */
final class Nodes {
    private Nodes() {}

    /** An unmodifiable copy of {@code nodes} after checking it is non-empty, without nulls, blanks or duplicates. */
    static List<String> checked(List<String> nodes) {
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes must be a non-empty list, got " + nodes);
        }
        Set<String> seen = new HashSet<>();
        for (String node : nodes) {
            checkName(node);
            if (!seen.add(node)) {
                throw new IllegalArgumentException("nodes must be distinct, but '" + node + "' appears twice in " + nodes);
            }
        }
        return List.copyOf(nodes);
    }

    static void checkName(String node) {
        if (node == null || node.isBlank()) {
            throw new IllegalArgumentException("node name must be non-blank, got '" + node + "'");
        }
    }

    /** {@code nodes} plus {@code node} at the end, after checking it is new. */
    static List<String> plus(List<String> nodes, String node) {
        checkName(node);
        if (nodes.contains(node)) {
            throw new IllegalArgumentException("node '" + node + "' is already one of " + nodes);
        }
        List<String> result = new ArrayList<>(nodes);
        result.add(node);
        return List.copyOf(result);
    }

    /** {@code nodes} without {@code node}, after checking it is present and not the last one left. */
    static List<String> minus(List<String> nodes, String node) {
        int index = indexOf(nodes, node);
        if (nodes.size() == 1) {
            throw new IllegalArgumentException("cannot remove '" + node + "': it is the only node");
        }
        List<String> result = new ArrayList<>(nodes);
        result.remove(index);
        return List.copyOf(result);
    }

    static int indexOf(List<String> nodes, String node) {
        int index = nodes.indexOf(node);
        if (index < 0) {
            throw new IllegalArgumentException("node '" + node + "' is not one of " + nodes);
        }
        return index;
    }
}
