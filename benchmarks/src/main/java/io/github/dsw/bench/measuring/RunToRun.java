package io.github.dsw.bench.measuring;

import io.github.dsw.bench.Quick;
import java.util.HashMap;
import java.util.Map;
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
 * Lesson 5: forks and run-to-run variance.
 *
 * <p>Two launches of the same JVM on the same machine do not produce the same code and the same memory
 * layout: JIT decisions depend on timing and profiles, objects land at different addresses, and
 * identity hash codes are random per JVM. A benchmark that touches any of these has a per-JVM
 * component of variance that no number of iterations inside one JVM can reveal. {@link #lookup} finds
 * keys in a {@code HashMap} keyed by plain {@code Object}s: their identity hash codes, hence their
 * buckets, collisions and cache footprint, are drawn anew in every JVM.
 *
 * <p>The measurement iterations of one fork agree closely with each other; the forks disagree with each
 * other by more than that. The error JMH reports from a single fork is therefore too optimistic. The
 * notebook plots the mean of each fork against the spread inside forks.
 *
 * <p>Anchor: the forks themselves (between-fork vs within-fork spread of the same benchmark).
 * After JMH sample 13 (RunToRun).
 *
 * <p>How to run this: {@code ./dsw bench full --only measuring.RunToRun}
 */
@Quick(forks = 5)
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(10)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RunToRun {

    private static final int KEYS = 1 << 16;

    private Map<Object, Integer> map;
    private Object[] probes;
    private int next;

    @Setup
    public void fill() {
        map = new HashMap<>();
        probes = new Object[KEYS];
        for (int i = 0; i < KEYS; i++) {
            probes[i] = new Object();
            map.put(probes[i], i);
        }
    }

    /** One lookup of a key that is present, cycling through all keys. */
    @Benchmark
    public Integer lookup() {
        Object key = probes[next];
        next = (next + 1) & (KEYS - 1);
        return map.get(key);
    }
}
