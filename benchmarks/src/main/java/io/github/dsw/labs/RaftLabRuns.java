package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.raft.AppliedLog;
import io.github.dsw.raft.KvService;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftHost;
import io.github.dsw.raft.RaftInvariants;
import io.github.dsw.raft.RaftKvRun;
import io.github.dsw.raft.RaftMessage;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.RaftRules;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What the four Raft labs share: the student's part swapped into {@link RaftRules} (a fresh instance per server
 * incarnation), the replicated key-value store run under the simulator's nemeses with the Figure 3 invariants
 * checked after every event and the history judged by the linearizability checker ({@link RaftKvRun}), and a bare
 * cluster of log servers for the election and restart tests.
 */
final class RaftLabRuns {

    /** One tick: 10 ms, as the key-value runs; election timeouts of 10 to 19 ticks (100-190 ms), heartbeats every 2. */
    static final long TICK_NS = 10_000_000;

    private RaftLabRuns() {
    }

    /** The reference rules with {@code impl}'s part: a fresh student object per server incarnation (its fields die with it). */
    static <P> Supplier<RaftRules> rules(P impl, Function<P, RaftRules> with) {
        return () -> with.apply(incarnation(impl));
    }

    /** All four parts of {@code parts} (lab {@code raft}): fresh student objects per server incarnation. */
    static Supplier<RaftRules> all(RaftRules parts) {
        return () -> new RaftRules(incarnation(parts.election()), incarnation(parts.replication()), incarnation(parts.persistence()),
                incarnation(parts.snapshots()));
    }

    /** A fresh instance of a student's part (its fields die with the server), the reference's own object otherwise. */
    private static <P> P incarnation(P part) {
        boolean student = part.getClass().getName().indexOf('.') < 0; // the student's class is in the default package
        return student ? Concurrent.fresh(part) : part;
    }

    /** A key-value run: 4 retrying clients, reads through the log, the given nemesis for the first 3 s. */
    static RaftKvRun.Outcome kv(Supplier<RaftRules> rules, long seed, int nodes, int ops, Set<Nemesis.Kind> nemesis, int snapshotEvery) {
        RaftKvRun.Settings s = RaftKvRun.Settings.retrying(seed, nodes, 4, ops, nemesis, KvService.ReadMode.LOG).withSnapshotEvery(snapshotEvery);
        RaftKvRun.Outcome o = RaftKvRun.runWithRules(s, rules);
        String what = String.format(Locale.ROOT, "raft-kv, %d servers, 4 clients, %d operations, nemesis %s%s", nodes, ops,
                nemesis.isEmpty() ? "none" : nemesis.stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(",")),
                snapshotEvery > 0 ? ", compaction every " + snapshotEvery + " entries" : "");
        check(o.completed(), "%s: the workload did not finish within the simulation's 60 s (%s)", what, o.history().counts());
        check(o.verdict().linearizable(), "%s: the history is not linearizable:%n%s", what, o.verdict().describe());
        return o;
    }

    /** A cluster of {@link AppliedLog} servers without clients, with the Figure 3 invariants checked after every event. */
    static final class Cluster {
        final Simulator<RaftMessage> sim;
        final int n;
        final RaftInvariants invariants = new RaftInvariants();

        Cluster(Supplier<RaftRules> rules, long seed, int n) {
            this.n = n;
            this.sim = new Simulator<>(SimConfig.defaults(seed, n), id -> RaftHost.ofLog(
                    RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2).rules(rules.get()).build(), TICK_NS, 0));
            sim.afterEachEvent(() -> invariants.check(rafts()));
        }

        @SuppressWarnings("unchecked")
        RaftHost<AppliedLog, RaftMessage> host(int i) {
            return (RaftHost<AppliedLog, RaftMessage>) sim.node(i);
        }

        List<RaftNode> rafts() {
            List<RaftNode> r = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                RaftHost<AppliedLog, RaftMessage> h = sim.isUp(i) ? host(i) : null;
                r.add(h == null ? null : h.raft());
            }
            return r;
        }

        /** The up server that leads in the highest term any up server has, or -1. */
        int leader() {
            long top = -1;
            for (RaftNode r : rafts()) {
                if (r != null) {
                    top = Math.max(top, r.currentTerm());
                }
            }
            int leader = -1;
            for (int i = 0; i < n; i++) {
                RaftNode r = rafts().get(i);
                if (r != null && r.role() == RaftNode.Role.LEADER && r.currentTerm() == top) {
                    leader = i;
                }
            }
            return leader;
        }

        /** Runs until a leader is known or {@code withinNs} of virtual time passed; the leader or -1. */
        int awaitLeader(long withinNs) {
            sim.runUntil(sim.now() + withinNs, () -> leader() >= 0);
            return leader();
        }

        void runFor(long ns) {
            sim.runUntil(sim.now() + ns);
        }

        long term(int i) {
            return host(i).raft().currentTerm();
        }
    }
}
