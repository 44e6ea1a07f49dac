package io.github.dsw.sim;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.LinearizabilityChecker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retrying workload ({@link Workload#withRetries}) against a toy three-server service in which only
 * server 2 serves requests: server 0 answers RETRY naming server 2, server 1 answers RETRY naming no one
 * (an election in progress). Server 2 executes each request id once (a session table) and records every
 * copy it receives. Expected behaviour from the contract in the class comment: same id on every
 * attempt, redirects followed, timeouts moved on, info only at the deadline.
 */
class WorkloadRetryTest {

    record Req(long id, long firstUnanswered, Fn f, String key, Object value) {
    }

    record Rep(long id, ClientProtocol.Status status, Long value, int redirect) {
    }

    static final ClientProtocol<Object> PROTOCOL = new ClientProtocol<>() {
        @Override
        public Object request(long requestId, Fn f, String key, Object value) {
            throw new AssertionError("a retrying workload must pass its first unanswered id");
        }

        @Override
        public Object request(long requestId, long firstUnansweredId, Fn f, String key, Object value) {
            return new Req(requestId, firstUnansweredId, f, key, value);
        }

        @Override
        public Reply reply(Object message) {
            Rep r = (Rep) message;
            return new Reply(r.id(), r.status(), r.value(), r.redirect());
        }
    };

    /** Server 2 of the toy service; servers 0 and 1 redirect. {@code dropFirst}: the first copy of each id is lost. */
    static final class Service implements Node<Object> {
        static final List<Req> copies = new ArrayList<>();
        static final Map<Long, Integer> executions = new HashMap<>();
        final boolean serves;
        final boolean dropFirst;
        final Map<String, Long> data = new HashMap<>();
        final Map<Long, Rep> done = new HashMap<>();

        Service(int id, boolean anyServes, boolean dropFirst) {
            this.serves = anyServes && id == 2;
            this.dropFirst = dropFirst;
        }

        @Override
        public void start(Context<Object> ctx) {
        }

        @Override
        public void receive(Context<Object> ctx, int from, Object message) {
            Req r = (Req) message;
            if (!serves) {
                ctx.send(from, new Rep(r.id(), ClientProtocol.Status.RETRY, null, ctx.self() == 0 ? 2 : -1));
                return;
            }
            boolean first = copies.stream().noneMatch(c -> c.id() == r.id());
            copies.add(r);
            if (dropFirst && first) {
                return;
            }
            Rep rep = done.get(r.id());
            if (rep == null) {
                executions.merge(r.id(), 1, Integer::sum);
                Long cur = data.get(r.key());
                rep = switch (r.f()) {
                    case READ -> new Rep(r.id(), ClientProtocol.Status.OK, cur, -1);
                    case WRITE -> {
                        data.put(r.key(), (Long) r.value());
                        yield new Rep(r.id(), ClientProtocol.Status.OK, null, -1);
                    }
                    case CAS -> {
                        HistoryEvent.Cas c = (HistoryEvent.Cas) r.value();
                        boolean ok = java.util.Objects.equals(cur, c.expected());
                        if (ok) {
                            data.put(r.key(), c.update());
                        }
                        yield new Rep(r.id(), ok ? ClientProtocol.Status.OK : ClientProtocol.Status.FAIL, null, -1);
                    }
                };
                done.put(r.id(), rep);
            }
            ctx.send(from, rep);
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
        }
    }

    private static Workload<Object> run(boolean anyServes, boolean dropFirst, int ops) {
        Service.copies.clear();
        Service.executions.clear();
        Simulator<Object> sim = new Simulator<>(SimConfig.defaults(9, 3), id -> new Service(id, anyServes, dropFirst));
        Workload<Object> w = new Workload<>(Workload.Spec.register(), PROTOCOL, ops).withRetries(20_000_000, 5_000_000);
        w.attach(sim, 1);
        sim.runUntil(Long.MAX_VALUE / 2, w::done);
        return w;
    }

    @Test
    void redirectsAreFollowedUntilADefiniteAnswerAndEachIdExecutesOnce() {
        Workload<Object> w = run(true, false, 200);
        assertTrue(w.done());
        var counts = w.history().counts();
        assertEquals(0, counts.get(HistoryEvent.Type.INFO), "the service always answers in the end");
        assertEquals(0, w.history().events().stream().filter(e -> e.type() == HistoryEvent.Type.FAIL && e.f() != Fn.CAS).count(),
                "a RETRY is never recorded as a failure");
        assertTrue(new LinearizabilityChecker().checkKv(w.history()).linearizable());
        Service.executions.forEach((id, n) -> assertEquals(1, n, "request " + id));
        // one client, one request at a time: the first unanswered id is the request itself
        Service.copies.forEach(c -> assertEquals(c.id(), c.firstUnanswered(), "" + c));
    }

    @Test
    void anUnansweredAttemptIsSentAgainWithTheSameId() {
        Workload<Object> w = run(true, true, 100);
        assertTrue(w.done());
        assertEquals(0, w.history().counts().get(HistoryEvent.Type.INFO));
        assertEquals(100, Service.executions.size());
        Service.executions.forEach((id, n) -> assertEquals(1, n, "request " + id));
        assertTrue(Service.copies.size() >= 200, "every id reached server 2 at least twice: " + Service.copies.size());
    }

    @Test
    void withNoServerServingTheClientGivesUpAtItsDeadline() {
        Workload<Object> w = run(false, false, 30);
        assertTrue(w.done());
        for (HistoryEvent e : w.history().events()) {
            if (e.type() != HistoryEvent.Type.INVOKE) {
                assertEquals(e.f() == Fn.READ ? HistoryEvent.Type.FAIL : HistoryEvent.Type.INFO, e.type(), "" + e);
            }
        }
        // 50 ms deadline: an operation ends 50 ms after it started (the register spec's timeout)
        var events = w.history().events();
        assertEquals(50_000_000, events.get(1).timeNs() - events.get(0).timeNs());
    }

    @Test
    void retrySettingsAreChecked() {
        Workload<Object> w = new Workload<>(Workload.Spec.register(), PROTOCOL, 1);
        assertThrows(IllegalArgumentException.class, () -> w.withRetries(0, 1));
        assertThrows(IllegalArgumentException.class, () -> w.withRetries(60_000_000, 1)); // beyond the 50 ms deadline
        assertThrows(IllegalArgumentException.class, () -> w.withRetries(10, 20));
        assertTrue(w.withRetries(20_000_000, 5_000_000).retries());
    }
}
