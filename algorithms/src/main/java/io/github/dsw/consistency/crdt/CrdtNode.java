package io.github.dsw.consistency.crdt;

import io.github.dsw.consistency.crdt.CrdtMessage.Gossip;
import io.github.dsw.consistency.crdt.CrdtMessage.Reply;
import io.github.dsw.consistency.crdt.CrdtMessage.Request;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;

/**
 * One replica of a store holding a {@link PNCounter} and an {@link OrSet}: it serves every client request
 * locally at once (always available, even alone in a partition), and every {@code gossipNs} sends its whole
 * state to every other server, which merges it. Since merge is a least upper bound, replicas that have
 * exchanged states since the last update hold the same state, whatever was lost, duplicated or reordered.
 * State is fsynced before the reply.
 */
public final class CrdtNode implements Node<CrdtMessage> {

    private record Tick() {
    }

    private final long gossipNs;
    private PNCounter counter = PNCounter.ZERO;
    private OrSet set = OrSet.EMPTY;

    public CrdtNode(long gossipNs) {
        if (gossipNs <= 0) {
            throw new IllegalArgumentException("gossipNs must be > 0, got " + gossipNs);
        }
        this.gossipNs = gossipNs;
    }

    /** This replica's counter (for checks). */
    public PNCounter counter() {
        return counter;
    }

    /** This replica's set (for checks). */
    public OrSet set() {
        return set;
    }

    @Override
    public void start(Context<CrdtMessage> ctx) {
        if (ctx.read("counter") != null) {
            counter = (PNCounter) ctx.read("counter");
            set = (OrSet) ctx.read("set");
        }
        ctx.setTimer(gossipNs, new Tick());
    }

    @Override
    public void receive(Context<CrdtMessage> ctx, int from, CrdtMessage message) {
        switch (message) {
            case Request r -> {
                switch (r.kind()) {
                    case COUNT -> counter = counter.add(ctx.self(), r.arg());
                    case ADD -> {
                        Object seq = ctx.read("seq");
                        long next = seq == null ? 1 : (Long) seq + 1;
                        ctx.write("seq", next);
                        set = set.add(r.arg(), new OrSet.Tag(ctx.self(), next));
                    }
                    case REMOVE -> set = set.remove(r.arg());
                    case READ -> {
                    }
                }
                persist(ctx);
                ctx.send(from, new Reply(r.requestId(), counter.value(), new ArrayList<>(set.elements())));
            }
            case Gossip g -> {
                PNCounter c = counter.merge(g.counter());
                OrSet s = set.merge(g.set());
                if (!c.equals(counter) || !s.equals(set)) {
                    counter = c;
                    set = s;
                    persist(ctx);
                }
            }
            case Reply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    private void persist(Context<CrdtMessage> ctx) {
        ctx.write("counter", counter);
        ctx.write("set", set);
        ctx.fsync();
    }

    @Override
    public void timer(Context<CrdtMessage> ctx, Object tag) {
        for (int s = 0; s < ctx.servers(); s++) {
            if (s != ctx.self()) {
                ctx.send(s, new Gossip(counter, set));
            }
        }
        ctx.setTimer(gossipNs, tag);
    }
}
