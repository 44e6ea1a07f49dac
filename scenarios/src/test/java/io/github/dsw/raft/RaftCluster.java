package io.github.dsw.raft;

import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.Partition;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Test harness in the spirit of the MIT 6.5840 Raft lab's config.go: a simulated cluster of
 * {@link RaftHost}s of an {@link AppliedLog} with the four invariants of {@link RaftInvariants} checked after every event,
 * and helpers named like the lab's ({@code checkOneLeader}, {@code nCommitted}, {@code one}).
 * Time: 10 ms ticks, election timeout 100-200 ms, heartbeat every 20 ms, network about 1 ms.
 */
final class RaftCluster {
    static final long MS = 1_000_000;
    static final long TICK_NS = 10 * MS;

    final Simulator<RaftMessage> sim;
    final RaftInvariants invariants = new RaftInvariants();
    final int n;
    final long seed;
    private long nextCommand = 1000;

    RaftCluster(long seed, int n) {
        this(seed, n, id -> RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2).build());
    }

    RaftCluster(long seed, int n, IntFunction<RaftConfig> configs) {
        this.n = n;
        this.seed = seed;
        SimConfig cfg = SimConfig.defaults(seed, n).withTrace(Trace.Level.HASH, false);
        this.sim = new Simulator<>(cfg, id -> RaftHost.ofLog(configs.apply(id), TICK_NS, 0));
        sim.afterEachEvent(() -> invariants.check(nodes()));
        sim.onOutput((node, event) -> {
            if (event instanceof RaftHost.Applied a) {
                invariants.applied(node, a.index(), a.entry());
            }
        });
    }

    /**
     * A cluster whose servers compact their logs after every {@code snapshotEvery} applied entries
     * ({@link RaftHost}'s policy), with snapshots and restored states checked against the committed
     * prefix ({@link RaftInvariants#checkSnapshotsWith}, {@link RaftInvariants#restored}).
     */
    RaftCluster(long seed, int n, IntFunction<RaftConfig> configs, int snapshotEvery) {
        this.n = n;
        this.seed = seed;
        SimConfig cfg = SimConfig.defaults(seed, n).withTrace(Trace.Level.HASH, false);
        this.sim = new Simulator<>(cfg, id -> RaftHost.ofLog(configs.apply(id), TICK_NS, snapshotEvery));
        invariants.checkSnapshotsWith(AppliedLog::encodeSnapshot);
        sim.afterEachEvent(() -> invariants.check(nodes()));
        sim.onOutput((node, event) -> {
            if (event instanceof RaftHost.Applied a) {
                invariants.applied(node, a.index(), a.entry());
            } else if (event instanceof RaftHost.Restored r) {
                invariants.restored(node, r.meta(), r.state());
            }
        });
    }

    /** Longest log held in memory by a live server: entries after its snapshot. */
    long maxLogLength() {
        long m = 0;
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            if (s != null) {
                m = Math.max(m, s.raft().lastIndex() - s.raft().snapshotIndex());
            }
        }
        return m;
    }

    /** InstallSnapshot messages delivered so far (all servers). */
    long installSnapshotsDelivered() {
        Trace.Counts c = sim.trace().messageCounts().get("InstallSnapshot");
        return c == null ? 0 : c.delivered();
    }

    List<RaftNode> nodes() {
        List<RaftNode> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            list.add(s == null ? null : s.raft());
        }
        return list;
    }

    /** The live, started server i, or null. */
    RaftHost<AppliedLog, RaftMessage> server(int i) {
        RaftHost<AppliedLog, RaftMessage> s = (RaftHost<AppliedLog, RaftMessage>) sim.node(i);
        return s == null || s.raft() == null ? null : s;
    }

    /** Runs {@code ms} of virtual time; fails on an event storm (a bug: more than 200k events per 100 ms). */
    void run(long ms) {
        long before = invariants.checks();
        long limit = 200_000 * Math.max(1, ms / 100 + 1);
        sim.runUntil(sim.now() + ms * MS, () -> invariants.checks() - before > limit);
        if (invariants.checks() - before > limit) {
            throw new AssertionError("event storm: more than " + limit + " events in " + ms + " ms at t=" + sim.now() / MS + " ms (seed " + seed + ")");
        }
    }

    void isolate(int i) {
        sim.setPartition(Partition.isolate(n, i));
    }

    void split(List<List<Integer>> groups) {
        sim.setPartition(Partition.split(n, groups));
    }

    void heal() {
        sim.setPartition(Partition.none(n));
    }

    void links(LinkModel m) {
        sim.setServerLinks(m);
    }

    static LinkModel unreliable() {
        return LinkModel.reliable(new Latency.LogNormal(1_000_000, 0.3)).withLoss(0.1).withDuplicate(0.1).withReorder(0.2, 20 * MS);
    }

    /** Whether servers a and b can talk (same side of the partition, both up). */
    boolean connected(int a, int b) {
        return sim.isUp(a) && sim.isUp(b) && sim.partition().connected(a, b);
    }

    /**
     * The lab's checkOneLeader: retries for up to 5 s of virtual time until there is a leader that can
     * reach a majority; fails if two such leaders share a term.
     */
    int checkOneLeader() {
        for (int attempt = 0; attempt < 50; attempt++) {
            run(100);
            int leader = -1;
            long term = -1;
            for (int i = 0; i < n; i++) {
                RaftHost<AppliedLog, RaftMessage> s = server(i);
                if (s == null || s.raft().role() != RaftNode.Role.LEADER || !reachesMajority(i)) {
                    continue;
                }
                if (s.raft().currentTerm() == term) {
                    throw new AssertionError("two leaders in term " + term + " (seed " + seed + ")");
                }
                if (s.raft().currentTerm() > term) {
                    term = s.raft().currentTerm();
                    leader = i;
                }
            }
            if (leader >= 0) {
                return leader;
            }
        }
        throw new AssertionError("no leader after 5 s (seed " + seed + ")");
    }

    boolean reachesMajority(int i) {
        int c = 0;
        for (int j = 0; j < n; j++) {
            c += (i == j ? sim.isUp(i) : connected(i, j)) ? 1 : 0;
        }
        return c > n / 2;
    }

    /** Live servers that believe they lead, and can reach a majority. */
    int leadersWithMajority() {
        int c = 0;
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            c += s != null && s.raft().role() == RaftNode.Role.LEADER && reachesMajority(i) ? 1 : 0;
        }
        return c;
    }

    /** The terms all live servers agree on, or -1 if they differ. */
    long checkTerms() {
        long term = -1;
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            if (s != null) {
                if (term >= 0 && term != s.raft().currentTerm()) {
                    return -1;
                }
                term = s.raft().currentTerm();
            }
        }
        return term;
    }

    /** The lab's nCommitted: how many live servers applied an entry at index, and its command (all must agree). */
    int nCommitted(long index, Object[] commandOut) {
        int count = 0;
        Object cmd = null;
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            if (s != null && s.stateMachine().applied().size() >= index) {
                Object c = s.stateMachine().applied().get((int) index - 1).command();
                if (count > 0 && !java.util.Objects.equals(c, cmd)) {
                    throw new AssertionError("servers disagree at index " + index + ": " + cmd + " vs " + c + " (seed " + seed + ")");
                }
                cmd = c;
                count++;
            }
        }
        if (commandOut != null) {
            commandOut[0] = cmd;
        }
        return count;
    }

    Long freshCommand() {
        return nextCommand++;
    }

    /**
     * The lab's one(cmd, expectedServers, retry): proposes at a leader, waits up to 2 s for
     * {@code expected} servers to apply it, retries at whichever server leads, for up to 10 s.
     * Returns the index.
     */
    long one(Object cmd, int expected, boolean retry) {
        long deadline = sim.now() + 10_000 * MS;
        while (sim.now() < deadline) {
            long index = -1;
            for (int i = 0; i < n && index < 0; i++) {
                RaftHost<AppliedLog, RaftMessage> s = server(i);
                if (s != null) {
                    index = RaftCluster.indexOf(s.propose(cmd));
                }
            }
            if (index >= 0) {
                long until = sim.now() + 2_000 * MS;
                while (sim.now() < until) {
                    run(20);
                    Object[] got = new Object[1];
                    int nc = nCommitted(index, got);
                    if (nc >= expected && java.util.Objects.equals(got[0], cmd)) {
                        return index;
                    }
                }
                if (!retry) {
                    throw new AssertionError("one(" + cmd + ") failed to reach agreement (seed " + seed + ")");
                }
            } else {
                run(50);
            }
        }
        throw new AssertionError("one(" + cmd + ") failed to reach agreement in 10 s (seed " + seed + ")");
    }

    /** Proposes at the first live server that accepts (believes it leads); returns the index or -1. */
    long proposeAnywhere(Object cmd) {
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            long index = s == null ? -1 : indexOf(s.propose(cmd));
            if (index >= 0) {
                return index;
            }
        }
        return -1;
    }

    /** Highest index applied anywhere. */
    long maxApplied() {
        long m = 0;
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            if (s != null) {
                m = Math.max(m, s.stateMachine().applied().size());
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- membership (RaftMembershipTest, RaftTransferTest)

    /** The live server that leads in the highest term, or -1 (no majority check: see {@link #checkLeaderOfItsVoters}). */
    int currentLeader() {
        int leader = -1;
        long term = -1;
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            if (s != null && s.raft().role() == RaftNode.Role.LEADER && s.raft().currentTerm() > term) {
                term = s.raft().currentTerm();
                leader = i;
            }
        }
        return leader;
    }

    /**
     * checkOneLeader for a cluster whose voters change: retries for up to 5 s until a live leader can
     * reach a majority of the voters of its own configuration (they may be fewer than the n servers).
     */
    int checkLeaderOfItsVoters() {
        for (int attempt = 0; attempt < 50; attempt++) {
            run(100);
            int leader = currentLeader();
            if (leader >= 0) {
                Membership m = server(leader).raft().status().configuration();
                int reach = 0;
                for (int v : m.voters()) {
                    reach += (v == leader ? sim.isUp(v) : connected(leader, v)) ? 1 : 0;
                }
                if (reach >= m.quorum()) {
                    return leader;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            RaftHost<AppliedLog, RaftMessage> s = server(i);
            sb.append("\n  server ").append(i).append(s == null ? " down" : " " + s.raft().role() + " term " + s.raft().currentTerm()
                    + " last " + s.raft().lastIndex() + " commit " + s.raft().commitIndex() + " " + s.raft().status().configuration());
        }
        throw new AssertionError("no leader of its voters after 5 s (seed " + seed + ")" + sb);
    }

    /**
     * Proposes {@code change} at whichever server leads, retrying (for up to 10 s of virtual time) while it
     * is refused, and waits until the leader has committed it. Returns the entry's index.
     */
    long changeMembership(ConfChange change) {
        long deadline = sim.now() + 10_000 * MS;
        String why = "no leader";
        while (sim.now() < deadline) {
            int leader = currentLeader();
            if (leader >= 0) {
                RaftNode r = server(leader).raft();
                Membership m = r.status().configuration();
                boolean done = switch (change.type()) {
                    case ADD_LEARNER -> m.isMember(change.node());
                    case PROMOTE -> m.isVoter(change.node());
                    case REMOVE -> !m.isMember(change.node());
                };
                if (done && r.status().configurationIndex() <= r.commitIndex() && r.status().configurationIndex() > 0) {
                    return r.status().configurationIndex(); // an earlier attempt made it after all
                }
                Proposal p = r.proposeConfChange(change);
                if (p instanceof Proposal.Accepted(long index)) {
                    long until = sim.now() + 2_000 * MS;
                    while (sim.now() < until) {
                        run(10);
                        RaftHost<AppliedLog, RaftMessage> s = server(leader);
                        if (s == null || s.raft().lastIndex() < index || !change.equals(s.raft().entry(index).command())) {
                            break; // the leader crashed or lost the entry: try again
                        }
                        if (s.raft().commitIndex() >= index) {
                            return index;
                        }
                    }
                    continue;
                }
                why = ((Proposal.Refused) p).reason();
            }
            run(20);
        }
        throw new AssertionError("change " + change + " not committed in 10 s, last refusal: " + why + " (seed " + seed + ")");
    }

    /** Adds server {@code id} the dissertation's way (4.2.1): as a learner, then a voter once it has caught up. */
    void addVoter(int id) {
        changeMembership(new ConfChange(ConfChange.Type.ADD_LEARNER, id));
        changeMembership(new ConfChange(ConfChange.Type.PROMOTE, id));
    }

    /** The index an accepted proposal got, or -1 if it was refused (the tests' shorthand for "try elsewhere"). */
    static long indexOf(Proposal p) {
        return p instanceof Proposal.Accepted a ? a.index() : -1;
    }
}
