package io.github.dsw.cli;

import static io.github.dsw.cli.CliRun.run;
import static io.github.dsw.cli.CliRun.runWith;

import io.github.dsw.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI probed as a hostile but fair user would (issue 24): each case is one misuse that used to hurt a user or
 * a CI gate, and asserts the exit code of {@link ExitCode}'s contract and the first line of the message. The
 * launcher's own cases (build lock, JDK choice, stale build, set-up, CI script, notebook executor) are in
 * {@code LauncherProbeTest}; the history parser's limits belong to the check-history tests.
 */
class FrontDoorProbeTest {

    @TempDir
    static Path tmp;

    @BeforeAll
    static void root() {
        // Surefire runs in benchmarks/: the workbench root is its parent.
        System.setProperty("dsw.root", Path.of("..").toAbsolutePath().normalize().toString());
    }

    // --- exit codes: a crash is never a verdict -------------------------------------------------------------

    /** A command that throws what {@code failure} makes, as a bug deep inside a real command would. */
    private record Failing(String name, Runnable failure) implements Command {
        @Override
        public String summary() {
            return "fails on purpose";
        }

        @Override
        public String help() {
            return "usage: ./dsw " + name + "\n";
        }

        @Override
        public int run(List<String> args) {
            failure.run();
            return ExitCode.OK;
        }
    }

    private static int depth(int n) {
        return n == Integer.MIN_VALUE ? 0 : 1 + depth(n + 1); // recurses until the stack is gone
    }

    @Test
    void stackOverflowIsAnInternalErrorWithItsTraceInAFile() throws IOException {
        Result r = runWith(new Failing("deep", () -> depth(0)), "deep");
        assertInternalError(r, "deep", "java.lang.StackOverflowError");
    }

    @Test
    void outOfMemoryIsAnInternalErrorWithItsTraceInAFile() throws IOException {
        // Larger than any heap the JVM can have: a real OutOfMemoryError ("Requested array size exceeds VM limit"
        // or "Java heap space") without filling the heap the other tests share.
        Result r = runWith(new Failing("huge", () -> {
            long[][] big = new long[Integer.MAX_VALUE][];
            big[0] = new long[Integer.MAX_VALUE - 8];
        }), "huge");
        assertInternalError(r, "huge", "java.lang.OutOfMemoryError");
    }

    @Test
    void anUnexpectedExceptionIsAnInternalErrorNeverExitOne() throws IOException {
        Result r = runWith(new Failing("buggy", () -> {
            throw new IllegalStateException("a bug, not a verdict");
        }), "buggy");
        assertInternalError(r, "buggy", "java.lang.IllegalStateException: a bug, not a verdict");
    }

    private static void assertInternalError(Result r, String command, String throwable) throws IOException {
        assertEquals(ExitCode.INTERNAL_ERROR, r.exit(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        String line = r.err().strip();
        assertTrue(line.startsWith("dsw " + command + ": internal error: " + throwable), line);
        Path trace = Path.of(line.substring(line.indexOf("full trace in ") + "full trace in ".length()));
        assertTrue(trace.startsWith(Path.of(System.getProperty("java.io.tmpdir"))), "the trace file is under the temp folder: " + trace);
        String text = Files.readString(trace);
        assertTrue(text.startsWith("./dsw " + command), text);
        assertTrue(text.contains(throwable) && text.contains("\tat "), "the file holds the stack trace:\n" + text);
        Files.delete(trace);
    }

    @Test
    void helpPrintsTheExitCodeContract() {
        Result r = run("help");
        assertEquals(ExitCode.OK, r.exit());
        for (String line : List.of("  0  success", "  1  the property is violated", "  2  usage or input error", "  3  undecided",
                "  4  internal error")) {
            assertTrue(r.out().contains(line), "help lacks '" + line + "':\n" + r.out());
        }
    }

    @Test
    void aWarmUpThatCannotSettleIsAUsageErrorBeforeAnyTrial() {
        Result r = run("simulate", "raft-elections", "--timeout-ms", "1000000-2000000", "--trials", "1");
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw simulate raft-elections: --timeout-ms maximum must be <= 10000 ms (each trial's warm-up gets 60 s of"
                + " virtual time to elect a leader), got 2000000", firstLine(r.err()));
        assertEquals("", r.out(), "no trial ran");
    }

    @Test
    void theLongestAcceptedTimeoutRangeStillSettles() {
        // The bound above must not refuse what works: the widest accepted range completes its warm-up.
        Result r = run("simulate", "raft-elections", "--timeout-ms", "5000-" + 10_000, "--trials", "2", "--horizon-ms", "20000");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.out().contains("trials=2"), r.out());
    }

    @Test
    void comparingRunsWithNothingInCommonIsAnInputErrorNotAVerdict() throws IOException {
        Path a = fakeRun("nothing-a", "io.github.dsw.bench.X.a");
        Path b = fakeRun("nothing-b", "io.github.dsw.bench.Y.b");
        Result r = run("compare", a.toString(), b.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw compare: the two runs share no measurement (same benchmark, mode, threads, params)", firstLine(r.err()));
    }

    // --- output paths checked before the work ---------------------------------------------------------------

    @Test
    void anUnwritableHistoryOutFailsBeforeTheSimulation() {
        Result r = run("simulate", "abd", "--ops", "50", "--history-out", "/proc/dsw-probe/history.jsonl");
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertTrue(firstLine(r.err()).startsWith("dsw simulate: --history-out /proc/dsw-probe"), r.err());
        assertEquals("", r.out(), "the simulation must not run");
    }

    @Test
    void aFolderAsHistoryOutFailsBeforeTheSimulation() {
        Result r = run("simulate", "abd", "--ops", "50", "--history-out", tmp.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw simulate: --history-out " + tmp + " is a folder, not a file", firstLine(r.err()));
        assertEquals("", r.out());
    }

    @Test
    void anEmptyOutputNameFailsBeforeTheSimulation() {
        Result r = run("simulate", "abd", "--ops", "50", "--trace-out", "");
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw simulate: --trace-out needs a file name, got an empty string", firstLine(r.err()));
    }

    @Test
    void historyAndTraceInOneFileAreRefused() {
        Path f = tmp.resolve("same.txt");
        Result r = run("simulate", "abd", "--ops", "50", "--history-out", f.toString(), "--trace-out", f.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw simulate: --trace-out " + f + " is also --history-out; each output needs a file of its own", firstLine(r.err()));
        assertFalse(Files.exists(f), "nothing is written");
    }

    @Test
    void aMissingParentFolderIsCreatedAndTheVerdictKept() throws IOException {
        Path f = tmp.resolve("new/sub/history.jsonl");
        Result r = run("simulate", "abd", "--ops", "50", "--history-out", f.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(Files.size(f) > 0, "history written");
    }

    @Test
    void aFolderAsRaftElectionsOutFailsBeforeTheTrials() {
        Result r = run("simulate", "raft-elections", "--timeout-ms", "150-300", "--trials", "3", "--out", tmp.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw simulate raft-elections: --out " + tmp + " is a folder, not a file", firstLine(r.err()));
        assertEquals("", r.out(), "no trial ran");
    }

    @Test
    void compareRefusesToWriteItsMarkdownOverAnInput() throws IOException {
        Path a = fakeRun("md-a", "io.github.dsw.bench.X.a");
        Path results = a.resolve("results.json");
        String before = Files.readString(results);
        Result r = run("compare", a.toString(), a.toString(), "--markdown", results.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw compare: --markdown " + results + " is also RUN_A's results.json; each output needs a file of its own",
                firstLine(r.err()));
        assertEquals(before, Files.readString(results), "the input is untouched");
    }

    @Test
    void compareRefusesAFolderAsMarkdown() throws IOException {
        Path a = fakeRun("md-b", "io.github.dsw.bench.X.a");
        Result r = run("compare", a.toString(), a.toString(), "--markdown", tmp.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw compare: --markdown " + tmp + " is a folder, not a file", firstLine(r.err()));
    }

    @Test
    void reportRefusesAReportPathThatIsAFolder() throws IOException {
        Path a = fakeRun("report-folder", "io.github.dsw.bench.X.a");
        Files.createDirectories(a.resolve("report.md"));
        Result r = run("report", a.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw report: the report " + a.resolve("report.md") + " is a folder, not a file", firstLine(r.err()));
    }

    // --- run folders: unique, marked complete last, incomplete ones refused ---------------------------------

    @Test
    void runFoldersStartedInTheSameSecondGetNamesOfTheirOwn() throws Exception {
        Path parent = tmp.resolve("runs-same-second");
        LocalDateTime now = LocalDateTime.of(2026, 12, 2, 13, 0, 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Path>> made = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                made.add(pool.submit(() -> RunFolder.createUnique(parent, "host", now)));
            }
            Set<Path> distinct = new HashSet<>();
            for (Future<Path> f : made) {
                distinct.add(f.get());
            }
            assertEquals(8, distinct.size(), "eight runs, eight folders: " + distinct);
            assertTrue(distinct.contains(parent.resolve("host-20261202-130000")));
            assertTrue(distinct.contains(parent.resolve("host-20261202-130000-8")));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void benchMarksItsRunCompleteLastAndReportAndCompareRefuseARunWithoutTheMarker() throws IOException {
        Path run = tmp.resolve("bench-one");
        Result bench = run("bench", "smoke", "--only", "DeadCode.baseline", "--out", run.toString());
        assertEquals(ExitCode.OK, bench.exit(), bench.err() + bench.out());
        assertTrue(Files.isRegularFile(run.resolve(RunFolder.COMPLETE)), "a finished run has the marker");

        Files.delete(run.resolve(RunFolder.COMPLETE)); // as an interrupted run leaves it
        Result report = run("report", run.toString());
        assertEquals(ExitCode.USAGE, report.exit(), report.err());
        assertEquals("dsw report: " + run + " is an incomplete run (no 'complete' marker: its bench was interrupted or is still"
                + " running); add --allow-incomplete to use it anyway", firstLine(report.err()));
        Result compare = run("compare", run.toString(), run.toString());
        assertEquals(ExitCode.USAGE, compare.exit(), compare.err());
        assertTrue(firstLine(compare.err()).startsWith("dsw compare: " + run + " is an incomplete run"), compare.err());

        Result allowed = run("report", run.toString(), "--allow-incomplete");
        assertEquals(ExitCode.OK, allowed.exit(), allowed.err());
        assertEquals("dsw report: warning: " + run + " is an incomplete run (no 'complete' marker); using its partial results as asked",
                firstLine(allowed.err()));
    }

    @Test
    void benchRefusesAnOutFolderThatAlreadyHoldsARun() throws IOException {
        Path a = fakeRun("taken", "io.github.dsw.bench.X.a");
        Result r = run("bench", "smoke", "--only", "DeadCode.baseline", "--out", a.toString());
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertEquals("dsw bench: " + a + " already holds a run; choose another --out", firstLine(r.err()));
    }

    @Test
    void committedReferenceRunsCountAsComplete() throws IOException {
        try (var runs = Files.list(Workbench.referenceResults())) {
            Path reference = runs.filter(d -> Files.isRegularFile(d.resolve("results.json"))).findFirst().orElseThrow();
            assertTrue(RunFolder.isComplete(reference), reference + " is committed, hence reviewed and complete");
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** A minimal run folder: one JMH result, provenance, and the 'complete' marker. */
    private static Path fakeRun(String name, String benchmark) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("results.json"), "[{\"benchmark\":\"" + benchmark + "\",\"mode\":\"thrpt\",\"threads\":1,"
                + "\"forks\":1,\"primaryMetric\":{\"score\":1.0,\"scoreError\":0.1,\"scoreConfidence\":[0.9,1.1],\"scoreUnit\":\"ops/s\","
                + "\"rawData\":[[1.0]]}}]");
        Path reference = Workbench.referenceResults();
        try (var runs = Files.list(reference)) {
            Path any = runs.filter(d -> Files.isRegularFile(d.resolve("provenance.json"))).findFirst().orElseThrow();
            Files.copy(any.resolve("provenance.json"), dir.resolve("provenance.json"));
        }
        RunFolder.markComplete(dir, "fake");
        return dir;
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }
}
