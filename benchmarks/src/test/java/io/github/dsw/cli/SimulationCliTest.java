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
