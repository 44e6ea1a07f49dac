package io.github.dsw.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in-process for tests, with stdout and stderr captured (also what commands print to System.out/err). */
final class CliRun {

    /** A finished command: its exit code and everything it printed. */
    record Result(int exit, String out, String err) {
    }

    private CliRun() {
    }

    static Result run(String... argv) {
        return runWith(null, argv);
    }

    /** As {@link #run}, with {@code extra} added to the command table (tests add commands that fail on purpose). */
    static Result runWith(Command extra, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(o);
        System.setErr(e);
        try {
            List<Command> commands = new ArrayList<>(Main.COMMANDS);
            if (extra != null) {
                commands.add(extra);
            }
            int exit = Main.run(List.of(argv), o, e, commands);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
