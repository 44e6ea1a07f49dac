package io.github.dsw.lock;

/**
 * How every lock in this package waits: a busy-wait hint ({@link Thread#onSpinWait()}, JEP 285: on x86
 * the {@code PAUSE} instruction, which saves power and lets the sibling hyper-thread run) and, every
 * {@value #YIELD_EVERY} spins, {@link Thread#yield()}.
 *
 * <p>Why yield at all, when the textbook protocols (Herlihy &amp; Shavit, <i>The Art of Multiprocessor
 * Programming</i>, ch. 7) spin forever? They assume one thread per core. With more runnable threads
 * than cores, the thread a spinner waits for (the holder, or in a FIFO lock the next in line) may be
 * descheduled, and pure spinners would burn whole scheduler quanta waiting for it. Yielding does not
 * change who gets the lock, only how much CPU the wait wastes; it keeps the oversubscribed tests and
 * benchmarks finishing, and the collapse still shows in the measurements.
 */
final class SpinWait {

    /** Spins between two yields; a power of two so that the test is a mask. */
    static final int YIELD_EVERY = 128;

    private SpinWait() {
    }

    /**
     * One step of a wait loop.
     *
     * @param spins how many steps this wait has taken so far (start at 0)
     * @return {@code spins + 1}, to pass to the next call
     */
    static int pause(int spins) {
        if ((spins & (YIELD_EVERY - 1)) == YIELD_EVERY - 1) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
        return spins + 1;
    }
}
