package io.github.dsw.consistency.causal;

import io.github.dsw.consistency.causal.CausalMessage.Ack;
import io.github.dsw.consistency.causal.CausalMessage.Reply;
import io.github.dsw.consistency.causal.CausalMessage.Request;
import io.github.dsw.consistency.causal.CausalMessage.Update;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A causally consistent key-value store by causal broadcast with vector clocks (Birman, Schiper and Stephenson,
 * "Lightweight causal and atomic group multicast", TOCS 1991; the delivery rule as in Kleppmann's lecture notes,
 * section 4.2). Each replica serves its clients' reads and writes locally at once (available under partition); a
 * write is broadcast with the writer's vector clock, and a replica applies a remote write from {@code o} only when it
 * has applied everything the writer had: {@code vc_m[o] = vc[o] + 1} and {@code vc_m[k] <= vc[k]} for every other
 * {@code k}; until then the write waits in a buffer. A client that stays with one replica then never sees an effect
 * before its cause. Each replica resends its own writes to every peer that has not acknowledged them (the network
 * loses and partitions drop messages). State is volatile: a crash loses it (run without the crash nemesis).
 *
 * <p>{@code checkDependencies = false} is the deliberately broken variant: remote writes are applied on arrival.
 */
public final class CausalNode implements Node<CausalMessage> {

    private record Resend() {
    }

    private final boolean checkDependencies;
    private final long resendNs;
    private long[] vc;
    private final Map<String, Long> store = new HashMap<>();
    private final List<Update> pending = new ArrayList<>();
    private final List<Update> own = new ArrayList<>();
    private long[] acked;
    private int self;

    public CausalNode(boolean checkDependencies, long resendNs) {
        this.checkDependencies = checkDependencies;
        this.resendNs = resendNs;
    }

    @Override
    public void start(Context<CausalMessage> ctx) {
        self = ctx.self();
        vc = new long[ctx.servers()];
        acked = new long[ctx.servers()];
        ctx.setTimer(resendNs, new Resend());
    }

    @Override
    public void receive(Context<CausalMessage> ctx, int from, CausalMessage message) {
        switch (message) {
            case Request r -> {
                if (r.value() == null) {
                    ctx.send(from, new Reply(r.requestId(), store.get(r.key())));
                    return;
                }
                vc[ctx.self()]++;
                store.put(r.key(), r.value());
                Update u = new Update(ctx.self(), boxed(vc), r.key(), r.value());
                own.add(u);
                for (int s = 0; s < ctx.servers(); s++) {
                    if (s != ctx.self()) {
                        ctx.send(s, u);
                    }
                }
                ctx.send(from, new Reply(r.requestId(), r.value()));
            }
            case Update u -> {
                if (u.vc().get(u.origin()) > vc[u.origin()] && !pending.contains(u)) {
                    pending.add(u);
                }
                deliver();
                ctx.send(from, new Ack(vc[from]));
            }
            case Ack a -> acked[from] = Math.max(acked[from], a.seq());
            case Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    /** Applies every buffered write whose dependencies are met, until none is. */
    private void deliver() {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Iterator<Update> it = pending.iterator(); it.hasNext(); ) {
                Update u = it.next();
                if (u.vc().get(u.origin()) <= vc[u.origin()]) {
                    it.remove(); // a duplicate of something applied
                } else if (!checkDependencies || deliverable(u)) {
                    it.remove();
                    store.put(u.key(), u.value());
                    if (checkDependencies) {
                        vc[u.origin()]++;
                    } else {
                        vc[u.origin()] = Math.max(vc[u.origin()], u.vc().get(u.origin()));
                    }
                    progress = true;
                }
            }
        }
    }

    private boolean deliverable(Update u) {
        for (int k = 0; k < vc.length; k++) {
            long need = u.vc().get(k);
            if (k == u.origin() ? need != vc[k] + 1 : need > vc[k]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void timer(Context<CausalMessage> ctx, Object tag) {
        for (int s = 0; s < ctx.servers(); s++) {
            if (s == ctx.self()) {
                continue;
            }
            for (int i = (int) acked[s]; i < own.size(); i++) {
                ctx.send(s, own.get(i));
            }
        }
        ctx.setTimer(resendNs, tag);
    }

    /** The value this replica holds for {@code key} (null if none): what a read here returns. */
    public Long visibleValue(String key) {
        return store.get(key);
    }

    /** Own writes some peer has not acknowledged, plus buffered remote writes: 0 when quiet. */
    public int inFlight() {
        int n = pending.size();
        for (int s = 0; s < acked.length; s++) {
            if (s != self) {
                n += (int) Math.max(0, own.size() - acked[s]);
            }
        }
        return n;
    }

    private static List<Long> boxed(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long x : a) {
            l.add(x);
        }
        return l;
    }
}
