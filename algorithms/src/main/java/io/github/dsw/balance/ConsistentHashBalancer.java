package io.github.dsw.balance;

import io.github.dsw.hashing.ConsistentHash;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends each request to the server that owns its key in a {@link ConsistentHash} (cache affinity:
 * the same key always reaches the same server while membership is stable). Blind to load: a hot key or
 * a slow server is not avoided; {@link io.github.dsw.hashing.BoundedLoadHash} is the load-aware
 * variant. Cost: one lookup of the underlying algorithm.
 */
public final class ConsistentHashBalancer implements Balancer {
    private final ConsistentHash hash;
    private final Map<String, Integer> serverIndex = new HashMap<>();

    /**
     * @param hash its {@code nodes()} are the servers, in index order
     * @throws IllegalArgumentException if {@code hash} is null
     */
    public ConsistentHashBalancer(ConsistentHash hash) {
        if (hash == null) {
            throw new IllegalArgumentException("hash must not be null");
        }
        this.hash = hash;
        List<String> nodes = hash.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            serverIndex.put(nodes.get(i), i);
        }
    }

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        return serverIndex.get(hash.nodeFor(requestKey));
    }
}
