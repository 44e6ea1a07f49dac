package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.consistency.CausalChecker;
import io.github.dsw.check.consistency.Verdict;
import io.github.dsw.consistency.cops.CopsMessage;
import io.github.dsw.consistency.cops.CopsNode;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The COPS-style store is causal+ (causal memory, CC, CCv and convergent final reads, judged by chapter 12's
 * checkers) under partitions, reordering, loss and duplication; the mutation that applies replicated writes without
 * dep_check is caught by the causal checkers on the scenario COPS's paper opens with (section 2: a write that
 * depends on another overtakes it on the way to a third datacenter), while it still converges: last-writer-wins by
 * Lamport version does not need the dependencies, the two properties are independent.
 */
class CopsRunTest {

    static final long SEED = Long.getLong("dsw.seed", 1L);

    @Test
    void theStoreIsCausalPlusUnderFaults() {
        EnumSet<Nemesis.Kind> kinds = EnumSet.of(Nemesis.Kind.PARTITION, Nemesis.Kind.REORDER, Nemesis.Kind.LOSS, Nemesis.Kind.DUPLICATE);
        for (long seed = SEED; seed < SEED + 5; seed++) {
            CopsRun.Outcome ok = CopsRun.run(CopsRun.Settings.defaults(seed).withNemesis(kinds));
            assertTrue(ok.quiet(), "seed " + seed + ": replication never settled\n" + ok.summary());
            assertTrue(ok.causalPlus() && ok.ccv().satisfied(), "seed " + seed + ":\n" + ok.summary());
        }
    }

    /** One scripted operation: at {@code atMs}, read (value null) or write {@code key} at {@code server}. */
    record Step(long atMs, int server, String key, Long value) {
    }

    /** A client that runs a script, one operation at a time, and records chapter 5 history events. */
    static final class ScriptClient implements Node<CopsMessage> {
        private final int process;
        private final List<Step> steps;
        private final List<HistoryEvent> events;
        private final CopsProtocol library = new CopsProtocol();
        private final long[] nextRequest;
        private int at;
        private long requestId = -1;

        ScriptClient(int process, List<Step> steps, List<HistoryEvent> events, long[] nextRequest) {
            this.process = process;
            this.steps = steps;
            this.events = events;
            this.nextRequest = nextRequest;
        }

        @Override
        public void start(Context<CopsMessage> ctx) {
            ctx.setTimer(steps.get(0).atMs() * 1_000_000, "go");
        }

        @Override
        public void timer(Context<CopsMessage> ctx, Object tag) {
            Step s = steps.get(at);
            requestId = ++nextRequest[0];
            Fn f = s.value() == null ? Fn.READ : Fn.WRITE;
            events.add(HistoryEvent.invoke(process, f, s.key(), s.value(), ctx.now()));
            ctx.send(s.server(), f == Fn.READ ? library.get(requestId, s.key()) : library.put(requestId, s.key(), s.value(), null));
        }

        @Override
        public void receive(Context<CopsMessage> ctx, int from, CopsMessage m) {
            KvClient.Answer a = library.answer(m);
            if (a == null || a.requestId() != requestId) {
                return;
            }
            Step s = steps.get(at);
            Long read = a.values().isEmpty() ? null : a.values().get(0);
            events.add(HistoryEvent.complete(process, Type.OK, s.value() == null ? Fn.READ : Fn.WRITE, s.key(),
                    s.value() == null ? read : s.value(), ctx.now()));
            requestId = -1;
            if (++at < steps.size()) {
                ctx.setTimer(Math.max(1, steps.get(at).atMs() * 1_000_000 - ctx.now()), "go");
            }
        }
    }

    /**
     * Three datacenters of one node. Alice (dc0) writes x = 1; Bob (dc1) reads it and writes y = 2 (y depends on x);
     * the link dc0 -> dc2 drops everything for 200 ms, so x reaches dc2 late; Carol (dc2) reads y, then x.
     */
    static MarkedHistory overtaking(boolean checkDependencies) {
        Simulator<CopsMessage> sim = new Simulator<>(SimConfig.defaults(SEED, 3), id -> new CopsNode(1, checkDependencies, 20_000_000));
        List<HistoryEvent> events = new ArrayList<>();
        long[] requests = {0};
        sim.addClient(new ScriptClient(0, List.of(new Step(1, 0, "x", 1L)), events, requests));
        sim.addClient(new ScriptClient(1, List.of(new Step(20, 1, "x", null), new Step(30, 1, "y", 2L)), events, requests));
        sim.addClient(new ScriptClient(2, List.of(new Step(60, 2, "y", null), new Step(70, 2, "x", null)), events, requests));
        sim.setLink(0, 2, new LinkModel(new Latency.Constant(1_000_000), 1.0, 0, 0, 0));
        sim.schedule(200_000_000L, () -> sim.setLink(0, 2, LinkModel.reliable(new Latency.Constant(1_000_000))));
        sim.runUntil(1_000_000_000L);
        MarkedHistory.Builder b = new MarkedHistory.Builder(events, Map.of(), 10);
        for (int dc = 0; dc < 3; dc++) {
            for (String key : List.of("x", "y")) {
                Long v = ((CopsNode) sim.node(dc)).visibleValue(key);
                b.finalRead("dc" + dc, dc, key, v == null ? List.of() : List.of(v));
            }
        }
        return b.build();
    }

    static Long carolsRead(MarkedHistory h, String key) {
        return h.history().events().stream().filter(e -> e.process() == 2 && e.type() == Type.OK && e.key().equals(key))
                .map(e -> (Long) e.value()).toList().get(0);
    }

    @Test
    void skippingTheDependencyCheckIsCaughtWhereAWriteOvertakesItsCause() {
        MarkedHistory ok = overtaking(true);
        assertEquals(1L, ok.history().events().stream().filter(e -> e.process() == 1 && e.type() == Type.OK && e.key().equals("x"))
                .findFirst().orElseThrow().value(), "Bob must have read Alice's x for the scenario to mean anything");
        assertNull(carolsRead(ok, "y"), "y must stay invisible at dc2 while x is missing");
        CausalChecker checker = new CausalChecker();
        for (CausalChecker.Variant v : CausalChecker.Variant.values()) {
            assertTrue(checker.check(ok.history(), v).satisfied(), v + ":\n" + checker.check(ok.history(), v).describe());
        }
        assertTrue(ok.convergence().satisfied(), ok.convergence().describe());

        MarkedHistory broken = overtaking(false);
        assertEquals(2L, carolsRead(broken, "y"));
        assertNull(carolsRead(broken, "x"), "Carol sees the effect y = 2 without its cause x = 1");
        Verdict cc = checker.check(broken.history(), CausalChecker.Variant.CC);
        assertTrue(cc.violated(), "the checker must name the bad pattern:\n" + cc.describe());
        assertTrue(broken.convergence().satisfied(), "the broken store still converges:\n" + broken.convergence().describe());
    }
}
