package io.github.dsw.zab;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * A client for hand-made Zab scenarios: sends each of its steps at its virtual time to the server {@code target}
 * names then; a step marked {@code untilOk} is sent again every 20 ms (to the server named then) until a definite
 * answer comes. Request ids are the steps' positions, 1-based.
 */
final class ScriptedZabClient implements Node<ZabMessage> {

    record Step(long atNs, Fn f, String key, Long value, boolean untilOk) {
    }

    private static final long RESEND_NS = 20_000_000;

    private final List<Step> steps = new ArrayList<>();
    private final IntSupplier target;
    final Map<Long, ZabMessage.Reply> answers = new TreeMap<>();

    ScriptedZabClient(IntSupplier target) {
        this.target = target;
    }

    ScriptedZabClient write(long atNs, String key, long value, boolean untilOk) {
        steps.add(new Step(atNs, Fn.WRITE, key, value, untilOk));
        return this;
    }

    @Override
    public void start(Context<ZabMessage> ctx) {
        for (int i = 0; i < steps.size(); i++) {
            ctx.setTimer(Math.max(1, steps.get(i).atNs() - ctx.now()), i);
        }
    }

    @Override
    public void timer(Context<ZabMessage> ctx, Object tag) {
        int i = (Integer) tag;
        long id = i + 1;
        Step s = steps.get(i);
        if (answers.containsKey(id)) {
            return;
        }
        int to = target.getAsInt();
        if (to >= 0) {
            ctx.send(to, new ZabMessage.Request(id, s.f(), s.key(), s.value(), id));
        }
        if (s.untilOk()) {
            ctx.setTimer(RESEND_NS, i);
        }
    }

    @Override
    public void receive(Context<ZabMessage> ctx, int from, ZabMessage message) {
        if (message instanceof ZabMessage.Reply r && !r.retry()) {
            answers.putIfAbsent(r.requestId(), r);
        }
    }
}
