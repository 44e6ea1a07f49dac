package io.github.dsw.bench.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A short, live contention experiment outside JMH, for the notebook: {@code threads} threads share one
 * {@link GuardedSection} for {@code durationMs}; each counts its acquisitions and records every
 * acquisition wait in its own HdrHistogram, merged at the end. Not a benchmark (no warm-up, no forks):
 * use it for shapes (CDFs, who got the lock how often), and {@link LockThroughput} /
 * {@link LockLatency} for numbers.
 */
public final class ContentionRun {

    /**
     * What one run measured.
     *
     * @param lock            the lock's name
     * @param threads         thread count
     * @param virtualThreads  whether the threads were virtual
     * @param perThread       acquisitions of each thread
     * @param waitNs          merged histogram of acquisition waits, nanoseconds
     * @param elapsedNs       wall time of the run
     */
    public record Result(String lock, int threads, boolean virtualThreads, long[] perThread, Histogram waitNs,
                         long elapsedNs) {

        public long total() {
            long s = 0;
            for (long v : perThread) {
                s += v;
            }
            return s;
        }

        /** Acquisitions per microsecond, all threads together. */
        public double throughputPerUs() {
            return total() / (elapsedNs / 1_000.0);
        }

        /** Jain's fairness index of the per-thread counts, in [1/n, 1]. */
        public double jainIndex() {
            return ContentionRun.jainIndex(perThread);
        }
    }

    private ContentionRun() {
    }

    /**
     * Jain's fairness index {@code (sum x)^2 / (n * sum x^2)}: 1 when all x are equal, 1/n when one
     * is non-zero (R. Jain, D.-M. Chiu, W. Hawe, "A Quantitative Measure of Fairness and Discrimination
     * for Resource Allocation in Shared Computer Systems", DEC-TR-301, 1984).
     *
     * @param x non-negative amounts, not all zero
     */
    public static double jainIndex(long[] x) {
        if (x == null || x.length == 0) {
            throw new IllegalArgumentException("x must hold at least one value");
        }
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] < 0) {
                throw new IllegalArgumentException("x[" + i + "] must be >= 0, got " + x[i]);
            }
            sum += x[i];
            sumSq += (double) x[i] * x[i];
        }
        if (sum == 0) {
            throw new IllegalArgumentException("x must not be all zero");
        }
        return sum * sum / (x.length * sumSq);
    }

    /**
     * Runs the experiment.
     *
     * @param lock          a name of {@link GuardedSection#NAMES}
     * @param threads       1..256
     * @param csTokens      work inside the lock, consumeCPU tokens
     * @param outsideTokens work outside the lock, consumeCPU tokens
     * @param durationMs    1..60000
     * @param virtual       virtual threads instead of platform threads
     */
    public static Result run(String lock, int threads, int csTokens, int outsideTokens, long durationMs, boolean virtual)
            throws InterruptedException {
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads must be in 1..256, got " + threads);
        }
        if (durationMs < 1 || durationMs > 60_000) {
            throw new IllegalArgumentException("durationMs must be in 1..60000, got " + durationMs);
        }
        if (outsideTokens < 0) {
            throw new IllegalArgumentException("outsideTokens must be >= 0, got " + outsideTokens);
        }
        GuardedSection section = GuardedSection.of(lock, csTokens, threads);
        long[] counts = new long[threads];
        Histogram[] histograms = new Histogram[threads];
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] stopAt = new long[1];
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            int me = i;
            histograms[i] = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            Runnable body = () -> {
                Histogram h = histograms[me];
                long n = 0;
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long stop = stopAt[0];
                while (System.nanoTime() - stop < 0) {
                    h.recordValue(Math.min(section.runTimingAcquire(), h.getHighestTrackableValue()));
                    n++;
                    org.openjdk.jmh.infra.Blackhole.consumeCPU(outsideTokens);
                }
                counts[me] = n;
            };
            started.add(virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body));
        }
        ready.await();
        long start = System.nanoTime();
        stopAt[0] = start + TimeUnit.MILLISECONDS.toNanos(durationMs);
        go.countDown(); // the latch publishes stopAt to the workers
        for (Thread t : started) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;
        Histogram merged = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (Histogram h : histograms) {
            merged.add(h);
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (section.counter() != total) {
            throw new IllegalStateException(lock + ": counter " + section.counter() + " != acquisitions " + total
                    + ": mutual exclusion broken");
        }
        return new Result(lock, threads, virtual, counts, merged, elapsed);
    }
}
