package io.github.dsw.register;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.ClientProtocol;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One simulated run of a replicated register: a protocol, a seed, a cluster, clients, a nemesis; then
 * the history is judged by the {@link LinearizabilityChecker}. This is what {@code ./dsw simulate} and
 * the protocol tests call. Nemesis faults start every 50 ms of virtual time and last 30 ms, from the
 * start until every operation has been issued and completed (then everything is healed).
 */
public final class RegisterRun {

    /** The protocols this runner knows, by command-line name. Later chapters add theirs. */
    public enum Protocol {
        ABD("abd"), PRIMARY_BACKUP("primary-backup");

        public final String cliName;

        Protocol(String cliName) {
            this.cliName = cliName;
        }

        public static Protocol parse(String name) {
            for (Protocol p : values()) {
                if (p.cliName.equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown protocol '" + name + "' (allowed: abd, primary-backup)");
        }
    }

    /** What a run produced. */
    public record Outcome(History history, LinearizabilityChecker.Result verdict, Trace trace, long virtualNs,
                          long p50Ns, long p99Ns, long maxNs, boolean completed, long[] latenciesNs) {

        /** The summary printed by {@code ./dsw simulate}. */
        public String summary() {
            var c = history.counts();
            return String.format(Locale.ROOT, "ops: %d invoked, %d ok, %d fail, %d info%s%n"
                            + "latency (virtual time, ok ops): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n"
                            + "simulated %.3f s, %d messages delivered%n"
                            + "verdict: %s%n",
                    c.get(io.github.dsw.check.HistoryEvent.Type.INVOKE), c.get(io.github.dsw.check.HistoryEvent.Type.OK),
                    c.get(io.github.dsw.check.HistoryEvent.Type.FAIL), c.get(io.github.dsw.check.HistoryEvent.Type.INFO),
                    completed ? "" : " (stopped at the time limit)", p50Ns / 1e6, p99Ns / 1e6, maxNs / 1e6, virtualNs / 1e9,
                    trace.delivered(), verdict.describe());
        }
    }

    /** Run settings; see {@link #defaults}. */
    public record Settings(Protocol protocol, long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis,
                           Trace.Level traceLevel, boolean flights) {
        public Settings {
            if (nodes < 1 || nodes > 99 || clients < 1 || clients > 10_000 || ops < 0) {
                throw new IllegalArgumentException("need nodes in 1..99, clients in 1..10000, ops >= 0; got "
                        + nodes + ", " + clients + ", " + ops);
            }
        }

        public static Settings defaults(Protocol protocol, long seed) {
            return new Settings(protocol, seed, 3, 3, 300, Set.of(), Trace.Level.HASH, false);
        }
    }

    private static final long HORIZON_NS = 3_600L * 1_000_000_000L;

    private RegisterRun() {
    }

    /** Runs one simulation and checks its history. */
    public static Outcome run(Settings s) {
        return run(s, null);
    }

    /** As {@link #run(Settings)}, streaming the trace's lines to {@code lines} (trace level LINES) as they happen. */
    public static Outcome run(Settings s, Trace.Sink lines) {
        return switch (s.protocol()) {
            case ABD -> run(s, lines, id -> new AbdNode(), new AbdClient(), Workload.Spec.register().withMix(0.5, 0.5));
            case PRIMARY_BACKUP -> run(s, lines, id -> new PrimaryBackupNode(), new PrimaryBackupClient(), Workload.Spec.register());
        };
    }

    /**
     * As {@link #run(Settings)} for ABD's client and workload, with the servers made by {@code servers} (a student's
     * ABD node in the {@code abd} lab; {@code id -> new AbdNode()} is exactly {@link #run(Settings)} of ABD).
     */
    public static Outcome runAbd(Settings s, IntFunction<Node<AbdMessage>> servers) {
        return run(s, null, servers, new AbdClient(), Workload.Spec.register().withMix(0.5, 0.5));
    }

    private static <M> Outcome run(Settings s, Trace.Sink lines, IntFunction<Node<M>> factory, ClientProtocol<M> client,
                                   Workload.Spec spec) {
        SimConfig config = SimConfig.defaults(s.seed(), s.nodes()).withTrace(s.traceLevel(), s.flights());
        Simulator<M> sim = new Simulator<>(config, factory, lines);
        Workload<M> workload = new Workload<>(spec, client, s.ops());
        workload.attach(sim, s.clients());
        Nemesis.random(sim, s.nemesis(), 0, HORIZON_NS, 50_000_000, 30_000_000);
        sim.runUntil(HORIZON_NS, workload::done);
        History h = workload.history();
        LinearizabilityChecker.Result verdict = new LinearizabilityChecker().checkKv(h);
        long[] lat = workload.latenciesNs();
        long max = 0;
        for (long l : lat) {
            max = Math.max(max, l);
        }
        return new Outcome(h, verdict, sim.trace(), sim.now(), workload.latencyQuantileNs(0.5), workload.latencyQuantileNs(0.99),
                max, workload.done(), lat);
    }

    /** Client side of ABD. */
    static final class AbdClient implements ClientProtocol<AbdMessage> {
        @Override
        public AbdMessage request(long requestId, Fn f, String key, Object value) {
            return new AbdMessage.Request(requestId, f, key, value instanceof Long l ? l : null);
        }

        @Override
        public Reply reply(AbdMessage message) {
            return message instanceof AbdMessage.Reply r
                    ? new Reply(r.requestId(), r.ok() ? Status.OK : Status.FAIL, r.value(), -1) : null;
        }
    }

    /** Client side of primary-backup: follows redirects to the primary. */
    static final class PrimaryBackupClient implements ClientProtocol<PrimaryBackupMessage> {
        @Override
        public PrimaryBackupMessage request(long requestId, Fn f, String key, Object value) {
            if (value != null && !(value instanceof Long) && !(value instanceof Cas)) {
                throw new IllegalArgumentException("value must be null, a Long or a Cas, got " + value);
            }
            return new PrimaryBackupMessage.Request(requestId, f, key, value);
        }

        @Override
        public Reply reply(PrimaryBackupMessage message) {
            return message instanceof PrimaryBackupMessage.Reply r
                    ? new Reply(r.requestId(), r.ok() ? Status.OK : Status.FAIL, r.value(), r.redirect()) : null;
        }
    }
}
