package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./dsw simulate raft-elections} end to end: one summary line, the CSV, usage errors exit 2. */
class RaftElectionsCliTest {

    @TempDir
    Path tmp;

    /** Runs the CLI with stdout captured; returns {exit code, stdout}. */
    private static Object[] run(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            int code = Main.run(List.of(args), System.out, err);
            return new Object[] {code, buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void printsOneSummaryLineAndWritesEveryTrial() throws Exception {
        Path csv = tmp.resolve("elections.csv");
        Object[] r = run("simulate", "raft-elections", "--timeout-ms", "150-300", "--trials", "12", "--seed", "5", "--out", csv.toString());
        assertEquals(0, r[0]);
        String out = ((String) r[1]).strip();
        assertEquals(1, out.lines().count(), out);
        for (String field : new String[] {"mean_ms=", "median_ms=", "p99_ms=", "max_ms=", "censored=0", "trials=12", "range_ms=150-300",
                "seed=5", "model_mean_ms="}) {
            assertTrue(out.contains(field), field + " missing in " + out);
        }
        List<String> rows = Files.readAllLines(csv);
        assertEquals(13, rows.size());
        assertTrue(rows.get(0).startsWith("range_ms,trial,seed,"), rows.get(0));
        // The same seed replays the same trials.
        Object[] again = run("simulate", "raft-elections", "--timeout-ms", "150-300", "--trials", "12", "--seed", "5");
        assertEquals(out, ((String) again[1]).strip());
    }

    @Test
    void badInputIsAUsageError() {
        assertEquals(2, run("simulate", "raft-elections", "--timeout-ms", "200-150")[0]);
        assertEquals(2, run("simulate", "raft-elections", "--timeout-ms", "150-155", "--trials", "0")[0]);
        assertEquals(2, run("simulate", "raft-elections", "--timeout-ms", "fast")[0]);
        assertEquals(2, run("simulate", "raft-elections", "--timeout-ms", "1-5")[0]);
        assertEquals(2, run("simulate", "raft-elections")[0]);
        assertEquals(2, run("simulate", "raft-elections", "--timeout-ms", "150-155", "--timer-rule", "zk")[0]);
        assertEquals(2, run("simulate", "raft-elections", "--timeout-ms", "150-155", "--nodes", "3")[0]);
    }
}
