package io.github.dsw.zab;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.ClientProtocol;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One simulated run of the Zab key-value store ({@link ZabKvServer}) under a workload and a random nemesis, with
 * Zab's properties ({@link ZabInvariants}) checked after every event and the history judged by the
 * {@link LinearizabilityChecker} (key-value model). The shape of {@code raft.RaftKvRun}, with the same workload,
 * fault timing, client retries and time limit, so that the two protocols meet the same clients and faults.
 */
public final class ZabKvRun {

    /** Time limit of a run in virtual time (60 s). */
    public static final long HORIZON_NS = 60_000_000_000L;
    /** Default end of the faults (3 s), and their timing: one starts every 80 ms and lasts 200 ms. */
    public static final long FAULTS_UNTIL_NS = 3_000_000_000L;
    public static final long FAULT_EVERY_NS = 80_000_000;
    public static final long FAULT_LENGTH_NS = 200_000_000;
    /** Length of a server's tick (as the Raft store's). */
    public static final long TICK_NS = 10_000_000;
    /** Workload: 3 keys, 50% reads, 30% writes, 20% cas, values 0..4, 500 ms deadline, 10 ms think time (RaftKvRun's). */
    public static final Workload.Spec SPEC = new Workload.Spec(0.5, 0.3, 3, 0, 5, 500_000_000, 10_000_000, 0);
    /** A client's attempt timeout and its pause when a server is not serving (RaftKvRun's). */
    public static final long ATTEMPT_NS = 100_000_000;
    public static final long BACKOFF_NS = 10_000_000;

    /**
     * @param seed          simulation seed
     * @param nodes         servers
     * @param clients       client processes
     * @param ops           operations in total
     * @param nemesis       fault kinds (empty: none)
     * @param readMode      how reads are served
     * @param faultsUntilNs no fault starts after this virtual time, and all are healed then
     * @param traceLevel    what the trace records
     * @param faultEveryNs  a fault starts every this many nanoseconds
     * @param faultLengthNs and lasts this long
     * @param mutation      a deliberate bug ({@link Mutation#NONE}: none)
     * @param batch         the leader proposes up to this many changes per PROPOSAL (1: no batching)
     * @param window        a batching leader keeps up to this many batches in flight (pipelining; 1: one at a time)
     * @param snapshotEvery every server snapshots its store and compacts its log after this many deliveries (0: never)
     */
    public record Settings(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, ZabKvServer.ReadMode readMode,
                           long faultsUntilNs, Trace.Level traceLevel, long faultEveryNs, long faultLengthNs, Mutation mutation,
                           int batch, int window, int snapshotEvery) {
        public Settings {
            if (window < 1 || snapshotEvery < 0) {
                throw new IllegalArgumentException("need window >= 1 and snapshotEvery >= 0, got " + window + ", " + snapshotEvery);
            }
            if (batch < 1) {
                throw new IllegalArgumentException("batch must be >= 1, got " + batch);
            }
            if (nodes < 1 || clients < 1 || ops < 0 || nemesis == null || readMode == null || traceLevel == null || mutation == null) {
                throw new IllegalArgumentException("need nodes >= 1, clients >= 1, ops >= 0, nemesis, read mode, trace level and mutation; got "
                        + nodes + ", " + clients + ", " + ops + ", " + nemesis + ", " + readMode + ", " + traceLevel + ", " + mutation);
            }
            if (faultsUntilNs < 0 || faultEveryNs <= 0 || faultLengthNs <= 0) {
                throw new IllegalArgumentException("need faultsUntilNs >= 0, faultEveryNs > 0 and faultLengthNs > 0, got " + faultsUntilNs
                        + ", " + faultEveryNs + ", " + faultLengthNs);
            }
            nemesis = nemesis.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(nemesis));
        }

        /** The CLI's defaults: sync reads, faults for the first 3 s, hashed trace, no mutation. */
        public static Settings of(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis) {
            return new Settings(seed, nodes, clients, ops, nemesis, ZabKvServer.ReadMode.SYNC, FAULTS_UNTIL_NS, Trace.Level.HASH,
                    FAULT_EVERY_NS, FAULT_LENGTH_NS, Mutation.NONE, 1,
                    ZabNode.DEFAULT_WINDOW, 0);
        }

        public Settings withReadMode(ZabKvServer.ReadMode m) {
            return new Settings(seed, nodes, clients, ops, nemesis, m, faultsUntilNs, traceLevel, faultEveryNs, faultLengthNs, mutation, batch, window, snapshotEvery);
        }

        public Settings withFaultsUntilNs(long ns) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, ns, traceLevel, faultEveryNs, faultLengthNs, mutation, batch, window, snapshotEvery);
        }

        public Settings withTraceLevel(Trace.Level level) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, level, faultEveryNs, faultLengthNs, mutation, batch, window, snapshotEvery);
        }

        public Settings withFaultTiming(long everyNs, long lengthNs) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, traceLevel, everyNs, lengthNs, mutation, batch, window, snapshotEvery);
        }

        public Settings withMutation(Mutation m) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, traceLevel, faultEveryNs, faultLengthNs, m, batch, window, snapshotEvery);
        }

        /** The same run with the leader batching up to {@code b} changes per PROPOSAL. */
        public Settings withBatch(int b) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, traceLevel, faultEveryNs, faultLengthNs, mutation, b, window, snapshotEvery);
        }

        /** The same run with a batching leader keeping up to {@code w} batches in flight. */
        public Settings withWindow(int w) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, traceLevel, faultEveryNs, faultLengthNs, mutation, batch,
                    w, snapshotEvery);
        }

        /** The same run with every server snapshotting and compacting its log after every {@code n} deliveries. */
        public Settings withSnapshotEvery(int n) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, traceLevel, faultEveryNs, faultLengthNs, mutation, batch,
                    window, n);
        }

        /** The command line that replays this run exactly (its times are whole milliseconds, as the command line's are). */
        public String replayCommand() {
            String kinds = nemesis.isEmpty() ? "none" : nemesis.stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(","));
            return "./dsw simulate zab-kv --seed " + seed + " --nodes " + nodes + " --clients " + clients + " --ops " + ops
                    + " --nemesis " + kinds + " --read-mode " + readMode.name().toLowerCase(Locale.ROOT)
                    + " --faults-until-ms " + faultsUntilNs / 1_000_000
                    + (faultEveryNs == FAULT_EVERY_NS && faultLengthNs == FAULT_LENGTH_NS ? ""
                            : " --fault-every-ms " + faultEveryNs / 1_000_000 + " --fault-length-ms " + faultLengthNs / 1_000_000)
                    + (mutation == Mutation.NONE ? "" : " --mutation " + mutation.cliName())
                    + (batch == 1 ? "" : " --batch " + batch)
                    + (window == ZabNode.DEFAULT_WINDOW ? "" : " --window " + window)
                    + (snapshotEvery == 0 ? "" : " --snapshot-every " + snapshotEvery);
        }
    }

    /** What a run produced. */
    public record Outcome(History history, LinearizabilityChecker.Result verdict, boolean completed, long virtualNs, long committed,
                          Trace trace, long[] latenciesNs, long p50Ns, long p99Ns, long maxEpoch, long fsyncs) {

        /** A summary in the shape of {@code RaftKvRun.Outcome#summary}. */
        public String summary() {
            var c = history.counts();
            return String.format(Locale.ROOT, "ops: %d invoked, %d ok, %d fail, %d info%s%n"
                            + "latency (virtual time, ok ops): p50 %.3f ms, p99 %.3f ms%n"
                            + "simulated %.3f s, %d messages delivered, %d transactions delivered, last epoch %d%n"
                            + "verdict: %s%n",
                    c.get(HistoryEvent.Type.INVOKE), c.get(HistoryEvent.Type.OK), c.get(HistoryEvent.Type.FAIL), c.get(HistoryEvent.Type.INFO),
                    completed ? "" : " (stopped at the time limit)", p50Ns / 1e6, p99Ns / 1e6, virtualNs / 1e9, trace.delivered(), committed,
                    maxEpoch, verdict.describe());
        }
    }

    private ZabKvRun() {
    }

    /** Runs the simulation and checks its history; a broken invariant throws {@link io.github.dsw.sim.InvariantViolation}. */
    public static Outcome run(Settings s) {
        return run(s, null);
    }

    /** As {@link #run(Settings)}, streaming the trace's lines to {@code lines} (trace level LINES) as they happen. */
    public static Outcome run(Settings s, Trace.Sink lines) {
        SimConfig config = SimConfig.defaults(s.seed(), s.nodes()).withTrace(s.traceLevel(), false);
        Simulator<ZabMessage> sim = new Simulator<>(config, id -> new ZabKvServer(TICK_NS, s.readMode(), s.mutation(), s.batch(), s.window(), s.snapshotEvery()), lines);
        ZabInvariants invariants = watch(sim, s.nodes());
        long[] maxEpoch = new long[1];
        sim.afterEachEvent(() -> {
            for (int i = 0; i < s.nodes(); i++) {
                ZabNode z = zabOf(sim, i);
                if (z != null) {
                    maxEpoch[0] = Math.max(maxEpoch[0], z.currentEpoch());
                }
            }
        });
        Workload<ZabMessage> workload = new Workload<>(SPEC, new Client(), s.ops()).withRetries(ATTEMPT_NS, BACKOFF_NS);
        workload.attach(sim, s.clients());
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), s.faultEveryNs(), s.faultLengthNs());
        sim.runUntil(HORIZON_NS, workload::done);
        History h = workload.history();
        return new Outcome(h, new LinearizabilityChecker().checkKv(h), workload.done(), sim.now(), invariants.committedCount(), sim.trace(),
                workload.latenciesNs(), workload.latencyQuantileNs(0.5), workload.latencyQuantileNs(0.99), maxEpoch[0], fsyncs(sim, s.nodes()));
    }

    /** Fsyncs the servers' current incarnations asked for (all of a failure-free run's). */
    static long fsyncs(Simulator<ZabMessage> sim, int nodes) {
        long n = 0;
        for (int i = 0; i < nodes; i++) {
            ZabNode z = zabOf(sim, i);
            n += z == null ? 0 : z.fsyncCount();
        }
        return n;
    }

    /** The Zab node of server {@code i}, null while it is down or before it started. */
    static ZabNode zabOf(Simulator<ZabMessage> sim, int i) {
        ZabKvServer srv = (ZabKvServer) sim.node(i);
        return srv == null ? null : srv.zab();
    }

    /** Checks Zab's properties over a simulated ensemble of {@code nodes} servers: on every report, and after every event. */
    public static ZabInvariants watch(Simulator<ZabMessage> sim, int nodes) {
        ZabInvariants invariants = new ZabInvariants();
        sim.onOutput(invariants::output);
        sim.afterEachEvent(() -> {
            List<ZabNode> zabs = new ArrayList<>(nodes);
            for (int i = 0; i < nodes; i++) {
                zabs.add(zabOf(sim, i));
            }
            invariants.check(zabs);
        });
        return invariants;
    }

    /** Client side: a "not serving" answer becomes RETRY (try the next server), the rest is definite. */
    static final class Client implements ClientProtocol<ZabMessage> {
        @Override
        public ZabMessage request(long requestId, Fn f, String key, Object value) {
            return new ZabMessage.Request(requestId, f, key, value, requestId);
        }

        @Override
        public ZabMessage request(long requestId, long firstUnansweredId, Fn f, String key, Object value) {
            return new ZabMessage.Request(requestId, f, key, value, firstUnansweredId);
        }

        @Override
        public Reply reply(ZabMessage message) {
            if (!(message instanceof ZabMessage.Reply r)) {
                return null;
            }
            Status status = r.retry() ? Status.RETRY : r.ok() ? Status.OK : Status.FAIL;
            return new Reply(r.requestId(), status, r.value(), -1);
        }
    }
}
