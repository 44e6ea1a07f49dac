package io.github.dsw.reallocks;

import java.io.IOException;
import java.util.List;

/**
 * One client of a real lock service (one connection or session; one thread uses it at a time). The
 * implementations are the locks chapter 9 compares: {@link RedisLock} (the seeds' {@code SET NX} +
 * {@code DEL}, and the token + compare-and-delete version), {@link Redlock}, {@link CuratorLock} and
 * {@link ZkRecipeLock} (ZooKeeper), {@link EtcdLock}.
 */
public interface DistLock extends AutoCloseable {

    /**
     * A granted lock: its name, the fencing token the service issued with it (strictly increasing per lock
     * name for the services that have one; see each implementation), and what the client needs to release it.
     */
    record Grant(String lock, long token, String handle) {}

    /** Blocks until the lock is held (returns its grant) or {@code timeoutMillis} passed (returns null). */
    Grant acquire(String lock, long timeoutMillis) throws IOException;

    /** Releases; returns whether the service removed a hold (whoever's: see {@link RedisLock}'s naive mode). */
    boolean release(Grant grant) throws IOException;

    @Override
    void close();

    /** The kinds {@link #open} knows, in the order the chapter presents them. */
    List<String> KINDS = List.of("redis-naive", "redis-cad", "redlock", "zk-curator", "zk-recipe", "etcd");

    /**
     * Opens a client of {@code kind} on {@code addresses} (one {@code host:port}, five for Redlock), with
     * {@code ttlMillis} as the lock's expiry (Redis), the session timeout (ZooKeeper) or the lease TTL (etcd,
     * rounded up to whole seconds).
     */
    static DistLock open(String kind, List<String> addresses, long ttlMillis) throws IOException {
        return switch (kind) {
            case "redis-naive" -> new RedisLock(addresses.get(0), ttlMillis, false);
            case "redis-cad" -> new RedisLock(addresses.get(0), ttlMillis, true);
            case "redlock" -> new Redlock(addresses, ttlMillis);
            case "zk-curator" -> new CuratorLock(addresses.get(0), (int) ttlMillis);
            case "zk-recipe" -> new ZkRecipeLock(addresses.get(0), (int) ttlMillis);
            case "etcd" -> new EtcdLock(addresses.get(0), (int) Math.max(1, (ttlMillis + 999) / 1000));
            default -> throw new IllegalArgumentException("unknown lock kind " + kind + " (known: " + KINDS + ")");
        };
    }
}
