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
 * Lesson 1: dead-code elimination.
 *
 * <p>The JIT compiler removes computations whose result nobody uses. {@link #measureWrong} computes
 * {@code Math.log(x)} and throws the result away, so C2 deletes the call and the benchmark measures an
 * empty method: it comes out as fast as {@link #baseline}. {@link #measureRight} returns the result,
 * JMH feeds it to a {@code Blackhole} the compiler cannot see through, and the real cost of a logarithm
 * appears (several nanoseconds, many times the baseline).
 *
 * <p>Expect: wrong / baseline close to 1; right / baseline well above 1. If "wrong" ever comes out
 * slower than the baseline, the compiler did not eliminate it on that JVM; the lesson is that you cannot
 * know without checking, so always consume results.
 *
 * <p>Anchor: {@link #baseline}, an empty benchmark in the same run. After JMH sample 08 (DeadCode).
 *
 * <p>How to run this: {@code ./dsw bench full --only measuring.DeadCode}
 */
@Quick
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DeadCode {

    /** Not final, not a constant: the compiler must read it (see {@link ConstantFolding}). */
    private double x = Math.PI;

    @Benchmark
    public void baseline() {
        // An empty method: the cost of the harness itself.
    }

    @Benchmark
    public void measureWrong() {
        // The result is unused: C2 proves Math.log has no side effect and removes the call.
        Math.log(x);
    }

    @Benchmark
    public double measureRight() {
        // Returning the result makes JMH consume it in a Blackhole: the work must happen.
        return Math.log(x);
    }
}
