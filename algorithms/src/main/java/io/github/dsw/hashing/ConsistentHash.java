package io.github.dsw.hashing;

import java.util.List;

/**
 * Maps 64-bit key hashes ({@link KeyHash}) to nodes so that a change to the node set moves few keys.
 *
 * <p>Instances are immutable: {@link #withNode} and {@link #withoutNode} return a new instance and leave
 * this one unchanged, so lookups never race with membership changes. An algorithm that cannot perform
 * an operation (jump hash can only drop its last bucket) throws {@link UnsupportedOperationException}
 * saying why. Implementations that define a preference order also offer
 * {@code List<String> replicasFor(long keyHash, int n)}.
 */
public interface ConsistentHash {

    /** The node that owns {@code keyHash}. Never null. */
    String nodeFor(long keyHash);

    /** The nodes, distinct, in the order the instance defines (usually insertion order); unmodifiable. */
    List<String> nodes();

    /**
     * A new instance with {@code node} added.
     *
     * @throws IllegalArgumentException if {@code node} is null, blank or already present
     */
    ConsistentHash withNode(String node);

    /**
     * A new instance without {@code node}.
     *
     * @throws IllegalArgumentException if {@code node} is absent or is the only node
     * @throws UnsupportedOperationException if the algorithm cannot remove that node
     */
    ConsistentHash withoutNode(String node);
}
