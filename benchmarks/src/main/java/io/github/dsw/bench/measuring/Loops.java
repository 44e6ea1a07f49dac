package io.github.dsw.bench.measuring;

import io.github.dsw.bench.Quick;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson 3: loops inside a benchmark hide work.
 *
 * <p>The classic mistake is to call the operation {@code reps} times in a loop and divide the time by
 * {@code reps}. The compiler unrolls, hoists loop-invariant work and pipelines the iterations, so the
 * per-operation cost falls as {@code reps} grows, and the number no longer describes a single call.
 * {@link #measureWrong} adds {@code x + y} {@code reps} times (the same value each time: the
 * compiler may hoist it and even reduce the whole loop to a multiplication); {@link #measureRight}
 * does the addition once and lets JMH repeat the call.
 *
 * <p>Expect: {@code measureWrong} time divided by {@code reps} drops far below the cost of one
 * {@code measureRight} call as {@code reps} grows (the notebook plots time / reps against reps).
 *
 * <p>Anchor: {@link #measureRight} in the same run. After JMH sample 11 (Loops).
 *
 * <p>How to run this: {@code ./dsw bench full --only measuring.Loops}
 */
@Quick({"reps=1,10,100,1000"})
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Loops {

    /** The loop count, in its own state so that only {@link #measureWrong} is run once per value. */
    @State(Scope.Thread)
    public static class Repetitions {
        @Param({"1", "10", "100", "1000", "10000"})
        public int reps;
    }

    private int x = 1;
    private int y = 2;

    @Benchmark
    public int measureRight() {
        return x + y;
    }

    /** The time of this call divided by {@code reps} is what a hand-rolled loop would report "per addition". */
    @Benchmark
    public int measureWrong(Repetitions r) {
        int sum = 0;
        for (int i = 0; i < r.reps; i++) {
            sum += x + y;
        }
        return sum;
    }
}
