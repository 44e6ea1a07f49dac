package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.paxos.PaxosMessage;
import io.github.dsw.paxos.PaxosNode;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.paxos.SingleDecreeRun;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grader of lab {@code paxos}. Expected values are the properties of consensus ("Paxos Made Simple", section 2.1),
 * checked from outside the protocol by the {@code ChosenMonitor} (a value is chosen when a majority of acceptors has
 * durably accepted it in one ballot; at most one may be, and every learned value must be it): agreement (every
 * client is told the same value), validity (it is one a client proposed: client i proposes 100 + i), safety under
 * every nemesis and under crashes alone, and termination once the faults stop (within 2 s of virtual time).
 */
final class PaxosLabGrader implements Lab<PaxosLab> {

    private static final Set<Nemesis.Kind> ALL = EnumSet.allOf(Nemesis.Kind.class);

    /** The workbench's {@link PaxosNode} behind the lab's interface (built at start, when the cluster size is known). */
    static final class Reference implements PaxosLab {
        private PaxosNode node;

        Reference() {
        }

        @Override
        public void start(Context<PaxosMessage> ctx) {
            node = new PaxosNode(Quorums.majority(ctx.servers()));
            node.start(ctx);
        }

        @Override
        public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage message) {
            if (node != null) {
                node.receive(ctx, from, message);
            }
        }

        @Override
        public void timer(Context<PaxosMessage> ctx, Object tag) {
            node.timer(ctx, tag);
        }
    }

    @Override
    public String name() {
        return "paxos";
    }

    @Override
    public String summary() {
        return "chapter 6: single-decree Paxos, proposer and acceptor (one value chosen under every nemesis; decides once faults heal)";
    }

    @Override
    public Class<PaxosLab> api() {
        return PaxosLab.class;
    }

    @Override
    public String studentClass() {
        return "StudentPaxos";
    }

    @Override
    public PaxosLab reference() {
        return new Reference();
    }

    private static SingleDecreeRun.Outcome run(PaxosLab impl, long seed, int servers, int clients, Set<Nemesis.Kind> nemesis,
                                               long faultsUntilNs) {
        SingleDecreeRun.Settings s = new SingleDecreeRun.Settings(seed, Quorums.majority(servers), clients, nemesis, faultsUntilNs);
        return SingleDecreeRun.run(s, Set.of(), id -> Concurrent.fresh(impl));
    }

    /** Agreement and validity over the clients that were answered. */
    private static void agreed(SingleDecreeRun.Outcome o, int clients, String what) {
        Long first = null;
        for (int c = 0; c < clients; c++) {
            Long v = o.decided()[c];
            if (v == null) {
                continue;
            }
            check(v >= 100 && v < 100 + clients, "%s: client %d was told %d, which no client proposed (validity; client i"
                    + " proposes 100 + i)", what, c, v);
            check(first == null || first.equals(v), "%s: clients were told different values: %s", what, Arrays.toString(o.decided()));
            first = v;
            check(o.chosen() != null && o.chosen().equals(v), "%s: client %d was told %d but the value chosen by a majority"
                    + " of durable acceptances is %s", what, c, v, o.chosen());
        }
    }

    @Override
    public List<LabTest> tests(PaxosLab impl, Seeds seeds) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("decides-one-value-without-faults", 2, () -> seeds.forEach(3, seed -> {
            SingleDecreeRun.Outcome o = run(impl, seed, 3, 3, Set.of(), 100_000_000);
            String what = "3 servers, 3 competing clients, no faults";
            check(o.completed(), "%s: some client was never told the decision: %s", what, Arrays.toString(o.decided()));
            agreed(o, 3, what);
        })));
        t.add(new LabTest("safe-under-every-nemesis", 4, () -> seeds.forEach(30, seed -> {
            int servers = seed % 2 == 0 ? 3 : 5;
            SingleDecreeRun.Outcome o = run(impl, seed, servers, 4, ALL, 400_000_000);
            agreed(o, 4, servers + " servers, 4 competing clients, every nemesis for 400 ms");
        })));
        t.add(new LabTest("acceptors-remember-across-crashes", 2, () -> seeds.forEach(20, seed -> {
            SingleDecreeRun.Outcome o = run(impl, seed, 3, 3, EnumSet.of(Nemesis.Kind.CRASH), 400_000_000);
            agreed(o, 3, "3 servers, crashes and restarts for 400 ms (a promise or acceptance must be durable before it is sent)");
        })));
        t.add(new LabTest("decides-once-faults-heal", 2, () -> seeds.forEach(10, seed -> {
            int servers = seed % 2 == 0 ? 3 : 5;
            SingleDecreeRun.Outcome o = run(impl, seed, servers, 4, ALL, 300_000_000);
            check(o.completed(), "%d servers, every nemesis for 300 ms: 2 s after the faults stopped, some client had still"
                    + " not been told a decision: %s (dueling proposers need a random back-off)", servers, Arrays.toString(o.decided()));
            agreed(o, 4, servers + " servers, every nemesis for 300 ms");
        })));
        t.add(new LabTest("messages-and-latency-per-decision", 1, () -> seeds.forEach(3, seed -> {
            int n = seed % 2 == 0 ? 3 : 5;
            Simulator<PaxosMessage> sim = new Simulator<>(SimConfig.defaults(seed, n), id -> Concurrent.fresh(impl));
            long[] decidedAt = {-1};
            sim.addClient(new OneProposal(decidedAt));
            sim.runUntil(LATENCY_LIMIT_NS * 100, () -> decidedAt[0] >= 0);
            check(decidedAt[0] >= 0, "%d servers, one client asking server 0, no faults: no decision within %d ms", n, LATENCY_LIMIT_NS * 100 / 1_000_000);
            Map<String, Trace.Counts> perType = sim.trace().messageCounts();
            long phases = 0;
            for (String type : List.of("Prepare", "Promise", "Nack", "Accept", "Accepted")) {
                phases += perType.containsKey(type) ? perType.get(type).delivered() : 0;
            }
            long target = 3L * n + (long) n * n;
            check(phases <= target, "%d servers, one proposer, no faults: %d Prepare/Promise/Nack/Accept/Accepted messages for one"
                    + " decision, target <= %d (one Prepare and one Accept round to the %d acceptors, their %d answers to the"
                    + " proposer, each Accepted to all %d learners: 3n + n^2; a second round or a second proposer costs more);"
                    + " per type:%n%s", n, phases, target, n, n, n, sim.trace().countsTable());
            check(decidedAt[0] <= LATENCY_LIMIT_NS, "%d servers, no faults: the client was told the decision after %.2f ms of"
                    + " virtual time, target <= %.0f ms (two round trips to a majority of 1 ms log-normal links even at"
                    + " 3 sigma, 2.46 ms each way, plus the client's two 0.5 ms hops and three 0.1 ms fsyncs: about 11.1 ms)", n,
                    decidedAt[0] / 1e6, LATENCY_LIMIT_NS / 1e6);
        })));
        return t;
    }

    /**
     * The decision latency target: 4 one-way delays at 3 sigma of the default links (1 ms * e^0.9 = 2.46 ms), two
     * client hops of 0.5 ms, three fsyncs of 0.1 ms (the proposer's round, the promise, the acceptance): 11.1 ms,
     * rounded up to 12 ms.
     */
    static final long LATENCY_LIMIT_NS = 12_000_000;

    /** A client that asks server 0 alone to propose 100 at time 0 and records when it is told the decision. */
    private static final class OneProposal implements Node<PaxosMessage> {
        private final long[] decidedAt;

        OneProposal(long[] decidedAt) {
            this.decidedAt = decidedAt;
        }

        @Override
        public void start(Context<PaxosMessage> ctx) {
            ctx.send(0, new PaxosMessage.Propose(100));
        }

        @Override
        public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage message) {
            if (message instanceof PaxosMessage.Decided && decidedAt[0] < 0) {
                decidedAt[0] = ctx.now();
            }
        }

        @Override
        public void timer(Context<PaxosMessage> ctx, Object tag) {
        }
    }
}
