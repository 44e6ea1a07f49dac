package io.github.dsw.reallocks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;

/**
 * Apache Curator's {@link InterProcessMutex} (curator-recipes 5.9.0) on one ZooKeeper session: Curator's
 * implementation of ZooKeeper's lock recipe (ephemeral sequential nodes under {@code /dsw-curator/NAME}, each
 * waiter watching its predecessor). The fencing token is the sequence number ZooKeeper appended to the lock
 * node's name: strictly increasing per lock (the parent's counter) as long as the parent node is not removed.
 * The session timeout is what a paused holder outlives: ZooKeeper deletes its ephemeral node when the session
 * expires, and the next waiter takes the lock.
 */
public final class CuratorLock implements DistLock {
    private final CuratorFramework client;

    /** Connects to ZooKeeper at {@code address} with a session of {@code sessionTimeoutMillis}. */
    public CuratorLock(String address, int sessionTimeoutMillis) throws IOException {
        client = CuratorFrameworkFactory.builder().connectString(address).sessionTimeoutMs(sessionTimeoutMillis)
                .connectionTimeoutMs(Math.min(sessionTimeoutMillis, 15_000)).retryPolicy(new RetryNTimes(3, 100)).build();
        client.start();
        try {
            if (!client.blockUntilConnected(15, TimeUnit.SECONDS)) {
                client.close();
                throw new IOException("no ZooKeeper session with " + address + " within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IOException("interrupted", e);
        }
    }

    /** The mutex, with its protected lock path made visible (for the token). */
    private static final class Mutex extends InterProcessMutex {
        Mutex(CuratorFramework client, String path) {
            super(client, path);
        }

        String lockPath() {
            return getLockPath();
        }
    }

    private final java.util.Map<String, Mutex> held = new java.util.HashMap<>();

    @Override
    public Grant acquire(String lock, long timeoutMillis) throws IOException {
        ZkRecipeLock.checkName(lock);
        Mutex m = new Mutex(client, "/dsw-curator/" + lock);
        try {
            if (!m.acquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return null;
            }
        } catch (Exception e) {
            throw new IOException("Curator acquire failed: " + e, e);
        }
        String path = m.lockPath();
        held.put(path, m);
        return new Grant(lock, ZkRecipeLock.sequence(path), path);
    }

    @Override
    public boolean release(Grant grant) throws IOException {
        Mutex m = held.remove(grant.handle());
        if (m == null) {
            return false;
        }
        try {
            m.release();
            return true;
        } catch (IllegalMonitorStateException notHeld) {
            return false;
        } catch (Exception e) {
            // the node is gone with the expired session: nothing was released
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
