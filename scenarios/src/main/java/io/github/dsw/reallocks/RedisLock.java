package io.github.dsw.reallocks;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A lock on one Redis instance, in the two shapes chapter 9 compares.
 *
 * <ul>
 *   <li><b>naive</b> ({@code compareAndDelete = false}): the seeds' code, {@code SET lock 1 NX PX ttl} to take
 *       it and {@code DEL lock} to give it back. {@code DEL} does not look at who holds the lock: a holder that
 *       paused past the expiry deletes the next holder's lock, and a third client gets it while the second
 *       still believes it holds it.</li>
 *   <li><b>compare-and-delete</b> ({@code true}): the correction on redis.io ("Distributed Locks with Redis",
 *       section "Correct Implementation with a Single Instance"): the value is a random token of this grant, and
 *       release is a Lua script that deletes the key only if it still holds that value. A late holder can no
 *       longer delete someone else's lock; it still believes it holds the lock after the expiry (no lock that
 *       expires can prevent that), which is what the fencing token is for.</li>
 * </ul>
 *
 * <p>Both take the lock with one Lua script that does the {@code SET NX PX} and, when it succeeds, an
 * {@code INCR} of {@code lock:fence}: the fencing token, strictly increasing per lock name for as long as the
 * instance keeps its memory (a Redis restarted without persistence starts it again from 1: Kleppmann's
 * objection, "How to do distributed locking", 2016). Scripts run atomically (redis.io, "Scripting with Lua").
 * A waiter polls every 1-3 ms (Redis has no queue of waiters).
 */
public final class RedisLock implements DistLock {
    static final String ACQUIRE = "if redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then "
            + "return redis.call('incr', KEYS[2]) else return 0 end";
    static final String COMPARE_AND_DELETE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Resp redis;
    private final long ttlMillis;
    private final boolean compareAndDelete;

    /** Connects to the instance at {@code address}. */
    public RedisLock(String address, long ttlMillis, boolean compareAndDelete) throws IOException {
        this.redis = new Resp(address, 5_000);
        this.ttlMillis = ttlMillis;
        this.compareAndDelete = compareAndDelete;
    }

    /** A fresh random value (20 bytes, hex), as redis.io suggests for the lock's value. */
    static String randomValue() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public Grant acquire(String lock, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String value = compareAndDelete ? randomValue() : "1";
        while (true) {
            long token = (Long) redis.call("EVAL", ACQUIRE, "2", lock, lock + ":fence", value, Long.toString(ttlMillis));
            if (token > 0) {
                return new Grant(lock, token, value);
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            LockServers.sleep(1 + ThreadLocalRandom.current().nextInt(3));
        }
    }

    @Override
    public boolean release(Grant grant) throws IOException {
        if (compareAndDelete) {
            return (Long) redis.call("EVAL", COMPARE_AND_DELETE, "1", grant.lock(), grant.handle()) > 0;
        }
        return (Long) redis.call("DEL", grant.lock()) > 0;
    }

    @Override
    public void close() {
        redis.close();
    }
}
