package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Anderson's array-based queue lock: a thread takes a slot ({@code tail.getAndIncrement() mod
 * capacity}) and spins on that slot's own flag; unlock clears its flag and sets the next slot's
 * (T. E. Anderson, "The Performance of Spin Lock Alternatives for Shared-Memory Multiprocessors",
 * IEEE TPDS 1(1), 1990; Herlihy &amp; Shavit, <i>The Art of Multiprocessor Programming</i>, ch. 7, "Queue Locks").
 *
 * <ul>
 *   <li><b>Fairness:</b> FIFO in the order of the increments of {@code tail}, for {@link #lock()}, as long
 *       as at most {@code capacity} threads contend. The algorithm is only correct with at most
 *       {@code capacity} threads in the queue (two would share a slot), so a thread first takes one of
 *       {@code capacity} admission permits; beyond that many contenders, admission is not FIFO.
 *       {@link #lockInterruptibly()} and the timed {@code tryLock} poll {@link #tryLock()} and barge: a
 *       slot, once taken, will be handed the lock and cannot be given back.</li>
 *   <li><b>Space:</b> {@code capacity} flags of 128 bytes each per lock, fixed at construction
 *       (O(L x N) for L locks and N threads, the textbook's criticism).</li>
 *   <li><b>Coherence traffic:</b> each waiter spins on its own line, so a release invalidates one
 *       waiter's copy, not all of them: O(1) per hand-off. This needs padding: with a plain
 *       {@code boolean[]} eight neighbours' flags share a line and every release would disturb them all.
 *       Arrivals still share the {@code tail} line and the admission counter.</li>
 * </ul>
 * Memory-model trap avoided: a {@code volatile boolean[]} makes only the array reference volatile, not
 * its elements; the flags here are accessed through an array-element {@link VarHandle}.
 */
public final class ArrayLock extends OwnedLock {

    /** Ints per flag: 128 bytes, two cache lines (adjacent-line prefetch fetches lines in pairs). */
    private static final int STRIDE = 32;
    private static final int MAX_CAPACITY = 1 << 16;

    private static final VarHandle FLAG = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle TAIL;
    private static final VarHandle ADMITTED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(ArrayLock.class, "tail", long.class);
            ADMITTED = l.findVarHandle(ArrayLock.class, "admitted", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    /** Flag of slot s at index (s + 1) * STRIDE: 1 = that slot may enter. The +1 keeps slot 0 off the array header's line. */
    private final int[] flags;
    /** Tickets taken so far; the slot is the ticket mod capacity. */
    @SuppressWarnings("unused")
    private volatile long tail;
    /** Threads between admission and unlock: at most capacity. */
    @SuppressWarnings("unused")
    private volatile int admitted;
    /** The holder's slot. Plain: written and read only by the holder, ordered by the hand-off. */
    private int heldSlot;

    /**
     * @param capacity most threads that may wait at once without queueing for admission; 1..65536.
     *                 Memory is 128 bytes per slot.
     */
    public ArrayLock(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be in 1.." + MAX_CAPACITY + ", got " + capacity);
        }
        this.capacity = capacity;
        this.flags = new int[(capacity + 2) * STRIDE];
        // Slot 0 may enter first. The constructor's writes are published with the lock object itself
        // (safe publication is the caller's job, as for any object).
        flags[index(0)] = 1;
    }

    private static int index(int slot) {
        return (slot + 1) * STRIDE;
    }

    @Override
    public void lock() {
        checkNotHolder();
        admit();
        int slot = (int) ((long) TAIL.getAndAdd(this, 1L) % capacity);
        int spins = 0;
        // Acquire pairs with the predecessor's setRelease of this flag.
        while ((int) FLAG.getAcquire(flags, index(slot)) == 0) {
            spins = SpinWait.pause(spins);
        }
        heldSlot = slot;
        becomeOwner();
    }

    /** Takes one of the capacity permits, spinning while all are taken. */
    private void admit() {
        int spins = 0;
        while (true) {
            int a = (int) ADMITTED.getVolatile(this);
            if (a < capacity && ADMITTED.compareAndSet(this, a, a + 1)) {
                return;
            }
            spins = SpinWait.pause(spins);
        }
    }

    @Override
    public boolean tryLock() {
        checkNotHolder();
        long t = (long) TAIL.getVolatile(this);
        // Free means: no thread between admission and unlock. Taking the first permit (0 -> 1) proves
        // it, and then every ticket below t (all issued before the read of t, so by threads admitted
        // before our CAS) has been released, the last release setting the flag of slot t mod capacity.
        // Reading that flag alone would not do: it may still hold the 1 of ticket t - capacity.
        if (!ADMITTED.compareAndSet(this, 0, 1)) {
            return false;
        }
        // Nobody may take a ticket between our read of t and ours; if one did, back out.
        if (!TAIL.compareAndSet(this, t, t + 1)) {
            ADMITTED.getAndAdd(this, -1);
            return false;
        }
        int slot = (int) (t % capacity);
        if ((int) FLAG.getAcquire(flags, index(slot)) != 1) {
            throw new IllegalStateException("ArrayLock invariant broken: slot " + slot + " not ready for ticket " + t);
        }
        heldSlot = slot;
        becomeOwner();
        return true;
    }

    @Override
    public void unlock() {
        giveUpOwnership();
        int slot = heldSlot;
        // A plain store is enough to clear our flag: it is ordered before the setRelease below, and the
        // thread that next uses this slot (ticket + capacity) can only be admitted after our permit
        // is returned (volatile add, below), so this store happens-before its first read of the flag.
        FLAG.set(flags, index(slot), 0);
        FLAG.setRelease(flags, index((slot + 1) % capacity), 1);
        ADMITTED.getAndAdd(this, -1);
    }

    /** Tickets taken so far; for tests that must know a thread has queued. */
    long ticketsIssued() {
        return (long) TAIL.getVolatile(this);
    }

    /** The number of slots. */
    public int capacity() {
        return capacity;
    }
}
