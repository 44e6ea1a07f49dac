package io.github.dsw.zab;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.PaxosKvRun;
import io.github.dsw.raft.KvMessage;
import io.github.dsw.raft.KvService;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftHost;
import io.github.dsw.raft.RaftKvRun;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.sim.ClientProtocol;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Zab, Raft and Multi-Paxos side by side in the simulator, on the same default links ({@link SimConfig#defaults}), the
 * same seeds and client counts: messages between servers per committed entry, client latency quantiles, throughput
 * in virtual time, and the time a leader crash costs. Each protocol runs with its own chapter's key-value store and
 * workload driver ({@link ZabKvRun}, {@link RaftKvRun}, {@link PaxosKvRun}); the Raft and Zab stores share the
 * workload and client retry settings exactly; the Paxos store has its own (4 keys, 200 ms deadline) and batches up to
 * {@code batch} commands per slot. Only virtual-time numbers are reported: they are exact and replay from the seed.
 */
public final class ConsensusComparison {

    private ConsensusComparison() {
    }

    /**
     * One failure-free run.
     *
     * @param protocol         zab, raft or multi-paxos
     * @param serverMessages   messages delivered between servers (client requests and replies not counted)
     * @param committed        entries committed (Zab: transactions delivered; Raft: log entries, its no-ops
     *                         included; Paxos: slots chosen, each holding up to {@code batch} commands)
     * @param batch            Zab: changes per PROPOSAL at most (1: no batching); Paxos: commands per slot at most
     * @param fsyncs           fsyncs all servers asked for (Zab only; -1 where not counted)
     */
    public record Steady(String protocol, int clients, int batch, long seed, long okOps, long committed, long serverMessages, double p50Ms,
                         double p90Ms, double p99Ms, double virtualS, long fsyncs) {
        public double messagesPerCommit() {
            return committed == 0 ? Double.NaN : (double) serverMessages / committed;
        }

        public double okOpsPerVirtualS() {
            return okOps / virtualS;
        }

        public double fsyncsPerCommit() {
            return committed == 0 || fsyncs < 0 ? Double.NaN : (double) fsyncs / committed;
        }
    }

    static final Set<String> CLIENT_TYPES = Set.of("Request", "Reply", "ClientRequest", "ClientReply");

    static long serverMessages(Trace t) {
        long n = 0;
        for (Map.Entry<String, Trace.Counts> e : t.messageCounts().entrySet()) {
            if (!CLIENT_TYPES.contains(e.getKey())) {
                n += e.getValue().delivered();
            }
        }
        return n;
    }

    static double q(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }

    static long okOps(History h) {
        return h.counts().get(HistoryEvent.Type.OK);
    }

    /** A failure-free run of {@code protocol} with {@code clients} clients and {@code ops} operations. */
    public static Steady steady(String protocol, long seed, int clients, int ops, int batch) {
        return steady(protocol, seed, clients, ops, batch, ZabNode.DEFAULT_WINDOW);
    }

    /** As {@link #steady(String, long, int, int, int)}; for Zab, a batching leader keeps up to {@code window} batches in flight. */
    public static Steady steady(String protocol, long seed, int clients, int ops, int batch, int window) {
        Trace.Level counts = Trace.Level.COUNTS;
        switch (protocol) {
            case "zab" -> {
                ZabKvRun.Outcome o = ZabKvRun.run(ZabKvRun.Settings.of(seed, 3, clients, ops, Set.of()).withTraceLevel(counts).withBatch(batch)
                        .withWindow(window));
                long[] l = o.latenciesNs().clone();
                Arrays.sort(l);
                return new Steady(protocol, clients, batch, seed, okOps(o.history()), o.committed(), serverMessages(o.trace()), q(l, 0.5),
                        q(l, 0.9), q(l, 0.99), o.virtualNs() / 1e9, o.fsyncs());
            }
            case "raft" -> {
                RaftKvRun.Outcome o = RaftKvRun.run(RaftKvRun.Settings.retrying(seed, 3, clients, ops, Set.of(), KvService.ReadMode.LOG)
                        .withTraceLevel(counts));
                long[] l = o.latenciesNs().clone();
                Arrays.sort(l);
                return new Steady(protocol, clients, 1, seed, okOps(o.history()), o.committed(), serverMessages(o.trace()), q(l, 0.5), q(l, 0.9),
                        q(l, 0.99), o.virtualNs() / 1e9, -1);
            }
            case "multi-paxos" -> {
                PaxosKvRun.Outcome o = PaxosKvRun.run(new PaxosKvRun.Settings(seed, 3, clients, ops, Set.of(), 0, 8, batch, counts, false, null,
                        MultiPaxosNode.Mutation.NONE));
                long[] l = o.latenciesNs().clone();
                Arrays.sort(l);
                return new Steady(protocol, clients, batch, seed, okOps(o.history()), o.chosenSlots(), serverMessages(o.trace()), q(l, 0.5),
                        q(l, 0.9), q(l, 0.99), o.virtualNs() / 1e9, -1);
            }
            default -> throw new IllegalArgumentException("protocol must be zab, raft or multi-paxos, got " + protocol);
        }
    }

    /**
     * A leader crash: {@code clients} clients run for 1 s, the leader crashes (and restarts 2 s later), and the run
     * goes on. {@code unavailableMs} is the time from the crash to the first operation that was invoked after the
     * crash and completed OK (what a client sees, client retry timeouts included, the same for both protocols);
     * {@code electedMs} the time from the crash to the first moment a server other than the crashed one leads and
     * may serve (Zab: an established epoch, after discovery and synchronisation; Raft: a leader).
     */
    public record Recovery(String protocol, long seed, int crashed, double electedMs, double unavailableMs) {
    }

    static final long CRASH_AT_NS = 1_000_000_000L;

    /** A leader-crash run of zab or raft. */
    public static Recovery recovery(String protocol, long seed, int clients) {
        SimConfig config = SimConfig.defaults(seed, 3).withTrace(Trace.Level.HASH, false);
        double[] elected = {Double.NaN};
        int[] crashed = {-1};
        History h;
        if (protocol.equals("zab")) {
            Simulator<ZabMessage> sim = new Simulator<>(config, id -> new ZabKvServer(ZabKvRun.TICK_NS, ZabKvServer.ReadMode.SYNC,
                    Mutation.NONE), null);
            ZabKvRun.watch(sim, 3);
            IntPredicate leads = i -> {
                ZabNode z = ZabKvRun.zabOf(sim, i);
                return z != null && z.state() == ZabMessage.ServerState.LEADING && z.serving();
            };
            Workload<ZabMessage> w = new Workload<>(ZabKvRun.SPEC, new ZabKvRun.Client(), Integer.MAX_VALUE / 2)
                    .withRetries(ZabKvRun.ATTEMPT_NS, ZabKvRun.BACKOFF_NS);
            w.attach(sim, clients);
            h = crashAndRun(sim, leads, crashed, elected, w);
        } else if (protocol.equals("raft")) {
            Simulator<KvMessage> sim = new Simulator<>(config, id -> KvService.server(RaftConfig.builder(id, 3).electionTicks(10, 19)
                    .heartbeatTicks(2).build(), 10_000_000, KvService.ReadMode.LOG, 0), null);
            IntPredicate leads = i -> {
                @SuppressWarnings("unchecked")
                RaftHost<?, KvMessage> srv = (RaftHost<?, KvMessage>) sim.node(i);
                RaftNode r = srv == null ? null : srv.raft();
                return r != null && r.role() == RaftNode.Role.LEADER;
            };
            Workload<KvMessage> w = new Workload<>(RaftKvRun.SPEC, raftClient(), Integer.MAX_VALUE / 2)
                    .withRetries(RaftKvRun.ATTEMPT_NS, RaftKvRun.BACKOFF_NS);
            w.attach(sim, clients);
            h = crashAndRun(sim, leads, crashed, elected, w);
        } else {
            throw new IllegalArgumentException("recovery is measured for zab and raft, got " + protocol);
        }
        double unavailable = Double.NaN;
        Map<Integer, Long> invokedAfter = new java.util.TreeMap<>();
        for (HistoryEvent e : h.events()) {
            if (e.type() == HistoryEvent.Type.INVOKE && e.timeNs() > CRASH_AT_NS) {
                invokedAfter.putIfAbsent(e.process(), e.timeNs());
            } else if (e.type() == HistoryEvent.Type.OK && invokedAfter.containsKey(e.process())
                    && e.timeNs() > CRASH_AT_NS) {
                unavailable = (e.timeNs() - CRASH_AT_NS) / 1e6;
                break;
            }
        }
        return new Recovery(protocol, seed, crashed[0], elected[0], unavailable);
    }

    private static <M> History crashAndRun(Simulator<M> sim, IntPredicate leads, int[] crashed, double[] elected, Workload<M> w) {
        sim.schedule(CRASH_AT_NS, () -> {
            for (int i = 0; i < 3; i++) {
                if (leads.test(i)) {
                    crashed[0] = i;
                    sim.crash(i);
                    int c = i;
                    sim.schedule(CRASH_AT_NS + 2_000_000_000L, () -> sim.restart(c));
                    return;
                }
            }
        });
        sim.afterEachEvent(() -> {
            if (crashed[0] >= 0 && Double.isNaN(elected[0])) {
                for (int i = 0; i < 3; i++) {
                    if (i != crashed[0] && leads.test(i)) {
                        elected[0] = (sim.now() - CRASH_AT_NS) / 1e6;
                    }
                }
            }
        });
        sim.runUntil(CRASH_AT_NS + 1_500_000_000L);
        return w.history();
    }

    private static ClientProtocol<KvMessage> raftClient() {
        return new ClientProtocol<>() {
            @Override
            public KvMessage request(long requestId, HistoryEvent.Fn f, String key, Object value) {
                return new KvMessage.Request(requestId, f, key, value);
            }

            @Override
            public KvMessage request(long requestId, long firstUnansweredId, HistoryEvent.Fn f, String key, Object value) {
                return new KvMessage.Request(requestId, f, key, value, firstUnansweredId);
            }

            @Override
            public Reply reply(KvMessage message) {
                if (!(message instanceof KvMessage.Reply r)) {
                    return null;
                }
                Status status = r.retry() ? Status.RETRY : r.ok() ? Status.OK : Status.FAIL;
                return new Reply(r.requestId(), status, r.value(), r.redirect());
            }
        };
    }
}
