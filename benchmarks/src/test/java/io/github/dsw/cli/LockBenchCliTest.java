package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./dsw lock-bench}'s input errors: one line naming the option, exit 2, before any server starts (the
 * measurement itself needs the real servers and is run by hand; see datasets/README.md, chapter 9).
 */
class LockBenchCliTest {

    private static Object[] run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Object[] {code, err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        String[][] cases = {{"--clients", "0"}, {"--clients", "1,x"}, {"--seconds", "-1"}, {"--seconds", "abc"},
                {"--warmup", "-2"}, {"--bogus", "1"}};
        for (String[] c : cases) {
            Object[] r = run("lock-bench", c[0], c[1]);
            assertEquals(ExitCode.USAGE, r[0], String.join(" ", c) + ": " + r[1]);
            String msg = ((String) r[1]).strip();
            assertTrue(msg.contains(c[0]) && !msg.contains("\n"), String.join(" ", c) + ": " + msg);
        }
    }
}
