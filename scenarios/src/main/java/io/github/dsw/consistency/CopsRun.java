package io.github.dsw.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.consistency.CausalChecker;
import io.github.dsw.check.consistency.Verdict;
import io.github.dsw.consistency.cops.CopsMessage;
import io.github.dsw.consistency.cops.CopsNode;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One simulated run of the COPS-style store ({@link CopsNode}): {@code dcs} datacenters of {@code partitions} nodes,
 * client {@code c} stays with datacenter {@code c mod dcs} (COPS's clients use their local cluster) and reads and
 * writes unique values on a few keys. After the workload and the faults, the run waits until no replicated write
 * is in flight, then reads every key at every datacenter (final reads, for the convergence check). The history is
 * judged by chapter 12's checkers: causal memory, CC, CCv and convergence.
 */
public final class CopsRun {

    /** Run settings. */
    public record Settings(long seed, int dcs, int partitions, int clients, int ops, int keys, boolean checkDependencies,
                           Set<Nemesis.Kind> nemesis, long faultsUntilNs, Trace.Level traceLevel) {
        public Settings {
            if (dcs < 1 || partitions < 1 || dcs * partitions > 99 || clients < 1 || clients > 1000 || ops < 0 || keys < 1) {
                throw new IllegalArgumentException("need dcs, partitions >= 1 with dcs x partitions <= 99, clients in 1..1000, ops >= 0, keys >= 1");
            }
        }

        /** 3 datacenters of 2 partitions, 6 clients, 600 operations on 4 keys, dependencies checked, no faults. */
        public static Settings defaults(long seed) {
            return new Settings(seed, 3, 2, 6, 600, 4, true, Set.of(), 1_000_000_000L, Trace.Level.HASH);
        }

        public Settings broken() {
            return new Settings(seed, dcs, partitions, clients, ops, keys, false, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withNemesis(Set<Nemesis.Kind> kinds) {
            return new Settings(seed, dcs, partitions, clients, ops, keys, checkDependencies, kinds, faultsUntilNs, traceLevel);
        }

        public Settings withSize(int c, int o, int k) {
            return new Settings(seed, dcs, partitions, c, o, k, checkDependencies, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withLayout(int d, int p) {
            return new Settings(seed, d, p, clients, ops, keys, checkDependencies, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withTraceLevel(Trace.Level level) {
            return new Settings(seed, dcs, partitions, clients, ops, keys, checkDependencies, nemesis, faultsUntilNs, level);
        }
    }

    /** What a run produced: the history with final reads, and the checkers' verdicts on it. */
    public record Outcome(MarkedHistory marked, Verdict causalMemory, Verdict cc, Verdict ccv, Verdict convergence, boolean quiet,
                          int earlyApplies, long virtualNs, Trace trace) {

        public History history() {
            return marked.history();
        }

        /** Causal (CM and CC) and convergent. */
        public boolean causalPlus() {
            return causalMemory.satisfied() && cc.satisfied() && convergence.satisfied();
        }

        public String summary() {
            var c = history().counts();
            return String.format(Locale.ROOT, "ops: %d invoked, %d ok, %d info (final reads included); simulated %.3f s, %d messages%s%n"
                            + "causal memory: %s%ncausal consistency (CC): %s%ncausal convergence (CCv): %s%nconvergence: %s%n",
                    c.get(HistoryEvent.Type.INVOKE), c.get(HistoryEvent.Type.OK), c.get(HistoryEvent.Type.INFO), virtualNs / 1e9,
                    trace.delivered(), quiet ? "" : " (replication still in flight at the time limit)", line(causalMemory), line(cc),
                    line(ccv), line(convergence));
        }

        private static String line(Verdict v) {
            return v.describe().lines().findFirst().orElse("");
        }
    }

    private CopsRun() {
    }

    public static Outcome run(Settings s) {
        return run(s, null);
    }

    public static Outcome run(Settings s, Trace.Sink lines) {
        int servers = s.dcs() * s.partitions();
        Simulator<CopsMessage> sim = new Simulator<>(SimConfig.defaults(s.seed(), servers).withTrace(s.traceLevel(), false),
                id -> new CopsNode(s.partitions(), s.checkDependencies(), 20_000_000), lines);
        KvClient.Shared shared = new KvClient.Shared();
        for (int c = 0; c < s.clients(); c++) {
            int dc = c % s.dcs();
            List<Integer> side = new ArrayList<>();
            for (int p = 0; p < s.partitions(); p++) {
                side.add(dc * s.partitions() + p);
            }
            int ops = s.ops() / s.clients() + (c < s.ops() % s.clients() ? 1 : 0);
            sim.addClient(new KvClient<>(shared, new CopsProtocol(), KvClient.Mode.REGISTER, c, side, s.keys(), ops, 1_000_000_000L,
                    2_000_000, 0.5));
        }
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), 20_000_000, 50_000_000);
        sim.runUntil(DynamoRun.HORIZON_NS, () -> KvClient.allDone(shared) && sim.now() > s.faultsUntilNs());
        sim.runUntil(DynamoRun.HORIZON_NS, () -> inFlight(sim, servers) == 0);
        boolean quiet = inFlight(sim, servers) == 0;
        MarkedHistory.Builder b = shared.marked();
        for (int dc = 0; dc < s.dcs(); dc++) {
            for (int k = 0; k < s.keys(); k++) {
                String key = "k" + k;
                CopsNode owner = (CopsNode) sim.node(dc * s.partitions() + CopsNode.partitionOf(key, s.partitions()));
                Long v = owner.visibleValue(key);
                b.finalRead("dc" + dc, dc, key, v == null ? List.of() : List.of(v));
            }
        }
        MarkedHistory m = b.build();
        int early = 0;
        for (int i = 0; i < servers; i++) {
            early += ((CopsNode) sim.node(i)).earlyApplies();
        }
        CausalChecker checker = new CausalChecker(30_000_000_000L);
        return new Outcome(m, checker.check(m.history(), CausalChecker.Variant.CM), checker.check(m.history(), CausalChecker.Variant.CC),
                checker.check(m.history(), CausalChecker.Variant.CCV), m.convergence(), quiet, early, sim.now(), sim.trace());
    }

    private static int inFlight(Simulator<CopsMessage> sim, int servers) {
        int n = 0;
        for (int i = 0; i < servers; i++) {
            n += ((CopsNode) sim.node(i)).inFlight();
        }
        return n;
    }
}
