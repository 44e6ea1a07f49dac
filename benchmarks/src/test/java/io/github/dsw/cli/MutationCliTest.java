package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.PaxosKvRun;
import io.github.dsw.raft.KvService;
import io.github.dsw.raft.Mutation;
import io.github.dsw.raft.RaftKvRun;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code --mutation} of {@code ./dsw simulate}: every deliberate bug of raft-kv and paxos-kv is selectable by its
 * CLI name, reaches the run (the CLI's trace equals the driver's with that mutation, and differs from the correct
 * run's where the bug acts), a seed whose run the checker judges non-linearizable exits 1 with a replay line
 * naming the mutation, and a bad name is a one-line usage error.
 */
class MutationCliTest {

    private static final Set<Nemesis.Kind> ALL = EnumSet.allOf(Nemesis.Kind.class);

    private record Ran(int code, String out, String err) {
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
    void everyRaftMutationIsSelectableAndReachesTheRun() {
        for (Mutation m : Mutation.values()) {
            RaftKvRun.Settings s = RaftKvRun.Settings.retrying(3, 3, 3, 150, ALL, KvService.ReadMode.LEASE).withMutation(m);
            long expected = RaftKvRun.run(s).traceHash();
            Ran r = run("simulate", "raft-kv", "--seed", "3", "--ops", "150", "--nemesis", "all", "--read-mode", "lease",
                    "--mutation", m.cliName());
            assertTrue(r.out().contains(String.format("trace hash %016x", expected)), m + ": the CLI did not run the mutation:\n" + r.out());
        }
    }

    @Test
    void aCaughtMutationExitsOneWithAReplayLineNamingIt() {
        // find, with the driver and the checker, a seed whose history is not linearizable under leader-local reads
        long caught = -1;
        for (long seed = 1; seed <= 1000 && caught < 0; seed++) {
            RaftKvRun.Settings s = new RaftKvRun.Settings(seed, 3, 4, 200, ALL, KvService.ReadMode.LOG)
                    .withClients(false, true).withMutation(Mutation.LEADER_LOCAL_READS);
            if (!RaftKvRun.run(s).verdict().linearizable()) {
                caught = seed;
            }
        }
        assertTrue(caught > 0, "leader-local reads were not caught in seeds 1..1000");
        Ran r = run("simulate", "raft-kv", "--seed", Long.toString(caught), "--clients", "4", "--ops", "200", "--nemesis", "all",
                "--mutation", "leader-local-reads");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("--mutation leader-local-reads"), "replay line must name the mutation:\n" + r.out());
        // the older spelling is the same run
        Ran old = run("simulate", "raft-kv", "--seed", Long.toString(caught), "--clients", "4", "--ops", "200", "--nemesis", "all",
                "--read-mode", "leader-local-unsafe");
        assertEquals(1, old.code(), old.out());
        // and without the mutation the same seed is linearizable
        assertEquals(0, run("simulate", "raft-kv", "--seed", Long.toString(caught), "--clients", "4", "--ops", "200", "--nemesis", "all").code());
    }

    @Test
    void paxosMutationReachesTheRun() {
        PaxosKvRun.Settings s = new PaxosKvRun.Settings(5, 3, 3, 120, ALL, PaxosKvRun.HORIZON_NS, 8, 4, Trace.Level.HASH, false, null,
                MultiPaxosNode.Mutation.SKIP_RECOVERY);
        long expected = PaxosKvRun.run(s, null).trace().hash();
        Ran r = run("simulate", "paxos-kv", "--seed", "5", "--ops", "120", "--nemesis", "all", "--mutation", "skip-recovery");
        assertTrue(r.out().contains(String.format("trace hash %016x", expected)) || r.out().contains("SAFETY VIOLATION"),
                "the CLI did not run the mutation:\n" + r.out());
    }

    @Test
    void badMutationsAreOneLineUsageErrors() {
        Ran r = run("simulate", "raft-kv", "--mutation", "naive");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("dsw simulate: --mutation must be one of none, naive-counting, conf-change-before-noop, "
                + "leader-local-reads, no-tick-catch-up for this protocol, got 'naive'"), r.err());
        assertEquals(2, run("simulate", "abd", "--mutation", "naive-counting").code());
        assertEquals(2, run("simulate", "paxos-kv", "--mutation", "naive-counting").code());
        assertEquals(2, run("simulate", "raft-kv", "--read-mode", "leader-local-unsafe", "--mutation", "naive-counting").code());
    }
}
