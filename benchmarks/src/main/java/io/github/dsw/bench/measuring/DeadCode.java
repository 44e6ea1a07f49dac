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
 * <p>The JIT compiler removes computations whose result nobody uses. {@link #measureWrong} evaluates
 * a degree-8 polynomial ({@link #poly}, plain double arithmetic that C2 knows has no side effect) and
 * throws the result away, so C2 deletes all of it and the benchmark measures an empty method: it comes
 * out as fast as {@link #baseline}. {@link #measureRight} returns the result, JMH feeds it to a
 * {@code Blackhole} the compiler cannot see through, and the real cost appears: a chain of 8 dependent
 * multiply-adds, each waiting for the previous one (a few nanoseconds).
 *
 * <p>Expect: wrong / baseline close to 1; right / baseline well above 1. Not every call is removable:
 * an intrinsic such as {@code Math.log}, compiled to a call into a runtime stub, survived as dead code
 * on JDK 25 when this chapter was written, which is why the workload is plain arithmetic. The lesson is
 * that you cannot know without checking, so always consume results.
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
        // The result is unused: C2 proves the arithmetic has no side effect and removes it.
        poly(x);
    }

    @Benchmark
    public double measureRight() {
        // Returning the result makes JMH consume it in a Blackhole: the work must happen.
        return poly(x);
    }

    /**
     * The workload of lessons 1 and 2: a degree-8 polynomial by Horner's rule, 8 dependent
     * multiply-adds (the coefficients of exp(x)'s Taylor series, though any would do).
     */
    static double poly(double x) {
        double r = 1.0 / 40320;
        r = r * x + 1.0 / 5040;
        r = r * x + 1.0 / 720;
        r = r * x + 1.0 / 120;
        r = r * x + 1.0 / 24;
        r = r * x + 1.0 / 6;
        r = r * x + 1.0 / 2;
        r = r * x + 1.0;
        return r * x + 1.0;
    }
}
