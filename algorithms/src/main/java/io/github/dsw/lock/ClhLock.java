package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * CLH queue lock, in its abortable form: a thread swaps a fresh node into {@code tail} and spins on
 * its <i>predecessor's</i> node until that node says "released" (Craig 1993; Magnusson, Landin &amp;
 * Hagersten 1994; the timeout protocol is Scott &amp; Scherer, "Scalable Queue-Based Spin Locks with
 * Timeout", PPoPP 2001, as the {@code TOLock} of Herlihy &amp; Shavit, <i>The Art of Multiprocessor
 * Programming</i>, ch. 7, "A Queue Lock with Timeouts").
 *
 * <p>Each node has one field, {@code pred}: {@code null} while its owner waits or holds the lock,
 * {@link #AVAILABLE} once its owner released, or, if its owner gave up, the node its owner was
 * waiting behind. A successor that sees such a node simply moves on to spin on that node instead: the
 * successor does the unlinking, so leaving the queue needs no coordination with anyone. This is why
 * the CLH lock, and not the MCS lock (where the predecessor writes into the successor's node), is the
 * one here whose {@link #tryLock(long, TimeUnit)} and {@link #lockInterruptibly()} keep a FIFO place.
 *
 * <ul>
 *   <li><b>Fairness:</b> FIFO in the order of the swaps on {@code tail}, for every acquisition method
 *       ({@link #tryLock()} succeeds only when the queue is empty).</li>
 *   <li><b>Space:</b> one node per waiting or holding thread, plus one word per lock: O(L + N). The
 *       classic CLH recycles its predecessor's node; here every acquisition allocates a node (a few
 *       nanoseconds from a thread-local allocation buffer), because an abandoned node may still be
 *       referenced by a successor, and the garbage collector decides when nodes are free.</li>
 *   <li><b>Coherence traffic:</b> each waiter spins on a different node (its predecessor's), so a
 *       release invalidates one waiter's copy: O(1) per hand-off. The spin is on a node written by
 *       another thread, which is fine with caches but remote on cache-less NUMA machines (MCS spins on
 *       its own node instead). Nodes are allocated by their owner threads, in different allocation
 *       buffers, so they rarely share a line.</li>
 * </ul>
 */
public final class ClhLock extends OwnedLock {

    static final class Node {
        /** null = waiting or holding; AVAILABLE = released; another node = abandoned, wait behind that one. */
        @SuppressWarnings("unused")
        volatile Node pred;
    }

    /** The "released" mark, shared by all CLH locks; never enqueued. */
    private static final Node AVAILABLE = new Node();

    private static final VarHandle TAIL;
    private static final VarHandle PRED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(ClhLock.class, "tail", Node.class);
            PRED = l.findVarHandle(Node.class, "pred", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Last node in the queue, or null when the queue is empty. */
    @SuppressWarnings("unused")
    private volatile Node tail;
    /** The holder's node; plain, written and read only by the holder (ordered by the hand-off). */
    private Node heldNode;

    @Override
    public void lock() {
        checkNotHolder();
        try {
            acquire(false, false, 0L);
        } catch (InterruptedException e) {
            throw new IllegalStateException("an uninterruptible acquisition was interrupted", e);
        }
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        checkNotHolder();
        if (Thread.interrupted()) {
            throw new InterruptedException("ClhLock: interrupted before acquiring");
        }
        acquire(true, false, 0L);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        checkNotHolder();
        if (Thread.interrupted()) {
            throw new InterruptedException("ClhLock: interrupted before acquiring");
        }
        long timeoutNanos = unit.toNanos(time);
        if (timeoutNanos <= 0) {
            return tryLock();
        }
        return acquire(true, true, timeoutNanos);
    }

    /**
     * Enqueues and waits. Returns false (having left the queue) when timed out, throws (having left the
     * queue) when interruptible and interrupted.
     */
    private boolean acquire(boolean interruptible, boolean timed, long timeoutNanos) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
        Node node = new Node();
        // Volatile swap: it publishes the new node (its pred = null) and fixes our place in the queue.
        Node pred = (Node) TAIL.getAndSet(this, node);
        int spins = 0;
        while (pred != null) {
            // Acquire read pairs with the predecessor's setRelease(AVAILABLE) in unlock.
            Node p = (Node) PRED.getAcquire(pred);
            if (p == AVAILABLE) {
                break;
            }
            if (p != null) {
                pred = p; // predecessor abandoned its place: wait behind the one it waited behind
                continue;
            }
            boolean interrupted = interruptible && Thread.interrupted();
            if (interrupted || (timed && deadline - System.nanoTime() <= 0)) {
                abandon(node, pred);
                if (interrupted) {
                    throw new InterruptedException("ClhLock: interrupted while waiting in the queue");
                }
                return false;
            }
            spins = SpinWait.pause(spins);
        }
        heldNode = node;
        becomeOwner();
        return true;
    }

    /** Leaves the queue: if we are the tail, put our predecessor back; otherwise tell our successor where to wait. */
    private void abandon(Node node, Node pred) {
        if (!TAIL.compareAndSet(this, node, pred)) {
            PRED.setRelease(node, pred);
        }
    }

    @Override
    public boolean tryLock() {
        checkNotHolder();
        Node t = (Node) TAIL.getVolatile(this);
        if (t != null && PRED.getAcquire(t) != AVAILABLE) {
            return false; // someone holds or waits
        }
        Node node = new Node();
        if (TAIL.compareAndSet(this, t, node)) {
            heldNode = node;
            becomeOwner();
            return true;
        }
        return false;
    }

    @Override
    public void unlock() {
        giveUpOwnership();
        Node node = heldNode;
        heldNode = null;
        // No successor: empty the queue. Otherwise mark our node released; the release store orders
        // our critical section before the successor's acquire read of AVAILABLE.
        if (!TAIL.compareAndSet(this, node, null)) {
            PRED.setRelease(node, AVAILABLE);
        }
    }

    /** The last node of the queue (changes identity on every enqueue); for tests that must know a thread has queued. */
    Object queueTail() {
        return TAIL.getVolatile(this);
    }
}
