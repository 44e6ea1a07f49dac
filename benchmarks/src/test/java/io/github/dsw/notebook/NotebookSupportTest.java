package io.github.dsw.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Trace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/** The notebook-support package against independent expectations: enumeration, closed forms, hand-made inputs. */
class NotebookSupportTest {

    @Test
    void csvSkipsCommentsKeepsEmptyFieldsAndNamesTheBadLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.csv");
        Files.writeString(f, "# produced by hand\nnodes,latency,note\n\n3,1.5,\n# a comment between rows\n5,2.25,slow\n");
        List<Map<String, String>> rows = Csv.read(f.toString());
        assertEquals(2, rows.size());
        assertEquals(Map.of("nodes", "3", "latency", "1.5", "note", ""), rows.get(0));
        assertEquals(2.25, Csv.num(rows.get(1), "latency"));
        assertEquals(List.of("nodes", "latency", "note"), List.copyOf(rows.get(1).keySet()), "columns keep the file's order");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> Csv.num(rows.get(0), "p99"));
        assertTrue(missing.getMessage().contains("'p99'"), missing.getMessage());
        Files.writeString(f, "a,b\n1,2\n3\n");
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Csv.read(f));
        assertTrue(bad.getMessage().endsWith("t.csv:3: 1 fields, the header has 2"), bad.getMessage());
    }

    @Test
    void quorumAvailabilityAgreesWithEnumeratingEveryUpDownPattern() {
        for (int n = 1; n <= 7; n++) {
            for (int q = 0; q <= n; q++) {
                for (double p : new double[] {0.5, 0.9, 0.99}) {
                    double unavailable = 0;
                    for (int mask = 0; mask < 1 << n; mask++) { // every subset of servers that is up
                        int up = Integer.bitCount(mask);
                        double pr = Math.pow(p, up) * Math.pow(1 - p, n - up);
                        if (up < q) {
                            unavailable += pr;
                        }
                    }
                    assertEquals(unavailable, QuorumAvailability.unavailable(n, q, p), 1e-12, "n=" + n + " q=" + q + " p=" + p);
                    assertEquals(1 - unavailable, QuorumAvailability.available(n, q, p), 1e-12);
                }
            }
        }
        // the tail keeps its digits: all five down at p = 0.99 is exactly 0.01^5
        assertEquals(1e-10, QuorumAvailability.unavailable(5, 1, 0.99), 1e-22);
        assertEquals(252, QuorumAvailability.choose(10, 5));
        assertEquals(0, QuorumAvailability.choose(3, 4));
        assertThrows(IllegalArgumentException.class, () -> QuorumAvailability.unavailable(3, 4, 0.9));
    }

    @Test
    void roundTripsFollowTheirClosedForms() {
        long seed = 20261203L;
        SplittableRandom r = new SplittableRandom(seed);
        double sum = 0;
        double squares = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double g = RoundTrips.gaussian(r);
            sum += g;
            squares += g * g;
        }
        assertEquals(0, sum / n, 0.01, "seed=" + seed);
        assertEquals(1, squares / n, 0.01, "seed=" + seed);
        // two log-normal one-way delays, median 1, shape s: mean 2 exp(s^2 / 2)
        double[] ln = RoundTrips.logNormalSamples(0.5, n, seed);
        assertEquals(2 * Math.exp(0.125), java.util.Arrays.stream(ln).average().orElseThrow(), 0.01, "seed=" + seed);
        // 1 + U + U is triangular on [1, 3]: CDF(1 + t) = t^2 / 2 for t <= 1
        DoubleUnaryOperator uniform = RoundTrips.cdf("uniform");
        assertEquals(0.125, uniform.applyAsDouble(1.5), 0.005);
        assertEquals(0.5, uniform.applyAsDouble(2.0), 0.005);
        assertEquals(0, uniform.applyAsDouble(0.99));
        DoubleUnaryOperator constant = RoundTrips.cdf("constant");
        assertEquals(0, constant.applyAsDouble(1.999));
        assertEquals(1, constant.applyAsDouble(2.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RoundTrips.cdf("pareto"));
        assertTrue(e.getMessage().contains("'pareto'"));
    }

    @Test
    void aHistogramBecomesItsCdfPoints() {
        Histogram h = new Histogram(3);
        for (int us = 1; us <= 1000; us++) {
            h.recordValue(us);
        }
        HistogramCdf.Points p = HistogramCdf.of(h, 5, 1000.0, 1e-3);
        assertEquals(p.x().size(), p.y().size());
        for (int i = 1; i < p.y().size(); i++) {
            assertTrue(p.y().get(i) >= p.y().get(i - 1) && p.x().get(i) >= p.x().get(i - 1), "monotone at " + i);
        }
        assertEquals(1.0, p.y().get(p.y().size() - 1));
        assertEquals(1.0, p.x().get(p.x().size() - 1), 0.001, "the maximum, 1000 us, is 1 ms");
        for (int i = 0; i < p.x().size(); i++) { // uniform on 1..1000 us: the fraction at or below x ms is x
            assertEquals(p.x().get(i), p.y().get(i), 0.002, "point " + i);
        }
    }

    @Test
    void spaceTimeDrawsOneSegmentPerMessageAndTypesTheLegend() {
        String prepare = "io.github.dsw.paxos.PaxosMessage$Prepare";
        List<Trace.Flight> flights = List.of(
                new Trace.Flight(0, 1, 1_000_000, 2_000_000, prepare),
                new Trace.Flight(0, 2, 1_000_000, -1, prepare), // dropped
                new Trace.Flight(1, 0, 2_000_000, 3_000_000, "io.github.dsw.paxos.PaxosMessage$Promise"),
                new Trace.Flight(2, 2, 2_500_000, 2_500_000, "Tick"),
                new Trace.Flight(0, 1, 9_000_000, 10_000_000, prepare)); // after the cut
        XYChart plain = SpaceTime.plain("t", flights, 5_000_000);
        assertEquals(4, plain.getSeriesMap().size(), "the last message is after the cut");
        assertEquals(java.awt.Color.RED, plain.getSeriesMap().get("x1").getLineColor(), "the dropped one is red");
        XYChart typed = SpaceTime.byType("t", flights);
        assertEquals(4, typed.getSeriesMap().size(), "delivered messages only");
        assertEquals(List.of("Prepare", "Promise", "Tick"),
                typed.getSeriesMap().values().stream().filter(s -> s.isShowInLegend()).map(s -> s.getName()).toList());
        assertEquals(Map.of("Prepare", 3L, "Promise", 1L, "Tick", 1L), SpaceTime.countByType(flights));
        assertEquals("Plain", SpaceTime.type(new Trace.Flight(0, 0, 0, 0, "Plain")));
    }
}
