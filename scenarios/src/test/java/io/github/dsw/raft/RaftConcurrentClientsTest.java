package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Concurrent client requests. On the Raft level, the MIT 6.5840 lab's TestConcurrentStarts3B: many
 * proposals handed to the leader at the same instant, in one term, must get distinct, consecutive log
 * indexes and all commit (if the term changed meanwhile, the lab retries: up to 5 attempts). On the
 * key-value level, many clients issuing at once (closed loop without think time, and open loop with
 * several requests per client in flight) must all be served, linearizably, with the session table
 * holding at most one response per outstanding request. Expectations: the lab's assertions and the
 * linearizability checker; the Figure 3 invariants run after every event.
 */
class RaftConcurrentClientsTest {

    /**
     * One attempt of the lab's test: proposes {@code count} commands at the leader in one instant;
     * returns false (retry) if leadership or the term changed before all committed.
     */
    private static boolean concurrentStarts(RaftCluster c, int count, List<Long> indexesOut) {
        int leader = c.checkOneLeader();
        RaftHost<AppliedLog, RaftMessage> s = c.server(leader);
        long term = s.raft().currentTerm();
        long before = s.raft().lastIndex();
        List<Object> commands = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Object cmd = c.freshCommand();
            long index = RaftCluster.indexOf(s.propose(cmd)); // all before the next simulator event: truly concurrent
            if (index < 0) {
                return false;
            }
            commands.add(cmd);
            indexes.add(index);
        }
        // distinct and consecutive, right after the leader's log at the instant of the first Start
        for (int i = 0; i < count; i++) {
            assertEquals(before + 1 + i, (long) indexes.get(i), "index of proposal " + i + " (seed " + c.seed + ")");
        }
        long until = c.sim.now() + 2_000 * RaftCluster.MS;
        while (c.sim.now() < until) {
            c.run(20);
            boolean all = true;
            for (int i = 0; i < count && all; i++) {
                Object[] got = new Object[1];
                all = c.nCommitted(indexes.get(i), got) == c.n && Objects.equals(got[0], commands.get(i));
            }
            if (all) {
                indexesOut.addAll(indexes);
                return true;
            }
            if (c.server(leader) == null || c.server(leader).raft().currentTerm() != term) {
                return false; // the term moved on: the lab starts over
            }
        }
        return false;
    }

    @Test
    void concurrentStartsInOneTermGetDistinctIndexesAndAllCommit() {
        for (long seed = 1; seed <= 20; seed++) {
            RaftCluster c = new RaftCluster(seed, 3);
            List<Long> indexes = new ArrayList<>();
            boolean ok = false;
            for (int attempt = 0; attempt < 5 && !ok; attempt++) {
                ok = concurrentStarts(c, 5, indexes);
            }
            assertTrue(ok, "5 concurrent starts did not all commit within 5 attempts (seed " + seed + ")");
            assertEquals(5, new HashSet<>(indexes).size());
        }
    }

    @Test
    void aBurstOfConcurrentStartsOnAnUnreliableNetworkAllCommit() {
        // beyond the lab: 200 proposals at once, 5 servers, lossy, duplicating, reordering links;
        // flow control (the in-flight window) and batching must deliver them all
        for (long seed = 1; seed <= 10; seed++) {
            RaftCluster c = new RaftCluster(seed, 5);
            c.checkOneLeader();
            c.links(RaftCluster.unreliable());
            List<Long> indexes = new ArrayList<>();
            boolean ok = false;
            for (int attempt = 0; attempt < 5 && !ok; attempt++) {
                indexes.clear();
                ok = concurrentStarts(c, 200, indexes);
            }
            assertTrue(ok, "200 concurrent starts did not all commit within 5 attempts (seed " + seed + ")");
            assertEquals(200, new HashSet<>(indexes).size());
        }
    }

    /** What a key-value run with many clients left behind. */
    private record KvRun(History history, LinearizabilityChecker.Result verdict, boolean done, List<RaftHost<KvStore, KvMessage>> servers, long terms) {
    }

    private static KvRun kv(long seed, int n, int clients, Workload.Spec spec, int ops, Set<Nemesis.Kind> nemesis, boolean unreliableClients) {
        SimConfig cfg = SimConfig.defaults(seed, n).withTrace(Trace.Level.HASH, false);
        if (unreliableClients) {
            cfg = cfg.withClientLink(RaftKvRun.UNRELIABLE_CLIENT_LINK);
        }
        Simulator<KvMessage> sim = new Simulator<>(cfg,
                id -> KvService.server(RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2).build(), 10_000_000, KvService.ReadMode.LOG));
        RaftInvariants invariants = RaftKvRun.watch(sim, n);
        Workload<KvMessage> w = new Workload<>(spec, new RaftKvRun.Client(), ops).withRetries(RaftKvRun.ATTEMPT_NS, RaftKvRun.BACKOFF_NS);
        w.attach(sim, clients);
        Nemesis.random(sim, nemesis, 0, 2_000_000_000L, 80_000_000, 200_000_000);
        sim.runUntil(RaftKvRun.HORIZON_NS, w::done);
        List<RaftHost<KvStore, KvMessage>> servers = new ArrayList<>();
        long terms = 0;
        for (int i = 0; i < n; i++) {
            RaftHost<KvStore, KvMessage> s = (RaftHost<KvStore, KvMessage>) sim.node(i);
            servers.add(s);
            terms = Math.max(terms, s == null || s.raft() == null ? 0 : s.raft().currentTerm());
        }
        return new KvRun(w.history(), new LinearizabilityChecker().checkKv(w.history()), w.done(), servers, terms);
    }

    @Test
    void manyClientsAtOnceAreAllServedAndSessionsStayBounded() {
        // 50 clients, no think time: every client has a request in flight at every moment (25 keys, so
        // that about two operations overlap per key and the checker's search stays small)
        Workload.Spec spec = RaftKvRun.SPEC.withKeys(25, 0);
        spec = new Workload.Spec(spec.readFraction(), spec.writeFraction(), spec.keys(), 0, spec.valueRange(), spec.timeoutNs(), 0, 0);
        for (long seed = 1; seed <= 5; seed++) {
            int clients = 50;
            KvRun r = kv(seed, seed % 2 == 0 ? 3 : 5, clients, spec, 2000, Set.of(), false);
            String at = "seed " + seed;
            assertTrue(r.done(), at);
            assertTrue(r.verdict().linearizable(), at + ": " + r.verdict().describe());
            var counts = r.history().counts();
            assertEquals(2000, counts.get(HistoryEvent.Type.OK) + counts.get(HistoryEvent.Type.FAIL), at);
            assertEquals(0, counts.get(HistoryEvent.Type.INFO), at + ": with no fault nothing is indeterminate");
            // a definite failure is only a cas whose expected value did not match
            assertEquals(0, r.history().events().stream()
                    .filter(e -> e.type() == HistoryEvent.Type.FAIL && e.f() != HistoryEvent.Fn.CAS).count(), at);
            for (RaftHost<KvStore, KvMessage> s : r.servers()) {
                assertTrue(s.stateMachine().sessionResponses() <= clients, at + ": " + s.stateMachine().sessionResponses() + " responses kept for " + clients + " clients");
            }
        }
    }

    @Test
    void openLoopClientsWithSeveralRequestsInFlightUnderFaults() {
        // each client endpoint has several requests outstanding when service slows down (open loop), so its
        // floor trails behind its newest request; unreliable client links and every nemesis
        Workload.Spec spec = RaftKvRun.SPEC.withOpenLoop(50).withKeys(10, 0);
        for (long seed = 1; seed <= 30; seed++) {
            KvRun r = kv(seed, seed % 2 == 0 ? 3 : 5, 5, spec, 300, EnumSet.allOf(Nemesis.Kind.class), true);
            String at = "seed " + seed + " (open loop, 5 clients at 50/s each, 300 ops, every nemesis, unreliable client links)";
            assertTrue(r.done(), at);
            assertTrue(r.verdict().linearizable(), at + ": " + r.verdict().describe());
            long processes = r.history().events().stream().mapToInt(HistoryEvent::process).distinct().count();
            assertTrue(processes > 5, at + ": arrivals overlapped, " + processes + " processes");
        }
    }
}
