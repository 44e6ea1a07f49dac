package io.github.dsw.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.consistency.dynamo.DynamoConfig;
import io.github.dsw.consistency.dynamo.DynamoMessage;
import io.github.dsw.consistency.dynamo.DynamoNode;
import io.github.dsw.consistency.dynamo.Resolution;
import io.github.dsw.consistency.dynamo.Versioned;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One simulated run of the Dynamo-style store ({@link DynamoNode}) with {@link KvClient}s: the register workload,
 * judged by the linearizability checker, or the shopping-cart workload, judged by counting lost updates against the
 * items whose writes were acknowledged. Server clocks get fixed offsets drawn uniformly from {@code [-skew, +skew]}
 * at the start (the skew last-writer-wins trusts); a random nemesis may run until {@code faultsUntilNs}, then all
 * is healed and the run goes on until every client is done and {@code settleNs} more has passed (hinted handoff).
 */
public final class DynamoRun {

    /** Run settings; see {@link #defaults}. */
    public record Settings(long seed, int nodes, int clients, int ops, DynamoConfig config, KvClient.Mode mode, int keys,
                           long skewNs, Set<Nemesis.Kind> nemesis, long faultsUntilNs, Trace.Level traceLevel) {
        public Settings {
            if (nodes < 1 || nodes > 99 || clients < 1 || clients > 1000 || ops < 0 || keys < 1 || skewNs < 0) {
                throw new IllegalArgumentException("need nodes in 1..99, clients in 1..1000, ops >= 0, keys >= 1, skew >= 0");
            }
            if (config.n() > nodes) {
                throw new IllegalArgumentException("N=" + config.n() + " needs at least " + config.n() + " nodes, got " + nodes);
            }
        }

        /** 5 nodes, 4 clients, 400 operations, N=3 R=W=2 with version vectors, register workload on 3 keys, no skew, no faults. */
        public static Settings defaults(long seed) {
            return new Settings(seed, 5, 4, 400, DynamoConfig.defaults(), KvClient.Mode.REGISTER, 3, 0, Set.of(), 2_000_000_000L,
                    Trace.Level.HASH);
        }

        public Settings withConfig(DynamoConfig c) {
            return new Settings(seed, nodes, clients, ops, c, mode, keys, skewNs, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withWorkload(KvClient.Mode m, int k) {
            return new Settings(seed, nodes, clients, ops, config, m, k, skewNs, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withSkewNs(long s) {
            return new Settings(seed, nodes, clients, ops, config, mode, keys, s, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withNemesis(Set<Nemesis.Kind> kinds) {
            return new Settings(seed, nodes, clients, ops, config, mode, keys, skewNs, kinds, faultsUntilNs, traceLevel);
        }

        public Settings withSize(int n, int c, int o) {
            return new Settings(seed, n, c, o, config, mode, keys, skewNs, nemesis, faultsUntilNs, traceLevel);
        }

        public Settings withTraceLevel(Trace.Level level) {
            return new Settings(seed, nodes, clients, ops, config, mode, keys, skewNs, nemesis, faultsUntilNs, level);
        }
    }

    /**
     * What a run produced.
     *
     * @param verdict       linearizability of the register history (null for the cart workload)
     * @param acknowledged  cart items whose write was acknowledged
     * @param lost          of those, the ones missing from the final state (every replica's versions reconciled)
     * @param maxSiblings   most versions any replica held for one key at the end
     * @param divergentKeys keys whose preference-list replicas hold different versions at the end
     */
    public record Outcome(MarkedHistory marked, LinearizabilityChecker.Result verdict, int acknowledged, int lost, int maxSiblings,
                          int divergentKeys, long okOps, long refused, long timedOut, long p50Ns, long p99Ns, long virtualNs,
                          boolean completed, Trace trace) {

        /** The clients' history followed by the final reads (each replica of each key, after the settle time). */
        public History history() {
            return marked.history();
        }

        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "ops: %d ok, %d refused, %d timed out%s%n", okOps, refused, timedOut,
                    completed ? "" : " (stopped at the time limit)"));
            sb.append(String.format(Locale.ROOT, "latency (virtual time, ok ops): p50 %.3f ms, p99 %.3f ms; simulated %.3f s, %d messages%n",
                    p50Ns / 1e6, p99Ns / 1e6, virtualNs / 1e9, trace.delivered()));
            sb.append(String.format(Locale.ROOT, "end state: at most %d sibling(s) per key, %d key(s) with diverging replicas%n",
                    maxSiblings, divergentKeys));
            if (verdict != null) {
                sb.append("verdict: ").append(verdict.describe()).append(System.lineSeparator());
            } else {
                sb.append(String.format(Locale.ROOT, "cart: %d acknowledged adds, %d lost%n", acknowledged, lost));
            }
            return sb.toString();
        }
    }

    /** Virtual-time limit of a run. */
    public static final long HORIZON_NS = 120_000_000_000L;
    /** Quiet time after the last operation, for hinted handoff. */
    public static final long SETTLE_NS = 500_000_000L;

    private DynamoRun() {
    }

    /** Runs one simulation. */
    public static Outcome run(Settings s) {
        return run(s, null);
    }

    /** As {@link #run(Settings)}, streaming trace lines to {@code lines} (trace level LINES). */
    public static Outcome run(Settings s, Trace.Sink lines) {
        SimConfig sc = SimConfig.defaults(s.seed(), s.nodes()).withTrace(s.traceLevel(), false);
        Simulator<DynamoMessage> sim = new Simulator<>(sc, id -> new DynamoNode(s.config()), lines);
        long[] offsets = new long[s.nodes()];
        SplitMix64 skew = new SplitMix64(s.seed() * 0x9E3779B97F4A7C15L + 12); // the skew is part of the seed
        for (int i = 0; i < s.nodes(); i++) {
            offsets[i] = s.skewNs() == 0 ? 0 : skew.nextLong(2 * s.skewNs() + 1) - s.skewNs();
            sim.setClock(i, offsets[i], 0);
        }
        KvClient.Shared shared = new KvClient.Shared();
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < s.nodes(); i++) {
            all.add(i);
        }
        for (int c = 0; c < s.clients(); c++) {
            int ops = s.ops() / s.clients() + (c < s.ops() % s.clients() ? 1 : 0);
            sim.addClient(new KvClient<>(shared, new DynamoProtocol(1000 + c), s.mode(), c, all, s.keys(), ops, 1_000_000_000L, 5_000_000, 0.5));
        }
        // The nemesis heals everything at faultsUntil (restoring clocks to 0): put the skew back afterwards.
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), 80_000_000, 200_000_000);
        if (!s.nemesis().isEmpty() && s.skewNs() > 0) {
            sim.schedule(s.faultsUntilNs() + 1, () -> {
                for (int i = 0; i < s.nodes(); i++) {
                    sim.setClock(i, offsets[i], 0);
                }
            });
        }
        sim.runUntil(HORIZON_NS, () -> KvClient.allDone(shared) && sim.now() > s.faultsUntilNs());
        boolean completed = KvClient.allDone(shared);
        sim.runUntil(sim.now() + SETTLE_NS);
        return outcome(s, sim, shared, completed);
    }

    @SuppressWarnings("unchecked")
    static List<Versioned> versions(Simulator<DynamoMessage> sim, int node, String durableKey) {
        Object o = sim.durable(node).get(durableKey);
        return o == null ? List.of() : (List<Versioned>) o;
    }

    /** Every version any server holds for {@code key} (store and hints), reconciled: what a read of all would see. */
    static List<Versioned> finalVersions(Simulator<DynamoMessage> sim, Resolution res, String key) {
        List<Versioned> merged = List.of();
        for (int i = 0; i < sim.config().servers(); i++) {
            for (Map.Entry<String, Object> e : sim.durable(i).entrySet()) {
                if (e.getValue() != null && (e.getKey().equals("k:" + key) || e.getKey().startsWith("h:") && e.getKey().endsWith(":" + key))) {
                    merged = res.reconcile(merged, versions(sim, i, e.getKey()));
                }
            }
        }
        return merged;
    }

    private static Outcome outcome(Settings s, Simulator<DynamoMessage> sim, KvClient.Shared shared, boolean completed) {
        Resolution res = s.config().resolution();
        int acknowledged = 0;
        int lost = 0;
        int maxSiblings = 0;
        int divergent = 0;
        for (int k = 0; k < s.keys(); k++) {
            String key = "k" + k;
            List<Versioned> fin = finalVersions(sim, res, key);
            long bits = 0;
            for (Versioned v : fin) {
                bits |= v.value();
            }
            for (int item : shared.acknowledged.getOrDefault(key, new TreeSet<>())) {
                acknowledged++;
                if ((bits & (1L << item)) == 0) {
                    lost++;
                }
            }
            List<Versioned> first = null;
            boolean differ = false;
            for (int node : DynamoNode.preferenceList(key, s.nodes(), s.config().n())) {
                List<Versioned> v = versions(sim, node, "k:" + key);
                maxSiblings = Math.max(maxSiblings, v.size());
                if (first == null) {
                    first = v;
                } else if (!first.equals(v)) {
                    differ = true;
                }
            }
            divergent += differ ? 1 : 0;
        }
        long ok = 0;
        long refused = 0;
        long timedOut = 0;
        List<Long> lat = new ArrayList<>();
        for (KvClient.Done d : shared.done) {
            switch (d.end()) {
                case OK -> {
                    ok++;
                    lat.add(d.endNs() - d.startNs());
                }
                case REFUSED -> refused++;
                case TIMEOUT -> timedOut++;
            }
        }
        lat.sort(null);
        History h = shared.history();
        LinearizabilityChecker.Result verdict = s.mode() == KvClient.Mode.REGISTER ? new LinearizabilityChecker().checkKv(h) : null;
        MarkedHistory.Builder b = shared.marked();
        if (s.mode() == KvClient.Mode.REGISTER) {
            for (int k = 0; k < s.keys(); k++) {
                String key = "k" + k;
                for (int node : DynamoNode.preferenceList(key, s.nodes(), s.config().n())) {
                    List<Long> values = new ArrayList<>();
                    for (Versioned v : versions(sim, node, "k:" + key)) {
                        values.add(v.value());
                    }
                    b.finalRead("n" + node, node, key, values);
                }
            }
        }
        return new Outcome(b.build(), verdict, acknowledged, lost, maxSiblings, divergent, ok, refused, timedOut, quantile(lat, 0.5),
                quantile(lat, 0.99), sim.now(), completed, sim.trace());
    }

    static long quantile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
