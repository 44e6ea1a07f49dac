package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.hunt.Hunt;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./dsw hunt}: the interface issue 25 fixes. The last line is {@code found_at_seed=K} (exit 0) or
 * {@code not_found} (exit 1); usage errors exit 2 in one line; {@code --list-mutations} prints the protocol's
 * mutations one per line (compared with the protocol's enum, an independent listing).
 */
class HuntCliTest {

    private record Ran(int code, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Ran run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = Main.run(List.of(args), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listMutationsPrintsOneNamePerLine() {
        Ran r = run("hunt", "raft-kv", "--list-mutations");
        assertEquals(0, r.code());
        List<String> expected = new java.util.ArrayList<>();
        for (io.github.dsw.raft.Mutation m : io.github.dsw.raft.Mutation.values()) {
            if (m != io.github.dsw.raft.Mutation.NONE) {
                expected.add(m.cliName());
            }
        }
        assertEquals(expected, List.of(r.out().strip().split("\n")));
        assertEquals(List.of("skip-recovery"), List.of(run("hunt", "paxos-kv", "--list-mutations").out().strip().split("\n")));
    }

    @Test
    void aFoundBugExitsZeroWithFoundAtSeedLast() {
        Ran r = run("hunt", "paxos-kv", "--mutation", "skip-recovery", "--nemesis", "adversarial", "--seeds", "50");
        System.out.println(r.out());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.lastLine().matches("found_at_seed=[0-9]+"), r.lastLine());
        assertTrue(r.out().contains("replay: ./dsw hunt paxos-kv --mutation skip-recovery --nemesis adversarial --seed-stream 0 --seeds "), r.out());
    }

    @Test
    void aCleanRunExitsOneWithNotFoundLast() {
        Ran r = run("hunt", "paxos", "--mutation", "none", "--nemesis", "adversarial", "--seeds", "20", "--seed-stream", "2");
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals("not_found", r.lastLine());
        System.out.println("HuntCliTest: paxos without mutation, seeds " + Hunt.seed(2, 1) + ".." + Hunt.seed(2, 20) + ": not_found");
    }

    @Test
    void usageErrorsExitTwoInOneLine() {
        for (String[] args : new String[][] {
                {"hunt", "raft-kv", "--mutation", "no-such-bug", "--seeds", "1"},
                {"hunt", "raft-kv", "--mutation", "naive-counting", "--nemesis", "isolate-leaders"},
                {"hunt", "zab", "--mutation", "none"},
                {"hunt", "raft-kv"},
                {"hunt", "raft-kv", "--mutation", "none", "--seeds", "0"},
                {"hunt", "raft-kv", "--mutation", "none", "--workload", "heavy"},
                {"hunt", "raft-kv", "--mutation", "none", "--ops", "5"},
                {"hunt", "paxos", "--mutation", "none", "--ops", "50"},
                {"hunt", "raft-kv", "--mutation", "none", "--skip-strikes", "0"},
                {"hunt", "raft-kv", "--mutation", "none", "--skip-strikes", "a,2"},
                {"hunt", "raft-kv", "--mutation", "none", "--window-ms", "0"}}) {
            Ran r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
            assertEquals(1, r.err().strip().split("\n").length, String.join(" ", args) + ": " + r.err());
        }
    }

    @Test
    void theReplayLineRunsTheShrunkOperationCountAgain() {
        Ran r = run("hunt", "raft-kv", "--mutation", "no-tick-catch-up", "--nemesis", "adversarial", "--seeds", "50");
        assertEquals(0, r.code(), r.out() + r.err());
        String replay = r.out().lines().filter(l -> l.startsWith("replay: ./dsw ")).findFirst().orElseThrow().substring("replay: ./dsw ".length());
        int k = Integer.parseInt(r.lastLine().substring("found_at_seed=".length()));
        Ran again = run(replay.split(" "));
        assertEquals(0, again.code(), "replay '" + replay + "' did not find the bug again:\n" + again.out() + again.err());
        int k2 = Integer.parseInt(again.lastLine().substring("found_at_seed=".length()));
        assertTrue(k2 <= k, "replay '" + replay + "' found it at " + k2 + ", after " + k);
        if (replay.contains(" --ops ")) {
            assertTrue(again.out().contains(" ops="), again.out());
        }
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("fault schedule: ")), r.out());
    }

    @Test
    void simulateTakesTheLeaderAwareNemesesByName() {
        io.github.dsw.raft.RaftKvRun.Settings s = io.github.dsw.raft.RaftKvRun.Settings.retrying(5, 3, 3, 150, java.util.Set.of(),
                io.github.dsw.raft.KvService.ReadMode.LOG);
        long attacked = io.github.dsw.raft.RaftKvRun.run(s, null, java.util.Set.of(io.github.dsw.sim.Adversary.Attack.ISOLATE_LEADER),
                io.github.dsw.sim.WorkloadBias.NORMAL).traceHash();
        long quiet = io.github.dsw.raft.RaftKvRun.run(s).traceHash();
        assertTrue(attacked != quiet, "seed 5: isolating the leader changed nothing");
        Ran r = run("simulate", "raft-kv", "--seed", "5", "--ops", "150", "--nemesis", "isolate-leader");
        assertTrue(r.out().contains("nemesis=isolate-leader"), r.out());
        assertTrue(r.out().contains(String.format("trace hash %016x", attacked)), "seed 5: the CLI did not run the attack:\n" + r.out());
        Ran bad = run("simulate", "abd", "--nemesis", "adversarial");
        assertEquals(2, bad.code(), bad.out() + bad.err());
    }
}
