package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.lock.McsLock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Grader of lab {@code mcs-lock}. Expected values are properties, not the reference's outputs: a plain counter
 * incremented under the lock ends at exactly threads × rounds and no two threads are ever inside together
 * (mutual exclusion); waiters that enqueued one after another (seen through {@link McsLockLab#tail()}) get the lock
 * in that order (FIFO, Mellor-Crummey and Scott 1991, section 2); every thread of a churn of short critical
 * sections finishes (no lost wake-up) and the queue is empty at the end.
 */
final class McsLockLabGrader implements Lab<McsLockLab> {

    /** The workbench's {@link McsLock} behind the lab's interface. */
    static final class Reference implements McsLockLab {
        private final McsLock lock = new McsLock();

        Reference() {
        }

        @Override
        public void lock() {
            lock.lock();
        }

        @Override
        public void unlock() {
            lock.unlock();
        }

        @Override
        public Object tail() {
            return lock.queueTail();
        }
    }

    private static final long TIMEOUT_MS = 30_000;

    @Override
    public String name() {
        return "mcs-lock";
    }

    @Override
    public String summary() {
        return "chapter 4: the MCS queue lock (mutual exclusion, FIFO hand-off, no lost wake-ups)";
    }

    @Override
    public Class<McsLockLab> api() {
        return McsLockLab.class;
    }

    @Override
    public String studentClass() {
        return "StudentMcsLock";
    }

    @Override
    public McsLockLab reference() {
        return new Reference();
    }

    @Override
    public List<LabTest> tests(McsLockLab impl, Seeds seeds) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("alone-lock-unlock-leaves-an-empty-queue", 1, () -> {
            McsLockLab lock = Concurrent.fresh(impl);
            check(lock.tail() == null, "a new lock's tail must be null (empty queue), got %s", lock.tail());
            for (int i = 0; i < 1000; i++) {
                lock.lock();
                check(lock.tail() != null, "while held, the tail is the holder's node; got null after lock() number %d", i + 1);
                lock.unlock();
                check(lock.tail() == null, "after the only holder unlocks, the tail must be null again (unlock %d left %s)", i + 1,
                        lock.tail());
            }
        }));
        t.add(new LabTest("mutual-exclusion-under-contention", 3, () -> {
            McsLockLab lock = Concurrent.fresh(impl);
            int threads = 4;
            int rounds = 2500;
            AtomicInteger inside = new AtomicInteger();
            int[] counter = {0};
            Concurrent.run(threads, TIMEOUT_MS, "a waiter was never handed the lock (lost wake-up?)", i -> {
                for (int r = 0; r < rounds; r++) {
                    lock.lock();
                    try {
                        int now = inside.incrementAndGet();
                        check(now == 1, "%d threads inside the critical section at once (thread %d, round %d)", now, i, r);
                        counter[0]++;
                        inside.decrementAndGet();
                    } finally {
                        lock.unlock();
                    }
                }
            });
            check(counter[0] == threads * rounds, "a plain counter incremented under the lock by %d threads × %d rounds ended at"
                    + " %d, not %d: increments were lost, so two threads were inside together", threads, rounds, counter[0],
                    threads * rounds);
        }));
        t.add(new LabTest("fifo-hand-off-in-enqueue-order", 3, () -> {
            McsLockLab lock = Concurrent.fresh(impl);
            int waiters = 6;
            List<Integer> order = new CopyOnWriteArrayList<>();
            lock.lock();
            List<Thread> started = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < waiters; i++) {
                Object before = lock.tail();
                int id = i;
                Thread th = new Thread(() -> {
                    try {
                        lock.lock();
                        order.add(id);
                        lock.unlock();
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "lab-waiter-" + i);
                th.setDaemon(true);
                th.start();
                started.add(th);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (lock.tail() == before && failures.isEmpty()) {
                    check(System.nanoTime() < deadline, "waiter %d called lock() while the lock was held, but the tail did not"
                            + " change within 10 s: lock() must swap a new node into the tail", id);
                    Thread.onSpinWait();
                }
                if (!failures.isEmpty()) {
                    Concurrent.rethrow(failures.get(0));
                }
            }
            lock.unlock();
            for (Thread th : started) {
                th.join(TIMEOUT_MS);
            }
            if (!failures.isEmpty()) {
                Concurrent.rethrow(failures.get(0));
            }
            check(started.stream().noneMatch(Thread::isAlive), "waiters still spinning %d s after the holder unlocked: a lost"
                    + " wake-up (got the lock in this order so far: %s)", TIMEOUT_MS / 1000, order);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                expected.add(i);
            }
            check(order.equals(expected), "waiters enqueued in order %s got the lock in order %s: the hand-off is not FIFO",
                    expected, order);
        }));
        t.add(new LabTest("no-lost-wake-up-under-churn", 2, () -> {
            McsLockLab lock = Concurrent.fresh(impl);
            int threads = 6;
            int rounds = 1000;
            AtomicInteger done = new AtomicInteger();
            Concurrent.run(threads, TIMEOUT_MS, "waiters were left spinning: an unlock that found no successor linked yet"
                    + " must not return while another thread has swapped itself into the tail", i -> {
                        for (int r = 0; r < rounds; r++) {
                            lock.lock();
                            lock.unlock();
                        }
                        done.incrementAndGet();
                    });
            check(done.get() == threads, "only %d of %d threads finished", done.get(), threads);
            check(lock.tail() == null, "after every thread unlocked, the tail must be null (empty queue), got %s", lock.tail());
        }));
        return t;
    }
}
