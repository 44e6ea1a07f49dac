package io.github.dsw.labs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a student's lab folder against the workbench's own class path, loads the student's class, and runs
 * the lab's tests on it, each in its own thread with a time limit, printing one line per test and a score.
 */
public final class Grader {

    /** Each test's time limit (several simulated seeds on a loaded laptop fit): a student's infinite loop fails the test instead of hanging the grader. */
    static final long TEST_TIMEOUT_MS = 180_000;

    /**
     * How to grade: {@code seeds} simulation seeds per randomised test (each test has its own default when 0),
     * or only {@code seed} when not null; only the test named {@code test} when not null; {@code replay} is the
     * command that grades this same code (the failing seed and test are appended to it in a failure's replay line).
     */
    public record Options(int seeds, Long seed, String test, String replay) {
        public Options {
            if (seeds < 0) {
                throw new IllegalArgumentException("seeds must be >= 0, got " + seeds);
            }
        }

        /** Every test, each with its default number of seeds. */
        public static Options defaults(String replay) {
            return new Options(0, null, null, replay);
        }
    }

    /** The result of one test. */
    public record Outcome(String test, int points, boolean passed, String message) {
    }

    /** The student's code could not be turned into an instance of the lab's interface (compile error, wrong class). */
    public static final class NotGradable extends Exception {
        NotGradable(String message) {
            super(message);
        }
    }

    private Grader() {
    }

    /** The lab's skeleton files in the repository ({@code labs/NAME/CLASS.java} under {@code root}; lab raft: four). */
    public static List<Path> skeletons(Path root, String labName) {
        return Labs.byName(labName).skeletons().stream().map(f -> root.resolve("labs").resolve(f)).toList();
    }

    /** Grades the reference implementation of {@code labName}. */
    public static List<Outcome> gradeReference(String labName, Options options, PrintStream out) {
        return gradeReference(Labs.byName(labName), options, out);
    }

    private static <T> List<Outcome> gradeReference(Lab<T> lab, Options options, PrintStream out) {
        return run(lab, lab.reference(), options, out);
    }

    /** Compiles every {@code .java} file of {@code dir}, loads the lab's student class from it and grades it. */
    public static List<Outcome> gradeStudent(String labName, Path dir, Options options, PrintStream out) throws NotGradable, IOException {
        return gradeStudent(Labs.byName(labName), dir, options, out);
    }

    private static <T> List<Outcome> gradeStudent(Lab<T> lab, Path dir, Options options, PrintStream out) throws NotGradable, IOException {
        T impl = load(lab, dir);
        return run(lab, impl, options, out);
    }

    /** The names of the lab's tests, in order (for {@code --test}). */
    public static List<String> testNames(String labName) {
        return testNames(Labs.byName(labName));
    }

    private static <T> List<String> testNames(Lab<T> lab) {
        return lab.tests(lab.reference(), Seeds.ONE).stream().map(LabTest::name).toList();
    }

    private static <T> T load(Lab<T> lab, Path dir) throws NotGradable, IOException {
        List<String> sources;
        try (Stream<Path> files = Files.walk(dir)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        if (sources.isEmpty()) {
            throw new NotGradable("no .java file in " + dir);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new NotGradable("this Java runtime has no compiler (a JDK is needed, not a JRE)");
        }
        Path classes = Files.createTempDirectory("dsw-lab-" + lab.name() + "-");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                "-encoding", "UTF-8", "-proc:none", "-nowarn"));
        args.addAll(sources);
        StringWriter diagnostics = new StringWriter();
        int rc;
        try (var err = new PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                diagnostics.write(b);
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8)) {
            rc = javac.run(null, err, err, args.toArray(String[]::new));
        }
        if (rc != 0) {
            throw new NotGradable("your code does not compile:\n" + diagnostics.toString().strip());
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, Grader.class.getClassLoader());
        return lab.load(loader, dir);
    }

    /** An instance of the student's class {@code name} (default package), which must implement {@code api}. */
    static <T> T instance(ClassLoader loader, String name, Class<T> api, Path dir) throws NotGradable {
        try {
            Class<?> c = Class.forName(name, true, loader);
            if (!api.isAssignableFrom(c)) {
                throw new NotGradable(name + " must implement " + api.getName());
            }
            return api.cast(c.getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            throw new NotGradable("no class " + name + " (default package) in " + dir);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new NotGradable("cannot create " + name + " with its no-argument constructor: " + e);
        }
    }

    private static <T> List<Outcome> run(Lab<T> lab, T impl, Options options, PrintStream out) {
        List<Outcome> outcomes = new ArrayList<>();
        Seeds seeds = new Seeds(options.seeds(), options.seed());
        for (LabTest t : lab.tests(impl, seeds)) {
            if (options.test() != null && !options.test().equals(t.name())) {
                continue;
            }
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread th = new Thread(() -> {
                try {
                    t.body().run();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "lab-" + lab.name() + "-" + t.name());
            th.setDaemon(true);
            th.start();
            try {
                th.join(TEST_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure.compareAndSet(null, e);
            }
            String message;
            if (th.isAlive()) {
                message = "did not finish within " + TEST_TIMEOUT_MS / 1000 + " s";
            } else if (failure.get() == null) {
                message = null;
            } else if (failure.get() instanceof Seeds.SeedFailure f) {
                // the replay line right under the first line, before a long explanation (a history window, a table)
                String replay = "replay: " + options.replay() + " --test " + t.name() + " --seed " + f.seed();
                List<String> lines = new ArrayList<>(String.valueOf(f.getMessage()).lines().toList());
                lines.add(Math.min(1, lines.size()), replay);
                message = String.join("\n", lines);
            } else if (failure.get() instanceof AssertionError a) {
                message = a.getMessage() + "\nrerun: " + options.replay() + " --test " + t.name();
            } else {
                message = "threw " + Seeds.describe(failure.get()) + "\nrerun: " + options.replay() + " --test " + t.name();
            }
            Outcome o = new Outcome(t.name(), t.points(), message == null, message);
            outcomes.add(o);
            out.printf("%-4s %-48s %d/%d%s%n", o.passed() ? "PASS" : "FAIL", o.test(), o.passed() ? o.points() : 0,
                    o.points(), o.passed() ? "" : "  " + o.message().lines().findFirst().orElse(""));
            if (!o.passed()) {
                o.message().lines().skip(1).limit(30).forEach(l -> out.println("     " + l));
            }
        }
        int got = outcomes.stream().filter(Outcome::passed).mapToInt(Outcome::points).sum();
        int all = outcomes.stream().mapToInt(Outcome::points).sum();
        out.printf("score %d/%d (%d of %d tests passed)%n", got, all, outcomes.stream().filter(Outcome::passed).count(),
                outcomes.size());
        return outcomes;
    }
}
