package io.github.dsw.lock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Test-and-test-and-set with exponential backoff: a thread that sees the lock free but loses the swap
 * knows the lock is contended, and waits a random delay before trying again; the bound on the delay
 * doubles on each loss up to a maximum (Herlihy &amp; Shavit, <i>The Art of Multiprocessor
 * Programming</i>, ch. 7, "Exponential Backoff"; Anderson, IEEE TPDS 1(1), 1990).
 *
 * <ul>
 *   <li><b>Fairness:</b> none, and worse than TTAS in one way: a thread that lost often waits longest,
 *       so the last winner (delay reset) tends to win again.</li>
 *   <li><b>Space:</b> one word per lock; the delay bound lives on the waiter's stack.</li>
 *   <li><b>Coherence traffic:</b> as {@link TtasLock} while held; after a release, losers leave the
 *       line alone for their delay, so the storm of swaps is spread over time. The cost is latency: the
 *       lock can sit free while everyone backs off. The best {@code minDelay}/{@code maxDelay} depend on
 *       the machine and the load ("not portable across platforms", the book's own caveat).</li>
 * </ul>
 * The delay is counted in {@link Thread#onSpinWait()} hints, not in time, so it costs no clock reads.
 */
public final class BackoffLock extends OwnedLock {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BackoffLock.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** 0 = free, 1 = held. */
    @SuppressWarnings("unused")
    private volatile int state;

    private final int minDelay;
    private final int maxDelay;

    /** A lock with delays from 16 to 4096 spin hints (a few hundred ns to tens of µs on current x86). */
    public BackoffLock() {
        this(16, 4096);
    }

    /**
     * @param minDelay first bound on the random delay after a lost race, in spin hints, at least 1
     * @param maxDelay largest bound, at least {@code minDelay} and at most 2^24
     */
    public BackoffLock(int minDelay, int maxDelay) {
        if (minDelay < 1) {
            throw new IllegalArgumentException("minDelay must be >= 1, got " + minDelay);
        }
        if (maxDelay < minDelay || maxDelay > (1 << 24)) {
            throw new IllegalArgumentException("maxDelay must be in minDelay.." + (1 << 24) + " (minDelay="
                    + minDelay + "), got " + maxDelay);
        }
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
    }

    @Override
    public void lock() {
        checkNotHolder();
        int limit = minDelay;
        int spins = 0;
        while (true) {
            while ((int) STATE.getOpaque(this) != 0) {
                spins = SpinWait.pause(spins);
            }
            if ((int) STATE.getAndSetAcquire(this, 1) == 0) {
                becomeOwner();
                return;
            }
            // Lost the race although the lock looked free: contention. Back off, then widen the window.
            int delay = ThreadLocalRandom.current().nextInt(limit) + 1;
            for (int i = 0; i < delay; i++) {
                spins = SpinWait.pause(spins);
            }
            limit = Math.min(maxDelay, limit << 1);
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
