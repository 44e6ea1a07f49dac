package io.github.dsw.consistency;

import io.github.dsw.check.History;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.consistency.dynamo.DynamoConfig;
import io.github.dsw.consistency.dynamo.DynamoMessage;
import io.github.dsw.consistency.dynamo.DynamoNode;
import io.github.dsw.consistency.dynamo.Versioned;
import io.github.dsw.raft.KvMessage;
import io.github.dsw.raft.KvService;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.Partition;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * CAP shown, PACELC measured: the same 5-server cluster, the same clients, the same link model and, optionally,
 * the same partition ({@code {0,1} | {2,3,4}} from {@link #CUT_NS} to {@link #HEAL_NS}; two clients on the
 * minority side, three on the majority side, each reaching only its side's servers) against chapter 7's Raft
 * store (linearizable: the minority side refuses or stalls) and the Dynamo-style store (answers on both
 * sides, diverges, and its replicas are compared after healing). Without the partition the runs measure the
 * latency each design pays in the normal case (the "else" of PACELC, Abadi, IEEE Computer 2012).
 */
public final class CapRun {

    /** The stores compared. */
    public enum Store {
        RAFT("raft"), DYNAMO_QUORUM("dynamo-r2w2"), DYNAMO_ONE("dynamo-r1w1");

        public final String cliName;

        Store(String cliName) {
            this.cliName = cliName;
        }
    }

    /** When the partition starts and heals (virtual time). */
    public static final long CUT_NS = 1_000_000_000L;
    public static final long HEAL_NS = 4_000_000_000L;
    /** Client timeout. */
    public static final long TIMEOUT_NS = 500_000_000L;
    static final int NODES = 5;
    static final List<Integer> MINORITY = List.of(0, 1);
    static final List<Integer> MAJORITY = List.of(2, 3, 4);

    /** Counts for one side during the partition (operations started while it lasted, at least a timeout before the heal). */
    public record Side(long ok, long refused, long timedOut) {
        public long total() {
            return ok + refused + timedOut;
        }

        public double availability() {
            return total() == 0 ? Double.NaN : ok / (double) total();
        }
    }

    /**
     * What one run produced.
     *
     * @param minority       the minority side's operations during the partition
     * @param majority       the majority side's
     * @param p50Ns          median latency of ok operations before the partition or from 1 s after the heal
     * @param divergentAtHeal Dynamo only: keys whose preference-list replicas differed when the partition healed (-1 for Raft)
     * @param divergentAtEnd  the same at the end of the run
     * @param maxSiblings    Dynamo only: most versions of one key at the end
     */
    public record Outcome(Store system, boolean partitioned, History history, LinearizabilityChecker.Result verdict, Side minority,
                          Side majority, long p50Ns, long p99Ns, int divergentAtHeal, int divergentAtEnd, int maxSiblings, long[] latenciesNs) {

        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s, %s%n", system.cliName,
                    partitioned ? "partition {0,1} | {2,3,4} from 1 s to 4 s" : "no partition"));
            if (partitioned) {
                sb.append(String.format(Locale.ROOT, "  minority side during the partition: %d ok, %d refused, %d timed out (%.0f%% available)%n",
                        minority.ok(), minority.refused(), minority.timedOut(), 100 * minority.availability()));
                sb.append(String.format(Locale.ROOT, "  majority side during the partition: %d ok, %d refused, %d timed out (%.0f%% available)%n",
                        majority.ok(), majority.refused(), majority.timedOut(), 100 * majority.availability()));
            }
            sb.append(String.format(Locale.ROOT, "  latency of ok operations outside the partition: p50 %.3f ms, p99 %.3f ms%n", p50Ns / 1e6, p99Ns / 1e6));
            if (divergentAtHeal >= 0) {
                sb.append(String.format(Locale.ROOT, "  keys with diverging replicas: %d at the heal, %d at the end; at most %d sibling(s)%n",
                        divergentAtHeal, divergentAtEnd, maxSiblings));
            }
            sb.append("  verdict: ").append(verdict.describe()).append(System.lineSeparator());
            return sb.toString();
        }
    }

    private CapRun() {
    }

    static final int KEYS = 3;
    static final int OPS_PER_CLIENT = 400;
    static final long THINK_NS = 10_000_000;

    /** Runs {@code system} with or without the partition. */
    public static Outcome run(Store system, long seed, boolean partition) {
        return switch (system) {
            case RAFT -> run(system, seed, partition, id -> KvService.server(
                    RaftConfig.builder(id, NODES).electionTicks(10, 19).heartbeatTicks(2).build(), 10_000_000, KvService.ReadMode.LOG),
                    c -> new RaftProtocol(), null);
            case DYNAMO_QUORUM -> dynamo(system, seed, partition, DynamoConfig.defaults());
            case DYNAMO_ONE -> dynamo(system, seed, partition, DynamoConfig.defaults().withQuorums(3, 1, 1));
        };
    }

    private static Outcome dynamo(Store system, long seed, boolean partition, DynamoConfig c) {
        return run(system, seed, partition, id -> new DynamoNode(c), client -> new DynamoProtocol(1000 + client), c);
    }

    private static <M> Outcome run(Store system, long seed, boolean partition, IntFunction<Node<M>> factory, IntFunction<KvClient.Protocol<M>> protocol,
                                   DynamoConfig dynamo) {
        Simulator<M> sim = new Simulator<>(SimConfig.defaults(seed, NODES).withTrace(Trace.Level.HASH, false), factory);
        KvClient.Shared shared = new KvClient.Shared();
        List<Integer> all = List.of(0, 1, 2, 3, 4);
        for (int c = 0; c < 5; c++) {
            List<Integer> side = !partition ? all : c < 2 ? MINORITY : MAJORITY;
            sim.addClient(new KvClient<>(shared, protocol.apply(c), KvClient.Mode.REGISTER, c, side, KEYS, OPS_PER_CLIENT, TIMEOUT_NS, THINK_NS, 0.5));
        }
        int[] atHeal = {-1};
        if (partition) {
            sim.schedule(CUT_NS, () -> sim.setPartition(Partition.split(NODES, List.of(MINORITY, MAJORITY))));
            sim.schedule(HEAL_NS, () -> {
                if (dynamo != null) {
                    atHeal[0] = divergent(sim, dynamo)[0];
                }
                sim.setPartition(Partition.none(NODES));
            });
        }
        sim.runUntil(DynamoRun.HORIZON_NS, () -> KvClient.allDone(shared) && sim.now() > HEAL_NS);
        sim.runUntil(sim.now() + DynamoRun.SETTLE_NS);
        long[] min = new long[3];
        long[] maj = new long[3];
        List<Long> lat = new ArrayList<>();
        for (KvClient.Done d : shared.done) {
            boolean during = partition && d.startNs() >= CUT_NS && d.startNs() < HEAL_NS - TIMEOUT_NS; // ended before the heal
            if (during) {
                long[] side = d.client() < 2 ? min : maj;
                side[d.end().ordinal()]++;
            } else if (d.end() == KvClient.End.OK && d.startNs() >= 200_000_000L && (d.startNs() < CUT_NS || d.startNs() >= HEAL_NS + 1_000_000_000L)) { // after Raft's first election
                lat.add(d.endNs() - d.startNs());
            }
        }
        lat.sort(null);
        int[] end = dynamo != null ? divergent(sim, dynamo) : new int[] {-1, 0};
        History h = shared.history();
        return new Outcome(system, partition, h, new LinearizabilityChecker().checkKv(h), new Side(min[0], min[1], min[2]),
                new Side(maj[0], maj[1], maj[2]), DynamoRun.quantile(lat, 0.5), DynamoRun.quantile(lat, 0.99), atHeal[0], end[0], end[1],
                lat.stream().mapToLong(Long::longValue).toArray());
    }

    /** {keys whose preference-list replicas differ, most siblings of a key}. */
    @SuppressWarnings("unchecked")
    private static <M> int[] divergent(Simulator<M> sim, DynamoConfig c) {
        int diverging = 0;
        int siblings = 0;
        for (int k = 0; k < KEYS; k++) {
            String key = "k" + k;
            List<Versioned> first = null;
            boolean differ = false;
            for (int node : DynamoNode.preferenceList(key, NODES, c.n())) {
                Object o = sim.durable(node).get("k:" + key);
                List<Versioned> v = o == null ? List.of() : (List<Versioned>) o;
                siblings = Math.max(siblings, v.size());
                if (first == null) {
                    first = v;
                } else if (!first.equals(v)) {
                    differ = true;
                }
            }
            diverging += differ ? 1 : 0;
        }
        return new int[] {diverging, siblings};
    }
}
