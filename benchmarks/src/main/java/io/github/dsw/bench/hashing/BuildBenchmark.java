package io.github.dsw.bench.hashing;

import io.github.dsw.bench.Quick;
import io.github.dsw.hashing.AnchorHash;
import io.github.dsw.hashing.HashRing;
import io.github.dsw.hashing.MaglevHash;
import java.util.List;
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
 * Build time of the structures that need one: the array ring (hash n·100 points, sort), the textbook
 * {@link TreeMapRing} (n·100 tree insertions, the anchor), Maglev's table (M = 65537 up to 655 nodes,
 * 655373 above) and AnchorHash (arrays of capacity 2n). Jump hash and rendezvous have nothing to build.
 *
 * <p>What to expect: both rings O(nv log nv), the array ring paying a boxed index sort; Maglev
 * O(M log M) independent of n to first order (the paper reports 1.8 ms at M = 65537 and 22.9 ms at
 * 655373); AnchorHash O(capacity), far below the others.
 *
 * <p>How to run this: {@code ./dsw bench full --only BuildBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Quick({"nodes=1000", "algorithm=ring,treeMapRing,maglev"})
public class BuildBenchmark {

    @Param({"ring", "treeMapRing", "maglev", "anchor"})
    public String algorithm;

    @Param({"100", "1000"})
    public int nodes;

    private List<String> names;

    @Setup
    public void setUp() {
        names = Lookups.names(nodes);
    }

    @Benchmark
    public Object build() {
        return switch (algorithm) {
            case "ring" -> new HashRing(names, Lookups.VIRTUAL_NODES);
            case "treeMapRing" -> new TreeMapRing(names, Lookups.VIRTUAL_NODES);
            case "maglev" -> new MaglevHash(names, Lookups.maglevTableSize(nodes));
            case "anchor" -> new AnchorHash(names, 2 * nodes);
            default -> throw new IllegalArgumentException("unknown algorithm '" + algorithm + "'");
        };
    }
}
