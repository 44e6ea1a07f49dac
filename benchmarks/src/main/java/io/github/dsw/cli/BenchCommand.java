package io.github.dsw.cli;

import io.github.dsw.bench.BenchmarkCase;
import io.github.dsw.bench.BenchmarkCatalog;
import io.github.dsw.bench.SuiteRunner;
import io.github.dsw.report.Provenance;
import io.github.dsw.report.References;
import io.github.dsw.report.Report;
import io.github.dsw.report.RunResults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ./dsw bench}: runs a benchmark suite with progress, then writes results, provenance and a report. */
final class BenchCommand implements Command {

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "run the benchmark suite (quick by default), write results, charts and report.md";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw bench [quick|full|smoke] [options]

                Runs JMH benchmarks one case at a time with progress, then writes into the run folder:
                results.json (JMH JSON), provenance.json (machine, JDK, options, commit), report.md and
                charts/*.png beside the committed reference results in datasets/results/, and last the
                marker file 'complete' (report and compare refuse a run without it: interrupted or running).
                Exit code: 0 every case ran, 1 a case failed (the others' results are kept), 2 usage error,
                4 internal error.

                suites:
                  quick          the cases marked @Quick, 1 fork, 1x0.5 s warm-up, 3x0.5 s measurement (~5 min)
                  full           every benchmark and parameter with the settings each class declares
                  smoke          every benchmark and every parameter value once, in-process, one 50 ms
                                 iteration, no warm-up (what the test command runs; timings meaningless)

                options:
                  --only REGEX      only benchmarks whose full name matches REGEX (e.g. --only DeadCode)
                  --forks N         JVM forks per case (overrides the suite)
                  --warmup N        warm-up iterations per fork
                  --iterations N    measurement iterations per fork
                  --time MS         duration of each iteration in milliseconds
                  --out DIR         run folder, new or empty (default datasets/runs/<host>-<yyyymmdd-hhmmss>,
                                    with a suffix -2, -3... if another run took that name)
                  --note TEXT       free text stored in provenance.json (e.g. "laptop on battery")
                  --list            print the cases that would run, and exit
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("only").option("forks").option("warmup").option("iterations")
                .option("time").option("out").option("note").flag("list").parse(argv);
        a.expectPositional(0, 1, "at most one suite name (quick, full or smoke)");
        String suite = a.positional().isEmpty() ? "quick" : a.positional().get(0);
        if (!BenchmarkCatalog.SUITES.contains(suite)) {
            throw new UsageException(name() + ": unknown suite '" + suite + "' (quick, full or smoke)");
        }
        SuiteRunner.Settings settings = SuiteRunner.Settings.forSuite(suite).override(new SuiteRunner.Settings(
                optionalInt(a, "forks", 0, 100), optionalInt(a, "warmup", 0, 1000),
                optionalInt(a, "iterations", 1, 1000), optionalInt(a, "time", 1, 600_000)));
        List<BenchmarkCase> cases = BenchmarkCatalog.load().cases(suite, a.get("only"));
        if (cases.isEmpty()) {
            throw new UsageException(name() + ": no benchmark matches" + (a.get("only") == null ? "" : " --only '"
                    + a.get("only") + "'") + " in suite " + suite + " (./dsw bench full --list shows them all)");
        }
        if (a.has("list")) {
            cases.forEach(c -> System.out.println(c.label()));
            System.out.println(cases.size() + " cases");
            return 0;
        }
        Map<String, String> jmhOptions = new LinkedHashMap<>(settings.describe());
        jmhOptions.put("suite", suite);
        if (a.get("only") != null) {
            jmhOptions.put("only", a.get("only"));
        }
        jmhOptions.put("cases", Integer.toString(cases.size()));
        List<String> command = new ArrayList<>(List.of("./dsw", "bench"));
        command.addAll(argv);
        Provenance provenance = Provenance.capture(Workbench.root(), suite, jmhOptions, command, a.get("note"));
        Path out;
        if (a.get("out") != null) {
            out = OutputPaths.forCommand(name()).folder("--out", a.get("out"));
            if (Files.exists(out.resolve(RunResults.RESULTS_FILE)) || Files.exists(out.resolve(RunResults.PROVENANCE_FILE))) {
                throw new UsageException(name() + ": " + out + " already holds a run; choose another --out");
            }
        } else { // a name of its own even when another bench starts in the same second
            out = RunFolder.createUnique(Workbench.runs(), provenance.host().replaceAll("[^A-Za-z0-9._-]", "_"), LocalDateTime.now());
        }
        provenance.write(out.resolve(RunResults.PROVENANCE_FILE));
        System.out.println("running " + cases.size() + " benchmark cases (suite " + suite + ") into " + out);
        Thread interrupted = new Thread(() -> System.err.println(System.lineSeparator() + "dsw bench: interrupted; the partial run is in "
                + out + " (no '" + RunFolder.COMPLETE + "' marker: report and compare refuse it without --allow-incomplete)"));
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            return runAndReport(cases, settings, out, suite);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook is running and says where the partial run is
            }
        }
    }

    /** Runs the cases into {@code out}, renders the report, and marks the folder complete last. */
    private static int runAndReport(List<BenchmarkCase> cases, SuiteRunner.Settings settings, Path out, String suite) throws Exception {
        SuiteRunner.Outcome outcome = new SuiteRunner(settings, System.out).run(cases, out.resolve(RunResults.RESULTS_FILE));
        if (outcome.results().isEmpty()) {
            System.err.println("dsw bench: every case failed; see the messages above");
            return 1;
        }
        RunResults run = RunResults.load(out);
        String table = Report.write(run, References.load(Workbench.referenceResults(), out));
        System.out.println(table);
        System.out.println("results: " + out.resolve(RunResults.RESULTS_FILE));
        System.out.println("report:  " + out.resolve("report.md") + " (charts in " + out.resolve("charts") + ")");
        RunFolder.markComplete(out, "suite " + suite + ": " + outcome.results().size() + " results, " + outcome.failures().size()
                + " failed cases");
        if (!outcome.failures().isEmpty()) {
            System.err.println("dsw bench: " + outcome.failures().size() + " case(s) failed:");
            outcome.failures().forEach(f -> System.err.println("  " + f));
            return 1;
        }
        return 0;
    }

    private static Integer optionalInt(Args a, String name, int min, int max) {
        return a.get(name) == null ? null : a.getInt(name, 0, min, max);
    }
}
