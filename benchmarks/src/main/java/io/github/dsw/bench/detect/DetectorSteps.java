package io.github.dsw.bench.detect;

import io.github.dsw.bench.Quick;
import io.github.dsw.detect.ExponentialPhiDetector;
import io.github.dsw.detect.FixedTimeoutDetector;
import io.github.dsw.detect.HeartbeatDetector;
import io.github.dsw.detect.PhiAccrualDetector;
import io.github.dsw.runtime.SplitMix64;
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
 * The CPU cost of one heartbeat in each detector of chapter 11: record the arrival, then answer one query
 * ({@code heartbeatAndQuery}: is the process available a little later? For φ accrual that evaluates the
 * logistic CDF, an {@code exp} and a {@code log10}); and what {@code HeartbeatNode} does per heartbeat instead
 * of polling ({@code heartbeatAndDeadline}: the time at which the detector will suspect, which for Akka's φ is a
 * bisection of about 60 φ evaluations, for Cassandra's a division).
 *
 * <p>Anchor: the fixed timeout, which only stores a time stamp. Expect φ accrual a few times slower per query
 * (running sums, a square root, exp and log10; still tens of ns), Cassandra's close to the fixed timeout, and the
 * φ deadline some 60 times a φ evaluation: microseconds, still nothing next to a heartbeat interval of a second.
 * The detectors hold a full window (1000 intervals) of jittered 1 s intervals before measuring.
 *
 * <p>How to run this: {@code ./dsw bench full --only DetectorSteps}, or by hand:
 * {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main DetectorSteps -f 1 -wi 2 -i 3 -w 1 -r 1}
 */
@Quick
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DetectorSteps {

    /** A detector fed with jittered heartbeats. */
    @State(Scope.Thread)
    public static class Fed {
        @Param({"fixed", "phi", "phi-exp"})
        public String kind;

        HeartbeatDetector detector;
        final long[] intervalsNs = new long[1024];
        long nowNs;
        int next;

        @Setup
        public void setUp() {
            detector = switch (kind) {
                case "fixed" -> new FixedTimeoutDetector(3_000_000_000L);
                case "phi" -> new PhiAccrualDetector(PhiAccrualDetector.Settings.akkaDefaults());
                case "phi-exp" -> new ExponentialPhiDetector(ExponentialPhiDetector.Settings.cassandraDefaults());
                default -> throw new IllegalArgumentException("kind " + kind);
            };
            SplitMix64 r = new SplitMix64(1);
            for (int i = 0; i < intervalsNs.length; i++) {
                intervalsNs[i] = 1_000_000_000L + Math.round(20_000_000 * r.nextGaussian());
            }
            for (int i = 0; i < 2000; i++) {
                step();
            }
        }

        long step() {
            nowNs += intervalsNs[next++ & (intervalsNs.length - 1)];
            detector.heartbeat(nowNs);
            return nowNs;
        }
    }

    @Benchmark
    public boolean heartbeatAndQuery(Fed f) {
        long t = f.step();
        return f.detector.isAvailable(t + 500_000_000L);
    }

    @Benchmark
    public long heartbeatAndDeadline(Fed f) {
        f.step();
        return f.detector.suspectAtNs();
    }
}
