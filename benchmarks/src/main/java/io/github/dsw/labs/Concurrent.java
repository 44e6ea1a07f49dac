package io.github.dsw.labs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Threads for the lab tests: start some, wait a bounded time, and report the first thing any of them threw. */
final class Concurrent {

    /** The body of thread {@code i}. */
    @FunctionalInterface
    interface Body {
        void run(int i) throws Exception;
    }

    private Concurrent() {
    }

    /**
     * Runs {@code body} in {@code threads} threads started together; fails with {@code stuck} if some have not
     * finished after {@code timeoutMs} (they are daemon threads, left behind), and rethrows the first failure.
     */
    static void run(int threads, long timeoutMs, String stuck, Body body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "lab-worker-" + i);
            t.setDaemon(true);
            all.add(t);
        }
        all.forEach(Thread::start);
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        for (Thread t : all) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (failure.get() != null) {
                break;
            }
        }
        rethrow(failure.get());
        long alive = all.stream().filter(Thread::isAlive).count();
        Checks.check(alive == 0, "%d of %d threads had not finished after %d s: %s", alive, threads, timeoutMs / 1000, stuck);
    }

    static void rethrow(Throwable e) throws Exception {
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
    }

    /** A fresh instance of the class of {@code impl} (the student's class, or a reference's), by its no-argument constructor. */
    static <T> T fresh(T impl) {
        try {
            @SuppressWarnings("unchecked")
            T t = (T) impl.getClass().getDeclaredConstructor().newInstance();
            return t;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(impl.getClass().getName() + " needs a no-argument constructor: " + e, e);
        }
    }
}
