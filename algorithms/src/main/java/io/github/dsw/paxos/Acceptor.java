package io.github.dsw.paxos;

import io.github.dsw.paxos.PaxosMessage.Accept;
import io.github.dsw.paxos.PaxosMessage.Accepted;
import io.github.dsw.paxos.PaxosMessage.Nack;
import io.github.dsw.paxos.PaxosMessage.Prepare;
import io.github.dsw.paxos.PaxosMessage.Promise;
import io.github.dsw.runtime.Context;

/**
 * The acceptor of single-decree Paxos ("Paxos Made Simple", section 2.2, phases 1b and 2b). It keeps no
 * field at all: its whole state is the durable {@link State} under {@link #KEY}, read through the
 * {@link Context} at each message, so a restarted acceptor is exactly the acceptor that crashed minus
 * its unsynced writes. Every change is written and fsynced before the answer leaves (the simulator
 * holds a step's messages until its fsync completes): an acceptor that forgot a promise after a crash
 * could accept a lower ballot and let two values be chosen (section 2.4: "an acceptor must remember
 * this information even if it fails and then restarts").
 */
public final class Acceptor {

    /** Durable key of the acceptor's state. */
    public static final String KEY = "paxos.acceptor";

    /**
     * What an acceptor must remember.
     *
     * @param promised       highest ballot it promised (or accepted)
     * @param acceptedBallot ballot of the last proposal it accepted, {@link Ballot#ZERO} if none
     * @param acceptedValue  value of that proposal, null if none
     */
    public record State(Ballot promised, Ballot acceptedBallot, Long acceptedValue) {
        public static final State INITIAL = new State(Ballot.ZERO, Ballot.ZERO, null);
    }

    private final boolean sync;

    public Acceptor() {
        this(true);
    }

    /** With {@code sync} false the acceptor answers before its state is durable: only for {@link PaxosNode.Mutation}. */
    Acceptor(boolean sync) {
        this.sync = sync;
    }

    /** The acceptor's durable state as seen by this incarnation. */
    public static State state(Context<?> ctx) {
        Object s = ctx.read(KEY);
        return s == null ? State.INITIAL : (State) s;
    }

    /**
     * Phase 1b: promises a ballot above every ballot promised so far, persisting the promise before
     * answering with the highest accepted proposal; otherwise answers with a {@link Nack}.
     */
    public void onPrepare(Context<PaxosMessage> ctx, int from, Prepare p) {
        State s = state(ctx);
        if (!p.ballot().above(s.promised())) {
            ctx.send(from, new Nack(p.ballot(), s.promised()));
            return;
        }
        ctx.write(KEY, new State(p.ballot(), s.acceptedBallot(), s.acceptedValue()));
        if (sync) {
            ctx.fsync();
        }
        ctx.send(from, new Promise(p.ballot(), s.acceptedBallot(), s.acceptedValue()));
    }

    /**
     * Phase 2b: accepts unless it has promised a higher ballot (an accept of the promised ballot itself
     * is allowed: section 2.2, P1a), persists the acceptance, then tells every learner.
     */
    public void onAccept(Context<PaxosMessage> ctx, int from, Accept a) {
        State s = state(ctx);
        if (s.promised().above(a.ballot())) {
            ctx.send(from, new Nack(a.ballot(), s.promised()));
            return;
        }
        // Written and synced even for a duplicate accept: the first copy's write may not be durable yet,
        // and this step's accepted messages must not overtake it.
        ctx.write(KEY, new State(a.ballot(), a.ballot(), a.value()));
        if (sync) {
            ctx.fsync();
        }
        for (int learner = 0; learner < ctx.servers(); learner++) {
            ctx.send(learner, new Accepted(a.ballot(), a.value()));
        }
    }
}
