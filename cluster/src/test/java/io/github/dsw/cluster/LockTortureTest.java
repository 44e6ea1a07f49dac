package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock service on real processes under every fault ({@link LockTorture}), bounded for {@code ./dsw test}:
 * 3 raft-lock node JVMs and 3 lock-client JVMs for 20 s while the leader is SIGKILLed, SIGSTOPped and
 * partitioned and the holder SIGKILLed and SIGSTOPped past its lease. The resource that checks tokens must
 * never accept a stale write, and no two grants may share a token. The mutation runs in the same schedule:
 * each write also goes to a resource that ignores tokens, on which the same checker must find the paused
 * holder's stale write (and the history must show the broken exclusion that fencing makes harmless). A
 * failure prints the seed; {@code -Ddsw.soak=true} runs 5 nodes and 5 clients for 90 s.
 */
class LockTortureTest {

    private static final boolean SOAK = Boolean.getBoolean("dsw.soak");

    @TempDir
    Path tmp;

    @Test
    void fencedWritesHoldUnderEveryFaultAndTheUnfencedResourceLosesUpdates() throws Exception {
        long seed = 20261203L;
        Path history = tmp.resolve("lock-history.jsonl");
        LockTorture.Settings s = new LockTorture.Settings(SOAK ? 5 : 3, SOAK ? 5 : 3, (SOAK ? 90 : 20) * 1_000_000_000L,
                EnumSet.allOf(LockTorture.Fault.class), seed, 2_000_000_000L, history, tmp.resolve("data"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        LockTorture.Outcome o = LockTorture.run(s, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        String replay = " (replay: ./dsw lock torture --nodes " + s.nodes() + " --clients " + s.clients() + " --time " + s.timeNs() / 1_000_000_000L
                + "s --nemesis all --seed " + seed + ")\n" + report;
        assertTrue(o.fenced().holds(), "the fenced resource accepted a stale write" + replay);
        assertEquals(java.util.List.of(), o.duplicateTokens(), "two grants with one token" + replay);
        assertTrue(o.faults().getOrDefault(LockTorture.Fault.PAUSE_HOLDER, 0) >= 1, "no holder was paused" + replay);
        assertTrue(o.faults().values().stream().mapToInt(Integer::intValue).sum() >= 3, "too few faults injected" + replay);
        assertTrue(o.grants() >= 5, "too few grants" + replay);
        assertFalse(o.plain().holds(), "the resource without token checks lost no update: the pause did not bite" + replay);
        assertFalse(o.exclusion().holds(), "a holder paused past its lease must overlap the next holder in the history" + replay);
        assertEquals(0, o.exitCode(s.nemesis()), replay);
        assertTrue(Files.size(history) > 0);
        TortureTest.assertNoNodeLeft();
        long clientsLeft = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> LocalCluster.commandLine(h).map(c -> c.contains(LockTorture.Client.class.getName())).orElse(false)).count();
        assertEquals(0, clientsLeft, "lock-client processes left behind");
    }

    @Test
    void nemesisListsParse() {
        assertEquals(EnumSet.allOf(LockTorture.Fault.class), LockTorture.Fault.parseList("all"));
        assertEquals(EnumSet.of(LockTorture.Fault.PAUSE_HOLDER, LockTorture.Fault.KILL_HOLDER), LockTorture.Fault.parseList("holders"));
        assertEquals(EnumSet.of(LockTorture.Fault.KILL_LEADER), LockTorture.Fault.parseList("kill-leader"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> LockTorture.Fault.parseList("kill,reboot"));
    }
}
