package io.github.dsw.labs;

/**
 * Lab {@code mcs-lock}: Mellor-Crummey and Scott's queue lock (chapter 4; "Algorithms for Scalable Synchronization
 * on Shared-Memory Multiprocessors", ACM TOCS 9(1), 1991). Each waiter spins on a flag in its own queue node, which
 * its predecessor clears on unlock. The grader checks mutual exclusion under contention, FIFO hand-off in the
 * order of the swaps on the tail, and that no waiter is left spinning forever (the lost wake-up of an unlock
 * that misses a successor which has swapped itself into the tail but not yet linked in). The student's class
 * needs a public no-argument constructor: the grader makes a fresh lock per test.
 */
public interface McsLockLab {

    /** Acquires the lock, waiting in FIFO order behind the threads that enqueued before. */
    void lock();

    /** Releases the lock, which the calling thread holds, handing it to the next waiter if there is one. */
    void unlock();

    /**
     * The last node of the queue, null when nobody holds or waits. A new node on every {@link #lock()} call:
     * the grader watches it change to know that a thread has enqueued.
     */
    Object tail();
}
