package io.github.dsw.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The Java side of {@code ./dsw}: one table of sub-commands. The shell launcher handles {@code setup}
 * and {@code test} (they drive Maven and Jupyter) and hands everything else to this class.
 * A chapter that adds a command adds one line to {@link #COMMANDS}.
 */
public final class Main {

    static final List<Command> COMMANDS = List.of(
            new BenchCommand(),
            new ReportCommand(),
            new CompareCommand(),
            new SimulateCommand(),
            new CheckHistoryCommand(),
            new LbCompareCommand(),
            new LockBenchCommand(),
            new NodeCommand(), new ClusterCommand(), new KvCommand(), new TortureCommand(),
            new LockCommand(),
            new ClusterBenchCommand(),
            new HuntCommand(),
            new GradeCommand(),
            new CheckAnswerCommand(),
            new CompletionCommand());

    /** Sub-commands implemented by the shell launcher, listed here so that help shows them too. */
    private static final String[][] LAUNCHER_COMMANDS = {
        {"setup", "install what is missing: the build, Jupyter, the dsw-java notebook kernel"},
        {"test", "run every test, smoke-run every benchmark, execute every notebook"},
        {"notebook", "start Jupyter on notebooks/ with the dsw-java kernel (127.0.0.1, a token; prints the URL)"},
    };

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        return run(argv, out, err, COMMANDS);
    }

    /** Runs {@code argv} against {@code commands} (the tests pass commands that fail on purpose); returns the exit code. */
    static int run(List<String> argv, PrintStream out, PrintStream err, List<Command> commands) {
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            if (argv.size() > 1) {
                return run(List.of(argv.get(1), "--help"), out, err, commands);
            }
            out.print(usage());
            return 0;
        }
        String name = argv.get(0);
        if (name.equals("--version") || name.equals("-V") || name.equals("version")) {
            out.println("dsw " + version() + " (java " + Runtime.version() + ")");
            return 0;
        }
        Command command = commands.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            List<String> names = new java.util.ArrayList<>(commands.stream().map(Command::name).toList());
            for (String[] c : LAUNCHER_COMMANDS) {
                names.add(c[0]);
            }
            names.add("help");
            String near = Suggest.closest(name.replaceFirst("^-+", ""), names);
            err.println("dsw: unknown command '" + name + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
                    + " (run ./dsw help for the list)");
            return ExitCode.USAGE;
        }
        List<String> rest = argv.subList(1, argv.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.help());
            return 0;
        }
        try {
            return command.run(rest);
        } catch (UsageException e) {
            err.println("dsw " + e.getMessage());
            return ExitCode.USAGE;
        } catch (IllegalArgumentException | java.io.UncheckedIOException | java.io.IOException e) {
            // bad input detected below the command (a file that cannot be read, a value a constructor refuses)
            err.println("dsw " + name + ": " + e.getMessage());
            return ExitCode.USAGE;
        } catch (Throwable t) { // a bug, OutOfMemoryError, StackOverflowError: never a verdict (exit 1)
            err.println("dsw " + name + ": internal error: " + oneLine(t) + "; full trace in " + writeTrace(argv, t));
            return ExitCode.INTERNAL_ERROR;
        }
    }

    /** The throwable's class and the start of its message, on one line of bounded length. */
    private static String oneLine(Throwable t) {
        String s = t.toString().replaceAll("\\s+", " ");
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /**
     * Writes the command line and the full stack trace to a new file under the system temp folder, and returns
     * its path (or why it could not be written). Called after the failed computation has unwound, so its memory
     * and its stack are free again even after an {@link OutOfMemoryError} or a {@link StackOverflowError}.
     */
    static String writeTrace(List<String> argv, Throwable t) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("dsw-crash-", ".txt");
            try (java.io.PrintWriter w = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(f))) {
                w.println("./dsw " + String.join(" ", argv));
                w.println("java " + Runtime.version() + ", " + java.time.Instant.now());
                t.printStackTrace(w);
            }
            return f.toString();
        } catch (Throwable e) {
            return "(nowhere: could not write it: " + e + ")";
        }
    }

    /** The project version Maven wrote into {@code dsw-version.properties}, or "unknown" outside a build. */
    static String version() {
        try (var in = Main.class.getResourceAsStream("/dsw-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The words the launcher itself implements (setup, test, notebook), for help and completion. */
    static List<String> launcherCommands() {
        return Arrays.stream(LAUNCHER_COMMANDS).map(c -> c[0]).toList();
    }

    static String usage() {
        StringBuilder sb = new StringBuilder();
        sb.append("DS Workbench launcher\n\nusage: ./dsw <command> [options]    (./dsw <command> --help for its options)\n\n");
        for (String[] c : LAUNCHER_COMMANDS) {
            sb.append(String.format("  %-14s %s%n", c[0], c[1]));
        }
        for (Command c : COMMANDS) {
            sb.append(String.format("  %-14s %s%n", c.name(), c.summary()));
        }
        sb.append(String.format("  %-14s %s%n", "help", "this list; 'help <command>' for one command"));
        sb.append(String.format("  %-14s %s%n", "--version", "the workbench's version and the JVM running it"));
        sb.append('\n').append(ExitCode.table());
        return sb.toString();
    }
}
