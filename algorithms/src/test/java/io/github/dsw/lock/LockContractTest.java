package io.github.dsw.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@link Lock} contract, for every lock of the package. Expected values come from the contract
 * itself (java.util.concurrent.locks.Lock javadoc) and from arithmetic (n threads x k increments),
 * never from an implementation's output.
 */
class LockContractTest {

    /** More threads than the 2 cores of the build machine, so lock holders get preempted. */
    static final int THREADS = 4;
    /** Per thread; {@code -Ddsw.soak=true} multiplies it by 50 for a long soak run. */
    static final int INCREMENTS = Boolean.getBoolean("dsw.soak") ? 50_000_000 : 1_000_000;
    static final long BOUND_SECONDS = Boolean.getBoolean("dsw.soak") ? 600 : 30;

    static List<LockUnderTest> protocolsAndControl() {
        return LockUnderTest.protocolsAndControl();
    }

    static List<LockUnderTest> protocols() {
        return LockUnderTest.protocols();
    }

    /** A plain (non-volatile) counter: only the lock makes its increments exact. */
    static final class Counter {
        long value;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolsAndControl")
    void mutualExclusionUnderStressGivesTheExactCount(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        Counter counter = new Counter();
        // Mix all acquisition methods: each must exclude the others.
        runThreads(THREADS, i -> {
            for (int k = 0; k < INCREMENTS; k++) {
                switch ((i + k) % 4) {
                    case 0, 1 -> lock.lock();
                    case 2 -> {
                        while (!lock.tryLock()) {
                            Thread.onSpinWait();
                        }
                    }
                    default -> {
                        try {
                            if (!lock.tryLock(10, TimeUnit.SECONDS)) {
                                throw new AssertionError("timed tryLock(10 s) gave up under " + lut);
                            }
                        } catch (InterruptedException e) {
                            throw new AssertionError(e);
                        }
                    }
                }
                try {
                    counter.value++;
                } finally {
                    lock.unlock();
                }
            }
        });
        assertEquals((long) THREADS * INCREMENTS, counter.value, lut + ": lost updates, mutual exclusion broken");
    }

    /**
     * Waiters that give up often (timeouts of 0 to 20 µs) while others queue: for ClhLock this
     * exercises abandoned nodes in the middle and at the tail of the queue, concurrently with hand-offs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("protocolsAndControl")
    void waitersThatGiveUpNeverBreakMutualExclusion(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        Counter counter = new Counter();
        long seed = System.nanoTime();
        long[] acquired = new long[THREADS];
        runThreads(THREADS, i -> {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed + i);
            for (int k = 0; k < INCREMENTS / 10; k++) {
                boolean got;
                if (i == 0) {
                    lock.lock();
                    got = true;
                } else {
                    got = lock.tryLock(rnd.nextInt(20_000), TimeUnit.NANOSECONDS);
                }
                if (got) {
                    try {
                        counter.value++;
                        acquired[i]++;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        });
        long total = 0;
        for (long a : acquired) {
            total += a;
        }
        assertEquals(total, counter.value, lut + ": lost updates with abandoning waiters, seed=" + seed);
        assertTrue(acquired[0] == INCREMENTS / 10, lut + ": the lock() thread did not finish, seed=" + seed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void writesOfOneCriticalSectionAreSeenByTheNextHolder(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        // Two threads take turns through plain fields; a stale read would make the turn never come back
        // (caught by the time bound) or break the payload check.
        final int rounds = 2_000;
        int[] turn = {0};
        long[] payload = {0, 0, 0};
        runThreads(2, me -> {
            int done = 0;
            while (done < rounds) {
                boolean mine;
                lock.lock();
                try {
                    mine = turn[0] == me;
                    if (mine) {
                        long expected = payload[0];
                        if (payload[1] != expected * 3 || payload[2] != expected * 7) {
                            throw new AssertionError(lut + ": saw a partial critical section " + payload[0] + ","
                                    + payload[1] + "," + payload[2]);
                        }
                        payload[0] = expected + 1;
                        payload[1] = (expected + 1) * 3;
                        payload[2] = (expected + 1) * 7;
                        turn[0] = 1 - me;
                        done++;
                    }
                } finally {
                    lock.unlock();
                }
                if (!mine) {
                    // Not our turn: step aside, or an unfair lock (TAS) lets us re-acquire for a whole quantum.
                    Thread.yield();
                }
            }
        });
        assertEquals(2L * rounds, payload[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void unlockByAThreadThatDoesNotHoldTheLockThrows(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock of a free lock");
        lock.lock();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                lock.unlock();
            } catch (Throwable t) {
                seen.set(t);
            }
        });
        other.join();
        assertTrue(seen.get() instanceof IllegalMonitorStateException, "got " + seen.get());
        // The failed unlock changed nothing: still held by us, so another thread cannot take it.
        assertFalse(tryLockFromAnotherThread(lock));
        lock.unlock();
        assertTrue(tryLockFromAnotherThread(lock));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void newConditionIsUnsupportedAndSaysWhy(LockUnderTest lut) {
        Lock lock = lut.factory().get();
        var e = assertThrows(UnsupportedOperationException.class, lock::newCondition);
        assertTrue(e.getMessage().contains("ReentrantLock"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void reacquiringANonReentrantLockThrowsInsteadOfDeadlocking(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        lock.lock();
        try {
            assertThrows(IllegalStateException.class, lock::lock);
            assertThrows(IllegalStateException.class, lock::tryLock);
            assertThrows(IllegalStateException.class, () -> lock.tryLock(1, TimeUnit.MILLISECONDS));
            assertThrows(IllegalStateException.class, lock::lockInterruptibly);
        } finally {
            lock.unlock();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void tryLockFailsWhileHeldAndSucceedsWhenFree(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        assertTrue(lock.tryLock());
        assertFalse(tryLockFromAnotherThread(lock));
        lock.unlock();
        assertTrue(tryLockFromAnotherThread(lock));
        assertTrue(lock.tryLock(0, TimeUnit.SECONDS), "zero timeout on a free lock");
        lock.unlock();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void timedTryLockGivesUpAfterItsTimeoutAndLeavesTheLockUsable(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        lock.lock();
        long[] waitedNanos = {0};
        boolean[] got = {true};
        Thread t = Thread.ofPlatform().start(() -> {
            long start = System.nanoTime();
            try {
                got[0] = lock.tryLock(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            waitedNanos[0] = System.nanoTime() - start;
        });
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(got[0], "acquired a lock held by another thread");
        assertTrue(waitedNanos[0] >= TimeUnit.MILLISECONDS.toNanos(50), "gave up early: " + waitedNanos[0] + " ns");
        lock.unlock();
        assertTrue(tryLockFromAnotherThread(lock), "lock unusable after an abandoned wait");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void timedTryLockSucceedsWhenTheHolderReleasesInTime(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        lock.lock();
        CountDownLatch started = new CountDownLatch(1);
        boolean[] got = {false};
        Thread t = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                got[0] = lock.tryLock(BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (got[0]) {
                lock.unlock();
            }
        });
        started.await();
        Thread.sleep(20);
        lock.unlock();
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertTrue(got[0]);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void lockInterruptiblyThrowsWhenInterruptedWhileWaiting(LockUnderTest lut) throws Exception {
        Lock lock = lut.factory().get();
        lock.lock();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                lock.lockInterruptibly();
                lock.unlock();
                seen.set(new AssertionError("acquired a held lock"));
            } catch (Throwable e) {
                seen.set(e);
            }
        });
        Thread.sleep(20);
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertFalse(t.isAlive(), "interrupt ignored");
        assertTrue(seen.get() instanceof InterruptedException, "got " + seen.get());
        lock.unlock();
        assertTrue(tryLockFromAnotherThread(lock), "lock unusable after an interrupted wait");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("protocols")
    void interruptedOnEntryThrowsAndDoesNotAcquire(LockUnderTest lut) {
        Lock lock = lut.factory().get();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> lock.tryLock(1, TimeUnit.SECONDS));
        assertFalse(Thread.interrupted(), "the interrupt status is cleared when InterruptedException is thrown");
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    static boolean tryLockFromAnotherThread(Lock lock) throws InterruptedException {
        boolean[] got = {false};
        Thread t = Thread.ofPlatform().start(() -> {
            got[0] = lock.tryLock();
            if (got[0]) {
                lock.unlock();
            }
        });
        t.join();
        return got[0];
    }

    interface Body {
        void run(int threadIndex) throws Exception;
    }

    /** Runs {@code n} platform threads to completion within {@link #BOUND_SECONDS}, rethrowing the first failure. */
    static void runThreads(int n, Body body) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int i = 0; i < n; i++) {
            int index = i;
            threads.add(Thread.ofPlatform().name("worker-" + i).start(() -> {
                try {
                    go.await();
                    body.run(index);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        go.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                fail(t.getName() + " still running after " + BOUND_SECONDS + " s: deadlock or livelock");
            }
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }
}
