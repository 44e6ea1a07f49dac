package io.github.dsw.cli;

import static io.github.dsw.cli.CliRun.run;

import io.github.dsw.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dsw.bench.BenchmarkCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's Java side end to end: the smoke run of every JMH benchmark (so no benchmark can rot
 * unnoticed; timings are never asserted), the report it renders, compare, and the one-line usage errors.
 */
class WorkbenchCliTest {

    @TempDir
    static Path tmp;

    static Path smokeRun;
    static int smokeExit;
    static String smokeOut;

    @BeforeAll
    static void smokeRunEveryBenchmark() throws Exception {
        // Surefire runs in benchmarks/: the workbench root is its parent.
        System.setProperty("dsw.root", Path.of("..").toAbsolutePath().normalize().toString());
        smokeRun = tmp.resolve("smoke");
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(captured, stdout), true, StandardCharsets.UTF_8));
        try {
            smokeExit = Main.run(List.of("bench", "smoke", "--out", smokeRun.toString()), System.out, System.err);
        } finally {
            System.setOut(stdout);
        }
        smokeOut = captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void smokeRunCoversEveryBenchmarkAndSucceeds() throws Exception {
        assertEquals(0, smokeExit, "dsw bench smoke failed; its output:\n" + smokeOut);
        int expected = BenchmarkCatalog.load().cases("smoke", null).size();
        assertTrue(expected > 0, "no benchmark on the class path: the JMH annotation processor did not run");
        JsonNode results = new ObjectMapper().readTree(smokeRun.resolve("results.json").toFile());
        assertEquals(expected, results.size(), "one JMH result per smoke case");
        assertTrue(smokeOut.contains("[1/" + expected + "]"), "progress lines 'i of N' are printed");
        assertTrue(smokeOut.contains("remaining"), "progress shows the remaining time");
    }

    @Test
    void smokeRunWritesProvenanceReportAndCharts() throws Exception {
        JsonNode p = new ObjectMapper().readTree(smokeRun.resolve("provenance.json").toFile());
        for (String field : List.of("host", "date", "cpuModel", "cores", "memoryBytes", "os", "jdkVendor",
                "jdkVersion", "jmhVersion", "jmhOptions", "command", "gitCommit")) {
            assertTrue(p.hasNonNull(field), "provenance.json lacks " + field);
        }
        assertEquals(Runtime.version().feature() >= 21, true, "the tests must run on the JDK >= 21 toolchain");
        assertEquals("1.37", p.get("jmhVersion").asText());
        String report = Files.readString(smokeRun.resolve("report.md"));
        assertTrue(report.contains("## DeadCode"), "report.md has a section per benchmark class");
        try (Stream<Path> charts = Files.list(smokeRun.resolve("charts"))) {
            List<Path> pngs = charts.filter(f -> f.toString().endsWith(".png")).toList();
            assertFalse(pngs.isEmpty(), "charts/*.png are rendered");
            for (Path png : pngs) {
                byte[] head = Files.readAllBytes(png);
                assertTrue(head.length > 1000 && head[1] == 'P' && head[2] == 'N' && head[3] == 'G', png + " is a PNG");
            }
        }
    }

    @Test
    void compareOfARunWithItselfGivesRatioOne() {
        Result r = run("compare", smokeRun.toString(), smokeRun.toString(), "--only", "DeadCode");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("1.000"), "a run compared with itself has speed ratio 1.000:\n" + r.out());
        assertFalse(r.out().contains("faster") || r.out().contains("slower"), "a run is never faster than itself:\n" + r.out());
    }

    @Test
    void reportReRendersAnExistingRun() throws Exception {
        Files.delete(smokeRun.resolve("report.md"));
        Result r = run("report", smokeRun.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isRegularFile(smokeRun.resolve("report.md")));
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        for (List<String> argv : List.of(List.of("bench", "--bogus"), List.of("frobnicate"),
                List.of("bench", "nosuchsuite"), List.of("bench", "--forks", "x"),
                List.of("compare", "only-one"), List.of("compare", "/nonexistent/a", "/nonexistent/b"),
                List.of("lb-compare", "--latency", "--loads", "0.5,2"), List.of("lb-compare", "--latency", "--loads", "x"),
                List.of("lb-compare", "--latency", "--requests", "5"))) {
            Result r = run(argv.toArray(String[]::new));
            assertEquals(2, r.exit(), argv + " should exit 2; stderr: " + r.err());
            assertEquals(1, r.err().strip().lines().count(), argv + " should print one line, got:\n" + r.err());
            assertFalse(r.err().contains("Exception"), argv + " must not print a stack trace: " + r.err());
        }
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasHelp() {
        Result r = run("help");
        assertEquals(0, r.exit());
        for (String c : List.of("setup", "test", "notebook", "bench", "report", "compare")) {
            assertTrue(r.out().contains("  " + c + " "), "help lists " + c);
        }
        for (Command c : Main.COMMANDS) {
            Result h = run(c.name(), "--help");
            assertEquals(0, h.exit());
            assertTrue(h.out().startsWith("usage: ./dsw " + c.name()), c.name() + " --help starts with its usage");
        }
    }
}
