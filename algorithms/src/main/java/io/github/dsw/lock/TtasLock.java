package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Test-and-test-and-set lock: wait by <i>reading</i> the word until it looks free, and only then try
 * the atomic swap (Herlihy &amp; Shavit, <i>The Art of Multiprocessor Programming</i>, ch. 7, "Test-and-Set Locks";
 * Rudolph &amp; Segall 1984).
 *
 * <ul>
 *   <li><b>Fairness:</b> none, as {@link TasLock}.</li>
 *   <li><b>Space:</b> one word per lock.</li>
 *   <li><b>Coherence traffic:</b> while the lock is held, each waiter spins on its own shared copy of
 *       the line: cache hits, no traffic. On release the holder's write invalidates all N copies, all
 *       N waiters miss, see 0 and issue their swaps: a burst of O(N) misses and N read-modify-writes of
 *       which one wins (the "bus storm" of the textbook). {@link BackoffLock} spreads that burst.</li>
 * </ul>
 */
public final class TtasLock extends OwnedLock {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TtasLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 = free, 1 = held. */
    @SuppressWarnings("unused")
    private volatile int state;

    @Override
    public void lock() {
        checkNotHolder();
        int spins = 0;
        while (true) {
            // The "test": getOpaque is enough. It promises only that the loop eventually sees the
            // holder's release (no hoisting out of the loop); the ordering we need comes from the
            // swap below, whose acquire read is the one that actually takes the lock.
            while ((int) STATE.getOpaque(this) != 0) {
                spins = SpinWait.pause(spins);
            }
            // The "test-and-set": acquire read pairs with unlock's setRelease, as in TasLock.
            if ((int) STATE.getAndSetAcquire(this, 1) == 0) {
                becomeOwner();
                return;
            }
        }
    }

    @Override
    public boolean tryLock() {
        checkNotHolder();
        if ((int) STATE.getOpaque(this) == 0 && STATE.compareAndSet(this, 0, 1)) {
            becomeOwner();
            return true;
        }
        return false;
    }

    @Override
    public void unlock() {
        giveUpOwnership();
        STATE.setRelease(this, 0);
    }
}
