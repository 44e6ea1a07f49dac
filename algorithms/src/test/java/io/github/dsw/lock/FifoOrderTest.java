package io.github.dsw.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FIFO order of the queue locks, made deterministic: the test thread holds the lock, then starts
 * waiters one at a time, starting the next only once the lock's own queue shows the previous one
 * (a new ticket, or a new tail node). The expected order is the start order: that is the definition
 * of FIFO (Mellor-Crummey &amp; Scott 1991, section 2: ticket and queue locks grant in arrival order).
 */
class FifoOrderTest {

    static final int WAITERS = 6;

    /** A queue lock and a probe that changes value whenever a thread enqueues. */
    record QueueLock(String name, Lock lock, Supplier<Object> probe) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<QueueLock> queueLocks() {
        TicketLock ticket = new TicketLock();
        ArrayLock array = new ArrayLock(WAITERS + 1);
        ClhLock clh = new ClhLock();
        McsLock mcs = new McsLock();
        CohortLock oneCluster = new CohortLock(1, Integer.MAX_VALUE >>> 11);
        return List.of(
                new QueueLock("TicketLock", ticket, ticket::ticketsIssued),
                new QueueLock("ArrayLock", array, array::ticketsIssued),
                new QueueLock("ClhLock", clh, clh::queueTail),
                new QueueLock("McsLock", mcs, mcs::queueTail),
                new QueueLock("CohortLock, one cluster (a local ticket lock)", oneCluster, () -> oneCluster.localTicketsIssued(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queueLocks")
    void waitersAreServedInTheOrderTheyEnqueued(QueueLock q) throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        q.lock().lock();
        for (int i = 0; i < WAITERS; i++) {
            threads.add(enqueue(q.lock(), q.probe(), i, order));
        }
        q.lock().unlock();
        joinAll(threads);
        assertEquals(IntStream.range(0, WAITERS).boxed().toList(), order, q + ": not FIFO");
    }

    /** Starts a thread that locks, records its index, and unlocks; returns once it is in the queue. */
    static Thread enqueue(Lock lock, Supplier<Object> probe, int index, List<Integer> order) throws InterruptedException {
        Object before = probe.get();
        Thread t = Thread.ofPlatform().name("waiter-" + index).start(() -> {
            lock.lock();
            try {
                order.add(index);
            } finally {
                lock.unlock();
            }
        });
        awaitChange(probe, before);
        return t;
    }

    static void awaitChange(Supplier<Object> probe, Object before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (Objects.equals(probe.get(), before)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a waiter did not enqueue within 10 s");
            }
            Thread.sleep(1);
        }
    }

    static void joinAll(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t.getName() + " never got the lock");
        }
    }

    /** Scott and Scherer's timeout (PPoPP 2001): a waiter that gives up is skipped, the queue keeps its order. */
    @Test
    void clhWaiterThatTimesOutIsSkippedAndTheOthersKeepTheirOrder() throws Exception {
        ClhLock clh = new ClhLock();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        clh.lock();
        Thread first = enqueue(clh, clh::queueTail, 0, order);
        boolean[] abandonedGotIt = {true};
        Object before = clh.queueTail();
        Thread abandoning = Thread.ofPlatform().start(() -> {
            try {
                abandonedGotIt[0] = clh.tryLock(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        awaitChange(clh::queueTail, before);
        Thread third = enqueue(clh, clh::queueTail, 2, order);
        abandoning.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(abandonedGotIt[0]);
        clh.unlock();
        joinAll(List.of(first, third));
        assertEquals(List.of(0, 2), order);
    }

    @Test
    void clhWaiterThatTimesOutAtTheTailLeavesAnEmptyQueue() throws Exception {
        ClhLock clh = new ClhLock();
        clh.lock();
        Object heldTail = clh.queueTail();
        boolean[] got = {true};
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                got[0] = clh.tryLock(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        t.join();
        assertFalse(got[0]);
        assertEquals(heldTail, clh.queueTail(), "the abandoning tail must put its predecessor back");
        clh.unlock();
        assertTrue(clh.tryLock());
        clh.unlock();
    }

    /**
     * Lock cohorting (Dice, Marathe &amp; Shavit 2012): on release, a waiter of the holder's cluster goes
     * before an earlier waiter of another cluster, unless the pass budget is spent.
     */
    @Test
    void cohortPassesTheLockWithinTheClusterFirst() throws Exception {
        assertEquals(List.of("late local", "early remote"), cohortOrder(1));
    }

    @Test
    void cohortWithoutPassesServesClustersInGlobalArrivalOrder() throws Exception {
        assertEquals(List.of("early remote", "late local"), cohortOrder(0));
    }

    /** The holder (cluster 0) holds; a cluster-1 thread queues on the global lock; then a cluster-0 thread queues locally. */
    private static List<String> cohortOrder(int maxLocalPasses) throws Exception {
        CohortLock lock = new CohortLock(2, maxLocalPasses, t -> t.getName().startsWith("remote") ? 1 : 0);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Runnable remoteBody = () -> {
            lock.lock();
            order.add("early remote");
            lock.unlock();
        };
        Runnable localBody = () -> {
            lock.lock();
            order.add("late local");
            lock.unlock();
        };
        Thread.currentThread().setName("holder-main");
        lock.lock();
        long global = lock.globalTicketsIssued();
        Thread remote = Thread.ofPlatform().name("remote-1").start(remoteBody);
        awaitChange(lock::globalTicketsIssued, global);
        long local = lock.localTicketsIssued(0);
        Thread late = Thread.ofPlatform().name("local-1").start(localBody);
        awaitChange(() -> lock.localTicketsIssued(0), local);
        lock.unlock();
        joinAll(List.of(remote, late));
        return order;
    }
}
