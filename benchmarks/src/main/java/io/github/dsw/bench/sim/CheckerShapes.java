package io.github.dsw.bench.sim;

import io.github.dsw.bench.Quick;
import io.github.dsw.check.History;
import io.github.dsw.check.HistoryJson;
import io.github.dsw.check.LinearizabilityChecker;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
 * The shapes of issue 23 ({@link CheckerHistories}): the time to check each (including, for the
 * corrupted one, shrinking its explanation), the time to parse it from JSON Lines bytes, and, for the
 * 10-key history, the same check with keys searched one after another instead of in parallel.
 *
 * <p>Anchor: {@link #pairOnly}, pairing the history's events into operations, the floor of any
 * checker, measured in the same run. Published anchor (not measured here): Porcupine, as the issue
 * reports it on this kind of machine: 0.19 s for a 10k register history, 1.1 s with one corrupted read,
 * 0.04 s for 10 keys x 10k. Expect: check / pairOnly of a few tens for linearizable histories; parse
 * at a few hundred nanoseconds per event; parallel keys below serial on 2 cores, by less than 2x.
 *
 * <p>How to run this: {@code ./dsw bench quick --only CheckerShapes}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CheckerShapes {

    @Param({"register-10k", "kv10-10k", "corrupt-10k", "register-100k", "info-100k"})
    public String shape;

    private History history;
    private byte[] json;
    private final LinearizabilityChecker checker = new LinearizabilityChecker();
    private final LinearizabilityChecker serial = new LinearizabilityChecker(LinearizabilityChecker.Budget.defaults(), false);

    @Setup(Level.Trial)
    public void generate() {
        history = CheckerHistories.shape(shape);
        StringWriter w = new StringWriter();
        HistoryJson.write(history, w);
        json = w.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @Quick({"shape=register-10k,kv10-10k,corrupt-10k"})
    public LinearizabilityChecker.Result check() {
        return checker.checkKv(history);
    }

    @Benchmark
    @Quick({"shape=kv10-10k"})
    public LinearizabilityChecker.Result checkKeysSerially() {
        return serial.checkKv(history);
    }

    @Benchmark
    @Quick({"shape=register-10k"})
    public History parse() {
        return HistoryJson.read(new ByteArrayInputStream(json));
    }

    @Benchmark
    @Quick({"shape=register-10k"})
    public int pairOnly() {
        return history.operations().size();
    }
}
