package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.Proposal;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.RaftRules;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Supplier;

/**
 * Grader of lab {@code raft-persistence} (as MIT 6.5840's part 3C): the student writes what a server makes durable
 * before its messages leave, and how it comes back from it ({@link RaftRules.Persistence}). Expected values: after
 * every server crashes and restarts at once, each has exactly the term, vote and log it had (Figure 2: currentTerm,
 * votedFor and log[] are persistent state), and the cluster goes on to apply every entry it had accepted; then the
 * key-value store, linearizable with the Figure 3 invariants after every event under crashes (which lose every
 * write not fsynced) and under every nemesis.
 */
final class RaftPersistenceLabGrader implements Lab<RaftRules.Persistence> {

    private static final long SECOND = 1_000_000_000L;

    @Override
    public String name() {
        return "raft-persistence";
    }

    @Override
    public String summary() {
        return "chapter 7: Raft persistence (what to write and fsync before answering, and the restart), as 6.5840's 3C";
    }

    @Override
    public Class<RaftRules.Persistence> api() {
        return RaftRules.Persistence.class;
    }

    @Override
    public String studentClass() {
        return "StudentRaftPersistence";
    }

    @Override
    public RaftRules.Persistence reference() {
        return RaftRules.REFERENCE.persistence();
    }

    /** A server's persistent state as seen from outside: its term, its vote and its log's entries. */
    private record State(long term, int vote, List<LogEntry> log) {
        static State of(RaftNode r) {
            List<LogEntry> l = new ArrayList<>();
            for (long i = r.snapshotIndex() + 1; i <= r.lastIndex(); i++) {
                l.add(r.entry(i));
            }
            return new State(r.currentTerm(), r.status().vote(), l);
        }
    }

    @Override
    public List<LabTest> tests(RaftRules.Persistence impl, Seeds seeds) {
        return tests(impl, seeds, RaftLabRuns.rules(impl, RaftRules.REFERENCE::withPersistence));
    }

    /**
     * The tests: the hand-made cases call {@code impl}; the simulated runs build every server's rules with
     * {@code rules} (the reference with {@code impl}'s part, or, in lab {@code raft}, all four of the student's parts).
     */
    List<LabTest> tests(RaftRules.Persistence impl, Seeds seeds, Supplier<RaftRules> rules) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("whole-cluster-restart-keeps-term-and-log", 3, () -> seeds.forEach(3, seed -> {
            int n = 3;
            RaftLabRuns.Cluster c = new RaftLabRuns.Cluster(rules, seed, n);
            int leader = c.awaitLeader(SECOND);
            check(leader >= 0, "3 servers: no leader within 1 s");
            int entries = 20;
            for (int i = 0; i < entries; i++) {
                Proposal p = c.host(leader).propose((long) i);
                check(p instanceof Proposal.Accepted, "the leader refused proposal %d: %s", i, p);
                c.runFor(5_000_000);
            }
            c.runFor(SECOND / 2);
            List<State> before = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                before.add(State.of(c.host(i).raft()));
            }
            for (int i = 0; i < n; i++) {
                c.sim.crash(i);
            }
            for (int i = 0; i < n; i++) {
                c.sim.restart(i);
            }
            c.sim.runUntil(c.sim.now() + 1_000_000, () -> c.rafts().stream().allMatch(r -> r != null));
            for (int i = 0; i < n; i++) {
                check(c.host(i).raft() != null, "server %d did not start again after its restart", i);
                State after = State.of(c.host(i).raft());
                State was = before.get(i);
                check(after.term() == was.term(), "server %d had term %d before the crash and %d after the restart", i, was.term(), after.term());
                check(after.vote() == was.vote(), "server %d had voted for %d in term %d before the crash and for %d after the"
                        + " restart (-1: nobody; a forgotten vote lets a server vote twice in one term)", i, was.vote(), was.term(), after.vote());
                check(after.log().equals(was.log()), "server %d had %d log entries before the crash (all acknowledged, so"
                        + " durable) and %d after the restart%s", i, was.log().size(), after.log().size(),
                        after.log().size() == was.log().size() ? ", with different contents" : "");
            }
            int again = c.awaitLeader(SECOND);
            check(again >= 0, "no leader within 1 s after the whole cluster restarted");
            c.runFor(SECOND);
            for (int i = 0; i < n; i++) {
                long applied = c.host(i).stateMachine().applied().stream().filter(e -> e.command() != null).count();
                check(applied == entries, "server %d applied %d of the %d entries proposed before the restart", i, applied, entries);
            }
        })));
        t.add(new LabTest("linearizable-kv-under-crashes", 3, () -> seeds.forEach(6, seed ->
                RaftLabRuns.kv(rules, seed, seed % 2 == 0 ? 3 : 5, 150,
                        EnumSet.of(Nemesis.Kind.CRASH), 0))));
        t.add(new LabTest("linearizable-kv-under-every-nemesis", 3, () -> seeds.forEach(4, seed ->
                RaftLabRuns.kv(rules, seed, seed % 2 == 0 ? 3 : 5, 150,
                        EnumSet.allOf(Nemesis.Kind.class), 0))));
        return t;
    }
}
