package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Cohort lock (C-TKT-TKT): one ticket lock per cluster of threads plus one global ticket lock. A
 * thread takes its cluster's local lock, then the global lock unless its cluster already owns it.
 * On unlock, if another thread of the same cluster is waiting locally, the holder passes the local
 * lock to it <i>keeping the global lock for the cohort</i>, at most {@code maxLocalPasses} times in a
 * row; otherwise it releases the global lock, then the local one (Dice, Marathe &amp; Shavit, "Lock
 * Cohorting: A General Technique for Designing NUMA Locks", PPoPP 2012 and ACM TOPC 1(2), 2015).
 *
 * <p>On a NUMA machine a cluster is a socket: passing within it keeps the lock and the data it guards
 * in one socket's caches. Java does not tell a thread which socket it runs on, so the cluster here is
 * a function of the thread, by default its id modulo the number of clusters. The requirements of the
 * paper hold for ticket locks: the global lock is <i>thread-oblivious</i> (it may be released by a
 * different thread of the cohort than the one that took it: it keeps no owner) and the local lock is
 * <i>cohort-detecting</i> ({@code next - nowServing > 1} says someone waits behind the holder).
 *
 * <ul>
 *   <li><b>Fairness:</b> FIFO within a cluster, FIFO among clusters for the global lock, not FIFO
 *       overall: a later arrival in the holder's cluster goes before an earlier one elsewhere, at most
 *       {@code maxLocalPasses} times before the global lock is given up. {@link #lockInterruptibly()}
 *       and the timed {@code tryLock} poll {@link #tryLock()} and barge (a taken ticket cannot be
 *       given back, see {@link TicketLock}).</li>
 *   <li><b>Space:</b> two counters per cluster and two global, padded: about 256 bytes per cluster.</li>
 *   <li><b>Coherence traffic:</b> as a ticket lock within a cluster; the global lock's lines move
 *       between clusters only once per cohort turn instead of once per acquisition.</li>
 * </ul>
 */
public final class CohortLock extends OwnedLock {

    /**
     * One ticket lock's state, padded so that two of them never share a line. Padding with fields of
     * one class is best effort (HotSpot may regroup a class's fields; {@link TicketLock} shows the
     * reliable inheritance trick); here every field is a long or smaller and each Ticket is its own
     * allocation, so the 128 pad bytes on either side keep neighbouring objects off these lines.
     */
    static final class Ticket {
        @SuppressWarnings("unused")
        private long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
        volatile long next;
        volatile long nowServing;
        /** Local locks only: whether the cohort owns the global lock. Guarded by this local lock. */
        boolean cohortHoldsGlobal;
        /** Local locks only: hand-offs within the cohort since it took the global lock. Guarded likewise. */
        int passes;
        @SuppressWarnings("unused")
        private long q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;
    }

    private static final VarHandle NEXT;
    private static final VarHandle NOW_SERVING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(Ticket.class, "next", long.class);
            NOW_SERVING = l.findVarHandle(Ticket.class, "nowServing", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Ticket global = new Ticket();
    private final Ticket[] locals;
    private final ToIntFunction<Thread> clusterOf;
    private final int maxLocalPasses;
    /** The holder's local lock; plain, written and read only by the holder. */
    private Ticket heldLocal;

    /**
     * A cohort lock whose cluster is the thread id modulo {@code clusters}.
     *
     * @param clusters       number of clusters, 1..1024
     * @param maxLocalPasses most consecutive hand-offs within one cluster, 0..2^20 (0 = never pass: then it
     *                       behaves as two stacked ticket locks)
     */
    public CohortLock(int clusters, int maxLocalPasses) {
        this(clusters, maxLocalPasses, t -> (int) Math.floorMod(t.threadId(), (long) clusters));
    }

    /**
     * @param clusters       number of clusters, 1..1024
     * @param maxLocalPasses most consecutive hand-offs within one cluster, 0..2^20
     * @param clusterOf      the cluster of a thread, in {@code 0..clusters-1}; called on every acquisition
     */
    public CohortLock(int clusters, int maxLocalPasses, ToIntFunction<Thread> clusterOf) {
        if (clusters < 1 || clusters > 1024) {
            throw new IllegalArgumentException("clusters must be in 1..1024, got " + clusters);
        }
        if (maxLocalPasses < 0 || maxLocalPasses > (1 << 20)) {
            throw new IllegalArgumentException("maxLocalPasses must be in 0.." + (1 << 20) + ", got " + maxLocalPasses);
        }
        this.clusterOf = Objects.requireNonNull(clusterOf, "clusterOf");
        this.maxLocalPasses = maxLocalPasses;
        this.locals = new Ticket[clusters];
        for (int i = 0; i < clusters; i++) {
            locals[i] = new Ticket();
        }
    }

    private Ticket localOfCurrentThread() {
        int c = clusterOf.applyAsInt(Thread.currentThread());
        if (c < 0 || c >= locals.length) {
            throw new IllegalStateException("clusterOf returned " + c + ", allowed 0.." + (locals.length - 1));
        }
        return locals[c];
    }

    private static void acquireTicket(Ticket t) {
        long ticket = (long) NEXT.getAndAdd(t, 1L);
        int spins = 0;
        while ((long) NOW_SERVING.getAcquire(t) != ticket) {
            spins = SpinWait.pause(spins);
        }
    }

    private static boolean tryAcquireTicket(Ticket t) {
        long serving = (long) NOW_SERVING.getAcquire(t);
        return NEXT.compareAndSet(t, serving, serving + 1);
    }

    /** Releases a ticket lock held by the caller or its cohort: only a holder writes nowServing. */
    private static void releaseTicket(Ticket t) {
        NOW_SERVING.setRelease(t, (long) NOW_SERVING.get(t) + 1);
    }

    @Override
    public void lock() {
        checkNotHolder();
        Ticket local = localOfCurrentThread();
        acquireTicket(local);
        // Read under the local lock: written by the previous local holder before its release.
        if (!local.cohortHoldsGlobal) {
            acquireTicket(global);
            local.cohortHoldsGlobal = true;
            local.passes = 0;
        }
        heldLocal = local;
        becomeOwner();
    }

    @Override
    public boolean tryLock() {
        checkNotHolder();
        Ticket local = localOfCurrentThread();
        if (!tryAcquireTicket(local)) {
            return false;
        }
        // The local lock was free, so it was not passed to us: the cohort does not hold the global lock.
        if (!tryAcquireTicket(global)) {
            releaseTicket(local);
            return false;
        }
        local.cohortHoldsGlobal = true;
        local.passes = 0;
        heldLocal = local;
        becomeOwner();
        return true;
    }

    @Override
    public void unlock() {
        giveUpOwnership();
        Ticket local = heldLocal;
        heldLocal = null;
        // Cohort detection: tickets taken beyond ours mean a local waiter that will surely wait for us.
        boolean localWaiter = (long) NEXT.getVolatile(local) - (long) NOW_SERVING.get(local) > 1;
        if (localWaiter && local.passes < maxLocalPasses) {
            local.passes++;
        } else {
            local.cohortHoldsGlobal = false;
            releaseTicket(global);
        }
        // The release store publishes cohortHoldsGlobal and passes to the next local holder.
        releaseTicket(local);
    }

    /** Tickets taken on the global lock; for tests. */
    long globalTicketsIssued() {
        return (long) NEXT.getVolatile(global);
    }

    /** Tickets taken on a cluster's local lock; for tests. */
    long localTicketsIssued(int cluster) {
        return (long) NEXT.getVolatile(locals[cluster]);
    }
}
