package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Ticket lock: take a number ({@code next.getAndIncrement()}), wait until {@code nowServing} shows it;
 * unlock serves the next number (Mellor-Crummey &amp; Scott, "Algorithms for Scalable Synchronization
 * on Shared-Memory Multiprocessors", ACM TOCS 9(1), 1991, section 2).
 *
 * <ul>
 *   <li><b>Fairness:</b> FIFO in the order of the {@code getAndIncrement} on {@code next}, for
 *       {@link #lock()}. {@link #tryLock()} takes a ticket only when it would be served at once.
 *       {@link #lockInterruptibly()} and {@link #tryLock(long, java.util.concurrent.TimeUnit)} poll
 *       {@code tryLock()} and so barge: a taken ticket cannot be given back (the holder will serve that
 *       number, and if nobody answers to it the lock is stuck for everyone after), so a thread that may
 *       leave must not take one.</li>
 *   <li><b>Space:</b> two counters per lock (padded: 3 x 128 bytes), nothing per thread.</li>
 *   <li><b>Coherence traffic:</b> one atomic on {@code next} per acquisition; all waiters spin on the
 *       one {@code nowServing} line, so each release invalidates every waiter's copy: O(N) misses per
 *       hand-off although only one waiter can go (Mellor-Crummey &amp; Scott pair it with backoff
 *       proportional to the number of tickets ahead). {@code next} and {@code nowServing} sit on different cache lines (the padding classes
 *       below), so arrivals do not disturb the spinners.</li>
 * </ul>
 */
public final class TicketLock extends TicketLockNowServing {

    private static final VarHandle NEXT;
    private static final VarHandle NOW_SERVING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(TicketLockNext.class, "next", long.class);
            NOW_SERVING = l.findVarHandle(TicketLockNowServing.class, "nowServing", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Padding after nowServing, so that whatever the allocator places next does not share its line.
    @SuppressWarnings("unused")
    private long q0, q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12, q13, q14, q15;

    @Override
    public void lock() {
        checkNotHolder();
        // A volatile getAndAdd: the ticket order is the order of these atomics.
        long ticket = (long) NEXT.getAndAdd(this, 1L);
        int spins = 0;
        // getAcquire pairs with unlock's setRelease of nowServing = ticket: the previous holder's
        // critical section happens-before ours.
        while ((long) NOW_SERVING.getAcquire(this) != ticket) {
            spins = SpinWait.pause(spins);
        }
        becomeOwner();
    }

    @Override
    public boolean tryLock() {
        checkNotHolder();
        long serving = (long) NOW_SERVING.getAcquire(this);
        // next == nowServing means nobody holds or waits; taking ticket "serving" is then taking the lock.
        if (NEXT.compareAndSet(this, serving, serving + 1)) {
            becomeOwner();
            return true;
        }
        return false;
    }

    @Override
    public void unlock() {
        giveUpOwnership();
        // Only the holder writes nowServing, so its plain read is current.
        long serving = (long) NOW_SERVING.get(this);
        NOW_SERVING.setRelease(this, serving + 1);
    }

    /** Tickets handed out so far; for tests that must know a thread has queued. */
    long ticketsIssued() {
        return (long) NEXT.getVolatile(this);
    }
}

/*
 * Padding by inheritance: HotSpot lays out a superclass's fields before a subclass's, whatever their
 * types, so these classes place next and nowServing 128 bytes apart (two 64-byte lines, since adjacent-
 * line prefetchers pull lines in pairs). Declaring the pad fields in one class would not do: the JVM may
 * regroup fields of one class. This is the technique of JMH's own Blackhole (JMHSample_22 discusses it).
 */
abstract class TicketLockPad0 extends OwnedLock {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
}

abstract class TicketLockNext extends TicketLockPad0 {
    /** The next ticket to hand out. Written by arriving threads (atomic add). */
    @SuppressWarnings("unused")
    volatile long next;
}

abstract class TicketLockPad1 extends TicketLockNext {
    @SuppressWarnings("unused")
    private long p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, p10, p11, p12, p13, p14, p15;
}

abstract class TicketLockNowServing extends TicketLockPad1 {
    /** The ticket allowed in. Written only by the holder; read by every waiter. */
    @SuppressWarnings("unused")
    volatile long nowServing;
}
