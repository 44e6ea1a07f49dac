package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.RaftRules;
import io.github.dsw.raft.RaftRules.VoteRequest;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Grader of lab {@code raft-election} (as MIT 6.5840's part 3A): the student writes the RequestVote receiver and
 * the randomised election timeout ({@link RaftRules.Election}); the rest of Raft is the workbench's. Expected values:
 * the paper's rules (Figure 2, "RequestVote RPC, receiver implementation"; section 5.4.1's up-to-date comparison;
 * the dissertation's PreVote, section 9.6) on hand-made cases, and properties in the simulator: a leader within
 * 1 s of virtual time (election timeouts are 100-190 ms), no new term while nothing fails, a new leader within 1 s
 * after the leader crashes, at most one leader per term (the Figure 3 invariants after every event), and a
 * linearizable key-value store under every nemesis.
 */
final class RaftElectionLabGrader implements Lab<RaftRules.Election> {

    private static final int NONE = RaftNode.NONE;
    private static final long SECOND = 1_000_000_000L;

    @Override
    public String name() {
        return "raft-election";
    }

    @Override
    public String summary() {
        return "chapter 7: Raft leader election (RequestVote receiver, randomised timeouts), as 6.5840's 3A";
    }

    @Override
    public Class<RaftRules.Election> api() {
        return RaftRules.Election.class;
    }

    @Override
    public String studentClass() {
        return "StudentRaftElection";
    }

    @Override
    public RaftRules.Election reference() {
        return RaftRules.REFERENCE.election();
    }

    /** A request to a follower of term 5 whose log ends at (index 10, term 4), from candidate 2. */
    private static VoteRequest req(int votedFor, long term, long lastIndex, long lastTerm, boolean preVote) {
        return new VoteRequest(5, votedFor, NONE, 2, term, lastIndex, lastTerm, preVote, 10, 4);
    }

    @Override
    public List<LabTest> tests(RaftRules.Election impl, Seeds seeds) {
        return tests(impl, seeds, RaftLabRuns.rules(impl, RaftRules.REFERENCE::withElection));
    }

    /**
     * The tests: the hand-made cases call {@code impl}; the simulated runs build every server's rules with
     * {@code rules} (the reference with {@code impl}'s part, or, in lab {@code raft}, all four of the student's parts).
     */
    List<LabTest> tests(RaftRules.Election impl, Seeds seeds, Supplier<RaftRules> rules) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("request-vote-receiver-cases", 2, () -> {
            record Case(String what, VoteRequest r, boolean grant) {
            }
            List<Case> cases = List.of(
                    new Case("no vote yet this term, candidate's log equal to ours", req(NONE, 5, 10, 4, false), true),
                    new Case("no vote yet, candidate's log longer with the same last term", req(NONE, 5, 12, 4, false), true),
                    new Case("no vote yet, candidate's last term later though its log is shorter", req(NONE, 5, 3, 5, false), true),
                    new Case("no vote yet, candidate's log shorter with the same last term", req(NONE, 5, 9, 4, false), false),
                    new Case("no vote yet, candidate's last term earlier though its log is longer", req(NONE, 5, 20, 3, false), false),
                    new Case("already voted for another candidate this term", req(1, 5, 10, 4, false), false),
                    new Case("already voted for this candidate this term (a retransmitted request)", req(2, 5, 10, 4, false), true),
                    new Case("pre-vote for the next term after voting for someone else in this one", req(1, 6, 10, 4, true), true),
                    new Case("pre-vote for the next term with an out-of-date log", req(NONE, 6, 9, 4, true), false));
            for (Case c : cases) {
                boolean got = impl.grantVote(c.r());
                check(got == c.grant(), "%s: expected %s, got %s (%s)", c.what(), c.grant() ? "grant" : "refuse",
                        got ? "grant" : "refuse", c.r());
            }
        }));
        t.add(new LabTest("election-timeout-is-randomised", 1, () -> {
            SplittableRandom rnd = new SplittableRandom(5);
            int[] seen = new int[20];
            double sum = 0;
            int draws = 4000;
            for (int i = 0; i < draws; i++) {
                int v = impl.electionTimeout(10, 19, rnd::nextInt);
                check(v >= 10 && v <= 19, "electionTimeout(10, 19, random) returned %d, outside [10, 19]", v);
                seen[v]++;
                sum += v;
            }
            for (int v = 10; v <= 19; v++) {
                check(seen[v] > 0, "electionTimeout(10, 19, random) never returned %d in %d draws: timeouts must be spread over"
                        + " the whole range (section 5.2), or split votes repeat", v, draws);
            }
            double mean = sum / draws;
            check(Math.abs(mean - 14.5) < 0.5, "the mean election timeout over [10, 19] was %.2f; uniform gives 14.5", mean);
        }));
        t.add(new LabTest("initial-election-and-no-needless-terms", 2, () -> seeds.forEach(4, seed -> {
            int n = seed % 2 == 0 ? 3 : 5;
            RaftLabRuns.Cluster c = new RaftLabRuns.Cluster(rules, seed, n);
            int leader = c.awaitLeader(SECOND);
            check(leader >= 0, "%d servers, no faults: no leader after 1 s of virtual time (election timeouts are 100-190 ms)", n);
            long term = c.term(leader);
            c.runFor(2 * SECOND);
            check(c.leader() == leader && c.term(leader) == term, "%d servers, no faults: the leader was server %d in term %d,"
                    + " 2 s later it is server %d in term %d: a new election without a failure", n, leader, term, c.leader(),
                    c.term(Math.max(0, c.leader())));
        })));
        t.add(new LabTest("re-election-after-the-leader-crashes", 2, () -> seeds.forEach(4, seed -> {
            int n = seed % 2 == 0 ? 3 : 5;
            RaftLabRuns.Cluster c = new RaftLabRuns.Cluster(rules, seed, n);
            int first = c.awaitLeader(SECOND);
            check(first >= 0, "%d servers: no first leader within 1 s", n);
            c.sim.crash(first);
            int second = c.awaitLeader(SECOND);
            check(second >= 0, "%d servers: leader %d crashed; no new leader among the others within 1 s", n, first);
            c.sim.restart(first);
            c.runFor(SECOND);
            int now = c.leader();
            check(now >= 0, "%d servers: after the old leader %d restarted, no leader 1 s later", n, first);
            long leaders = c.rafts().stream().filter(r -> r != null && r.role() == RaftNode.Role.LEADER && r.currentTerm() == c.term(now)).count();
            check(leaders == 1, "%d leaders in term %d", leaders, c.term(now));
        })));
        t.add(new LabTest("linearizable-kv-under-every-nemesis", 3, () -> seeds.forEach(4, seed ->
                RaftLabRuns.kv(rules, seed, seed % 2 == 0 ? 3 : 5, 150,
                        EnumSet.allOf(Nemesis.Kind.class), 0))));
        return t;
    }
}
