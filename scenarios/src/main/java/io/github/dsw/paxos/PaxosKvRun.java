package io.github.dsw.paxos;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.ClientProtocol;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Observations;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import io.github.dsw.sim.WorkloadBias;
import java.util.Locale;
import java.util.Set;

/**
 * One simulated run of the Multi-Paxos key-value store ({@link MultiPaxosNode}): clients from the
 * simulation chapter's {@link Workload}, a random nemesis (a fault every 50 ms of virtual time, lasting
 * 30 ms) until {@code faultsUntilNs}, a {@link LogMonitor} checking after every event that each slot
 * has at most one chosen command, then the {@link LinearizabilityChecker} on the history.
 */
public final class PaxosKvRun {

    /**
     * Run settings.
     *
     * @param seed          simulation seed
     * @param nodes         servers
     * @param clients       client endpoints
     * @param ops           operations in total
     * @param nemesis       fault kinds
     * @param faultsUntilNs virtual time after which no fault starts and everything is healed
     * @param window        leader's pipeline window
     * @param batch         most commands per slot
     * @param traceLevel    what the trace records
     * @param flights       whether to record message flights
     * @param quorums       quorum sizes (null: majorities)
     * @param mutation      {@link MultiPaxosNode.Mutation#NONE}, or a deliberate bug
     */
    public record Settings(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, long faultsUntilNs, int window,
                           int batch, Trace.Level traceLevel, boolean flights, Quorums quorums, MultiPaxosNode.Mutation mutation) {
        public Settings {
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            }
            if (quorums == null) {
                quorums = Quorums.majority(nodes);
            }
            if (quorums.acceptors() != nodes) {
                throw new IllegalArgumentException("quorums must be for " + nodes + " acceptors, got " + quorums);
            }
            if (mutation == null) {
                throw new IllegalArgumentException("mutation must not be null");
            }
            if (nodes < 1 || nodes > 99 || clients < 1 || clients > 10_000 || ops < 0 || window < 1 || faultsUntilNs < 0) {
                throw new IllegalArgumentException("need nodes in 1..99, clients in 1..10000, ops >= 0, window >= 1, faultsUntilNs >= 0; got "
                        + nodes + ", " + clients + ", " + ops + ", " + window + ", " + faultsUntilNs);
            }
            if (nemesis == null || traceLevel == null) {
                throw new IllegalArgumentException("nemesis and traceLevel must not be null");
            }
        }

        /** Majority quorums, correct code. */
        public Settings(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, long faultsUntilNs, int window,
                        int batch, Trace.Level traceLevel, boolean flights) {
            this(seed, nodes, clients, ops, nemesis, faultsUntilNs, window, batch, traceLevel, flights, null, MultiPaxosNode.Mutation.NONE);
        }

        public static Settings defaults(long seed) {
            return new Settings(seed, 3, 3, 300, Set.of(), 0, 8, 4, Trace.Level.HASH, false);
        }
    }

    /** What a run produced. */
    public record Outcome(History history, LinearizabilityChecker.Result verdict, Trace trace, long virtualNs, boolean completed,
                          long[] latenciesNs, long p50Ns, long p99Ns, int chosenSlots, long leaderChanges, long checks) {

        /** A summary in the shape of the simulation chapter's. */
        public String summary() {
            var c = history.counts();
            return String.format(Locale.ROOT, "ops: %d invoked, %d ok, %d fail, %d info%s%n"
                            + "latency (virtual time, ok ops): p50 %.3f ms, p99 %.3f ms%n"
                            + "simulated %.3f s, %d messages delivered, %d slots chosen, %d leader elections%n"
                            + "verdict: %s%n",
                    c.get(HistoryEvent.Type.INVOKE), c.get(HistoryEvent.Type.OK), c.get(HistoryEvent.Type.FAIL), c.get(HistoryEvent.Type.INFO),
                    completed ? "" : " (stopped at the time limit)", p50Ns / 1e6, p99Ns / 1e6, virtualNs / 1e9, trace.delivered(),
                    chosenSlots, leaderChanges, verdict.describe());
        }
    }

    /** Workload: 4 keys, 50% reads, 25% writes, 25% cas, values 0..4, 200 ms client timeout, 10 ms think time. */
    public static final Workload.Spec SPEC = new Workload.Spec(0.5, 0.25, 4, 0, 5, 200_000_000, 10_000_000, 0);

    /** The longest a run may last in virtual time (10 minutes); also "faults never stop". */
    public static final long HORIZON_NS = 600L * 1_000_000_000L;

    private PaxosKvRun() {
    }

    /** Runs one simulation; a broken slot invariant surfaces as an {@link IllegalStateException}. */
    public static Outcome run(Settings s) {
        return run(s, null);
    }

    /** As {@link #run(Settings)}, streaming the trace's lines to {@code lines} (trace level LINES) as they happen. */
    public static Outcome run(Settings s, Trace.Sink lines) {
        return run(s, lines, Set.of(), WorkloadBias.NORMAL);
    }

    /** The longest election timeout of {@link MultiPaxosNode} (2 x 60 ms): what {@link Adversary.Attack#PAUSE_LEADER} outlasts. */
    public static final long ELECTION_TIMEOUT_MAX_NS = 120_000_000;

    /**
     * As {@link #run(Settings, Trace.Sink)}, with leader-aware {@code attacks} ({@link Adversary}) besides the
     * settings' random nemesis, until the settings' {@code faultsUntilNs}, and the workload reshaped by
     * {@code bias}. The attacks see the protocol's {@link MultiPaxosNode.LeaderElected} outputs and the ok
     * answers the clients receive. With no attacks and {@link WorkloadBias#NORMAL} this is exactly
     * {@link #run(Settings, Trace.Sink)}.
     */
    public static Outcome run(Settings s, Trace.Sink lines, Set<Adversary.Attack> attacks, WorkloadBias bias) {
        Quorums q = s.quorums();
        SimConfig config = SimConfig.defaults(s.seed(), s.nodes()).withTrace(s.traceLevel(), s.flights());
        Simulator<MultiPaxosMessage> sim = new Simulator<>(config, id -> new MultiPaxosNode(q, s.window(), s.batch(), s.mutation()), lines);
        LogMonitor monitor = LogMonitor.install(sim, q);
        Workload<MultiPaxosMessage> workload = new Workload<>(bias.apply(SPEC), new Client(), s.ops());
        workload.attach(sim, s.clients());
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), 50_000_000, 30_000_000);
        Observations seen = new Observations();
        if (bias == WorkloadBias.LEADER_READS) { // reads right after each observed leader change (not the first election)
            workload.readsAfter(() -> seen.leaderChanges() >= 2 ? seen.leaderSinceNs() : -1,
                    WorkloadBias.LEADER_READS_WINDOW_TIMEOUTS * ELECTION_TIMEOUT_MAX_NS);
        }
        if (!attacks.isEmpty() || bias == WorkloadBias.LEADER_READS) {
            sim.onOutput((node, event) -> {
                if (event instanceof MultiPaxosNode.LeaderElected e) {
                    seen.leader(e.node(), sim.now());
                }
            });
            sim.onClientDelivery((server, client, message) -> {
                if (message instanceof MultiPaxosMessage.ClientReply r && r.ok()) {
                    seen.acknowledged(server);
                }
            });
            Adversary.schedule(sim, attacks, seen, Adversary.Timing.forElectionTimeout(ELECTION_TIMEOUT_MAX_NS), 0,
                    Math.min(s.faultsUntilNs(), HORIZON_NS));
        }
        sim.runUntil(HORIZON_NS, workload::done);
        History h = workload.history();
        LinearizabilityChecker.Result verdict = new LinearizabilityChecker().checkKv(h);
        return new Outcome(h, verdict, sim.trace(), sim.now(), workload.done(), workload.latenciesNs(), workload.latencyQuantileNs(0.5),
                workload.latencyQuantileNs(0.99), monitor.chosenSlots(), monitor.leaderChanges(), monitor.checks());
    }

    /** Client side: any server takes any request; no redirects (also used by the Raft experiments). */
    public static final class Client implements ClientProtocol<MultiPaxosMessage> {
        @Override
        public MultiPaxosMessage request(long requestId, Fn f, String key, Object value) {
            return new MultiPaxosMessage.ClientRequest(requestId, f, key, value);
        }

        @Override
        public Reply reply(MultiPaxosMessage message) {
            return message instanceof MultiPaxosMessage.ClientReply r
                    ? new Reply(r.requestId(), r.ok() ? Status.OK : Status.FAIL, r.value(), -1) : null;
        }
    }
}
