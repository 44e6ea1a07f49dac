package io.github.dsw.reallocks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Redlock over N independent Redis masters, written from its published description (redis.io, "Distributed
 * Locks with Redis", section "The Redlock Algorithm"; antirez, 2014-2016):
 *
 * <ol>
 *   <li>take the current time in milliseconds;</li>
 *   <li>try to take the lock in all N instances in turn, with the same key and random value, each with a timeout
 *       small against the TTL (here 50 ms), so that a dead instance does not hold the client up;</li>
 *   <li>the lock is acquired if it was taken in a majority (N/2+1) and the time spent is less than the TTL;
 *       its validity is the TTL minus the time spent minus the clock drift allowance (1% of the TTL + 2 ms, the
 *       allowance of the description's reference implementation);</li>
 *   <li>otherwise unlock every instance (even those that seemed to fail) and retry after a random delay.</li>
 * </ol>
 * Release is the compare-and-delete script on every instance.
 *
 * <p>Fencing: the description issues no token, and Kleppmann ("How to do distributed locking", 2016) argues
 * it cannot without consensus. For the experiment the acquire script increments {@code lock:fence} on each
 * instance it locks and the token is the maximum over the majority. That is NOT strictly increasing in
 * general (two majorities that overlap in one instance can return counters from unrelated instances: a
 * later grant may get a lower maximum); it works in the pause experiment because the same five instances
 * answer every time. Chapter 9 states this limit.
 */
public final class Redlock implements DistLock {
    static final int INSTANCE_TIMEOUT_MS = 50;

    private final List<String> addresses;
    private final Resp[] redis;
    private final long ttlMillis;

    /** Connects to the N instances. */
    public Redlock(List<String> addresses, long ttlMillis) throws IOException {
        this.addresses = List.copyOf(addresses);
        this.redis = new Resp[addresses.size()];
        this.ttlMillis = ttlMillis;
    }

    private Resp connection(int i) throws IOException {
        if (redis[i] == null) {
            redis[i] = new Resp(addresses.get(i), INSTANCE_TIMEOUT_MS * 4);
            redis[i].timeout(INSTANCE_TIMEOUT_MS);
        }
        return redis[i];
    }

    private Object call(int i, String... args) {
        try {
            return connection(i).call(args);
        } catch (IOException e) {
            if (redis[i] != null) {
                redis[i].close(); // its reply may still come: the stream is out of step, reconnect next time
                redis[i] = null;
            }
            return null;
        }
    }

    @Override
    public Grant acquire(String lock, long timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int quorum = redis.length / 2 + 1;
        while (true) {
            String value = RedisLock.randomValue();
            long start = System.nanoTime();
            int locked = 0;
            long token = 0;
            for (int i = 0; i < redis.length; i++) {
                Object r = call(i, "EVAL", RedisLock.ACQUIRE, "2", lock, lock + ":fence", value, Long.toString(ttlMillis));
                if (r instanceof Long t && t > 0) {
                    locked++;
                    token = Math.max(token, t);
                }
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000L;
            long drift = ttlMillis / 100 + 2;
            if (locked >= quorum && ttlMillis - elapsed - drift > 0) {
                return new Grant(lock, token, value);
            }
            unlockAll(lock, value);
            if (System.nanoTime() > deadline) {
                return null;
            }
            LockServers.sleep(1 + ThreadLocalRandom.current().nextInt(3));
        }
    }

    private int unlockAll(String lock, String value) {
        int deleted = 0;
        for (int i = 0; i < redis.length; i++) {
            if (call(i, "EVAL", RedisLock.COMPARE_AND_DELETE, "1", lock, value) instanceof Long n && n > 0) {
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public boolean release(Grant grant) {
        return unlockAll(grant.lock(), grant.handle()) > 0;
    }

    @Override
    public void close() {
        for (Resp r : redis) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** The instances, for messages. */
    public List<String> addresses() {
        return new ArrayList<>(addresses);
    }
}
