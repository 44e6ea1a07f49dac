package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./dsw simulate detector} end to end: the fixed line other tools parse, replay from the seed, and
 * one-line usage errors with exit code 2.
 */
class DetectorCliTest {

    /** Runs the CLI with stdout and stderr captured; returns {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(List.of(args), System.out, System.err);
            return new Object[] {code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    @Test
    void printsTheFixedLineAndReplaysFromTheSeed() {
        for (String kind : new String[] {"fixed", "phi", "phi-exp", "swim"}) {
            Object[] r = run("simulate", "detector", "--kind", kind, "--seed", "3", "--duration-s", "600", "--trials", "3",
                    "--latency", "pareto");
            assertEquals(0, r[0], kind + ": " + r[2]);
            String line = ((String) r[1]).strip();
            assertTrue(line.matches("T_D_ms=[0-9.]+ T_MR_s=([0-9.]+|Infinity) T_M_ms=([0-9.]+|NaN) P_A=[0-9.]+"), kind + ": " + line);
            assertEquals(line, ((String) run("simulate", "detector", "--kind", kind, "--seed", "3", "--duration-s", "600", "--trials", "3",
                    "--latency", "pareto")[1]).strip(), kind + " replays");
        }
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        String[][] bad = {
            {"--kind", "gossip"}, {}, {"--kind", "phi", "--threshold", "-1"}, {"--kind", "fixed", "--latency", "normal"},
            {"--kind", "swim", "--threshold", "2.5"}, {"--kind", "phi", "--duration-s", "0"}, {"--kind", "phi", "--loss", "1"},
            {"--kind", "phi", "--bogus", "1"}, {"--kind", "phi", "--threshold", "eight"}
        };
        for (String[] args : bad) {
            String[] argv = new String[args.length + 2];
            argv[0] = "simulate";
            argv[1] = "detector";
            System.arraycopy(args, 0, argv, 2, args.length);
            Object[] r = run(argv);
            assertEquals(2, r[0], String.join(" ", args));
            String err = ((String) r[2]).strip();
            assertEquals(1, err.lines().count(), String.join(" ", args) + ": " + err);
            assertTrue(((String) r[1]).isEmpty(), "nothing on stdout for " + String.join(" ", args));
        }
    }
}
