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
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader-isolation nemesis ({@code ./dsw torture --nemesis isolate-leader}): what it reads from a status
 * line (lines written here by hand in the format of {@code ./dsw cluster status}), and one bounded run on three
 * real node processes in which it must cut off a server that claimed to lead and then the next one, with a
 * linearizable history from correct Raft. A failure prints the seed and the command that replays the run.
 */
class LeaderNemesisTest {

    @TempDir
    Path tmp;

    @Test
    void readsTheLeadershipClaimOfAStatusLine() {
        assertEquals(5, LeaderNemesis.claimedTerm("raft: node 2 leader term 5 leader 2 commit 9 applied 9 last 9 snapshot 0"));
        assertEquals(-1, LeaderNemesis.claimedTerm("raft: node 1 follower term 5 leader 2 commit 9 applied 9 last 9 snapshot 0"));
        assertEquals(-1, LeaderNemesis.claimedTerm("raft: node 3 candidate term 7 leader none commit 9 applied 9 last 9 snapshot 0"));
        assertEquals(-1, LeaderNemesis.claimedTerm("raft: node 1 pre_candidate term 7 leader none commit 9 applied 9 last 9 snapshot 0"));
        assertEquals(0, LeaderNemesis.claimedTerm("multi-paxos: leader, applied slots 4, commands 4, duplicates suppressed 0"));
        assertEquals(-1, LeaderNemesis.claimedTerm("multi-paxos: not leader, applied slots 4, commands 4, duplicates suppressed 0"));
        assertEquals(-1, LeaderNemesis.claimedTerm("abd: replica and coordinator (no leader)"));
        assertEquals(-1, LeaderNemesis.claimedTerm("no answer (connection refused)"));
        assertEquals(-1, LeaderNemesis.claimedTerm(null));
    }

    @Test
    void aDeposedLeaderLosesToTheHigherTermAndExcludedServersAreSkipped() {
        List<String> lines = List.of("raft: node 1 leader term 3 leader 1 commit 4 applied 4 last 5 snapshot 0",
                "raft: node 2 leader term 4 leader 2 commit 6 applied 6 last 6 snapshot 0",
                "raft: node 3 follower term 4 leader 2 commit 6 applied 6 last 6 snapshot 0");
        assertEquals(1, LeaderNemesis.claimedLeader(3, lines::get, List.of()));
        assertEquals(0, LeaderNemesis.claimedLeader(3, lines::get, List.of(1)));
        assertEquals(-1, LeaderNemesis.claimedLeader(3, lines::get, List.of(0, 1)));
    }

    @Test
    void isolatingTheLeaderAndThenTheNextOnRealProcessesStaysLinearizable() throws Exception {
        long seed = 20261203L;
        Torture.Settings s = new Torture.Settings(RaftKv.NAME, 3, 3, 16_000_000_000L, EnumSet.of(Torture.Fault.ISOLATE_LEADER), seed, null,
                FsyncPolicy.EVERY, tmp.resolve("data"), "none", "bound"); // bound clients: the workload that catches leader-local-reads
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Torture.Outcome o = Torture.run(s, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        String replay = " (replay: ./dsw torture raft-kv --nodes 3 --clients 3 --time 16s --nemesis isolate-leader --workload bound --seed " + seed + ")\n" + report;
        assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, o.verdict().outcome(), replay);
        assertTrue(o.faults().getOrDefault(Torture.Fault.ISOLATE_LEADER, 0) >= 1, "no strike" + replay);
        // the nemesis found a claimed leader and, after cutting it off, the next one (the cluster re-elected)
        assertTrue(report.contains("(claimed leader), then node"), "no strike isolated a claimed leader and then the next" + replay);
        assertTrue(o.history().counts().get(Type.OK) > 20, "too few operations completed" + replay);
        TortureTest.assertNoNodeLeft();
    }

    @Test
    void pauseLeaderOnTheCorrectProtocolStaysLinearizable() throws Exception {
        long seed = 1;
        Torture.Settings s = new Torture.Settings(RaftKv.NAME, 3, 4, 12_000_000_000L, EnumSet.of(Torture.Fault.PAUSE_LEADER, Torture.Fault.LEADER_MINORITY,
                Torture.Fault.FLAP), seed, null, FsyncPolicy.EVERY, tmp.resolve("ok"));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Torture.Outcome o = Torture.run(s, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String report = buf.toString(StandardCharsets.UTF_8);
        System.out.print(report);
        assertEquals(LinearizabilityChecker.Outcome.LINEARIZABLE, o.verdict().outcome(),
                "(replay: ./dsw torture raft-kv --clients 4 --time 12s --nemesis pause-leader,leader-minority,flap --seed 1)\n" + report);
        TortureTest.assertNoNodeLeft();
    }

    @Test
    void theLeaderAwareFaultsAndTheMutationOptionParse() {
        assertEquals(EnumSet.of(Torture.Fault.ISOLATE_LEADER, Torture.Fault.LEADER_MINORITY, Torture.Fault.PAUSE_LEADER, Torture.Fault.FLAP,
                Torture.Fault.SWIZZLE, Torture.Fault.CRASH_AFTER_ACK, Torture.Fault.CLOCK_JUMP, Torture.Fault.BRIDGE),
                Torture.Fault.parseList("adversarial"));
        assertTrue(Torture.usage().contains("pause-leader") && Torture.usage().contains("--mutation"));
        for (List<String> bad : List.of(List.of("raft-kv", "--mutation", "no-such-bug"), List.of("zab-kv", "--mutation", "leader-local-reads"),
                List.of("raft-kv", "--nemesis", "pause-leaders"))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> Torture.cli(bad, new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            assertEquals(2, code, bad + ": " + err);
            assertEquals(1, err.toString(StandardCharsets.UTF_8).strip().split("\n").length, bad + ": " + err);
        }
    }

    @Test
    void isolateLeaderParsesAndIsNotPartOfAll() {
        assertEquals(Set.of(Torture.Fault.ISOLATE_LEADER, Torture.Fault.KILL), Torture.Fault.parseList("isolate-leader,kill"));
        assertTrue(!Torture.Fault.parseList("all").contains(Torture.Fault.ISOLATE_LEADER));
        assertTrue(Torture.usage().contains("isolate-leader"));
    }
}
