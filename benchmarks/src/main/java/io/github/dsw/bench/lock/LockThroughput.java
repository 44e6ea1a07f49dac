package io.github.dsw.bench.lock;

import io.github.dsw.bench.Quick;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of lock / critical section / unlock / work outside, against the number of threads, for
 * every lock of {@code io.github.dsw.lock} and the JDK anchors ({@code synchronized},
 * {@code ReentrantLock} unfair and fair, {@code StampedLock} write lock), in one run.
 *
 * <p>Each operation takes the lock, increments a shared counter and burns {@code csTokens} of
 * {@link Blackhole#consumeCPU} inside, then burns {@value #OUTSIDE_TOKENS} tokens outside. The methods
 * {@code threads1} ... {@code threads8} differ only in {@code @Threads}: JMH cannot make the thread
 * count a {@code @Param}. The Universal Scalability Law ({@code io.github.dsw.model.Usl}) is fitted to
 * each lock's throughput-versus-threads curve in the notebook.
 *
 * <p>Fairness: every thread counts its acquisitions; the secondary results {@code acquisitions} and
 * {@code acquisitionsSquared} are sums over threads of x_i and x_i^2 per iteration (JMH sums
 * {@code EVENTS} counters over threads without normalising them), so Jain's index
 * {@code J = (sum x)^2 / (n sum x^2)} of each iteration follows exactly from the JSON (1 = perfectly
 * even, 1/n = one thread did everything; R. Jain, D. Chiu, W. Hawe, DEC-TR-301, 1984).
 *
 * <p>What to expect. At 1 thread, the cost of an uncontended acquire/release pair: one atomic for
 * TAS/TTAS/ticket/CLH/MCS, more for array (admission) and cohort (two ticket locks). At 2 threads
 * (= the cores of the reference machine) the protocol shows: TAS pays for its swaps, queue locks hand
 * over in FIFO order. <b>At 4 and 8 threads on a 2-core machine the numbers measure preemption of lock
 * holders more than the protocol</b>: a FIFO spin lock must wait for the next thread in line to be
 * scheduled, while unfair locks let whoever runs take the lock (the oversubscription collapse of spin
 * locks); the parking JDK locks should degrade least, and fair {@code ReentrantLock} pays a park/unpark
 * per hand-off at every thread count beyond 1.
 *
 * <p>How to run this: {@code ./dsw bench full --only LockThroughput} (all 12 locks x 3 critical
 * sections x 4 thread counts = 144 cases, about 30 minutes with 2 forks); the quick suite runs 6 locks x threads 1, 2, 4 at 100 tokens.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class LockThroughput {

    /** Work outside the lock per operation, in consumeCPU tokens, the same for every lock. */
    public static final int OUTSIDE_TOKENS = 100;

    static final String QUICK_LOCKS = "lock=ttas,backoff,ticket,mcs,reentrant-unfair,reentrant-fair";

    @Param({"tas", "ttas", "backoff", "ticket", "array", "clh", "mcs", "cohort",
            "synchronized", "reentrant-unfair", "reentrant-fair", "stamped"})
    public String lock;

    @Param({"0", "100", "1000"})
    public int csTokens;

    GuardedSection section;

    @Setup(Level.Trial)
    public void setUp() {
        section = GuardedSection.of(lock, csTokens, 8);
    }

    /** Per-thread acquisition counts, reset each iteration; see the class comment for Jain's index. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Acquisitions {
        public long acquisitions;
        /** Kept equal to acquisitions^2 incrementally: (a + 1)^2 = a^2 + 2a + 1. */
        public long acquisitionsSquared;

        @Setup(Level.Iteration)
        public void reset() {
            acquisitions = 0;
            acquisitionsSquared = 0;
        }

        void count() {
            acquisitionsSquared += 2 * acquisitions + 1;
            acquisitions++;
        }
    }

    private void operation(Acquisitions a) {
        section.run();
        a.count();
        Blackhole.consumeCPU(OUTSIDE_TOKENS);
    }

    @Benchmark
    @Threads(1)
    @Quick({QUICK_LOCKS, "csTokens=100"})
    public void threads1(Acquisitions a) {
        operation(a);
    }

    @Benchmark
    @Threads(2)
    @Quick({QUICK_LOCKS, "csTokens=100"})
    public void threads2(Acquisitions a) {
        operation(a);
    }

    /** Beyond the reference machine's 2 cores: measures preemption of lock holders more than the protocol. */
    @Benchmark
    @Threads(4)
    @Quick({QUICK_LOCKS, "csTokens=100"})
    public void threads4(Acquisitions a) {
        operation(a);
    }

    /** Beyond the reference machine's 2 cores: measures preemption of lock holders more than the protocol. */
    @Benchmark
    @Threads(8)
    public void threads8(Acquisitions a) {
        operation(a);
    }
}
