package io.github.dsw.bench.lock;

import io.github.dsw.lock.ArrayLock;
import io.github.dsw.lock.BackoffLock;
import io.github.dsw.lock.ClhLock;
import io.github.dsw.lock.CohortLock;
import io.github.dsw.lock.McsLock;
import io.github.dsw.lock.TasLock;
import io.github.dsw.lock.TicketLock;
import io.github.dsw.lock.TtasLock;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A critical section guarded by one kind of lock: the same work (increment a shared counter, burn
 * {@code csTokens} of {@link Blackhole#consumeCPU}) under each protocol of {@code io.github.dsw.lock}
 * and under the JDK anchors. One subclass per way of locking, so that inside one JMH fork (one lock
 * kind) the call is monomorphic and the JIT inlines it.
 */
public abstract sealed class GuardedSection {

    /** Every lock name accepted by {@link #of}: the protocols, then the JDK anchors. */
    public static final List<String> NAMES = List.of("tas", "ttas", "backoff", "ticket", "array", "clh", "mcs",
            "cohort", "synchronized", "reentrant-unfair", "reentrant-fair", "stamped");

    /** The data the lock guards; a plain field, so a broken lock would lose increments. */
    long counter;
    final int csTokens;

    GuardedSection(int csTokens) {
        this.csTokens = csTokens;
    }

    /**
     * @param name     one of {@link #NAMES}
     * @param csTokens work inside the lock, in {@code Blackhole.consumeCPU} tokens, &gt;= 0
     * @param threads  most threads that will contend (sizes the Anderson array lock)
     */
    public static GuardedSection of(String name, int csTokens, int threads) {
        if (csTokens < 0) {
            throw new IllegalArgumentException("csTokens must be >= 0, got " + csTokens);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return switch (name) {
            case "tas" -> new WithLock(new TasLock(), csTokens);
            case "ttas" -> new WithLock(new TtasLock(), csTokens);
            case "backoff" -> new WithLock(new BackoffLock(), csTokens);
            case "ticket" -> new WithLock(new TicketLock(), csTokens);
            case "array" -> new WithLock(new ArrayLock(Math.max(threads, 2)), csTokens);
            case "clh" -> new WithLock(new ClhLock(), csTokens);
            case "mcs" -> new WithLock(new McsLock(), csTokens);
            // Two clusters: threads with even and odd ids, standing in for two sockets.
            case "cohort" -> new WithLock(new CohortLock(2, 16), csTokens);
            case "synchronized" -> new WithMonitor(csTokens);
            case "reentrant-unfair" -> new WithLock(new ReentrantLock(false), csTokens);
            case "reentrant-fair" -> new WithLock(new ReentrantLock(true), csTokens);
            case "stamped" -> new WithStamped(csTokens);
            default -> throw new IllegalArgumentException("lock must be one of " + NAMES + ", got '" + name + "'");
        };
    }

    /** Whether the lock parks waiting threads (JDK locks) rather than spinning (every protocol here). */
    public static boolean blocks(String name) {
        return switch (name) {
            case "synchronized", "reentrant-unfair", "reentrant-fair", "stamped" -> true;
            default -> false;
        };
    }

    final void work() {
        counter++;
        Blackhole.consumeCPU(csTokens);
    }

    /** Takes the lock, does the work, releases. */
    public abstract void run();

    /** As {@link #run()}, returning the nanoseconds spent acquiring (from the call to the first instruction inside). */
    public abstract long runTimingAcquire();

    /** Increments done so far (read it after the threads have been joined). */
    public long counter() {
        return counter;
    }

    static final class WithLock extends GuardedSection {
        private final Lock lock;

        WithLock(Lock lock, int csTokens) {
            super(csTokens);
            this.lock = lock;
        }

        @Override
        public void run() {
            lock.lock();
            try {
                work();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long runTimingAcquire() {
            long start = System.nanoTime();
            lock.lock();
            try {
                long waited = System.nanoTime() - start;
                work();
                return waited;
            } finally {
                lock.unlock();
            }
        }
    }

    static final class WithMonitor extends GuardedSection {
        private final Object monitor = new Object();

        WithMonitor(int csTokens) {
            super(csTokens);
        }

        @Override
        public void run() {
            synchronized (monitor) {
                work();
            }
        }

        @Override
        public long runTimingAcquire() {
            long start = System.nanoTime();
            synchronized (monitor) {
                long waited = System.nanoTime() - start;
                work();
                return waited;
            }
        }
    }

    static final class WithStamped extends GuardedSection {
        private final StampedLock lock = new StampedLock();

        WithStamped(int csTokens) {
            super(csTokens);
        }

        @Override
        public void run() {
            long stamp = lock.writeLock();
            try {
                work();
            } finally {
                lock.unlockWrite(stamp);
            }
        }

        @Override
        public long runTimingAcquire() {
            long start = System.nanoTime();
            long stamp = lock.writeLock();
            try {
                long waited = System.nanoTime() - start;
                work();
                return waited;
            } finally {
                lock.unlockWrite(stamp);
            }
        }
    }
}
