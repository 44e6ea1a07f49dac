package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * MCS queue lock: a thread swaps its own node into {@code tail}, links itself behind its predecessor,
 * and spins on a flag in <i>its own</i> node, which the predecessor clears on unlock (Mellor-Crummey
 * &amp; Scott, "Algorithms for Scalable Synchronization on Shared-Memory Multiprocessors", ACM TOCS
 * 9(1), 1991, section 2; Herlihy &amp; Shavit, <i>The Art of Multiprocessor Programming</i>,
 * ch. 7, "Queue Locks").
 *
 * <ul>
 *   <li><b>Fairness:</b> FIFO in the order of the swaps on {@code tail}, for {@link #lock()}.
 *       {@link #tryLock()} succeeds only on an empty queue. {@link #lockInterruptibly()} and the timed
 *       {@code tryLock} poll {@code tryLock()} and barge, because an MCS waiter cannot simply walk
 *       away: its predecessor will write into its node to hand it the lock, so leaving means splicing
 *       a singly linked list while the predecessor may be handing over (Scott &amp; Scherer's MCS-try,
 *       PPoPP 2001, needs extra node states for that; see {@link ClhLock} for the easy abortable queue).</li>
 *   <li><b>Space:</b> one node per waiting or holding thread, plus one word per lock. A fresh node per
 *       acquisition here (the paper reuses one per thread): the garbage collector frees it, and it
 *       keeps the code free of thread-local lookups.</li>
 *   <li><b>Coherence traffic:</b> O(1) per hand-off, and the spin is on the waiter's own node, local
 *       even on machines without coherent caches for remote memory. The price: unlock may have to wait
 *       for a successor that has swapped itself into {@code tail} but not yet linked into our
 *       {@code next} (the window between the swap and the link in {@link #lock()}).</li>
 * </ul>
 */
public final class McsLock extends OwnedLock {

    static final class Node {
        /** The successor, set by the successor once it has enqueued behind us. */
        @SuppressWarnings("unused")
        volatile Node next;
        /** True while the owner must wait; cleared by the predecessor to hand over the lock. */
        @SuppressWarnings("unused")
        volatile boolean locked;
    }

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;
    private static final VarHandle LOCKED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(McsLock.class, "tail", Node.class);
            NEXT = l.findVarHandle(Node.class, "next", Node.class);
            LOCKED = l.findVarHandle(Node.class, "locked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Last node of the queue, or null when nobody holds or waits. */
    @SuppressWarnings("unused")
    private volatile Node tail;
    /** The holder's node; plain, written and read only by the holder. */
    private Node heldNode;

    @Override
    public void lock() {
        checkNotHolder();
        Node node = new Node();
        // Plain store before publication: the swap below is a volatile write, so whoever finds the node
        // through tail or through our link sees locked = true, never the default false.
        LOCKED.set(node, true);
        Node pred = (Node) TAIL.getAndSet(this, node);
        if (pred != null) {
            // Link in; release so that the predecessor, reading next with acquire, sees our node's
            // initial state. Then spin on our own flag: acquire pairs with the predecessor's release.
            NEXT.setRelease(pred, node);
            int spins = 0;
            while ((boolean) LOCKED.getAcquire(node)) {
                spins = SpinWait.pause(spins);
            }
        }
        heldNode = node;
        becomeOwner();
    }

    @Override
    public boolean tryLock() {
        checkNotHolder();
        if (TAIL.getVolatile(this) != null) {
            return false;
        }
        Node node = new Node();
        if (TAIL.compareAndSet(this, null, node)) {
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
        Node succ = (Node) NEXT.getAcquire(node);
        if (succ == null) {
            // Nobody visible behind us. If tail is still our node, nobody is there at all: empty the queue.
            if (TAIL.compareAndSet(this, node, null)) {
                return;
            }
            // Someone swapped in after us but has not linked yet: wait for the link (a short window).
            int spins = 0;
            while ((succ = (Node) NEXT.getAcquire(node)) == null) {
                spins = SpinWait.pause(spins);
            }
        }
        // Hand over: release orders our critical section before the successor's acquire read of false.
        LOCKED.setRelease(succ, false);
    }

    /**
     * The last node of the queue (changes identity on every enqueue), null when nobody holds or waits; for tests
     * (and the {@code mcs-lock} lab's grader) that must know a thread has queued.
     */
    public Object queueTail() {
        return TAIL.getVolatile(this);
    }
}
