package io.github.dsw.commit;

import io.github.dsw.commit.CommitRun.Episode;
import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.commit.CommitRun.Settings;
import io.github.dsw.sim.Fault;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The blocking experiment of chapter 10: one transaction, every RM votes yes, and the coordinator (2PC's TM,
 * Paxos Commit's leader) crashes right after the last vote was sent, before any decision leaves it; it stays
 * down for {@code downtimeNs} (or for good). The time each RM spends prepared and undecided is its blocked time.
 * 2PC's RMs wait for the TM (blocked time grows with the downtime: presumed abort answers them when it is
 * back); Paxos Commit's RMs run a recovery ballot with the acceptors and commit after their timeout, whatever
 * the downtime. Links are a constant 1 ms and fsync 0, so the crash instant is exact; the seed varies the
 * random parts (timeouts' jitter).
 */
public final class CommitBlocking {

    /** One RM's wait. */
    public record Blocked(Protocol protocol, long downtimeNs, long seed, int rm, long preparedNs, long decidedNs, boolean commit) {
        public long blockedNs() {
            return decidedNs - preparedNs;
        }
    }

    private CommitBlocking() {
    }

    /**
     * When the coordinator has every vote sent to it but no decision out: in 2PC, the N-1 votes are in flight
     * (4.4 ms: Begin reaches RM 0 at 1.5 ms, + 3 delays - 0.1 ms); in Paxos Commit the acceptors' phase 2b
     * messages are (5.4 ms: + 4 delays - 0.1 ms).
     */
    public static long crashAtNs(Protocol p) {
        return p == Protocol.TWO_PC ? 4_400_000 : 5_400_000;
    }

    /** The settings of one run: {@code downtimeNs < 0} keeps the coordinator down for good. */
    public static Settings settings(Protocol p, int participants, int faults, long downtimeNs, long seed, boolean flights) {
        Layout layout = p == Protocol.TWO_PC ? Layout.coordinated(participants, false) : Layout.paxos(participants, faults, false);
        int c = layout.coordinator();
        long at = crashAtNs(p);
        Episode crash = new Episode(new Nemesis.Step(at, new Fault.Crash(c)),
                downtimeNs < 0 ? null : new Nemesis.Step(at + downtimeNs, new Fault.Restart(c)));
        return new Settings(p, participants, faults, false, 1, Set.of(), seed, new Latency.Constant(1_000_000), 0, 0, downtimeNs < 0,
                List.of(crash), flights ? Trace.Level.LINES : Trace.Level.COUNTS, flights);
    }

    /** Runs one transaction and returns each RM's blocked time (an RM that never decides has decidedNs = -1). */
    public static List<Blocked> measure(Protocol p, int participants, int faults, long downtimeNs, long seed) {
        Outcome o = CommitRun.run(settings(p, participants, faults, downtimeNs, seed, false));
        List<Blocked> out = new ArrayList<>();
        for (int rm = 0; rm < participants; rm++) {
            // RM 0 prepares when Begin arrives (1.5 ms), the others when Prepare does (3.5 ms; 2PC and Paxos Commit alike)
            long prepared = rm == 0 ? 1_500_000 : 3_500_000;
            Boolean d = o.checker().decision(0, rm);
            out.add(new Blocked(p, downtimeNs, seed, rm, prepared, o.checker().decidedNs(0, rm), d != null && d));
        }
        return out;
    }
}
