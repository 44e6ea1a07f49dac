package io.github.dsw.hashing;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keys moved by a membership change, against the ideal: a consistent hash going from n to n+1 nodes
 * should move 1/(n+1) of the keys, all to the new node; removing one of n nodes should move 1/n, all from
 * the removed node. {@code hash mod n} moves n/(n+1) instead.
 *
 * @param keys keys compared
 * @param moved keys whose node differs between before and after
 * @param misplaced moved keys that neither left a removed node nor went to an added node (0 for a
 *     consistent hash; Maglev has a few)
 * @param fractionMoved moved / keys
 * @param idealFraction |nodes added or removed| / max(n_before, n_after), i.e. 1/(n+1) for one addition
 * @param ratioToIdeal fractionMoved / idealFraction (1 is optimal)
 */
public record Disruption(long keys, long moved, long misplaced, double fractionMoved, double idealFraction,
                         double ratioToIdeal) {

    /**
     * Compares the node of every key before and after a change.
     *
     * @throws IllegalArgumentException if {@code keyHashes} is empty or the node sets are equal
     */
    public static Disruption measure(ConsistentHash before, ConsistentHash after, long[] keyHashes) {
        if (keyHashes == null || keyHashes.length == 0) {
            throw new IllegalArgumentException("keyHashes must be non-empty");
        }
        List<String> oldNodes = before.nodes();
        List<String> newNodes = after.nodes();
        Set<String> added = new HashSet<>(newNodes);
        added.removeAll(oldNodes);
        Set<String> removed = new HashSet<>(oldNodes);
        removed.removeAll(newNodes);
        if (added.isEmpty() && removed.isEmpty()) {
            throw new IllegalArgumentException("before and after have the same nodes " + oldNodes);
        }
        long moved = 0;
        long misplaced = 0;
        for (long key : keyHashes) {
            String from = before.nodeFor(key);
            String to = after.nodeFor(key);
            if (!from.equals(to)) {
                moved++;
                if (!removed.contains(from) && !added.contains(to)) {
                    misplaced++;
                }
            }
        }
        double fraction = (double) moved / keyHashes.length;
        double ideal = (double) (added.size() + removed.size()) / Math.max(oldNodes.size(), newNodes.size());
        return new Disruption(keyHashes.length, moved, misplaced, fraction, ideal, fraction / ideal);
    }
}
