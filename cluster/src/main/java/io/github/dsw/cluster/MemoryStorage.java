package io.github.dsw.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Storage that keeps everything in memory: nothing survives the process. For benchmarks
 * ({@code --storage memory}, the counterpart of jgroups-raft's {@code InMemoryLog}) and tests; a node
 * started on it forgets its votes and log on restart, so it is never used by the fault harness.
 *
 * <p>Garbage is dropped as {@link DiskStorage} drops it at a checkpoint: whenever the map has doubled since the
 * last sweep, the keys the protocol's {@link DiskStorage.Retention} does not keep (for Raft, log entries below its
 * snapshot) are removed, so a node's memory stays bounded by what is live instead of growing with every write
 * (amortised: each key is looked at O(1) times per write). With {@link DiskStorage.Retention#ALL} nothing is dropped.
 */
public final class MemoryStorage implements Storage {
    /** No sweep below this many keys. */
    static final int MIN_SWEEP = 4096;

    private final Map<String, Object> map = new HashMap<>();
    private final DiskStorage.Retention retention;
    private int sweepAt = MIN_SWEEP;

    /** Keeps every key (a protocol with no garbage, tests). */
    public MemoryStorage() {
        this(DiskStorage.Retention.ALL);
    }

    /** Drops what {@code retention} says is garbage, as a {@link DiskStorage} checkpoint would. */
    public MemoryStorage(DiskStorage.Retention retention) {
        if (retention == null) {
            throw new IllegalArgumentException("retention must not be null");
        }
        this.retention = retention;
    }

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
        // at the end of a step, as a checkpoint: the step's writes are all in (a snapshot and its `last` together)
        if (map.size() >= sweepAt && retention != DiskStorage.Retention.ALL) {
            java.util.function.Function<String, Object> lookup = map::get; // one for the sweep, not one per key
            map.keySet().removeIf(k -> !retention.keep(k, lookup));
            sweepAt = Math.max(MIN_SWEEP, 2 * map.size());
        }
    }

    /** Number of keys held (tests). */
    int size() {
        return map.size();
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
