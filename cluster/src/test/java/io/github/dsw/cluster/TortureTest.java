package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LinearizabilityChecker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault harness on real processes, bounded for {@code ./dsw test}: three node JVMs on 127.0.0.1 under
 * SIGKILL + restart, SIGSTOP/SIGCONT and partitions for 20 s must give a linearizable history; and the
 * mutation: with {@code --fsync none}, killing every server at once loses acknowledged writes, which the
 * checker must catch, while the same schedule with fsync on stays linearizable. A failure prints the
 * seed and the report; {@code -Ddsw.soak=true} runs 5 nodes for 60 s instead.
 */
class TortureTest {

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

    @Test
    void allNemesesOnThreeRealNodesStayLinearizable() throws Exception {
        long seed = 20260814L;
        Path history = tmp.resolve("history.jsonl");
        Torture.Settings s = new Torture.Settings(RaftKv.NAME, SOAK ? 5 : 3, SOAK ? 10 : 4, (SOAK ? 60 : 20) * 1_000_000_000L,
                EnumSet.of(Torture.Fault.KILL, Torture.Fault.PAUSE, Torture.Fault.PARTITION), seed, history, FsyncPolicy.EVERY, tmp.resolve("data"));
        Torture.Outcome o = run(s);
        String replay = " (replay: ./dsw torture raft-kv --nodes " + s.nodes() + " --clients " + s.clients() + " --time " + s.timeNs() / 1_000_000_000L
                + "s --nemesis kill,pause,partition --seed " + seed + ")\n" + o.report();
        assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, o.verdict().outcome(), replay);
        assertTrue(o.faults().values().stream().mapToInt(Integer::intValue).sum() >= 2, "too few faults injected" + replay);
        assertTrue(o.history().counts().get(Type.OK) > 100, "too few operations completed" + replay);
        assertTrue(Files.size(history) > 0);
        assertNoNodeLeft();
    }

    @Test
    void fsyncNoneLosesAcknowledgedWritesWhenEveryServerDies() throws Exception {
        // the mutation: the same schedule, with and without fsync; the checker must tell them apart
        long seed = 7;
        Torture.Settings unsafe = new Torture.Settings(RaftKv.NAME, 3, 4, 16_000_000_000L, EnumSet.of(Torture.Fault.KILL_ALL), seed, null,
                FsyncPolicy.NONE, tmp.resolve("none"));
        Torture.Outcome lost = run(unsafe);
        assertEquals(LinearizabilityChecker.Outcome.NOT_LINEARIZABLE, lost.verdict().outcome(),
                "fsync none + kill-all did not show a lost write (seed " + seed + ")\n" + lost.report());
        Torture.Settings safe = new Torture.Settings(RaftKv.NAME, 3, 4, 16_000_000_000L, EnumSet.of(Torture.Fault.KILL_ALL), seed, null,
                FsyncPolicy.EVERY, tmp.resolve("every"));
        Torture.Outcome kept = run(safe);
        assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, kept.verdict().outcome(), "seed " + seed + "\n" + kept.report());
        assertNoNodeLeft();
    }

    /**
     * Multi-Paxos KV and ABD get the same harness: one short run each (3 nodes, 3 clients, 12 s, every
     * nemesis) must be linearizable. ABD runs reads and writes only, each write sent to one server.
     */
    @Test
    void multiPaxosKvAndAbdUnderAllNemesesStayLinearizable() throws Exception {
        for (String protocol : new String[] {MultiPaxosKv.NAME, AbdKv.NAME}) {
            long seed = 20261202L;
            Torture.Settings s = new Torture.Settings(protocol, 3, 3, 12_000_000_000L, EnumSet.of(Torture.Fault.KILL, Torture.Fault.PAUSE,
                    Torture.Fault.PARTITION), seed, null, FsyncPolicy.EVERY, tmp.resolve(protocol));
            Torture.Outcome o = run(s);
            String replay = " (replay: ./dsw torture " + protocol + " --nodes 3 --clients 3 --time 12s --nemesis kill,pause,partition --seed " + seed + ")\n"
                    + o.report();
            assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, o.verdict().outcome(), replay);
            assertTrue(o.faults().values().stream().mapToInt(Integer::intValue).sum() >= 1, "no fault injected" + replay);
            assertTrue(o.history().counts().get(Type.OK) > 20, "too few operations completed" + replay);
        }
        assertNoNodeLeft();
    }

    /**
     * Ctrl-C on the harness: {@code Torture.main} in its own JVM (what {@code ./dsw torture} runs) gets
     * SIGINT while its nodes run; every node process it started must be gone soon after (its shutdown
     * hook stops the cluster; the nodes' parent watch is the second line of defence).
     */
    @Test
    void sigintOnTheHarnessLeavesNoNodeBehind() throws Exception {
        String jvm = ProcessHandle.current().info().command().orElseThrow();
        Process harness = new ProcessBuilder(jvm, "-cp", System.getProperty("java.class.path"), Torture.class.getName(), RaftKv.NAME, "--nodes", "3",
                "--clients", "2", "--time", "60s", "--nemesis", "none", "--dir", tmp.resolve("sigint").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sigint.log").toFile()).start();
        try {
            java.util.List<ProcessHandle> nodes = java.util.List.of();
            long until = System.nanoTime() + 120_000_000_000L;
            while (nodes.size() < 3 && System.nanoTime() < until && harness.isAlive()) {
                Thread.sleep(200);
                nodes = harness.descendants().filter(h -> LocalCluster.commandLine(h).map(c -> c.contains(NodeMain.class.getName())).orElse(false)).toList();
            }
            assertEquals(3, nodes.size(), "the harness did not start 3 nodes: " + Files.readString(tmp.resolve("sigint.log")));
            Thread.sleep(1000); // clients running
            assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(harness.pid())).start().waitFor());
            assertTrue(harness.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the harness did not exit after SIGINT");
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (nodes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(java.util.List.of(), nodes.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList(), "node processes left after SIGINT");
        } finally {
            harness.descendants().forEach(ProcessHandle::destroyForcibly);
            harness.destroyForcibly();
        }
    }

    @Test
    void nemesisListsParse() {
        assertEquals(EnumSet.of(Torture.Fault.KILL, Torture.Fault.PAUSE, Torture.Fault.PARTITION), Torture.Fault.parseList("all"));
        assertEquals(Set.of(Torture.Fault.KILL_ALL, Torture.Fault.PAUSE), Torture.Fault.parseList("pause,kill-all"));
        assertEquals(Set.of(), Torture.Fault.parseList("none"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Torture.Fault.parseList("kill,reboot"));
    }

    static void assertNoNodeLeft() {
        long left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .filter(h -> LocalCluster.commandLine(h).map(c -> c.contains(NodeMain.class.getName())).orElse(false)).count();
        assertEquals(0, left, "node processes left behind");
    }
}
