package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./dsw simulate 2pc|3pc|paxos-commit|faster-paxos-commit|snapshot} end to end: the counts line of the fixed
 * interface (values from Gray and Lamport's formulas, N = 5, F = 1, co-located: 12 / 17 / 20 messages), a verdict
 * with exit 0, a violation with exit 1, replay line, shrunk schedule and its window drawn as a timeline, and usage errors with exit 2.
 */
class CommitCliTest {

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
    void failureFreeCountsMatchThePaperCoLocated() {
        String[][] cases = {{"2pc", "0", "messages=12 message_delays=3 stable_writes=6"},
                {"paxos-commit", "1", "messages=17 message_delays=4 stable_writes=7"},
                {"faster-paxos-commit", "1", "messages=20 message_delays=3 stable_writes=7"}};
        for (String[] c : cases) {
            Object[] r = run("simulate", c[0], "--participants", "5", "--faults", c[1], "--nemesis", "none", "--transactions", "1", "--colocated");
            assertEquals(0, r[0], (String) r[1]);
            assertTrue(((String) r[1]).contains(c[2]), c[0] + ": " + r[1]);
        }
        Object[] r = run("simulate", "2pc", "--participants", "4", "--nemesis", "none", "--transactions", "1");
        assertTrue(((String) r[1]).contains("messages=11 message_delays=4 stable_writes=5"), (String) r[1]); // 3N-1, 4, N+1
        // concurrent prepare: (N+1)(F+3)-2 = 22 messages, 5 delays, N+F+1 = 7 writes, as in the normal case
        r = run("simulate", "paxos-commit", "--participants", "5", "--faults", "1", "--nemesis", "none", "--transactions", "1",
                "--concurrent-prepare");
        assertEquals(0, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("messages=22 message_delays=5 stable_writes=7"), (String) r[1]);
    }

    @Test
    void aThreePhaseCommitSplitExitsOneWithReplayAndShrunkSchedule() {
        Object[] r = run("simulate", "3pc", "--nemesis", "partition", "--transactions", "20", "--seed", "6");
        assertEquals(1, r[0], (String) r[1]);
        String out = (String) r[1];
        assertTrue(out.contains("VIOLATION: agreement"), out);
        assertTrue(out.contains("replay: ./dsw simulate 3pc --nemesis partition --transactions 20 --seed 6"), out);
        assertTrue(out.contains("shrunk schedule"), out);
        assertTrue(out.contains("shrunk transactions ("), out);
        assertTrue(out.contains("window (the shrunk run"), out);
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("partition {") && l.contains("|=")), "the episode drawn as a bar: " + out);
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("RM ") && l.contains("COMMIT")), "the commit side: " + out);
        assertTrue(out.lines().anyMatch(l -> l.trim().startsWith("RM ") && l.contains("ABORT")), "the abort side: " + out);
    }

    @Test
    void verdictsAndUsageErrors() {
        assertEquals(0, run("simulate", "paxos-commit", "--nemesis", "crash,loss", "--transactions", "5", "--seed", "3")[0]);
        assertEquals(2, run("simulate", "2pc", "--faults", "1")[0]);
        assertEquals(2, run("simulate", "3pc", "--concurrent-prepare")[0]);
        assertEquals(2, run("simulate", "paxos-commit", "--participants", "0")[0]);
        assertEquals(2, run("simulate", "2pc", "--nemesis", "meteor")[0]);
        assertEquals(0, run("simulate", "snapshot", "--processes", "4", "--seed", "2")[0]);
        assertEquals(1, run("simulate", "snapshot", "--non-fifo", "--seed", "1")[0]);
        assertEquals(2, run("simulate", "snapshot", "--processes", "1")[0]);
    }
}
