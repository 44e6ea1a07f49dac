package io.github.dsw.raft;

import io.github.dsw.check.Operation;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Workload;
import java.util.List;

/**
 * The real cluster of chapter 8 replayed in the simulator: the same key-value servers with the settings
 * {@code io.github.dsw.cluster.RaftKv} runs over TCP (20 ms ticks, elections after 10-19 ticks, heartbeats
 * every 2, PreVote and CheckQuorum, ReadIndex reads), no faults, no fsync cost (the in-memory storage),
 * and every link, between servers and to clients, a constant one-way delay: half a measured loopback round
 * trip. Closed-loop clients write without think time, as {@code ./dsw cluster-bench} does.
 *
 * <p>What the simulator leaves out is exactly what the comparison shows: it charges nothing for encoding,
 * system calls, thread hand-offs, the scheduler or the garbage collector, so its commit latency is the
 * protocol's message-delay floor (two round trips: client to leader, leader to a majority and back, leader
 * to client) plus queueing behind other clients' entries.
 */
public final class CalibratedRaftRun {

    private CalibratedRaftRun() {
    }

    /**
     * Commit latencies (virtual nanoseconds, in invocation order) of the ok writes invoked after the first
     * write was acknowledged (the first writes wait for the first election, which takes 200-380 ms of
     * virtual time, longer than all the others together), out of {@code ops} writes by {@code clients}
     * closed-loop clients on a cluster of {@code nodes} whose links all take {@code oneWayNs}.
     */
    public static long[] writeLatenciesNs(long seed, int nodes, int clients, int ops, long oneWayNs) {
        LinkModel link = LinkModel.reliable(new Latency.Constant(oneWayNs));
        SimConfig config = SimConfig.defaults(seed, nodes).withServerLink(link).withClientLink(link).withFsyncNs(0);
        Simulator<KvMessage> sim = new Simulator<>(config,
                id -> KvService.server(RaftConfig.builder(id, nodes).electionTicks(10, 19).heartbeatTicks(2).preVote(true).checkQuorum(true).build(),
                        20_000_000L, KvService.ReadMode.READ_INDEX, 5000),
                null);
        // all writes, one key per client's share, no think time, a deadline far above any commit
        Workload.Spec spec = new Workload.Spec(0, 1, Math.max(1, clients), 0, 1_000_000, 5_000_000_000L, 0, 0);
        Workload<KvMessage> workload = new Workload<>(spec, new RaftKvRun.Client(), ops).withRetries(1_000_000_000L, 10_000_000L);
        workload.attach(sim, clients);
        sim.runUntil(RaftKvRun.HORIZON_NS * 10, workload::done);
        List<Operation> ok = workload.history().operations().stream().filter(o -> !o.indeterminate()).toList();
        long firstAck = ok.stream().mapToLong(Operation::returnNs).min().orElse(Long.MAX_VALUE);
        return ok.stream().filter(o -> o.callNs() >= firstAck).mapToLong(o -> o.returnNs() - o.callNs()).toArray();
    }
}
