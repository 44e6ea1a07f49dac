package io.github.dsw.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.AtomicCommitChecker.Violation;
import io.github.dsw.commit.CommitRun.Episode;
import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.commit.CommitRun.Settings;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The window a violation prints (chapter 5's {@code Timeline}): for the known 3PC split (N = 3, partitions, 20
 * transactions, seed 6, the chapter's and the CLI test's example), the drawing of the shrunk run must hold the two
 * participants the violation names, one drawn COMMIT and the other ABORT, every episode of the shrunk schedule, and
 * nothing else; and the schedule must be minimal in the sense the chapter claims: without any one of its episodes the
 * same seed no longer splits the decision (checked by re-running, not by trusting the shrinker).
 */
class CommitWindowTest {

    private static final Pattern SPLIT = Pattern.compile("participant (\\d+) decided (commit|abort) but participant (\\d+) decided (commit|abort)");

    @Test
    void theKnownThreePhaseCommitSplitDrawsTheCommitAndTheAbortSideBySide() {
        long seed = 6;
        Settings s = Settings.random(Protocol.THREE_PC, 3, 0, 20, EnumSet.of(Nemesis.Kind.PARTITION), seed);
        Outcome o = CommitRun.run(s);
        assertFalse(o.ok(), "seed " + seed + ": 3PC under partitions was expected to split (replay: ./dsw simulate 3pc --nemesis partition "
                + "--transactions 20 --seed 6)");
        List<Episode> shrunk = CommitRun.shrink(s, o);
        Outcome again = CommitRun.run(s.withScript(shrunk));
        Violation v = again.violations().get(0);
        assertEquals("agreement", v.property(), "seed " + seed + ": " + v);
        Matcher m = SPLIT.matcher(v.detail());
        assertTrue(m.find(), "seed " + seed + ": unexpected wording " + v.detail());
        assertTrue(!m.group(2).equals(m.group(4)), "a split names one commit and one abort: " + v.detail());

        String window = CommitRun.window(again, v);
        String[] lines = window.split("\n");
        assertEquals(shrunk.size() + 1 + 3, lines.length, "one row per episode, the Begin, and one per RM:\n" + window);
        for (int i = 0; i < shrunk.size(); i++) {
            assertTrue(lines[i].trim().startsWith("partition {"), "episode rows first, in schedule order:\n" + window);
        }
        assertTrue(window.contains("tx " + v.tx() + ": Begin at RM 0"), window);
        String first = row(lines, Integer.parseInt(m.group(1)));
        String second = row(lines, Integer.parseInt(m.group(3)));
        assertTrue(first.contains(m.group(2).toUpperCase(java.util.Locale.ROOT)), "RM " + m.group(1) + " row: " + first + "\n" + window);
        assertTrue(second.contains(m.group(4).toUpperCase(java.util.Locale.ROOT)), "RM " + m.group(3) + " row: " + second + "\n" + window);
        // both decided: closed bars, not arrows
        assertFalse(first.contains("?]") || second.contains("?]"), window);

        for (int i = 0; i < shrunk.size(); i++) {
            List<Episode> fewer = new ArrayList<>(shrunk);
            fewer.remove(i);
            Outcome without = CommitRun.run(s.withScript(fewer));
            assertTrue(without.ok() || !without.violations().get(0).property().equals("agreement"),
                    "seed " + seed + ": the schedule is not minimal, the split survives without " + shrunk.get(i));
        }
    }

    /**
     * {@link CommitRun#minimal} also drops the transactions the split does not need. Checked by re-running, not by
     * trusting the shrinker: the shrunk run still splits; without any one of its episodes, or any one of its transactions,
     * the same seed no longer does; and the window draws one bar per kept transaction besides the violating one.
     */
    @Test
    void theShrunkWindowKeepsOnlyTheTransactionsTheSplitNeeds() {
        long seed = 6;
        Settings s = Settings.random(Protocol.THREE_PC, 3, 0, 20, EnumSet.of(Nemesis.Kind.PARTITION), seed);
        Outcome o = CommitRun.run(s);
        assertFalse(o.ok(), "seed " + seed + ": 3PC under partitions was expected to split");
        Settings small = CommitRun.minimal(s, o);
        List<Long> kept = small.transactionsRun();
        assertTrue(kept.size() < 20, "seed " + seed + ": some of the 20 transactions must be unneeded, kept " + kept);
        Outcome again = CommitRun.run(small);
        assertFalse(again.ok(), "seed " + seed + ": the shrunk run must still violate: " + kept + " " + small.script());
        Violation v = again.violations().get(0);
        assertEquals("agreement", v.property(), "seed " + seed + ": " + v);
        for (int i = 0; i < small.script().size(); i++) {
            List<Episode> fewer = new ArrayList<>(small.script());
            fewer.remove(i);
            Outcome without = CommitRun.run(small.withScript(fewer));
            assertTrue(without.ok() || !without.violations().get(0).property().equals("agreement"),
                    "seed " + seed + ": not minimal, the split survives without episode " + small.script().get(i));
        }
        if (kept.size() > 1) {
            for (int i = 0; i < kept.size(); i++) {
                List<Long> less = new ArrayList<>(kept);
                less.remove(i);
                Outcome without = CommitRun.run(small.withOnly(less));
                assertTrue(without.ok() || !without.violations().get(0).property().equals("agreement"),
                        "seed " + seed + ": not minimal, the split survives without transaction " + kept.get(i) + " (kept " + kept + ")");
            }
        }
        String window = CommitRun.window(again, v, kept);
        long otherRows = window.lines().filter(l -> l.trim().startsWith("tx ") && l.contains(": Begin to ")).count();
        assertEquals(kept.size() - 1, otherRows, "one bar per kept transaction besides the violating one:\n" + window);
        System.out.println("seed " + seed + ": kept transactions " + kept + ", " + small.script().size() + " episodes\n" + window);
    }

    private static String row(String[] lines, int rm) {
        for (String l : lines) {
            if (l.trim().startsWith("RM " + rm + " ")) {
                return l;
            }
        }
        throw new AssertionError("no row for RM " + rm + " in\n" + String.join("\n", lines));
    }
}
