package io.github.dsw.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Storage that keeps everything in memory: nothing survives the process. For benchmarks
 * ({@code --storage memory}, the counterpart of jgroups-raft's {@code InMemoryLog}) and tests; a node
 * started on it forgets its votes and log on restart, so it is never used by the fault harness.
 */
public final class MemoryStorage implements Storage {
    private final Map<String, Object> map = new HashMap<>();

    @Override
    public Object get(String key) {
        return map.get(key);
    }

    @Override
    public void put(String key, Object value) {
        map.put(key, value);
    }

    @Override
    public void commit() {
    }

    @Override
    public void sync() {
    }

    @Override
    public void close() {
    }

    @Override
    public String describe() {
        return "memory (nothing durable)";
    }

    @Override
    public long forces() {
        return 0;
    }
}
