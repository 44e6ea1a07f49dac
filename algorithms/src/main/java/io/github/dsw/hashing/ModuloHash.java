package io.github.dsw.hashing;

import java.util.List;

/**
 * The baseline that is <em>not</em> consistent: node = {@code nodes[keyHash mod n]} (unsigned remainder).
 * It balances perfectly, but going from n to n+1 nodes keeps a key only when
 * {@code h mod n == h mod (n+1)}, i.e. for about 1/(n+1) of the keys: it moves n/(n+1) of them, where a
 * consistent hash moves 1/(n+1). Lookup O(1) (one division), memory O(n).
 */
public final class ModuloHash implements ConsistentHash {
    private final List<String> nodes;

    /** @throws IllegalArgumentException if {@code nodes} is empty or has nulls, blanks or duplicates */
    public ModuloHash(List<String> nodes) {
        this.nodes = Nodes.checked(nodes);
    }

    @Override
    public String nodeFor(long keyHash) {
        return nodes.get((int) Long.remainderUnsigned(keyHash, nodes.size()));
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    @Override
    public ModuloHash withNode(String node) {
        return new ModuloHash(Nodes.plus(nodes, node));
    }

    @Override
    public ModuloHash withoutNode(String node) {
        return new ModuloHash(Nodes.minus(nodes, node));
    }

    /** Estimated heap bytes of the lookup structure: none beyond the node list. */
    public long estimatedBytes() {
        return 8L * nodes.size();
    }
}
