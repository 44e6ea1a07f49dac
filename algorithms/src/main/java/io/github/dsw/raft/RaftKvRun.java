package io.github.dsw.raft;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.ClientProtocol;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One simulated run of the Raft key-value store under a workload and a random nemesis, with the
 * Figure 3 invariants checked after every event and the history judged by the
 * {@link LinearizabilityChecker} (key-value model). The shape of {@code sim.register.RegisterRun}.
 */
public final class RaftKvRun {

    /** Time limit of a run in virtual time. */
    static final long HORIZON_NS = 60_000_000_000L;

    /**
     * @param seed    simulation seed
     * @param nodes   servers
     * @param clients client processes
     * @param ops     operations in total
     * @param nemesis fault kinds (empty: none)
     * @param readMode how reads are served
     */
    public record Settings(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, RaftKvServer.ReadMode readMode) {
        public Settings {
            if (nodes < 1 || clients < 1 || ops < 0 || nemesis == null || readMode == null) {
                throw new IllegalArgumentException("need nodes >= 1, clients >= 1, ops >= 0, nemesis given; got " + nodes + ", " + clients + ", " + ops);
            }
        }
    }

    /** What a run produced. */
    public record Outcome(History history, LinearizabilityChecker.Result verdict, boolean completed, long virtualNs,
                          long committed, long traceHash) {
    }

    private RaftKvRun() {
    }

    /** Runs the simulation and checks its history; an invariant violation throws IllegalStateException. */
    public static Outcome run(Settings s) {
        SimConfig config = SimConfig.defaults(s.seed(), s.nodes()).withTrace(Trace.Level.HASH, false);
        Simulator<KvMessage> sim = new Simulator<>(config,
                id -> new RaftKvServer(RaftNode.Config.defaults(id, s.nodes()).withTicks(10, 2), 10_000_000, s.readMode()));
        RaftInvariants invariants = new RaftInvariants();
        sim.afterEachEvent(() -> {
            List<RaftNode> nodes = new ArrayList<>(s.nodes());
            for (int i = 0; i < s.nodes(); i++) {
                RaftKvServer srv = (RaftKvServer) sim.node(i);
                nodes.add(srv == null ? null : srv.raft());
            }
            invariants.check(nodes);
        });
        sim.onOutput((node, event) -> {
            if (event instanceof RaftServer.Applied a) {
                invariants.applied(node, a.index(), a.entry());
            }
        });
        // several keys, a read-heavy mix, 500 ms client timeout: elections take 100-300 ms
        Workload.Spec spec = new Workload.Spec(0.5, 0.3, 3, 0, 5, 500_000_000, 10_000_000, 0);
        Workload<KvMessage> workload = new Workload<>(spec, new Client(), s.ops());
        workload.attach(sim, s.clients());
        Nemesis.random(sim, s.nemesis(), 0, 3_000_000_000L, 80_000_000, 200_000_000);
        sim.runUntil(HORIZON_NS, workload::done);
        History h = workload.history();
        return new Outcome(h, new LinearizabilityChecker().checkKv(h), workload.done(), sim.now(), invariants.committedCount(),
                sim.trace().hash());
    }

    /** Client side: follows redirects to the leader. */
    static final class Client implements ClientProtocol<KvMessage> {
        @Override
        public KvMessage request(long requestId, Fn f, String key, Object value) {
            return new KvMessage.Request(requestId, f, key, value);
        }

        @Override
        public Reply reply(KvMessage message) {
            return message instanceof KvMessage.Reply r
                    ? new Reply(r.requestId(), r.ok() ? Status.OK : Status.FAIL, r.value(), r.redirect()) : null;
        }
    }
}
