package io.github.dsw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The structure of report.md, report.html and the charts of committed reference runs (real shapes: the
 * 90-case checksum sweep, the 144-case lock sweep, category-only benchmarks): every benchmark class has a
 * chart, every chart an axis unit, no axis or legend more than 12 categories, and the layout the data's
 * shape calls for. Expected layouts are read off the benchmarks' declared parameters, not off the code.
 */
class ReportStructureTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private Report.Rendered render(String run) throws Exception {
        Path dir = ReportBrowserTest.copyRun(run, tmp);
        return Report.render(RunResults.load(dir), References.load(ROOT.resolve("datasets/results"), null));
    }

    @Test
    void everyClassHasAChartWithUnitsAndFewCategories() throws Exception {
        for (String run : List.of("vm-20261125-0523-checksum-sizes", "vm-20261125-0545-lock-sweep",
                "vm-20261125-0540-measuring", "vm-20261125-0509-hashing-sweep", "vm-20261125-0503-balance")) {
            Report.Rendered r = render(run);
            Path dir = tmp.resolve(run);
            String md = Files.readString(dir.resolve("report.md"));
            String html = Files.readString(dir.resolve("report.html"));
            assertFalse(r.sections().isEmpty());
            for (Report.Section s : r.sections()) {
                assertFalse(s.charts().isEmpty(), run + ": " + s.className() + " has no chart");
                for (BenchmarkCharts.Drawn d : s.charts()) {
                    assertFalse(d.yTitle().isBlank(), d + ": no unit on the y axis");
                    assertFalse(d.xTitle().isBlank(), d + ": no x axis title");
                    assertTrue(d.maxCategories() <= ChartPlan.MAX_CATEGORIES, d + ": too many categories");
                    assertTrue(Files.size(dir.resolve("charts").resolve(d.file())) > 1000, d + ": no PNG");
                    assertTrue(md.contains("](charts/" + d.file() + ")"), "report.md shows " + d.file());
                    assertTrue(html.contains("data-file=\"" + d.file() + "\""), "report.html inlines " + d.file());
                }
                assertTrue(md.contains("### " + s.className()), "report.md has a section for " + s.className());
                assertTrue(html.contains("href=\"#" + s.className() + "\""), "the TOC links " + s.className());
            }
            // Self-contained: no URL the page would fetch.
            Matcher m = Pattern.compile("(src|href)=\"(https?:)?//").matcher(html);
            assertFalse(m.find(), "report.html must fetch nothing from the network");
        }
    }

    @Test
    void checksumSweepIsSizeOnALogAxisMethodsAsSeriesBuffersAsPanels() throws Exception {
        // CrcThroughput declares size = 16 .. 1048576 (five decades), buffer = array|heap|direct, 12 methods.
        List<BenchmarkResult> rs = RunResults.load(ROOT.resolve("datasets/results/vm-20261125-0523-checksum-sizes")).results();
        ChartPlan p = ChartPlan.of("CrcThroughput", rs).get(0);
        assertEquals("size", p.xDim());
        assertTrue(p.xNumeric() && p.xLog());
        assertEquals("method", p.seriesDim());
        assertEquals(List.of("buffer"), p.panelDims());
        assertEquals(3, p.panels().size());
        assertEquals(12, p.panels().get(0).lines().size());
        assertEquals(5, p.panels().get(0).lines().get(0).points().size());
    }

    @Test
    void lockSweepIsThreadsOnALinearAxisLocksAsSeriesCostsAsPanels() throws Exception {
        // LockThroughput: threads1..threads8 differ only in @Threads (1, 2, 4, 8: under a decade), 12 locks,
        // csTokens = 0, 100, 1000.
        List<BenchmarkResult> rs = RunResults.load(ROOT.resolve("datasets/results/vm-20261125-0545-lock-sweep")).results();
        ChartPlan p = ChartPlan.of("LockThroughput", rs).get(0);
        assertEquals("threads", p.xDim());
        assertFalse(p.xLog());
        assertEquals("lock", p.seriesDim());
        assertEquals(List.of("csTokens"), p.panelDims());
        assertEquals(3, p.panels().size());
        assertEquals(12, p.maxCategories());
    }

    @Test
    void moreThanTwelveCategoriesAreSplitEvenly() {
        List<BenchmarkResult> rs = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            rs.add(new BenchmarkResult("x.bench.t.C.m", "avgt", 1, 1, Map.of("algo", "a" + i), 1 + i, 0.1, 0.9 + i,
                    1.1 + i, "ns/op", List.of()));
        }
        ChartPlan p = ChartPlan.of("C", rs).get(0);
        assertFalse(p.xNumeric());
        assertEquals("algo", p.xDim());
        assertEquals(2, p.panels().size());
        assertEquals(7, p.panels().get(0).xCount());
        assertEquals(6, p.panels().get(1).xCount());
    }

    @Test
    void naturalUnitOfAChecksumIsBytesPerSecond() throws Exception {
        // Straight from the JSON: ops/s times the size parameter, over 10^9.
        Path json = ROOT.resolve("datasets/results/vm-20261125-0523-checksum-sizes/results.json");
        JsonNode first = new ObjectMapper().readTree(json.toFile()).get(0);
        double opsPerS = first.get("primaryMetric").get("score").asDouble();
        double size = Double.parseDouble(first.get("params").get("size").asText());
        assertEquals("ops/s", first.get("primaryMetric").get("scoreUnit").asText());
        BenchmarkResult r = RunResults.parseJmhJson(json).get(0);
        NaturalUnits.NaturalUnit u = NaturalUnits.of(r);
        assertEquals("GB/s", u.label());
        assertEquals(opsPerS * size / 1e9, u.of(r, r.score()), 1e-12 * opsPerS * size);
        Report.Rendered rendered = render("vm-20261125-0523-checksum-sizes");
        Table t = rendered.sections().get(0).table();
        assertTrue(t.header().contains("GB/s") && t.header().contains("JMH score") && t.header().contains("JMH unit"),
                "both the natural value and JMH's raw score are printed: " + t.header());
    }

    @Test
    void compareChartFlagsIntervalsThatExcludeOne() throws Exception {
        RunResults a = RunResults.load(ROOT.resolve("datasets/results/vm-20261125-0503-hashing"));
        RunResults b = RunResults.load(ROOT.resolve("datasets/results/vm-20261125-0509-hashing-sweep"));
        List<Comparison.Row> rows = Comparison.of(a, b);
        assertFalse(rows.isEmpty());
        for (Comparison.Row r : rows) {
            // B's interval for ring reaches below zero (21.47 ± 149.4 ns/op): no bounded ratio, so no flag.
            assertTrue(Double.isNaN(r.ratioLow()) || r.ratioLow() > 0 && r.ratioHigh() >= r.ratioLow(),
                    r.b().paramString() + ": interval [" + r.ratioLow() + ", " + r.ratioHigh() + "]");
            if (r.b().ciLow() <= 0 || r.a().ciLow() <= 0) {
                assertFalse(CompareChart.flagged(r), r.b().paramString() + " must not be flagged");
            }
        }
        Path png = tmp.resolve("cmp.png");
        int panels = CompareChart.draw(rows, "A", "B", png);
        assertEquals((rows.size() + 11) / 12, panels, "at most 12 measurements per panel");
        assertTrue(Files.size(png) > 1000);
        // A row with interval [2, 3] is flagged; [0.9, 1.1] is not.
        BenchmarkResult x = rows.get(0).a();
        assertTrue(CompareChart.flagged(new Comparison.Row(x, x, 2.5, 2, 3)));
        assertFalse(CompareChart.flagged(new Comparison.Row(x, x, 1, 0.9, 1.1)));
    }

    @Test
    void aLoadedReferenceRunDoesNotSetTheAxisItsWhiskersAreCut() throws Exception {
        // vm-20261202-zab-steps was measured at load average ~30: some 99.9 % intervals reach far above every score.
        Path refs = tmp.resolve("refs");
        ReportBrowserTest.copyRun("vm-20261202-zab-steps", refs);
        List<BenchmarkResult> loaded = RunResults.load(refs.resolve("vm-20261202-zab-steps")).results();
        double maxScore = loaded.stream().mapToDouble(BenchmarkResult::score).max().orElseThrow();
        double maxHigh = loaded.stream().mapToDouble(BenchmarkResult::ciHigh).max().orElseThrow();
        assertTrue(maxHigh > BenchmarkCharts.WHISKER_CAP * maxScore,
                "fixture: a whisker must reach above " + BenchmarkCharts.WHISKER_CAP + "x every score (" + maxHigh + " vs " + maxScore + ")");
        Path run = ReportBrowserTest.copyRun("vm-20261203-zab-steps-quiet", tmp);
        Report.Rendered r = Report.render(RunResults.load(run), References.load(refs, null));
        Report.Section zab = r.sections().stream().filter(s -> s.className().equals("ZabSteps")).findFirst().orElseThrow();
        assertTrue(zab.charts().stream().anyMatch(BenchmarkCharts.Drawn::whiskersClipped),
                "the reference's long whiskers must be cut at the panel's top, not set the axis: " + zab.charts());
        assertTrue(zab.charts().stream().allMatch(BenchmarkCharts.Drawn::hasReference), "the reference is still drawn");
        // Its scores are tens of times this run's: on a linear axis this run would sit on the zero line.
        assertTrue(zab.charts().stream().allMatch(BenchmarkCharts.Drawn::logY), "a log axis when the two runs differ 20x+: " + zab.charts());
        // Control: the same run against a copy of itself has neither.
        Path self = tmp.resolve("self");
        ReportBrowserTest.copyRun("vm-20261203-zab-steps-quiet", self);
        Report.Section same = Report.render(RunResults.load(run), References.load(self, null)).sections().stream()
                .filter(s -> s.className().equals("ZabSteps")).findFirst().orElseThrow();
        assertTrue(same.charts().stream().noneMatch(d -> d.logY() || d.whiskersClipped()), "nothing to cut or rescale: " + same.charts());
    }

    @Test
    void aReferenceFromACpuWithOtherFeaturesIsFlagged() throws Exception {
        Path refs = tmp.resolve("refs");
        Path ref = ReportBrowserTest.copyRun("vm-20261203-checksum-quiet", refs);
        Path run = ReportBrowserTest.copyRun("vm-20261203-checksum-quiet", tmp);
        // Runs recorded before the field existed have none: nothing is known, nothing is flagged.
        assertTrue(Provenance.read(run.resolve(RunResults.PROVENANCE_FILE)).cpuFeatures() == null);
        assertFalse(reportWith(ref, run, null, null).contains("other CPU features"), "unknown features: no flag");
        List<String> avx2 = List.of("avx", "avx2", "pclmulqdq", "sse4_2");
        assertFalse(reportWith(ref, run, avx2, avx2).contains("other CPU features"), "same features: no flag");
        // The same reference as if measured on a host with AVX-512 and VPCLMULQDQ (what a VM's "AMD EPYC" can also be).
        List<String> avx512 = List.of("avx", "avx2", "avx512f", "pclmulqdq", "sse4_2", "vpclmulqdq");
        String md = reportWith(ref, run, avx512, avx2);
        assertTrue(md.contains("other CPU features") && md.contains("vpclmulqdq"), "different features must be flagged:\n" + md);
        assertTrue(md.contains("CPU features: avx avx2 pclmulqdq sse4_2"), "this run's features are printed:\n" + md);
    }

    /** Rewrites both runs' provenance with the given CPU features, renders, and returns run's report.md. */
    private static String reportWith(Path ref, Path run, List<String> refFeatures, List<String> runFeatures) throws Exception {
        for (var e : List.of(Map.entry(ref, java.util.Optional.ofNullable(refFeatures)),
                Map.entry(run, java.util.Optional.ofNullable(runFeatures)))) {
            Path f = e.getKey().resolve(RunResults.PROVENANCE_FILE);
            Provenance p = Provenance.read(f);
            new Provenance(p.host(), p.date(), p.cpuModel(), p.cores(), p.memoryBytes(), p.os(), p.jdkVendor(), p.jdkVersion(),
                    p.vm(), p.jmhVersion(), p.suite(), p.jmhOptions(), p.command(), p.gitCommit(), p.gitDirty(), p.note(),
                    e.getValue().orElse(null)).write(f);
        }
        Report.write(RunResults.load(run), References.load(ref.getParent(), null));
        return Files.readString(run.resolve("report.md"));
    }
}
