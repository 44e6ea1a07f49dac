package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.check.HistoryEvent;
import io.github.dsw.register.AbdMessage;
import io.github.dsw.register.AbdNode;
import io.github.dsw.register.RegisterRun;
import io.github.dsw.runtime.Context;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Grader of lab {@code abd}. Expected values come from the checker and from arithmetic, not from the reference's
 * output: every history must be linearizable (the {@code LinearizabilityChecker}, itself tested against brute
 * force), every operation must complete once faults stop, and without faults an operation costs at most
 * {@link #MESSAGES_PER_OP} delivered messages on 3 servers: the client's request and reply, then two phases of
 * one message to each of the 3 replicas and one answer from each, 2 + 2 × 2 × 3 = 14, plus a margin for the
 * retransmissions of phases slower than the 10 ms retry (as Gossip Glomers sets message-count targets).
 */
final class AbdLabGrader implements Lab<AbdLab> {

    /** Target of delivered messages per operation without faults on 3 servers (14 in theory, see the class comment). */
    static final double MESSAGES_PER_OP = 16.0;

    private static final Set<Nemesis.Kind> ALL = EnumSet.allOf(Nemesis.Kind.class);

    /** The workbench's {@link AbdNode} behind the lab's interface. */
    static final class Reference implements AbdLab {
        private final AbdNode node = new AbdNode();

        Reference() {
        }

        @Override
        public void start(Context<AbdMessage> ctx) {
            node.start(ctx);
        }

        @Override
        public void receive(Context<AbdMessage> ctx, int from, AbdMessage message) {
            node.receive(ctx, from, message);
        }

        @Override
        public void timer(Context<AbdMessage> ctx, Object tag) {
            node.timer(ctx, tag);
        }
    }

    @Override
    public String name() {
        return "abd";
    }

    @Override
    public String summary() {
        return "chapter 4: the ABD register on the runtime API (linearizable under every nemesis, messages per operation)";
    }

    @Override
    public Class<AbdLab> api() {
        return AbdLab.class;
    }

    @Override
    public String studentClass() {
        return "StudentAbd";
    }

    @Override
    public AbdLab reference() {
        return new Reference();
    }

    private static RegisterRun.Outcome run(AbdLab impl, long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis) {
        RegisterRun.Settings s = new RegisterRun.Settings(RegisterRun.Protocol.ABD, seed, nodes, clients, ops, nemesis,
                Trace.Level.COUNTS, false);
        return RegisterRun.runAbd(s, id -> Concurrent.fresh(impl));
    }

    private static void linearizable(RegisterRun.Outcome o, String what) {
        check(o.completed(), "%s: not every operation completed within the simulation's hour (%s)", what,
                o.history().counts());
        check(o.verdict().linearizable(), "%s: the history is not linearizable:%n%s", what, o.verdict().describe());
    }

    @Override
    public List<LabTest> tests(AbdLab impl, Seeds seeds) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("linearizable-without-faults", 2, () -> seeds.forEach(3, seed -> {
            RegisterRun.Outcome o = run(impl, seed, 3, 3, 200, Set.of());
            linearizable(o, "3 servers, 3 clients, 200 operations, no faults");
            long ok = o.history().counts().get(HistoryEvent.Type.OK);
            check(ok == 200, "without faults every operation succeeds; %d of 200 did", ok);
        })));
        t.add(new LabTest("linearizable-under-every-nemesis", 4, () -> seeds.forEach(20, seed -> {
            int nodes = seed % 2 == 0 ? 3 : 5;
            RegisterRun.Outcome o = run(impl, seed, nodes, 4, 150, ALL);
            linearizable(o, nodes + " servers, 4 clients, 150 operations, every nemesis (partition, crash, pause, loss,"
                    + " duplicate, reorder, skew)");
        })));
        t.add(new LabTest("survives-crashes-of-a-minority", 2, () -> seeds.forEach(10, seed -> {
            RegisterRun.Outcome o = run(impl, seed, 5, 4, 150, EnumSet.of(Nemesis.Kind.CRASH));
            linearizable(o, "5 servers, crashes and restarts (a replica must not forget a stored tag it acknowledged)");
        })));
        t.add(new LabTest("messages-per-operation", 1, () -> seeds.forEach(2, seed -> {
            RegisterRun.Outcome o = run(impl, seed, 3, 3, 200, Set.of());
            linearizable(o, "3 servers, no faults");
            double perOp = (double) o.trace().delivered() / 200;
            check(perOp <= MESSAGES_PER_OP, "%.1f messages delivered per operation, target <= %.0f (2 client messages +"
                    + " 2 phases × 3 replicas × (request + answer) = 14); per type:%n%s", perOp, MESSAGES_PER_OP,
                    o.trace().countsTable());
        })));
        return t;
    }
}
