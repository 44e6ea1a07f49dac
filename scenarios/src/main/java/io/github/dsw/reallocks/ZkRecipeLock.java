package io.github.dsw.reallocks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * The project's own implementation of ZooKeeper's lock recipe on the raw client ("ZooKeeper Recipes and
 * Solutions", section "Locks", zookeeper.apache.org; Hunt, Konar, Junqueira, Reed, "ZooKeeper: Wait-free
 * coordination for Internet-scale systems", USENIX ATC 2010, section 2.4 "Simple Locks without Herd Effect"):
 *
 * <ol>
 *   <li>create an EPHEMERAL_SEQUENTIAL node {@code /dsw-locks/NAME/lock-};</li>
 *   <li>list the children; if ours has the lowest sequence number, the lock is held;</li>
 *   <li>otherwise set a watch on the node just before ours only (no herd: one waiter wakes per release) and
 *       wait for it to go, then go back to 2 (the predecessor may have left without holding the lock).</li>
 * </ol>
 * Release deletes our node. The fencing token is our node's sequence number (the parent's counter: strictly
 * increasing per lock). The node is ephemeral: it goes when the session expires, which is how a crashed or
 * paused holder loses the lock, and how it may not know it did.
 */
public final class ZkRecipeLock implements DistLock {
    private static final String ROOT = "/dsw-locks";
    private final ZooKeeper zk;

    /** Connects to ZooKeeper at {@code address} with a session of {@code sessionTimeoutMillis}. */
    public ZkRecipeLock(String address, int sessionTimeoutMillis) throws IOException {
        CountDownLatch connected = new CountDownLatch(1);
        zk = new ZooKeeper(address, sessionTimeoutMillis, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        try {
            if (!connected.await(15, TimeUnit.SECONDS)) {
                close();
                throw new IOException("no ZooKeeper session with " + address + " within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted", e);
        }
    }

    static void checkName(String lock) {
        if (lock.isEmpty() || lock.contains("/")) {
            throw new IllegalArgumentException("a lock name is one ZooKeeper path element: " + lock);
        }
    }

    /** The sequence number ZooKeeper appended to a sequential node's name (its last 10 digits). */
    static long sequence(String path) {
        return Long.parseLong(path.substring(path.length() - 10));
    }

    private void ensure(String path) throws KeeperException, InterruptedException {
        try {
            zk.create(path, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        } catch (KeeperException.NodeExistsException already) {
            // made by another client
        }
    }

    @Override
    public Grant acquire(String lock, long timeoutMillis) throws IOException {
        checkName(lock);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        String parent = ROOT + "/" + lock;
        String mine = null;
        try {
            ensure(ROOT);
            ensure(parent);
            mine = zk.create(parent + "/lock-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
            String myName = mine.substring(parent.length() + 1);
            while (true) {
                List<String> children = new ArrayList<>(zk.getChildren(parent, false));
                children.sort((a, b) -> Long.compare(sequence(a), sequence(b)));
                int at = children.indexOf(myName);
                if (at < 0) {
                    throw new IOException("our lock node " + mine + " is gone (session expired)");
                }
                if (at == 0) {
                    return new Grant(lock, sequence(mine), mine);
                }
                CountDownLatch gone = new CountDownLatch(1);
                Stat s = zk.exists(parent + "/" + children.get(at - 1), e -> gone.countDown());
                if (s == null) {
                    continue; // the predecessor left between the listing and the watch
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !gone.await(left, TimeUnit.NANOSECONDS)) {
                    delete(mine);
                    return null;
                }
            }
        } catch (KeeperException e) {
            throw new IOException("ZooKeeper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private boolean delete(String path) throws IOException {
        try {
            zk.delete(path, -1);
            return true;
        } catch (KeeperException.NoNodeException | KeeperException.SessionExpiredException gone) {
            return false; // the node went with the session
        } catch (KeeperException e) {
            throw new IOException("ZooKeeper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public boolean release(Grant grant) throws IOException {
        return delete(grant.handle());
    }

    @Override
    public void close() {
        try {
            zk.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
