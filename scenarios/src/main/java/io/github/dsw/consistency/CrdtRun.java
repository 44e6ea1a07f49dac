package io.github.dsw.consistency;

import io.github.dsw.consistency.crdt.CrdtMessage;
import io.github.dsw.consistency.crdt.CrdtNode;
import io.github.dsw.consistency.crdt.OrSet;
import io.github.dsw.consistency.crdt.PNCounter;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The replicated CRDT store ({@link CrdtNode}) under a random nemesis: clients increment and decrement the
 * counter and add and remove small integers from the set at random servers; after the faults stop and a few
 * gossip rounds pass, every replica must hold the same state (convergence), the counter must equal the sum of
 * the acknowledged updates (plus any subset of the unacknowledged ones), and the set must contain every element
 * acknowledged as added that no one tried to remove, and nothing never added.
 */
public final class CrdtRun {

    /** Run settings. */
    public record Settings(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, long faultsUntilNs, long gossipNs,
                           Trace.Level traceLevel) {
        public Settings {
            if (nodes < 1 || nodes > 99 || clients < 1 || clients > 1000 || ops < 0 || gossipNs <= 0) {
                throw new IllegalArgumentException("need nodes in 1..99, clients in 1..1000, ops >= 0, gossip > 0");
            }
        }

        public static Settings defaults(long seed) {
            return new Settings(seed, 3, 3, 600, Set.of(), 1_000_000_000L, 20_000_000, Trace.Level.HASH);
        }

        public Settings withNemesis(Set<Nemesis.Kind> kinds) {
            return new Settings(seed, nodes, clients, ops, kinds, faultsUntilNs, gossipNs, traceLevel);
        }

        public Settings withSize(int n, int c, int o) {
            return new Settings(seed, n, c, o, nemesis, faultsUntilNs, gossipNs, traceLevel);
        }

        public Settings withTraceLevel(Trace.Level level) {
            return new Settings(seed, nodes, clients, ops, nemesis, faultsUntilNs, gossipNs, level);
        }
    }

    /**
     * What a run produced.
     *
     * @param converged       every replica holds the same counter and set at the end
     * @param counterOk       the counter is within what the acknowledged and unacknowledged updates allow
     * @param setOk           the set holds every surely-present element and no element never added
     * @param divergedAtHeal  the most replicas holding a state different from replica 0's at any 25 ms sample while faults ran
     */
    public record Outcome(boolean converged, boolean counterOk, boolean setOk, long counter, long acknowledgedSum, int unacknowledged,
                          TreeSet<Long> elements, int divergedAtHeal, long virtualNs, Trace trace) {

        public boolean ok() {
            return converged && counterOk && setOk;
        }

        public String summary() {
            return String.format(Locale.ROOT, "replicas apart while faults ran: up to %d differ from replica 0; at the end: %s%n"
                            + "counter %d (acknowledged updates sum to %d, %d unacknowledged): %s%n"
                            + "set %s: %s%nsimulated %.3f s, %d messages%nverdict: %s%n",
                    divergedAtHeal, converged ? "all equal (converged)" : "NOT CONVERGED", counter, acknowledgedSum, unacknowledged,
                    counterOk ? "ok" : "WRONG", elements, setOk ? "ok" : "WRONG", virtualNs / 1e9, trace.delivered(),
                    ok() ? "converged" : "NOT CONVERGED OR WRONG");
        }
    }

    private CrdtRun() {
    }

    /** Runs one simulation. */
    public static Outcome run(Settings s) {
        return run(s, null);
    }

    /** As {@link #run(Settings)}, streaming trace lines. */
    public static Outcome run(Settings s, Trace.Sink lines) {
        Simulator<CrdtMessage> sim = new Simulator<>(SimConfig.defaults(s.seed(), s.nodes()).withTrace(s.traceLevel(), false),
                id -> new CrdtNode(s.gossipNs()), lines);
        Oracle oracle = new Oracle();
        for (int c = 0; c < s.clients(); c++) {
            sim.addClient(new Client(oracle, s.ops() / s.clients() + (c < s.ops() % s.clients() ? 1 : 0)));
        }
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), 80_000_000, 200_000_000);
        int[] atHeal = {0};
        for (long t = 25_000_000; t <= s.faultsUntilNs(); t += 25_000_000) { // the most replicas apart while faults run
            sim.schedule(t, () -> atHeal[0] = Math.max(atHeal[0], differing(sim, s.nodes())));
        }
        sim.runUntil(DynamoRun.HORIZON_NS, () -> oracle.outstanding == 0 && sim.now() > s.faultsUntilNs() + 1);
        sim.runUntil(sim.now() + 10 * s.gossipNs() + 100_000_000L); // several gossip rounds after the last update
        CrdtNode first = (CrdtNode) sim.node(0);
        long counter = first.counter().value();
        long low = oracle.ackSum;
        long high = oracle.ackSum;
        for (long u : oracle.uncertain) {
            low += Math.min(0, u);
            high += Math.max(0, u);
        }
        TreeSet<Long> elements = first.set().elements();
        boolean setOk = true;
        for (long e : oracle.ackAdded) {
            if (!oracle.removeTried.contains(e) && !elements.contains(e)) {
                setOk = false;
            }
        }
        for (long e : elements) {
            if (!oracle.addTried.contains(e)) {
                setOk = false;
            }
        }
        return new Outcome(differing(sim, s.nodes()) == 0, counter >= low && counter <= high, setOk, counter, oracle.ackSum,
                oracle.uncertain.size(), elements, atHeal[0], sim.now(), sim.trace());
    }

    private static int differing(Simulator<CrdtMessage> sim, int nodes) {
        PNCounter c = null;
        OrSet set = null;
        int differ = 0;
        for (int i = 0; i < nodes; i++) {
            CrdtNode n = (CrdtNode) sim.node(i);
            if (n == null) {
                differ++;
                continue;
            }
            if (c == null) {
                c = n.counter();
                set = n.set();
            } else if (!c.equals(n.counter()) || !set.equals(n.set())) {
                differ++;
            }
        }
        return differ;
    }

    /** What the clients know, for the checks: independent of any replica's state. */
    static final class Oracle {
        long ackSum;
        final java.util.List<Long> uncertain = new java.util.ArrayList<>();
        final Set<Long> ackAdded = new HashSet<>();
        final Set<Long> addTried = new HashSet<>();
        final Set<Long> removeTried = new HashSet<>();
        int outstanding;
        long nextRequest;
    }

    private record Timeout(long requestId) {
    }

    private record Think() {
    }

    /** A closed-loop client: 40% counter updates of -3..+5, 40% adds and 20% removes of elements 0..19. */
    static final class Client implements Node<CrdtMessage> {
        private final Oracle oracle;
        private final int ops;
        private int issued;
        private long requestId = -1;
        private CrdtMessage.Request pending;

        Client(Oracle oracle, int ops) {
            this.oracle = oracle;
            this.ops = ops;
            oracle.outstanding += ops;
        }

        @Override
        public void start(Context<CrdtMessage> ctx) {
            next(ctx);
        }

        private void next(Context<CrdtMessage> ctx) {
            if (issued++ >= ops) {
                return;
            }
            double u = ctx.random().nextDouble();
            long arg;
            CrdtMessage.Kind kind;
            if (u < 0.4) {
                kind = CrdtMessage.Kind.COUNT;
                arg = ctx.random().nextInt(9) - 3;
            } else {
                kind = u < 0.8 ? CrdtMessage.Kind.ADD : CrdtMessage.Kind.REMOVE;
                arg = ctx.random().nextInt(20);
                (kind == CrdtMessage.Kind.ADD ? oracle.addTried : oracle.removeTried).add(arg);
            }
            requestId = ++oracle.nextRequest;
            pending = new CrdtMessage.Request(requestId, kind, arg);
            ctx.send(ctx.random().nextInt(ctx.servers()), pending);
            ctx.setTimer(200_000_000, new Timeout(requestId));
        }

        @Override
        public void receive(Context<CrdtMessage> ctx, int from, CrdtMessage message) {
            if (message instanceof CrdtMessage.Reply r && r.requestId() == requestId) {
                if (pending.kind() == CrdtMessage.Kind.COUNT) {
                    oracle.ackSum += pending.arg();
                } else if (pending.kind() == CrdtMessage.Kind.ADD) {
                    oracle.ackAdded.add(pending.arg());
                }
                done(ctx);
            }
        }

        private void done(Context<CrdtMessage> ctx) {
            requestId = -1;
            oracle.outstanding--;
            ctx.setTimer(Math.max(1, (long) ctx.random().nextExponential(5_000_000)), new Think());
        }

        @Override
        public void timer(Context<CrdtMessage> ctx, Object tag) {
            if (tag instanceof Think) {
                next(ctx);
            } else if (tag instanceof Timeout t && t.requestId() == requestId) {
                if (pending.kind() == CrdtMessage.Kind.COUNT) {
                    oracle.uncertain.add(pending.arg());
                }
                done(ctx);
            }
        }
    }
}
