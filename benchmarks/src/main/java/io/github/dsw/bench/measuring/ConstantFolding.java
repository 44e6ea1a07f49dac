package io.github.dsw.bench.measuring;

import io.github.dsw.bench.Quick;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson 2: constant folding.
 *
 * <p>When every input of a computation is known at compile time, the JIT computes it once, at compile
 * time, and the benchmark measures loading a constant. {@link #measureWrong} evaluates the polynomial
 * of {@link DeadCode#poly} at a {@code static final} constant: C2 folds the whole chain of
 * multiply-adds into its result even though the result is returned. {@link #measureRight} reads the
 * same value from a non-final field of the {@code @State} object, which the compiler cannot assume
 * constant, so the arithmetic runs every time.
 *
 * <p>Expect: wrong close to {@link #baseline} (returning a field); right several times slower.
 *
 * <p>Anchor: {@link #baseline} in the same run. After JMH sample 10 (ConstantFold).
 *
 * <p>How to run this: {@code ./dsw bench full --only measuring.ConstantFolding}
 */
@Quick
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConstantFolding {

    private static final double CONSTANT = Math.PI;

    /** Read on every call: a non-final field is not a compile-time constant. */
    private double x = Math.PI;

    @Benchmark
    public double baseline() {
        return x;
    }

    @Benchmark
    public double measureWrong() {
        // Every input is a compile-time constant: the JIT folds the whole computation to its result.
        return DeadCode.poly(CONSTANT);
    }

    @Benchmark
    public double measureRight() {
        return DeadCode.poly(x);
    }
}
