package io.github.dsw.bench.hashing;

import io.github.dsw.bench.Quick;
import io.github.dsw.hashing.KeyHash;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
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
 * Lookup cost, key hash to node name, for every consistent-hashing algorithm at N nodes.
 *
 * <p>Anchors, measured in the same run: Guava's {@code Hashing.consistentHash} (the same jump hash),
 * and {@link TreeMapRing}, the textbook {@code TreeMap} ring with the same points as
 * {@code HashRing} (100 virtual nodes per node). Keys are 2^20 pre-hashed random longs (8 MB, read in order, which the
 * prefetcher hides), so table-based lookups touch their tables at random as real traffic does and the
 * key hash is not part of the cost.
 *
 * <p>What to expect (issue targets): {@code jump} no slower than {@code guava} (same algorithm);
 * {@code ring} (sorted arrays, binary search) at least 2x faster than {@code treeMapRing} at 1000 nodes
 * (no boxing, no pointer chasing); {@code maglev} within 2x of {@code jump} at 1000 nodes (one table
 * read, but the table is 256 KB to 2.6 MB, larger than L2); {@code rendezvous} grows linearly in N;
 * {@code multiProbe} pays 21 hashes and binary searches. Lamping &amp; Veach report jump 3-4x faster than
 * a ring with 1000 points per bucket up to 1000 buckets.
 *
 * <p>How to run this: {@code ./dsw bench full --only LookupBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Quick({"nodes=1000", "algorithm=guava,jump,ring,treeMapRing,maglev,rendezvous,multiProbe,anchor"})
public class LookupBenchmark {
    private static final int KEYS = 1 << 20;

    @Param({"jump", "guava", "modulo", "ring", "treeMapRing", "rendezvous", "maglev", "multiProbe", "anchor"})
    public String algorithm;

    @Param({"10", "100", "1000", "10000"})
    public int nodes;

    private LongFunction<String> lookup;
    private final long[] keys = new long[KEYS];
    private int next;

    @Setup
    public void setUp() {
        lookup = Lookups.of(algorithm, nodes);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = KeyHash.of(random.nextLong());
        }
    }

    @Benchmark
    public String lookup() {
        return lookup.apply(keys[next++ & (KEYS - 1)]);
    }
}
