package io.github.dsw.sim;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.LinearizabilityChecker;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    /** One server holding the registers: trivially linearizable, so any violation is the workload's. */
    record Req(long id, Fn f, String key, Object value) {
    }

    record Rep(long id, boolean ok, Long value) {
    }

    static final class OneServer implements Node<Object> {
        final Map<String, Long> data = new HashMap<>();

        @Override
        public void start(Context<Object> ctx) {
        }

        @Override
        public void receive(Context<Object> ctx, int from, Object message) {
            Req r = (Req) message;
            Long cur = data.get(r.key());
            switch (r.f()) {
                case READ -> ctx.send(from, new Rep(r.id(), true, cur));
                case WRITE -> {
                    data.put(r.key(), (Long) r.value());
                    ctx.send(from, new Rep(r.id(), true, null));
                }
                case CAS -> {
                    HistoryEvent.Cas c = (HistoryEvent.Cas) r.value();
                    boolean ok = java.util.Objects.equals(cur, c.expected());
                    if (ok) {
                        data.put(r.key(), c.update());
                    }
                    ctx.send(from, new Rep(r.id(), ok, null));
                }
            }
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
        }
    }

    static final ClientProtocol<Object> PROTOCOL = new ClientProtocol<>() {
        @Override
        public Object request(long requestId, Fn f, String key, Object value) {
            return new Req(requestId, f, key, value);
        }

        @Override
        public Reply reply(Object message) {
            Rep r = (Rep) message;
            return new Reply(r.id(), r.ok() ? Status.OK : Status.FAIL, r.value(), -1);
        }
    };

    private static Workload<Object> run(Workload.Spec spec, int ops, SimConfig config) {
        Simulator<Object> sim = new Simulator<>(config, id -> new OneServer());
        Workload<Object> w = new Workload<>(spec, PROTOCOL, ops);
        w.attach(sim, 4);
        sim.runUntil(Long.MAX_VALUE / 2, w::done);
        return w;
    }

    @Test
    void closedLoopOnACorrectServerIsLinearizableAndComplete() {
        Workload<Object> w = run(Workload.Spec.register().withKeys(3, 0), 500, SimConfig.defaults(1, 1));
        assertTrue(w.done());
        assertEquals(500, w.history().counts().get(HistoryEvent.Type.INVOKE));
        assertEquals(0, w.history().counts().get(HistoryEvent.Type.INFO));
        assertTrue(new LinearizabilityChecker().checkKv(w.history()).linearizable());
        assertEquals(3, w.history().keys().size());
    }

    @Test
    void lossyClientLinksGiveInfoAndRetireTheProcess() {
        SimConfig lossy = SimConfig.defaults(2, 1).withClientLink(LinkModel.reliable(new Latency.Constant(500_000)).withLoss(0.2));
        Workload<Object> w = run(Workload.Spec.register(), 300, lossy);
        assertTrue(w.history().counts().get(HistoryEvent.Type.INFO) > 0);
        assertTrue(new LinearizabilityChecker().checkKv(w.history()).linearizable(), "History.of accepted it: no reuse after info");
    }

    @Test
    void openLoopKeepsOneOperationPerProcess() {
        Workload.Spec spec = Workload.Spec.register().withOpenLoop(2000); // 0.5 ms apart vs ~1 ms service
        Workload<Object> w = run(spec, 400, SimConfig.defaults(3, 1));
        assertTrue(w.done());
        long processes = w.history().events().stream().mapToInt(HistoryEvent::process).distinct().count();
        assertTrue(processes > 4, "arrivals overlapped, so extra processes were opened: " + processes);
    }

    @Test
    void zipfCdfMatchesTheHarmonicFormula() {
        // P(rank 1) = 1 / H(k, s); for k = 3, s = 1: H = 1 + 1/2 + 1/3 = 11/6
        double[] cdf = Workload.keyCdf(3, 1.0);
        assertEquals(6.0 / 11, cdf[0], 1e-12);
        assertEquals(9.0 / 11, cdf[1], 1e-12);
        assertEquals(1.0, cdf[2], 1e-12);
        double[] uniform = Workload.keyCdf(4, 0);
        assertEquals(0.5, uniform[1], 1e-12);
    }
}
