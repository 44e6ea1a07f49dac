package io.github.dsw.cluster;

/**
 * A node's durable key-value state as its {@code io.github.dsw.runtime.Context} exposes it
 * ({@code read}, {@code write}, {@code fsync}), for one process. The event loop calls {@link #put} during
 * a step, {@link #commit} when the step ends, and {@link #sync} before it releases messages that depend
 * on the step's writes. Used from the node's event-loop thread only.
 */
public interface Storage extends AutoCloseable {

    /** The value last put under {@code key} (durable or not yet), or null. */
    Object get(String key);

    /** Records a write; visible to {@link #get} at once, durable after the next {@link #sync}. */
    void put(String key, Object value);

    /** The step ended: its writes go to the file (or, under the unsafe policy, may be held back). */
    void commit();

    /** Makes every committed write durable ({@code FileChannel.force}); a no-op when nothing changed since the last. */
    void sync();

    /** Flushes and releases files. */
    @Override
    void close();

    /** One line for logs and status: where, which policy, counters. */
    String describe();

    /** Number of {@code force} calls made so far. */
    long forces();
}
