package io.github.dsw.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.consistency.causal.CausalMessage;
import io.github.dsw.consistency.causal.CausalNode;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One simulated run of the causal store ({@link CausalNode}): client {@code c} stays with server {@code c mod nodes}
 * (a session sticks to its replica), reads and writes unique values on a few keys; the history is checked for causal
 * consistency ({@link CausalPatterns}) and for linearizability (which a causal store does not promise).
 */
public final class CausalRun {

    /** Run settings. */
    public record Settings(long seed, int nodes, int clients, int ops, int keys, boolean checkDependencies, Set<Nemesis.Kind> nemesis,
                           long faultsUntilNs, Trace.Level traceLevel) {
        public Settings {
            if (nodes < 1 || nodes > 99 || clients < 1 || clients > 1000 || ops < 0 || keys < 1) {
                throw new IllegalArgumentException("need nodes in 1..99, clients in 1..1000, ops >= 0, keys >= 1");
            }
        }

        /** 3 nodes, 6 clients, 1200 operations on 2 keys, dependencies checked, no faults (faults until 1 s when given). */
        public static Settings defaults(long seed) {
            return new Settings(seed, 3, 6, 1200, 2, true, Set.of(), 1_000_000_000L, Trace.Level.HASH);
        }

        public Settings broken() {
            return new Settings(seed, nodes, clients, ops, keys, false, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withNemesis(Set<Nemesis.Kind> kinds) {
            return new Settings(seed, nodes, clients, ops, keys, checkDependencies, kinds, faultsUntilNs, traceLevel);
        }

        public Settings withTraceLevel(Trace.Level level) {
            return new Settings(seed, nodes, clients, ops, keys, checkDependencies, nemesis, faultsUntilNs, level);
        }
    }

    /** What a run produced: the history, the first causal bad pattern (null if none), the linearizability verdict. */
    public record Outcome(MarkedHistory marked, String causalViolation, LinearizabilityChecker.Result linearizability, long virtualNs,
                          Trace trace) {
        /** The clients' history followed by the final reads (every replica, every key, once quiet). */
        public History history() {
            return marked.history();
        }

        public boolean causal() {
            return causalViolation == null;
        }

        public String summary() {
            var c = history().counts();
            return String.format(Locale.ROOT, "ops: %d invoked, %d ok, %d info; simulated %.3f s, %d messages%n"
                            + "causal consistency: %s%nlinearizability: %s%n",
                    c.get(io.github.dsw.check.HistoryEvent.Type.INVOKE), c.get(io.github.dsw.check.HistoryEvent.Type.OK),
                    c.get(io.github.dsw.check.HistoryEvent.Type.INFO), virtualNs / 1e9, trace.delivered(),
                    causalViolation == null ? "satisfied" : "VIOLATED, " + causalViolation, linearizability.describe());
        }
    }

    private CausalRun() {
    }

    public static Outcome run(Settings s) {
        return run(s, null);
    }

    public static Outcome run(Settings s, Trace.Sink lines) {
        Simulator<CausalMessage> sim = new Simulator<>(SimConfig.defaults(s.seed(), s.nodes()).withTrace(s.traceLevel(), false),
                id -> new CausalNode(s.checkDependencies(), 20_000_000), lines);
        KvClient.Shared shared = new KvClient.Shared();
        for (int c = 0; c < s.clients(); c++) {
            int ops = s.ops() / s.clients() + (c < s.ops() % s.clients() ? 1 : 0);
            sim.addClient(new KvClient<>(shared, new CausalProtocol(), KvClient.Mode.REGISTER, c, List.of(c % s.nodes()), s.keys(), ops,
                    1_000_000_000L, 2_000_000, 0.5));
        }
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), 20_000_000, 50_000_000); // short, frequent faults: the run is short
        sim.runUntil(DynamoRun.HORIZON_NS, () -> KvClient.allDone(shared) && sim.now() > s.faultsUntilNs());
        sim.runUntil(DynamoRun.HORIZON_NS, () -> inFlight(sim, s.nodes()) == 0);
        History h = shared.history();
        MarkedHistory.Builder b = shared.marked();
        for (int n = 0; n < s.nodes(); n++) {
            for (int k = 0; k < s.keys(); k++) {
                Long v = ((CausalNode) sim.node(n)).visibleValue("k" + k);
                b.finalRead("n" + n, n, "k" + k, v == null ? List.of() : List.of(v));
            }
        }
        return new Outcome(b.build(), CausalPatterns.violation(h), new LinearizabilityChecker().checkKv(h), sim.now(), sim.trace());
    }

    private static int inFlight(Simulator<CausalMessage> sim, int nodes) {
        int n = 0;
        for (int i = 0; i < nodes; i++) {
            n += ((CausalNode) sim.node(i)).inFlight();
        }
        return n;
    }
}
