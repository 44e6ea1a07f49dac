package io.github.dsw.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dsw.commit.CommitRun.Episode;
import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.commit.CommitRun.Settings;
import io.github.dsw.sim.Fault;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A co-located process hands a message from one role to another without the network: an acceptor's phase 2b to the
 * leader (Paxos Commit) or to its RM (Faster Paxos Commit). Paxos counts an acceptor's vote only once it is on stable
 * storage; the hand-over happens in the acceptor's step, before its fsync completes. If a later step of the same process
 * then acts on that vote (the last remote phase 2b arrives: decide, send Commit, report the outcome) its effects must
 * not leave before the vote is durable, or a crash in between forgets a vote that a decision already rests on.
 *
 * <p>The schedule is worked out by hand for N = 2, F = 1, co-located (leader and acceptor 0 with RM 0 on process 0,
 * acceptor 1 with RM 1 on process 1, acceptor 2 alone on process 2), constant 1 ms links, fsync 1 ms. Begin reaches
 * RM 0 at t0 = 1.5 ms; its prepare is durable and its votes leave at t0+1; RM 1 prepares on Prepare at t0+2, and
 * acceptor 1 (which then holds both votes) forces them in the same step: its phase 2b leaves at t0+3 and reaches the
 * leader at t0+4, right after RM 1's phase 2a reached acceptor 0 there (same sender, sent first), which forces both
 * votes until t0+5. A leader that counts acceptor 0's vote at t0+4 sends Commit at once (RM 1 commits at t0+5). Crash
 * process 0 in (t0+4, t0+5): acceptor 0 forgets its vote. Then crash process 1 (after RM 1 committed) while RM 0,
 * restarted and in doubt, runs recovery: acceptors 0 and 2 are a majority that report no vote, so the recovery ballot
 * chooses aborted and RM 0 aborts: agreement is broken. With votes acted on only once durable the same schedule is
 * safe. The crash time is swept over the whole transaction in 0.1 ms steps, so the test does not depend on the
 * hand-worked instant being exact; the one-line replay of a failure names the crash time.
 */
class DurableVotesTest {

    private static final long MS = 1_000_000;

    private static List<Episode> schedule(long crashNs) {
        List<Episode> e = new ArrayList<>();
        e.add(new Episode(new Nemesis.Step(crashNs, new Fault.Crash(0)), new Nemesis.Step(crashNs + 4 * MS, new Fault.Restart(0))));
        e.add(new Episode(new Nemesis.Step(crashNs + 2 * MS, new Fault.Crash(1)), new Nemesis.Step(crashNs + 150 * MS, new Fault.Restart(1))));
        return e;
    }

    private static List<String> sweep(Protocol p) {
        List<String> broken = new ArrayList<>();
        for (long c = 15 * MS / 10; c <= 12 * MS; c += MS / 10) {
            Settings s = Settings.counting(p, 2, 1, true).withLatency(new Latency.Constant(MS), MS).withScript(schedule(c));
            Outcome o = CommitRun.run(s);
            if (!o.ok()) {
                broken.add(String.format(Locale.ROOT, "%s, crash of process 0 at %.1f ms: %s", p.cliName, c / 1e6, o.violations().get(0)));
            }
        }
        return broken;
    }

    @Test
    void paxosCommitLeaderActsOnlyOnDurableVotes() {
        assertEquals(List.of(), sweep(Protocol.PAXOS_COMMIT));
    }

    @Test
    void fasterPaxosCommitRmActsOnlyOnDurableVotes() {
        assertEquals(List.of(), sweep(Protocol.FASTER_PAXOS_COMMIT));
    }
}
