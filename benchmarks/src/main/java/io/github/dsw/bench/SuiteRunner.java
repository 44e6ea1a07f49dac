package io.github.dsw.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a list of {@link BenchmarkCase}s one JMH invocation at a time, so it can print progress
 * (case i of N, elapsed, estimated remaining) and keep the results of finished cases if a later one
 * fails or the run is interrupted: after every case the JMH JSON file is rewritten.
 */
public final class SuiteRunner {

    /**
     * How much to measure. A {@code null} field keeps what the benchmark class declares
     * ({@code @Fork}, {@code @Warmup}, {@code @Measurement}).
     *
     * @param forks            JVM forks per case (0 runs in this JVM: only for smoke runs)
     * @param warmupIterations warm-up iterations per fork
     * @param iterations       measurement iterations per fork
     * @param iterationTimeMs  duration of each warm-up and measurement iteration
     */
    public record Settings(Integer forks, Integer warmupIterations, Integer iterations, Integer iterationTimeMs) {

        public Settings {
            check("forks", forks, 0, 100);
            check("warmup iterations", warmupIterations, 0, 1000);
            check("iterations", iterations, 1, 1000);
            check("iteration time (ms)", iterationTimeMs, 1, 600_000);
        }

        private static void check(String what, Integer v, int min, int max) {
            if (v != null && (v < min || v > max)) {
                throw new IllegalArgumentException(what + " must be in " + min + ".." + max + ", got " + v);
            }
        }

        /** The quick suite: one fork, one short warm-up, three short measurements. */
        public static Settings quick() {
            return new Settings(1, 1, 3, 500);
        }

        /** The full suite: whatever each class declares. */
        public static Settings full() {
            return new Settings(null, null, null, null);
        }

        /** The smoke run of the test command: in-process, no warm-up, one short iteration. */
        public static Settings smoke() {
            return new Settings(0, 0, 1, 50);
        }

        public static Settings forSuite(String suite) {
            return switch (suite) {
                case "full" -> full();
                case "smoke" -> smoke();
                default -> quick();
            };
        }

        /** Replaces the fields given (non-null) in {@code o}. */
        public Settings override(Settings o) {
            return new Settings(o.forks != null ? o.forks : forks,
                    o.warmupIterations != null ? o.warmupIterations : warmupIterations,
                    o.iterations != null ? o.iterations : iterations,
                    o.iterationTimeMs != null ? o.iterationTimeMs : iterationTimeMs);
        }

        /** For the provenance sidecar. */
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("forks", forks == null ? "as declared" : forks.toString());
            m.put("warmupIterations", warmupIterations == null ? "as declared" : warmupIterations.toString());
            m.put("measurementIterations", iterations == null ? "as declared" : iterations.toString());
            m.put("iterationTime", iterationTimeMs == null ? "as declared" : iterationTimeMs + " ms");
            return m;
        }

        /** A first guess of one case's wall time, for the remaining-time estimate before any case ran. */
        long guessMs() {
            int f = forks == null ? 2 : Math.max(1, forks);
            int w = warmupIterations == null ? 3 : warmupIterations;
            int i = iterations == null ? 5 : iterations;
            int t = iterationTimeMs == null ? 1000 : iterationTimeMs;
            return f * ((long) (w + i) * t + 800);
        }
    }

    /** What a run produced: the results of the cases that finished, and the labels of those that failed. */
    public record Outcome(List<RunResult> results, List<String> failures) {
    }

    private final Settings settings;
    private final PrintStream progress;

    public SuiteRunner(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /**
     * Runs every case in order. When {@code jsonOut} is not null the JMH JSON of the finished cases is
     * (re)written there after each case. A case that throws is reported and the run goes on.
     */
    public Outcome run(List<BenchmarkCase> cases, Path jsonOut) throws IOException {
        if (Integer.valueOf(0).equals(settings.forks())) {
            // In-process smoke runs measure nothing worth protecting, so they may overlap another JMH run
            // (the test command smoke-runs while a benchmark may be running elsewhere on the machine).
            System.setProperty("jmh.ignoreLock", "true");
        }
        List<RunResult> results = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        long doneMs = 0;
        for (int i = 0; i < cases.size(); i++) {
            BenchmarkCase c = cases.get(i);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long perCase = i == 0 ? settings.guessMs() : doneMs / i;
            progress.printf("[%d/%d] %s   elapsed %s, remaining ~%s%n", i + 1, cases.size(), c.label(),
                    format(elapsedMs), format(perCase * (cases.size() - i)));
            progress.flush();
            long caseStart = System.nanoTime();
            try {
                results.addAll(runWaitingForLock(c));
            } catch (RunnerException | RuntimeException e) {
                String reason = e.getCause() != null ? e.getCause().toString() : e.toString();
                progress.println("    FAILED: " + reason);
                failures.add(c.label() + ": " + reason);
            }
            doneMs += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - caseStart);
            if (jsonOut != null) {
                writeJson(results, jsonOut);
            }
        }
        progress.printf("finished %d cases in %s%s%n", cases.size(),
                format(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)),
                failures.isEmpty() ? "" : ", " + failures.size() + " failed");
        return new Outcome(results, failures);
    }

    /** How long a case waits for another JMH run on this machine to release JMH's lock file. */
    private static final long LOCK_WAIT_MS = TimeUnit.MINUTES.toMillis(30);

    /**
     * Runs one case. JMH refuses to start while another JMH run on the machine holds its lock file
     * (two runs would disturb each other's numbers); rather than failing the case, wait for it.
     */
    private java.util.Collection<RunResult> runWaitingForLock(BenchmarkCase c) throws RunnerException {
        long deadline = System.currentTimeMillis() + LOCK_WAIT_MS;
        boolean told = false;
        while (true) {
            try {
                return new Runner(options(c)).run();
            } catch (RunnerException e) {
                String m = String.valueOf(e.getMessage());
                if (!m.contains("JMH lock") || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                if (!told) {
                    progress.println("    waiting: another JMH run on this machine holds its lock file");
                    told = true;
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private org.openjdk.jmh.runner.options.Options options(BenchmarkCase c) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(c.benchmark()) + "$")
                .mode(org.openjdk.jmh.annotations.Mode.deepValueOf(c.mode()))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        // No JVM arguments are set here: options given to the runner replace those a benchmark declares
        // in @Fork(jvmArgsAppend = ...), which lessons such as WarmUp (-Xint) depend on. Forks inherit the
        // launcher JVM's own flags.
        c.params().forEach(b::param);
        Integer forks = c.forks() != null ? c.forks() : settings.forks();
        if (forks != null) {
            b.forks(forks);
        }
        if (settings.warmupIterations() != null && !c.declaredIterations()) {
            b.warmupIterations(settings.warmupIterations());
        }
        if (settings.iterations() != null && !c.declaredIterations()) {
            b.measurementIterations(settings.iterations());
        }
        if (settings.iterationTimeMs() != null) {
            b.warmupTime(TimeValue.milliseconds(settings.iterationTimeMs()));
            b.measurementTime(TimeValue.milliseconds(settings.iterationTimeMs()));
        }
        return b.build();
    }

    /** Writes results in JMH's own JSON format, atomically (a reader never sees half a file). */
    public static void writeJson(List<RunResult> results, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(tmp), false, java.nio.charset.StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static String format(long ms) {
        Duration d = Duration.ofMillis(ms);
        if (d.toHours() > 0) {
            return String.format("%dh%02dm", d.toHours(), d.toMinutesPart());
        }
        if (d.toMinutes() > 0) {
            return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format("%ds", d.toSeconds());
    }
}
