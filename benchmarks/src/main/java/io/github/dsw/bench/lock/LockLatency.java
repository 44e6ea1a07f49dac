package io.github.dsw.bench.lock;

import io.github.dsw.bench.Quick;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Acquisition latency: the time from calling {@code lock()} to the first instruction inside the
 * critical section, recorded for every acquisition in a per-thread HdrHistogram (2.2.2, 3 significant
 * digits), for the spin protocols and the JDK anchors.
 *
 * <p>How the distribution reaches the JSON. JMH can only sum per-thread {@code EVENTS} counters, so
 * each thread reports, per iteration, how many of its acquisitions waited at least 100 ns, 1 µs,
 * 10 µs, 100 µs, 1 ms and 10 ms ({@code waitsAtLeast...}), and how many it made ({@code acquisitions}).
 * Sums of counts are exact: {@code waitsAtLeast1us / acquisitions} is the merged fraction of all
 * threads' acquisitions that waited 1 µs or more, i.e. one point of the complementary CDF. Each thread
 * also reports its own 99th percentile ({@code waitNsP99}); summed over threads and divided by the
 * thread count it is the mean of per-thread p99s, not the p99 of the merged distribution (say so when
 * quoting it). The notebook draws full merged CDFs from a live run of {@link ContentionRun}.
 * The primary score is throughput, as in {@link LockThroughput}, but slowed by two {@code nanoTime}
 * calls per operation: compare latencies here, throughputs there.
 *
 * <p>What to expect: at 2 threads, TTAS (unfair) has a short median and a long tail (a waiter can lose
 * many races in a row), the ticket lock a tighter distribution (FIFO: the wait is bounded by the
 * queue ahead). <b>At 4 threads on a 2-core machine the tails measure preemption of the lock holder
 * (scheduler quanta, milliseconds) more than the protocol.</b>
 *
 * <p>How to run this: {@code ./dsw bench full --only LockLatency}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LockLatency {

    @Param({"tas", "ttas", "backoff", "ticket", "clh", "mcs", "synchronized", "reentrant-unfair", "reentrant-fair"})
    public String lock;

    @Param({"100"})
    public int csTokens;

    GuardedSection section;

    @Setup(Level.Trial)
    public void setUp() {
        section = GuardedSection.of(lock, csTokens, 8);
    }

    /** One thread's waits; thresholds of the complementary CDF in nanoseconds. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Waits {
        public long acquisitions;
        public long waitsAtLeast100ns;
        public long waitsAtLeast1us;
        public long waitsAtLeast10us;
        public long waitsAtLeast100us;
        public long waitsAtLeast1ms;
        public long waitsAtLeast10ms;
        public long waitNsP99;

        /** Up to 10 s, 3 significant digits; values above are clamped to the top (never reached in practice). */
        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

        @Setup(Level.Iteration)
        public void reset() {
            histogram.reset();
        }

        void record(long waitedNs) {
            histogram.recordValue(Math.min(Math.max(waitedNs, 0), histogram.getHighestTrackableValue()));
        }

        /** Runs after the measurement loop and before JMH reads the counters (see the generated code). */
        @TearDown(Level.Iteration)
        public void publish() {
            acquisitions = histogram.getTotalCount();
            waitsAtLeast100ns = atLeast(100);
            waitsAtLeast1us = atLeast(1_000);
            waitsAtLeast10us = atLeast(10_000);
            waitsAtLeast100us = atLeast(100_000);
            waitsAtLeast1ms = atLeast(1_000_000);
            waitsAtLeast10ms = atLeast(10_000_000);
            waitNsP99 = acquisitions == 0 ? 0 : histogram.getValueAtPercentile(99);
        }

        private long atLeast(long ns) {
            // HdrHistogram buckets values; counting from the bucket of ns is exact to 3 significant digits.
            return histogram.getCountBetweenValues(ns, histogram.getHighestTrackableValue());
        }
    }

    private void operation(Waits w) {
        w.record(section.runTimingAcquire());
        Blackhole.consumeCPU(LockThroughput.OUTSIDE_TOKENS);
    }

    @Benchmark
    @Threads(2)
    @Quick({"lock=ttas,ticket,reentrant-unfair"})
    public void threads2(Waits w) {
        operation(w);
    }

    /** Beyond the reference machine's 2 cores: the tail measures preemption of lock holders more than the protocol. */
    @Benchmark
    @Threads(4)
    public void threads4(Waits w) {
        operation(w);
    }
}
