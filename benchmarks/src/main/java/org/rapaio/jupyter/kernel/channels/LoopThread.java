package org.rapaio.jupyter.kernel.channels;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A replacement for rapaio-jupyter-kernel 3.0.1's {@code LoopThread} (MIT-licensed; this class is written
 * here from its public signature, not copied), compiled into {@code benchmarks/target/kernel/dsw-kernel-patch.jar}
 * and put AHEAD of the unmodified kernel jar on the kernel's class path (see {@code write_kernel_spec} in
 * {@code .ci/dsw-jupyter.sh}), so the JVM loads this class instead of the jar's.
 *
 * <p>It fixes two ways in which the kernel's channel threads stop, silently, at start-up:
 * <ol>
 *   <li>The original sets its {@code running} flag <em>after</em> {@code Thread.start()} and loops
 *       {@code while (running)}: a new thread scheduled before the starting thread sets the flag sees
 *       {@code false} and returns at once. The shell thread gone, the kernel binds its sockets and answers
 *       nothing (a hang); the control thread gone, interrupt and shutdown are ignored. The same race was fixed
 *       in 2018 in the jupyter-jvm-basekernel code the kernel descends from. Here the flag is set first.</li>
 *   <li>{@code Channels.connect} starts the loops before it fills its handler map, so a request that arrives
 *       first (Jupyter's first {@code kernel_info_request}) throws a NullPointerException in
 *       {@code Channels.getHandler}; the original loop has no catch, so that thread dies. Here each
 *       iteration's runtime exception is logged and the loop goes on: that one request is lost, and the
 *       client's next {@code kernel_info_request} (Jupyter clients repeat it until answered) is served.</li>
 * </ol>
 * {@code KernelPatchTest} pins this to kernel 3.0.1 (it fails when the version changes, so whoever upgrades
 * the kernel checks whether the bugs are still there) and checks that the signatures still match the jar's.
 */
public final class LoopThread extends Thread {

    private static final Logger LOGGER = Logger.getLogger(LoopThread.class.getSimpleName());

    /** Consecutive failing iterations after which the loop gives up (5 s at the kernel's 50 ms sleep). */
    static final int MAX_CONSECUTIVE_FAILURES = 100;

    private volatile boolean running;
    private final long sleep;
    private final Runnable loopBody;

    /**
     * @param name     the thread's name
     * @param sleep    milliseconds to sleep after each iteration
     * @param loopBody one iteration (poll a socket, handle what arrived)
     */
    public LoopThread(String name, long sleep, Runnable loopBody) {
        super(name);
        this.sleep = sleep;
        this.loopBody = loopBody;
    }

    @Override
    public synchronized void start() {
        running = true; // before the thread exists, so its first look at the flag sees true
        super.start();
    }

    @Override
    public void run() {
        int failures = 0;
        while (running) {
            try {
                loopBody.run();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                if (!running) {
                    return; // the channel is closing: its socket may already be gone
                }
                if (failures >= MAX_CONSECUTIVE_FAILURES) {
                    LOGGER.log(Level.SEVERE, getName() + ": " + failures + " iterations in a row failed; the loop stops", e);
                    running = false;
                    return;
                }
                // The stack trace of the first failure of a streak only, so a persistent fault cannot flood the log.
                LOGGER.log(Level.WARNING, getName() + ": one iteration failed, the loop goes on: " + e, failures == 1 ? e : null);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                running = false;
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Asks the loop to stop after its current iteration. */
    public void shutdown() {
        running = false;
    }

    /** Whether the loop is (still) meant to run. */
    boolean isRunning() {
        return running;
    }
}
