package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftKvRun;
import io.github.dsw.raft.KvService;
import io.github.dsw.sim.Nemesis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./dsw simulate} and {@code ./dsw check-history}: exit codes 0 / 1 / 2 as documented. */
class SimulationCliTest {

    @TempDir
    Path tmp;

    private static int run(String... args) {
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return Main.run(List.of(args), System.out, err);
    }

    @Test
    void abdRunIsLinearizableAndItsHistoryChecksClean() {
        Path h = tmp.resolve("abd.jsonl");
        assertEquals(0, run("simulate", "abd", "--seed", "2", "--nodes", "5", "--ops", "200", "--nemesis", "all",
                "--history-out", h.toString()));
        assertEquals(0, run("check-history", "--model", "register", h.toString()));
        assertEquals(0, run("check-history", "--model", "kv", h.toString()));
    }

    @Test
    void paxosKvRunIsLinearizableAndItsHistoryChecksClean() {
        Path h = tmp.resolve("paxos.jsonl");
        assertEquals(0, run("simulate", "paxos-kv", "--seed", "4", "--nodes", "5", "--ops", "200", "--nemesis", "all",
                "--window", "4", "--batch", "2", "--faults-until-ms", "500", "--history-out", h.toString()));
        assertEquals(0, run("check-history", "--model", "kv", h.toString()));
        assertEquals(2, run("simulate", "abd", "--window", "4"));
    }

    @Test
    void raftKvRunIsLinearizableAndItsHistoryChecksClean() throws Exception {
        Path h = tmp.resolve("raft.jsonl");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, run("simulate", "raft-kv", "--seed", "4", "--nodes", "5", "--clients", "4", "--ops", "300", "--nemesis", "all",
                    "--read-mode", "read-index", "--faults-until-ms", "1500", "--unreliable-clients", "--history-out", h.toString()));
        } finally {
            System.setOut(stdout);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("simulate raft-kv: seed=4 nodes=5 clients=4 ops=300"), text);
        assertTrue(text.contains("latency (virtual time, ok ops): p50 "), text);
        assertTrue(text.contains("verdict: linearizable"), text);
        assertEquals(300, Files.readAllLines(h).stream().filter(l -> l.contains("\"invoke\"")).count(), "one invoke line per operation");
        // the exported history, checked again by the independent command (kv model)
        assertEquals(0, run("check-history", "--model", "kv", h.toString()));
    }

    @Test
    void raftKvWithoutRetriesOnUnreliableClientLinksExitsOne() {
        // clients that take a redirect as a failure while client links duplicate and delay messages: the
        // checker must find a violation (exit 1), and so must check-history on the exported history
        Path h = tmp.resolve("stale.jsonl");
        int caught = 0;
        for (int seed = 1; seed <= 60 && caught == 0; seed++) {
            caught += run("simulate", "raft-kv", "--seed", "" + seed, "--clients", "4", "--ops", "200", "--nemesis", "all",
                    "--unreliable-clients", "--no-retries", "--history-out", h.toString()) == 1 ? 1 : 0;
        }
        assertEquals(1, caught, "a violation without retries in seeds 1..60");
        assertEquals(1, run("check-history", "--model", "kv", h.toString()));
    }

    @Test
    void raftKvReplayCommandReproducesTheRunExactly() {
        // the command a failing test prints must replay that run: same trace hash as in-process
        RaftKvRun.Settings s = RaftKvRun.Settings.retrying(7, 5, 3, 150, EnumSet.allOf(Nemesis.Kind.class), KvService.ReadMode.READ_INDEX)
                .withFaultsUntilNs(1_200_000_000L).withClients(true, true).withFaultTiming(30_000_000, 70_000_000);
        long hash = RaftKvRun.run(s).traceHash();
        List<String> argv = List.of(s.replayCommand().replaceFirst("^\\./dsw ", "").split(" "));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(argv, System.out, System.err));
        } finally {
            System.setOut(stdout);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(String.format("trace hash %016x", hash)), s.replayCommand() + "\n" + text);
    }

    @Test
    void raftKvRejectsBadOptionsWithOneLine() {
        assertRejected("--read-mode must be log, read-index, lease or leader-local-unsafe, got 'lease-ish'",
                "simulate", "raft-kv", "--read-mode", "lease-ish");
        assertRejected("--window and --batch apply to paxos-kv only", "simulate", "raft-kv", "--window", "4");
        assertRejected("--read-mode, --unreliable-clients, --no-retries, --fault-every-ms and --fault-length-ms apply to raft-kv only",
                "simulate", "paxos-kv", "--no-retries");
        assertRejected("--fault-every-ms must be in 1..60000, got 0", "simulate", "raft-kv", "--fault-every-ms", "0");
        assertRejected("--faults-until-ms must be in 0..60000", "simulate", "raft-kv", "--faults-until-ms", "-5");
        assertRejected("--nodes must be in 1..99", "simulate", "raft-kv", "--nodes", "0");
        assertRejected("unknown nemesis 'meteor'", "simulate", "raft-kv", "--nemesis", "meteor");
        // an option's value spelled like a protocol is a value, not the protocol
        assertRejected("--seed must be an integer, got 'raft-elections'", "simulate", "--seed", "raft-elections", "raft-kv");
        assertRejected("--snapshot-every must be in 0..1000000, got -1", "simulate", "raft-kv", "--snapshot-every", "-1");
        assertRejected("--snapshot-every applies to raft-kv only", "simulate", "paxos-kv", "--snapshot-every", "5");
    }

    @Test
    void raftKvWithSnapshotsReplaysExactlyAndChecksTheSnapshots() {
        // compaction every 3 applied entries under every nemesis: the replay line carries --snapshot-every,
        // replays the same trace, and the summary reports the snapshots checked against the committed prefix
        RaftKvRun.Settings s = RaftKvRun.Settings.retrying(11, 3, 3, 150, EnumSet.allOf(Nemesis.Kind.class), KvService.ReadMode.LOG)
                .withFaultsUntilNs(1_500_000_000L).withSnapshotEvery(3);
        assertTrue(s.replayCommand().endsWith(" --snapshot-every 3"), s.replayCommand());
        RaftKvRun.Outcome o = RaftKvRun.run(s);
        assertTrue(o.snapshotsChecked() > 0, "snapshots checked: " + o.snapshotsChecked());
        List<String> argv = List.of(s.replayCommand().replaceFirst("^\\./dsw ", "").split(" "));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertEquals(0, Main.run(argv, System.out, System.err));
        } finally {
            System.setOut(stdout);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains(String.format("trace hash %016x", o.traceHash())), s.replayCommand() + "\n" + text);
        assertTrue(text.contains("a snapshot every 3 applied entries"), text);
        assertTrue(text.contains("snapshots: " + o.snapshotsInstalled() + " installed from a leader, " + o.snapshotsChecked()), text);
        assertTrue(text.contains("verdict: linearizable"), text);
        assertFalse(RaftKvRun.Settings.retrying(11, 3, 3, 150, Set.of(), KvService.ReadMode.LOG).replayCommand().contains("snapshot"),
                "no --snapshot-every in the replay line of a run without snapshots");
    }

    /** Exit code 2 and exactly one line on stderr containing {@code message}. */
    private static void assertRejected(String message, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.contains(message), text);
        assertEquals(1, text.strip().lines().count(), "one line: " + text);
    }

    @Test
    void primaryBackupCounterexampleExitsOne() {
        Path h = tmp.resolve("pb.jsonl");
        assertEquals(1, run("simulate", "primary-backup", "--seed", "3", "--clients", "4", "--nemesis", "all",
                "--history-out", h.toString()));
        assertEquals(1, run("check-history", h.toString()));
    }

    @Test
    void malformedInputAndBadOptionsExitTwo() throws Exception {
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, "{\"process\": 0, \"type\": \"invoke\"}\n");
        assertEquals(2, run("check-history", bad.toString()));
        assertEquals(2, run("check-history", "--model", "queue", bad.toString()));
        assertEquals(2, run("check-history", tmp.resolve("missing.jsonl").toString()));
        assertEquals(2, run("simulate", "raft"));
        assertEquals(2, run("simulate", "abd", "--nemesis", "meteor"));
        assertTrue(Main.usage().contains("check-history"));
    }
}
