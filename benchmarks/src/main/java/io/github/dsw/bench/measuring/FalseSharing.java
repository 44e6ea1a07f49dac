package io.github.dsw.bench.measuring;

import io.github.dsw.bench.Quick;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson 6: false sharing.
 *
 * <p>Two threads each increment their <em>own</em> counter; nothing is shared in the program, yet
 * when the two counters sit in the same 64-byte cache line the line ping-pongs between the two cores:
 * every write by one thread invalidates the other's copy (MESI), and each increment waits for the line
 * to come back. In {@code unpadded} the counters are neighbours ({@code long[]} slots 0 and 1, 8 bytes
 * apart); in {@code padded} they are 16 slots (128 bytes) apart, which also defeats the adjacent-line
 * prefetcher that pairs 64-byte lines on many x86 CPUs. Each increment is an atomic
 * {@link VarHandle#getAndAdd} (a {@code lock xadd} on x86): it needs the line in the exclusive state at
 * that very moment. A plain or opaque store would not show the effect as clearly: the store buffer lets
 * a core go on while it waits for the line, and it then commits many pending stores in one visit.
 * Both layouts do the same atomic work; the only difference is whether the line is shared.
 *
 * <p>Expect: padded several times the throughput of unpadded, when the two threads run on two cores at
 * once. On a machine whose other core is busy the threads time-share, and the gap shrinks: check the
 * provenance note before trusting the ratio. After JMH sample 22 (FalseSharing).
 *
 * <p>Anchor: {@code padded} in the same run.
 *
 * <p>How to run this: {@code ./dsw bench full --only measuring.FalseSharing}
 */
@Quick
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FalseSharing {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    /** Distance in {@code long} slots between the two counters of the padded layout: 128 bytes. */
    private static final int PAD = 16;

    /** The counters, shared by the two threads of a group (each thread writes only its own slot). */
    @State(Scope.Group)
    public static class Counters {
        final long[] slots = new long[2 * PAD + 1];
    }

    private static long increment(long[] a, int i) {
        return (long) LONGS.getAndAdd(a, i, 1L);
    }

    @Benchmark
    @Group("unpadded")
    @GroupThreads(1)
    public long unpaddedA(Counters c) {
        return increment(c.slots, 0);
    }

    @Benchmark
    @Group("unpadded")
    @GroupThreads(1)
    public long unpaddedB(Counters c) {
        return increment(c.slots, 1);
    }

    @Benchmark
    @Group("padded")
    @GroupThreads(1)
    public long paddedA(Counters c) {
        return increment(c.slots, 0);
    }

    @Benchmark
    @Group("padded")
    @GroupThreads(1)
    public long paddedB(Counters c) {
        return increment(c.slots, PAD);
    }
}
