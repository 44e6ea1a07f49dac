import io.github.dsw.labs.PaxosLab;
import io.github.dsw.paxos.Acceptor;
import io.github.dsw.paxos.Ballot;
import io.github.dsw.paxos.Learner;
import io.github.dsw.paxos.PaxosMessage;
import io.github.dsw.paxos.PaxosMessage.Accept;
import io.github.dsw.paxos.PaxosMessage.Accepted;
import io.github.dsw.paxos.PaxosMessage.Chosen;
import io.github.dsw.paxos.PaxosMessage.Decided;
import io.github.dsw.paxos.PaxosMessage.Nack;
import io.github.dsw.paxos.PaxosMessage.Prepare;
import io.github.dsw.paxos.PaxosMessage.Promise;
import io.github.dsw.paxos.PaxosMessage.Propose;
import io.github.dsw.paxos.PaxosNode;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.runtime.Context;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Lab paxos (course chapter 6): single-decree Paxos (Lamport, "Paxos Made Simple", 2001, section 2). This server
 * hosts the three roles. The learner and the clients' side are written below; you write the ACCEPTOR and the
 * PROPOSER (the methods that throw).
 *
 * <p>Acceptor (phases 1b and 2b). Its whole state is an {@link Acceptor.State} (promised ballot, accepted ballot,
 * accepted value) kept under {@link Acceptor#KEY} with {@code ctx.write}; the grader's monitor reads it there.
 * Write it and call {@code ctx.fsync()} BEFORE the answer leaves (the simulator releases a step's messages only after
 * its fsync): an acceptor that forgets a promise in a crash can let two values be chosen. Refuse with a
 * {@link Nack} (carrying your promised ballot) a prepare not above your promise, or an accept below it; an accepted
 * proposal goes to every learner as {@link Accepted} (to every server, yourself included).
 *
 * <p>Proposer (phases 1a and 2a). Pick a ballot above every one you used (keep your last round durable: a restarted
 * proposer must never reuse a ballot) and above any you saw in a Nack; send {@link Prepare} to every acceptor; on
 * promises from a majority, propose the value of the highest-ballot accepted proposal among them, or your own value
 * if none (P2c); send {@link Accept} to every acceptor. If nothing is learned before a RANDOM timeout
 * ({@code ctx.setTimer(delay, tag)}, delay from {@code ctx.random()}, growing with attempts), start over: proposers
 * that retry at once duel forever.
 *
 * <p>Grade: {@code ./dsw grade paxos}.
 */
public final class StudentPaxos implements PaxosLab {

    private Quorums quorums;
    private Learner learner;
    private final Set<Integer> waitingClients = new LinkedHashSet<>();

    @Override
    public void start(Context<PaxosMessage> ctx) {
        quorums = Quorums.majority(ctx.servers());
        learner = new Learner(quorums);
    }

    @Override
    public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage message) {
        if (learner == null) {
            return; // delivered in the instant of a restart, before start()
        }
        switch (message) {
            case Propose p -> {
                if (learner.chosen() != null) {
                    ctx.send(from, new Decided(learner.chosen()));
                } else {
                    waitingClients.add(from);
                    propose(ctx, p.value());
                }
            }
            case Prepare p -> onPrepare(ctx, from, p);
            case Promise p -> onPromise(ctx, from, p);
            case Nack n -> onNack(ctx, n);
            case Accept a -> onAccept(ctx, from, a);
            case Accepted a -> {
                if (learner.onAccepted(from, a)) {
                    learned(ctx, true);
                }
            }
            case Chosen c -> {
                if (learner.onChosen(c.value())) {
                    learned(ctx, false);
                }
            }
            case Decided d -> throw new IllegalStateException("servers do not receive decisions: " + d);
        }
    }

    /** The learner knows the chosen value: report it, stop proposing, answer the clients, tell the other learners. */
    private void learned(Context<PaxosMessage> ctx, boolean tellOthers) {
        long v = learner.chosen();
        ctx.output(new PaxosNode.Learned(ctx.self(), v)); // the grader checks it against the chosen value
        stopProposing(ctx);
        for (int c : waitingClients) {
            ctx.send(c, new Decided(v));
        }
        waitingClients.clear();
        if (tellOthers) {
            for (int s = 0; s < ctx.servers(); s++) {
                if (s != ctx.self()) {
                    ctx.send(s, new Chosen(v));
                }
            }
        }
    }

    // ------------------------------------------------------------------ acceptor: yours

    /** Phase 1b. */
    private void onPrepare(Context<PaxosMessage> ctx, int from, Prepare p) {
        throw new UnsupportedOperationException("lab paxos: the acceptor's onPrepare (phase 1b) is not implemented yet");
    }

    /** Phase 2b. */
    private void onAccept(Context<PaxosMessage> ctx, int from, Accept a) {
        throw new UnsupportedOperationException("lab paxos: the acceptor's onAccept (phase 2b) is not implemented yet");
    }

    // ------------------------------------------------------------------ proposer: yours

    /** A client wants {@code value} chosen: start phase 1 unless a proposal is already under way. */
    private void propose(Context<PaxosMessage> ctx, long value) {
        throw new UnsupportedOperationException("lab paxos: the proposer's propose (phase 1a) is not implemented yet");
    }

    /** Phase 2a, once a majority has promised this attempt's ballot. */
    private void onPromise(Context<PaxosMessage> ctx, int from, Promise p) {
        throw new UnsupportedOperationException("lab paxos: the proposer's onPromise (phase 2a) is not implemented yet");
    }

    /** A refusal: remember the higher ballot, so that the next attempt jumps above it. */
    private void onNack(Context<PaxosMessage> ctx, Nack n) {
        throw new UnsupportedOperationException("lab paxos: the proposer's onNack is not implemented yet");
    }

    /** The value is learned: stop proposing (cancel your retry timer). */
    private void stopProposing(Context<PaxosMessage> ctx) {
        throw new UnsupportedOperationException("lab paxos: stopProposing is not implemented yet");
    }

    @Override
    public void timer(Context<PaxosMessage> ctx, Object tag) {
        throw new UnsupportedOperationException("lab paxos: the proposer's retry timer is not implemented yet");
    }

    /** The acceptor's durable state as this incarnation sees it. */
    private static Acceptor.State acceptorState(Context<PaxosMessage> ctx) {
        Object s = ctx.read(Acceptor.KEY);
        return s == null ? Acceptor.State.INITIAL : (Acceptor.State) s;
    }

    @SuppressWarnings("unused")
    private static final Ballot NO_BALLOT = Ballot.ZERO;
}
