package io.github.dsw.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.paxos.MultiPaxosMessage.Accept;
import io.github.dsw.paxos.MultiPaxosMessage.Accepted;
import io.github.dsw.paxos.MultiPaxosMessage.ClientReply;
import io.github.dsw.paxos.MultiPaxosMessage.ClientRequest;
import io.github.dsw.paxos.MultiPaxosMessage.Commit;
import io.github.dsw.paxos.MultiPaxosMessage.Heartbeat;
import io.github.dsw.paxos.MultiPaxosMessage.PValue;
import io.github.dsw.paxos.MultiPaxosMessage.Prepare;
import io.github.dsw.paxos.MultiPaxosMessage.Promise;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Workload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scripted Multi-Paxos scenarios with exact expected outcomes, from the rules of "Paxos Made Simple",
 * section 3: a new leader runs phase 1 once for all slots from its first unchosen one, re-proposes in
 * each slot the highest-ballot value reported, fills gaps with no-ops, and then needs phase 2 only.
 */
class MultiPaxosScenarioTest {

    private static final Command A = new Command(1, Fn.WRITE, "k0", 1L);
    private static final Command C = new Command(3, Fn.WRITE, "k0", 3L);
    private static final Command D = new Command(4, Fn.WRITE, "k0", 4L);

    private static List<Accept> accepts(ScriptContext<MultiPaxosMessage> ctx) {
        return ctx.drain().stream().map(ScriptContext.Sent::message).filter(m -> m instanceof Accept).map(m -> (Accept) m).distinct().toList();
    }

    @Test
    void newLeaderRecoversInFlightSlotsFillsGapsAndThenSkipsPhase1() {
        ScriptContext<MultiPaxosMessage> ctx = new ScriptContext<>(1, 3);
        MultiPaxosNode node = new MultiPaxosNode(Quorums.majority(3), 4, 2);
        node.start(ctx);
        node.receive(ctx, 0, new Heartbeat(new Ballot(3, 0), 0)); // the old leader, ballot 3.0
        ctx.drain();
        ctx.now = 1_000_000_000L; // silence for longer than any election timeout
        node.timer(ctx, tagOfTick());
        assertTrue(ctx.fsyncRequested, "the candidate's round is persisted before its prepare leaves");
        Ballot b = new Ballot(4, 1);
        List<ScriptContext.Sent<MultiPaxosMessage>> prepares = ctx.drain();
        assertEquals(3, prepares.size());
        assertEquals(new Prepare(b, 0), prepares.get(0).message());
        node.receive(ctx, 1, new Promise(b, Map.of(2L, new PValue(new Ballot(3, 0), List.of(C)))));
        assertTrue(accepts(ctx).isEmpty(), "one promise is not a quorum of 3");
        node.receive(ctx, 2, new Promise(b, Map.of(0L, new PValue(new Ballot(2, 0), List.of(A)), 2L, new PValue(new Ballot(2, 2), List.of(D)))));
        assertTrue(node.isLeader());
        List<Accept> recovered = accepts(ctx);
        assertEquals(List.of(new Accept(b, 0, List.of(A)), new Accept(b, 1, List.of()), new Accept(b, 2, List.of(C))), recovered,
                "slot 0 keeps A, the gap in slot 1 gets a no-op, slot 2 takes C from the higher ballot 3.0 over D from 2.2");

        // normal case: phase 2 only, at most window = 4 slots outstanding (3 are in flight already),
        // and up to batch = 2 commands per slot
        for (long id = 10; id < 13; id++) {
            node.receive(ctx, 3, new ClientRequest(id, Fn.WRITE, "k1", id));
        }
        List<ScriptContext.Sent<MultiPaxosMessage>> out = ctx.drain();
        assertTrue(out.stream().noneMatch(s -> s.message() instanceof Prepare), "no phase 1 for new slots");
        assertEquals(List.of(new Accept(b, 3, List.of(new Command(10, Fn.WRITE, "k1", 10L)))),
                out.stream().map(ScriptContext.Sent::message).filter(m -> m instanceof Accept).distinct().toList());
        node.receive(ctx, 1, new Accepted(b, 0));
        node.receive(ctx, 2, new Accepted(b, 0));
        out = ctx.drain();
        assertTrue(out.contains(new ScriptContext.Sent<MultiPaxosMessage>(0, new Commit(0, List.of(A)))));
        assertTrue(out.contains(new ScriptContext.Sent<MultiPaxosMessage>(2, new Accept(b, 4,
                        List.of(new Command(11, Fn.WRITE, "k1", 11L), new Command(12, Fn.WRITE, "k1", 12L))))),
                "slot 0 chosen frees one place in the window, and the two queued commands share slot 4");
        assertEquals(1, node.applied());
        assertEquals(1L, node.stateMachine().get("k0"));
    }

    @Test
    void clientIsAnsweredOnceItsCommandIsAppliedInOrder() {
        ScriptContext<MultiPaxosMessage> ctx = new ScriptContext<>(2, 3);
        MultiPaxosNode node = new MultiPaxosNode(Quorums.majority(3), 4, 1);
        node.start(ctx);
        node.receive(ctx, 0, new Heartbeat(new Ballot(1, 0), 0));
        ctx.drain();
        node.receive(ctx, 5, new ClientRequest(7, Fn.READ, "k0", null));
        assertEquals(List.of(new ScriptContext.Sent<MultiPaxosMessage>(0, new MultiPaxosMessage.Forward(new Command(7, Fn.READ, "k0", null)))),
                ctx.drain(), "forwarded to the leader it follows");
        node.receive(ctx, 0, new Commit(1, List.of(new Command(7, Fn.READ, "k0", null))));
        assertTrue(ctx.drain().isEmpty(), "slot 0 is not known yet: nothing is applied out of order");
        node.receive(ctx, 0, new Commit(0, List.of(A)));
        assertEquals(List.of(new ScriptContext.Sent<MultiPaxosMessage>(5, new ClientReply(7, true, 1L))), ctx.drain());
    }

    @Test
    void learnerThatMissedCommitsCatchesUpFromHeartbeats() {
        ScriptContext<MultiPaxosMessage> ctx = new ScriptContext<>(2, 3);
        MultiPaxosNode node = new MultiPaxosNode(Quorums.majority(3), 4, 1);
        node.start(ctx);
        node.receive(ctx, 0, new Heartbeat(new Ballot(1, 0), 2));
        assertEquals(List.of(new ScriptContext.Sent<MultiPaxosMessage>(0, new MultiPaxosMessage.CatchUpRequest(0))), ctx.drain());
        node.receive(ctx, 0, new MultiPaxosMessage.CatchUp(Map.of(0L, List.of(A), 1L, List.of(C, D))));
        assertEquals(2, node.applied());
        assertEquals(4L, node.stateMachine().get("k0"), "a batch is applied in its order: C then D");
    }

    @Test
    void stateMachineSuppressesDuplicateRequests() {
        KvStateMachine kv = new KvStateMachine();
        Command cas = new Command(9, Fn.CAS, "k", new Cas(0, 5));
        assertEquals(new KvStateMachine.Result(false, null), kv.apply(cas), "cas on a missing key fails");
        assertEquals(new KvStateMachine.Result(true, null), kv.apply(new Command(10, Fn.WRITE, "k", 0L)));
        assertEquals(new KvStateMachine.Result(false, null), kv.apply(cas), "a duplicate returns the first result, it is not re-run");
        Command write = new Command(11, Fn.WRITE, "k", 2L);
        kv.apply(write);
        kv.apply(new Command(12, Fn.WRITE, "k", 3L));
        kv.apply(write); // a late duplicate must not overwrite the newer value
        assertEquals(3L, kv.get("k"));
        assertEquals(new KvStateMachine.Result(true, 3L), kv.apply(new Command(13, Fn.READ, "k", null)));
        assertEquals(2, kv.duplicates());
        assertEquals(5, kv.applied());
    }

    @Test
    void crashedFollowerCatchesUpAndAllReplicasConverge() {
        for (long seed = 1; seed <= 20; seed++) {
            Quorums q = Quorums.majority(3);
            Simulator<MultiPaxosMessage> sim = new Simulator<>(SimConfig.defaults(seed, 3), id -> new MultiPaxosNode(q, 4, 2));
            LogMonitor.install(sim, q);
            Workload<MultiPaxosMessage> w = new Workload<>(PaxosKvRun.SPEC, new PaxosKvRun.Client(), 200);
            w.attach(sim, 3);
            Nemesis.scripted(sim, List.of(new Nemesis.Step(200_000_000, new io.github.dsw.sim.Fault.Crash((int) (seed % 3))),
                    new Nemesis.Step(500_000_000, new io.github.dsw.sim.Fault.Restart((int) (seed % 3)))));
            sim.runUntil(60_000_000_000L, w::done);
            assertTrue(w.done(), "seed=" + seed);
            sim.runUntil(sim.now() + 200_000_000); // heartbeats carry the commit index; laggards catch up
            MultiPaxosNode n0 = (MultiPaxosNode) sim.node(0);
            for (int i = 1; i < 3; i++) {
                MultiPaxosNode n = (MultiPaxosNode) sim.node(i);
                assertEquals(n0.applied(), n.applied(), "seed=" + seed + " node " + i);
                for (int k = 0; k < PaxosKvRun.SPEC.keys(); k++) {
                    assertEquals(n0.stateMachine().get("k" + k), n.stateMachine().get("k" + k), "seed=" + seed + " node " + i);
                }
            }
            assertTrue(new io.github.dsw.check.LinearizabilityChecker().checkKv(w.history()).linearizable(), "seed=" + seed);
        }
    }

    private static Object tagOfTick() {
        return MultiPaxosNode.tick();
    }
}
