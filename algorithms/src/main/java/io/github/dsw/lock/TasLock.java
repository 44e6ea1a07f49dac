package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Test-and-set lock: one word, and every attempt is an atomic write of "held" to it
 * (Herlihy &amp; Shavit, <i>The Art of Multiprocessor Programming</i>, ch. 7, "Test-and-Set Locks").
 *
 * <ul>
 *   <li><b>Fairness:</b> none. Whoever's atomic write lands first after a release wins; a thread can
 *       starve.</li>
 *   <li><b>Space:</b> one word per lock, nothing per thread.</li>
 *   <li><b>Coherence traffic:</b> the worst of the package. Each spin is a read-modify-write, which needs
 *       the cache line in exclusive state: every waiter steals the line from every other waiter (and
 *       from the holder, who must get it back to release) on every spin. Traffic grows with the number
 *       of waiters even while the lock stays held.</li>
 * </ul>
 * {@link TtasLock} fixes the traffic while the lock is held; {@link BackoffLock} fixes the storm on release.
 */
public final class TasLock extends OwnedLock {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TasLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 = free, 1 = held. Accessed only through {@link #STATE} with the modes named at each use. */
    @SuppressWarnings("unused")
    private volatile int state;

    @Override
    public void lock() {
        checkNotHolder();
        int spins = 0;
        // getAndSetAcquire: an atomic swap whose read has acquire semantics. When it returns 0 it read
        // the 0 written by the previous holder's setRelease, so everything that holder did in its
        // critical section is visible to ours (release/acquire pair, VarHandle javadoc; JLS 17.4.4 for
        // the volatile equivalent). Nothing is gained by a full volatile swap here.
        while ((int) STATE.getAndSetAcquire(this, 1) != 0) {
            spins = SpinWait.pause(spins);
        }
        becomeOwner();
    }

    @Override
    public boolean tryLock() {
        checkNotHolder();
        // A CAS instead of a swap: a failed tryLock then leaves the line shared instead of writing 1 over 1.
        if (STATE.compareAndSet(this, 0, 1)) {
            becomeOwner();
            return true;
        }
        return false;
    }

    @Override
    public void unlock() {
        giveUpOwnership();
        // setRelease: every read and write of the critical section (and the owner = null above) is
        // ordered before this store, and the next acquirer's acquire-read of 0 sees them all.
        STATE.setRelease(this, 0);
    }
}
