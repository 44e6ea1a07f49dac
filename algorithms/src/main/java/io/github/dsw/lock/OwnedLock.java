package io.github.dsw.lock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * What every lock of this package shares beyond its protocol: who holds it (to reject misuse), the
 * {@link Lock} methods that may give up, and the refusal of conditions.
 *
 * <p><b>Misuse.</b> {@link #unlock()} by a thread that does not hold the lock throws
 * {@link IllegalMonitorStateException} and leaves the lock as it was. These locks are not reentrant:
 * any acquisition method called by the holder throws {@link IllegalStateException} instead of
 * deadlocking on itself.
 *
 * <p><b>Giving up.</b> {@link #lockInterruptibly()} and {@link #tryLock(long, TimeUnit)} must be able
 * to leave. The default here polls {@link #tryLock()}, which never takes a queue position, so there is
 * nothing to hand back; the price is that such callers barge (they are not served in FIFO order).
 * {@link ClhLock} overrides both with a waiter that really leaves the queue.
 */
abstract class OwnedLock implements Lock {

    /**
     * The holder, or {@code null}. A plain field on purpose: it is written only by the holder (after
     * acquiring, and back to {@code null} before releasing), so the protocol's release/acquire pair
     * orders it for the next holder. A non-holder may read a stale value, but never its own thread:
     * its own last write to this field was {@code null} (JLS 17.4.5, a read cannot see a write that
     * happens-before another write it also happens-after), so the ownership test below is exact.
     */
    private Thread owner;

    /** Throws if the current thread already holds this (non-reentrant) lock. */
    final void checkNotHolder() {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " is not reentrant: the current thread already holds it");
        }
    }

    /** Records the current thread as holder; call right after the protocol grants the lock. */
    final void becomeOwner() {
        owner = Thread.currentThread();
    }

    /** Checks that the current thread holds the lock and forgets it; call before the protocol releases. */
    final void giveUpOwnership() {
        if (owner != Thread.currentThread()) {
            throw new IllegalMonitorStateException(getClass().getSimpleName() + ".unlock() by thread '"
                    + Thread.currentThread().getName() + "', which does not hold the lock");
        }
        owner = null;
    }

    /** Whether the current thread holds this lock (exact for the current thread, see {@link #owner}). */
    public final boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        pollTryLock(false, 0L);
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return pollTryLock(true, unit.toNanos(time));
    }

    /**
     * Polls {@link #tryLock()} until it succeeds, the timeout (if {@code timed}) passes, or the thread is
     * interrupted. A timeout of zero or less tries once, as {@link Lock#tryLock(long, TimeUnit)} requires.
     */
    final boolean pollTryLock(boolean timed, long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        int spins = 0;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException(getClass().getSimpleName() + ": interrupted while acquiring");
            }
            if (tryLock()) {
                return true;
            }
            if (timed && deadline - System.nanoTime() <= 0) {
                return false;
            }
            spins = SpinWait.pause(spins);
        }
    }

    /** Always throws: see the message. */
    @Override
    public final Condition newCondition() {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " has no conditions: Condition.await must release the lock, park, and re-acquire it when"
                + " signalled, which needs a queue of parked threads that a spin lock does not keep;"
                + " use ReentrantLock.newCondition()");
    }

    @Override
    public String toString() {
        Thread t = owner;
        return getClass().getSimpleName() + (t == null ? "[unlocked]" : "[locked by " + t.getName() + "]");
    }
}
