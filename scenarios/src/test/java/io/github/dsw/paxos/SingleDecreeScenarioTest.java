package io.github.dsw.paxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.paxos.PaxosMessage.Accept;
import io.github.dsw.paxos.PaxosMessage.Accepted;
import io.github.dsw.paxos.PaxosMessage.Decided;
import io.github.dsw.paxos.PaxosMessage.Nack;
import io.github.dsw.paxos.PaxosMessage.Prepare;
import io.github.dsw.paxos.PaxosMessage.Promise;
import io.github.dsw.paxos.PaxosMessage.Propose;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.Partition;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scripted scenarios with exact expected outcomes. The expectations come from the rules of "Paxos Made
 * Simple" (sections 2.2-2.3), not from running the code: P2c (propose the value of the highest-numbered
 * accepted proposal among the promises), P1a (never accept below a promise), and stable storage of the
 * acceptor's promise across a restart (section 2.4).
 */
class SingleDecreeScenarioTest {

    private static final Ballot B1 = new Ballot(1, 0);
    private static final Ballot B2 = new Ballot(2, 1);

    @Test
    void ballotsOrderByRoundThenProposer() {
        assertTrue(new Ballot(2, 0).above(new Ballot(1, 5)));
        assertTrue(new Ballot(1, 1).above(new Ballot(1, 0)));
        assertTrue(new Ballot(1, 0).above(Ballot.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Ballot(-1, 0));
    }

    @Test
    void quorumsMustIntersect() {
        assertEquals(new Quorums(5, 3, 3), Quorums.majority(5));
        assertEquals(new Quorums(4, 3, 3), Quorums.majority(4));
        assertEquals(new Quorums(5, 4, 2), Quorums.flexible(5, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> Quorums.flexible(5, 3, 2)); // 3 + 2 = 5 does not exceed 5
        assertThrows(IllegalArgumentException.class, () -> Quorums.flexible(3, 4, 1));
        assertTrue(Quorums.flexible(5, 4, 2).isPhase2Quorum(2));
        assertTrue(!Quorums.flexible(5, 4, 2).isPhase1Quorum(3));
    }

    @Test
    void proposerMustProposeTheHighestAcceptedValueAmongThePromises() {
        List<Promise> promises = List.of(new Promise(B2, Ballot.ZERO, null), new Promise(B2, new Ballot(1, 2), 7L),
                new Promise(B2, B1, 5L));
        assertEquals(7L, Proposer.valueToPropose(promises, 42L)); // 1.2 is above 1.0
        assertEquals(42L, Proposer.valueToPropose(List.of(new Promise(B2, Ballot.ZERO, null)), 42L));
    }

    @Test
    void proposerSendsAcceptWithTheAlreadyAcceptedValueNotItsOwn() {
        ScriptContext<PaxosMessage> ctx = new ScriptContext<>(1, 3);
        Proposer p = new Proposer(Quorums.majority(3));
        p.propose(ctx, 42);
        assertTrue(ctx.fsyncRequested, "the round is persisted before the prepare leaves");
        assertEquals(1L, ctx.read(Proposer.ROUND_KEY));
        Ballot b = p.ballot();
        assertEquals(new Ballot(1, 1), b);
        assertEquals(3, ctx.drain().stream().filter(s -> s.message() instanceof Prepare).count());
        p.onPromise(ctx, 1, new Promise(b, Ballot.ZERO, null));
        assertTrue(ctx.drain().isEmpty(), "one promise of three is not a quorum");
        p.onPromise(ctx, 1, new Promise(b, Ballot.ZERO, null));
        assertTrue(ctx.drain().isEmpty(), "a duplicated promise counts once");
        p.onPromise(ctx, 2, new Promise(b, B1, 7L));
        List<ScriptContext.Sent<PaxosMessage>> out = ctx.drain();
        assertEquals(3, out.size());
        for (var s : out) {
            assertEquals(new Accept(b, 7), s.message());
        }
    }

    @Test
    void aRefusalMakesTheNextBallotJumpAboveThePromisedOne() {
        ScriptContext<PaxosMessage> ctx = new ScriptContext<>(0, 3);
        Proposer p = new Proposer(Quorums.majority(3));
        p.propose(ctx, 1);
        p.onNack(ctx, new Nack(p.ballot(), new Ballot(9, 2)));
        p.onRetry(ctx, new Proposer.Retry(p.ballot()));
        assertEquals(new Ballot(10, 0), p.ballot());
    }

    @Test
    void restartedProposerNeverReusesARound() {
        ScriptContext<PaxosMessage> ctx = new ScriptContext<>(0, 3);
        new Proposer(Quorums.majority(3)).propose(ctx, 1);
        ctx.completeFsync();
        ScriptContext<PaxosMessage> after = ctx.crashAndRestart();
        Proposer p = new Proposer(Quorums.majority(3));
        p.propose(after, 2);
        assertEquals(new Ballot(2, 0), p.ballot());
    }

    @Test
    void acceptorPersistsItsPromiseAndRefusesLowerBallotsAfterACrash() {
        ScriptContext<PaxosMessage> ctx = new ScriptContext<>(2, 3);
        new Acceptor().onPrepare(ctx, 1, new Prepare(B2));
        assertTrue(ctx.fsyncRequested, "a promise must be synced before it is sent");
        assertEquals(new Promise(B2, Ballot.ZERO, null), ctx.drain().get(0).message());
        ctx.completeFsync();
        // crash between promise and accept: a new incarnation sees only the durable promise
        ScriptContext<PaxosMessage> after = ctx.crashAndRestart();
        Acceptor restarted = new Acceptor();
        restarted.onAccept(after, 0, new Accept(B1, 5));
        assertEquals(List.of(new ScriptContext.Sent<PaxosMessage>(0, new Nack(B1, B2))), after.drain());
        assertNull(Acceptor.state(after).acceptedValue());
        restarted.onPrepare(after, 0, new Prepare(B1));
        assertEquals(new Nack(B1, B2), after.drain().get(0).message());
        // the promised ballot itself may still be accepted (P1a), and every learner hears of it
        restarted.onAccept(after, 1, new Accept(B2, 9));
        assertTrue(after.fsyncRequested);
        List<ScriptContext.Sent<PaxosMessage>> out = after.drain();
        assertEquals(3, out.size());
        assertEquals(new Accepted(B2, 9), out.get(0).message());
        assertEquals(new Acceptor.State(B2, B2, 9L), Acceptor.state(after));
    }

    @Test
    void acceptorWhoseFsyncDidNotCompleteForgetsThePromise() {
        ScriptContext<PaxosMessage> ctx = new ScriptContext<>(2, 3);
        new Acceptor().onPrepare(ctx, 1, new Prepare(B2));
        // crash before the fsync completes: the simulator would also drop the promise message with it
        ScriptContext<PaxosMessage> after = ctx.crashAndRestart();
        assertEquals(Acceptor.State.INITIAL, Acceptor.state(after));
    }

    @Test
    void learnerNeedsAQuorumOfTheSameBallot() {
        Learner l = new Learner(Quorums.majority(3));
        assertTrue(!l.onAccepted(0, new Accepted(B1, 5)));
        assertTrue(!l.onAccepted(0, new Accepted(B1, 5)), "a duplicate counts once");
        assertTrue(!l.onAccepted(1, new Accepted(B2, 5)), "two ballots are two different proposals");
        assertTrue(l.onAccepted(2, new Accepted(B2, 5)));
        assertEquals(5L, l.chosen());
    }

    // ------------------------------------------------------------------ in the simulator

    /** A client that sends one Propose to one server at a given time and records the decision. */
    private static final class OneShot implements Node<PaxosMessage> {
        final int server;
        final long value;
        final long atNs;
        final List<Long> decisions = new ArrayList<>();

        OneShot(int server, long value, long atNs) {
            this.server = server;
            this.value = value;
            this.atNs = atNs;
        }

        @Override
        public void start(Context<PaxosMessage> ctx) {
            ctx.setTimer(atNs, "go");
        }

        @Override
        public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage message) {
            if (message instanceof Decided d) {
                decisions.add(d.value());
            }
        }

        @Override
        public void timer(Context<PaxosMessage> ctx, Object tag) {
            ctx.send(server, new Propose(value));
        }
    }

    @Test
    void aLaterProposerAdoptsTheValueChosenWhileItWasCutOff() {
        Quorums q = Quorums.majority(3);
        Simulator<PaxosMessage> sim = new Simulator<>(SimConfig.defaults(11, 3), id -> new PaxosNode(q));
        ChosenMonitor monitor = ChosenMonitor.install(sim, q);
        OneShot a = new OneShot(0, 7, 0);
        OneShot b = new OneShot(2, 42, 60_000_000);
        sim.addClient(a);
        sim.addClient(b);
        sim.setPartition(Partition.isolate(3, 2)); // servers 0 and 1 are a majority without 2
        sim.schedule(50_000_000, () -> {
            sim.crash(0); // the first proposer is gone; server 2 knows nothing of value 7
            sim.setPartition(Partition.none(3));
        });
        sim.runUntil(40_000_000);
        assertEquals(7L, monitor.chosen());
        assertEquals(B1, monitor.chosenAt());
        assertEquals(List.of(7L), a.decisions);
        assertNull(((PaxosNode) sim.node(2)).chosen());
        sim.runUntil(1_000_000_000);
        assertEquals(List.of(7L), b.decisions, "server 2 must propose the accepted 7, not its client's 42");
        assertEquals(new Ballot(1, 2), ((PaxosNode) sim.node(2)).proposer().ballot(), "its first ballot sufficed");
        assertEquals(7L, ((PaxosNode) sim.node(1)).chosen());
        assertEquals(7L, ((PaxosNode) sim.node(2)).chosen());
    }

    @Test
    void competingProposersAgreeOnOneOfTheirValues() {
        for (long seed = 1; seed <= 50; seed++) {
            Quorums q = Quorums.majority(3);
            Simulator<PaxosMessage> sim = new Simulator<>(SimConfig.defaults(seed, 3), id -> new PaxosNode(q));
            ChosenMonitor monitor = ChosenMonitor.install(sim, q);
            OneShot a = new OneShot(0, 1, 0);
            OneShot b = new OneShot(1, 2, 0);
            OneShot c = new OneShot(2, 3, 0);
            sim.addClient(a);
            sim.addClient(b);
            sim.addClient(c);
            sim.runUntil(2_000_000_000L);
            Long v = monitor.chosen();
            assertTrue(v != null && Set.of(1L, 2L, 3L).contains(v), "seed=" + seed + " chosen " + v);
            assertEquals(List.of(v), a.decisions, "seed=" + seed);
            assertEquals(List.of(v), b.decisions, "seed=" + seed);
            assertEquals(List.of(v), c.decisions, "seed=" + seed);
        }
    }
}
