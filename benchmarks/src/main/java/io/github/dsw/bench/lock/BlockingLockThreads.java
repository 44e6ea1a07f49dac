package io.github.dsw.bench.lock;

import io.github.dsw.bench.Quick;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Virtual threads versus platform threads contending on the blocking JDK locks: one operation is a
 * batch of {@value #TASKS} freshly started threads, each doing {@value #ACQUISITIONS} lock / 100-token
 * critical section / unlock / 100 tokens outside; the score is the time per batch, thread start and
 * join included (starting a thread per task is how virtual threads are meant to be used).
 *
 * <p>Anchors: the same batch on platform threads. What to expect: a blocked virtual thread unmounts
 * from its carrier, so parking is cheaper than a platform thread's futex sleep and start-up costs
 * microseconds instead of tens of microseconds; since JDK 24 (JEP 491) {@code synchronized} no
 * longer pins the carrier, so it should behave like {@code ReentrantLock} (the reference JDK is 25).
 * The 8 threads exceed the reference machine's 2 cores (and the virtual threads' 2 carriers): the
 * numbers measure scheduling of blocked threads, which is the point of this comparison.
 *
 * <p>How to run this: {@code ./dsw bench full --only BlockingLockThreads}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Quick({"lock=reentrant-unfair"})
public class BlockingLockThreads {

    static final int TASKS = 8;
    static final int ACQUISITIONS = 2_000;

    @Param({"reentrant-unfair", "reentrant-fair", "synchronized"})
    public String lock;

    @Param({"platform", "virtual"})
    public String threadKind;

    GuardedSection section;

    @Setup(Level.Trial)
    public void setUp() {
        if (!GuardedSection.blocks(lock)) {
            throw new IllegalArgumentException("lock must be a blocking JDK lock, got " + lock);
        }
        section = GuardedSection.of(lock, 100, TASKS);
    }

    @Benchmark
    public long batch() throws InterruptedException {
        Thread.Builder builder = threadKind.equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform();
        Thread[] started = new Thread[TASKS];
        for (int i = 0; i < TASKS; i++) {
            started[i] = builder.start(() -> {
                for (int k = 0; k < ACQUISITIONS; k++) {
                    section.run();
                    Blackhole.consumeCPU(LockThroughput.OUTSIDE_TOKENS);
                }
            });
        }
        for (Thread t : started) {
            t.join();
        }
        return section.counter();
    }
}
