package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LinearizabilityChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 13's Zab key-value store ({@link ZabKv}) as real processes under the fault harness, bounded for
 * {@code ./dsw test}: three node JVMs on 127.0.0.1 under SIGKILL + restart, SIGSTOP/SIGCONT and partitions for 15 s
 * must give a linearizable history (checked by chapter 5's checker, not by anything of Zab's); and every server
 * killed at once (the recovery from disk: accepted epoch, current epoch and history reloaded, then election,
 * discovery and synchronisation) must lose no acknowledged write. A failure prints the seed and the command that
 * replays it. {@code -Ddsw.soak=true} runs 5 nodes for 60 s.
 */
class ZabKvTortureTest {

    private static final boolean SOAK = Boolean.getBoolean("dsw.soak");

    @TempDir
    Path tmp;

    private static Torture.Outcome run(Torture.Settings s) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Torture.Outcome o = Torture.run(s, out);
        System.out.print(buf.toString(StandardCharsets.UTF_8));
        return o;
    }

    private static String replay(Torture.Settings s, String nemesis) {
        return " (replay: ./dsw torture zab-kv --nodes " + s.nodes() + " --clients " + s.clients() + " --time " + s.timeNs() / 1_000_000_000L
                + "s --nemesis " + nemesis + " --seed " + s.seed() + ")\n";
    }

    @Test
    void killPausePartitionOnThreeRealNodesStayLinearizable() throws Exception {
        long seed = 20261203L;
        Torture.Settings s = new Torture.Settings(ZabKv.NAME, SOAK ? 5 : 3, SOAK ? 8 : 4, (SOAK ? 60 : 15) * 1_000_000_000L,
                EnumSet.of(Torture.Fault.KILL, Torture.Fault.PAUSE, Torture.Fault.PARTITION), seed, tmp.resolve("history.jsonl"), FsyncPolicy.EVERY,
                tmp.resolve("data"));
        Torture.Outcome o = run(s);
        String replay = replay(s, "kill,pause,partition") + o.report();
        assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, o.verdict().outcome(), replay);
        assertTrue(o.faults().values().stream().mapToInt(Integer::intValue).sum() >= 2, "too few faults injected" + replay);
        assertTrue(o.history().counts().get(Type.OK) > 50, "too few operations completed" + replay);
        TortureTest.assertNoNodeLeft();
    }

    @Test
    void everyServerKilledAtOnceLosesNoAcknowledgedWrite() throws Exception {
        long seed = 7;
        Torture.Settings s = new Torture.Settings(ZabKv.NAME, 3, 3, 12_000_000_000L, EnumSet.of(Torture.Fault.KILL_ALL), seed, null,
                FsyncPolicy.EVERY, tmp.resolve("kill-all"));
        Torture.Outcome o = run(s);
        String replay = replay(s, "kill-all") + o.report();
        assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, o.verdict().outcome(), replay);
        assertTrue(o.faults().values().stream().mapToInt(Integer::intValue).sum() >= 1, "no fault injected" + replay);
        assertTrue(o.history().counts().get(Type.OK) > 20, "too few operations completed" + replay);
        TortureTest.assertNoNodeLeft();
    }
}
