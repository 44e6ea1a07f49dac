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
            new NodeCommand(), new ClusterCommand(), new KvCommand(), new TortureCommand());

    /** Sub-commands implemented by the shell launcher, listed here so that help shows them too. */
    private static final String[][] LAUNCHER_COMMANDS = {
        {"setup", "install what is missing: the build, Jupyter, the dsw-java notebook kernel"},
        {"test", "run every test, smoke-run every benchmark, execute every notebook"},
    };

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            if (argv.size() > 1) {
                return run(List.of(argv.get(1), "--help"), out, err);
            }
            out.print(usage());
            return 0;
        }
        String name = argv.get(0);
        Command command = COMMANDS.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
        if (command == null) {
            err.println("dsw: unknown command '" + name + "' (run ./dsw help for the list)");
            return 2;
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
            return 2;
        } catch (IllegalArgumentException | java.io.UncheckedIOException | java.io.IOException e) {
            err.println("dsw " + name + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("dsw " + name + ": failed: " + e);
            return 1;
        }
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
        return sb.toString();
    }
}
