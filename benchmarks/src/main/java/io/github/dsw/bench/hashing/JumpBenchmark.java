package io.github.dsw.bench.hashing;

import com.google.common.hash.Hashing;
import io.github.dsw.bench.Quick;
import io.github.dsw.hashing.JumpHash;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The bare bucket function: {@link JumpHash#bucket} (the paper's listing) against Guava's
 * {@code Hashing.consistentHash} (the anchor), over 2^20 random keys: with a short key list that
 * repeats (a few thousand keys) the branch predictor learns the loop counts and flatters both.
 *
 * <p>What to expect: the same cost (ratio about 1.0), growing like ln(buckets) since the expected
 * number of jumps is below ln(n)+1. Both do one double division per jump; Guava's version has an extra
 * branch for its overflow case, the paper's has one more multiply. Lamping &amp; Veach's Fig. 5 shows
 * about 15 ns at 2 buckets rising to about 62 ns at 1000 (Xeon E5-1650, C++).
 *
 * <p>How to run this: {@code ./dsw bench full --only JumpBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Quick({"buckets=1000"})
public class JumpBenchmark {
    private static final int KEYS = 1 << 20;

    @Param({"10", "100", "1000", "10000"})
    public int buckets;

    private final long[] keys = new long[KEYS];
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = random.nextLong();
        }
    }

    @Benchmark
    public int guava() {
        return Hashing.consistentHash(keys[next++ & (KEYS - 1)], buckets);
    }

    @Benchmark
    public int jumpHash() {
        return JumpHash.bucket(keys[next++ & (KEYS - 1)], buckets);
    }
}
