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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson 4: warm-up and the JIT's tiers.
 *
 * <p>HotSpot starts every method in the interpreter, compiles hot ones with C1 (fast to compile, with
 * profiling) and recompiles the hottest with C2 (slow to compile, fast code). A measurement taken
 * before that settles describes the compiler's progress, not the code. Each benchmark here runs with
 * <em>no</em> warm-up, in {@code SingleShotTime} mode, so every one of its 30 measurement iterations is
 * kept: iteration 1 is mostly interpreted, the curve then steps down as C1 and C2 code arrives. The
 * three methods do the same work (a sum of squares over 4096 ints) on three JVM configurations:
 * <ul>
 *   <li>{@link #tiered}: the default tiered compilation (interpreter, then C1, then C2);</li>
 *   <li>{@link #c1Only}: {@code -XX:TieredStopAtLevel=1}, C1 only (what a short-lived process gets);</li>
 *   <li>{@link #interpreterOnly}: {@code -Xint}, no JIT at all.</li>
 * </ul>
 * <p>Expect: the tiered curve starts near the interpreter's level and ends below the C1-only level;
 * the interpreter stays flat and tens of times slower. Judge a steady-state number only from the flat
 * tail of the tiered curve: that is what warm-up iterations buy. (In-process smoke runs ignore the
 * fork flags.)
 *
 * <p>Anchor: the same work on the three configurations in the same run.
 *
 * <p>How to run this: {@code ./dsw bench full --only measuring.WarmUp}
 */
@Quick(declaredIterations = true)
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 0)
@Measurement(iterations = 30, batchSize = 200)
public class WarmUp {

    private int[] data;

    @Setup
    public void fill() {
        data = new int[4096];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 31 + 7;
        }
    }

    /**
     * The workload: a sum of squares. C1 compiles it to a plain loop with a bounds check per element;
     * C2 removes the checks, unrolls and uses SIMD instructions, which is where the tiers differ.
     */
    private int hash() {
        int h = 0;
        for (int v : data) {
            h += v * v;
        }
        return h;
    }

    @Benchmark
    public int tiered() {
        return hash();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
    public int c1Only() {
        return hash();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "-Xint")
    public int interpreterOnly() {
        return hash();
    }
}
