package io.github.dsw.bench.checksum;

import io.github.dsw.checksum.Adler32;
import io.github.dsw.checksum.Fletcher16;
import io.github.dsw.checksum.Fletcher32;
import io.github.dsw.checksum.InternetChecksum;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.Checksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the sum-based checksums (the project's Adler-32, Fletcher-16, Fletcher-32 and RFC 1071
 * Internet checksum) against the JDK's intrinsic {@link java.util.zip.Adler32}, one whole byte array per
 * operation.
 *
 * <p><b>Expect</b>: the sums cost one or two additions per byte with reductions deferred, so the project's
 * Adler-32 is within a small factor of CRC slicing-by-16 and well behind the JDK's vectorised intrinsic;
 * the Internet checksum (one addition per two bytes, no modulo) is the cheapest of the four. Full suite
 * only (the quick suite measures CRCs).
 *
 * <p>How to run this: {@code ./dsw bench full --only SumChecksumThroughput}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SumChecksumThroughput {

    @Param({"256", "65536"})
    public int size;

    private byte[] data;
    private final Checksum adler32 = new Adler32();
    private final Checksum fletcher16 = new Fletcher16();
    private final Checksum fletcher32 = new Fletcher32();
    private final Checksum internet = new InternetChecksum();
    private final Checksum jdkAdler32 = new java.util.zip.Adler32();

    @Setup(Level.Trial)
    public void setUp() {
        data = new byte[size];
        new Random(42).nextBytes(data);
    }

    private long run(Checksum c) {
        c.reset();
        c.update(data, 0, size);
        return c.getValue();
    }

    @Benchmark
    public long adler32() {
        return run(adler32);
    }

    @Benchmark
    public long fletcher16() {
        return run(fletcher16);
    }

    @Benchmark
    public long fletcher32() {
        return run(fletcher32);
    }

    @Benchmark
    public long internetChecksum() {
        return run(internet);
    }

    @Benchmark
    public long jdkAdler32() {
        return run(jdkAdler32);
    }
}
