package io.github.dsw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Speed ratios and their intervals, checked by hand arithmetic; malformed result files rejected. */
class ComparisonTest {

    private static BenchmarkResult result(String mode, double score, double error) {
        return new BenchmarkResult("x.Bench.m", mode, 1, 1, Map.of("n", "1"), score, error, score - error,
                score + error, mode.equals("thrpt") ? "ops/s" : "ns/op", List.of(List.of(score)));
    }

    private static RunResults run(BenchmarkResult r) {
        return new RunResults(Path.of("run"), null, List.of(r));
    }

    @Test
    void throughputRatioIsBOverA() {
        var row = Comparison.of(run(result("thrpt", 100, 10)), run(result("thrpt", 200, 20))).get(0);
        assertEquals(2.0, row.ratio(), 1e-12);
        assertEquals(180.0 / 110, row.ratioLow(), 1e-12); // lowest B over highest A
        assertEquals(220.0 / 90, row.ratioHigh(), 1e-12);
        assertEquals("faster", row.verdict());
    }

    @Test
    void timeRatioIsAOverBSoAboveOneStillMeansFaster() {
        var row = Comparison.of(run(result("avgt", 10, 1)), run(result("avgt", 20, 1))).get(0);
        assertEquals(0.5, row.ratio(), 1e-12);
        assertEquals("slower", row.verdict());
    }

    @Test
    void overlappingIntervalsAreCalledTheSame() {
        var row = Comparison.of(run(result("thrpt", 100, 10)), run(result("thrpt", 105, 10))).get(0);
        assertEquals("same (within CI)", row.verdict());
    }

    @Test
    void malformedResultsNameTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("results.json");
        Files.writeString(f, "[{\"benchmark\": \"a.B.c\"}]");
        var e = assertThrows(IOException.class, () -> RunResults.parseJmhJson(f));
        assertTrue(e.getMessage().contains("results.json") && e.getMessage().contains("#0"), e.getMessage());
        Files.writeString(f, "{not json");
        e = assertThrows(IOException.class, () -> RunResults.parseJmhJson(f));
        assertTrue(e.getMessage().contains("not JSON"), e.getMessage());
    }
}
