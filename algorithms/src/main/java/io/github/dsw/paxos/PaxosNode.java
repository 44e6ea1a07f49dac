package io.github.dsw.paxos;

import io.github.dsw.paxos.PaxosMessage.Accept;
import io.github.dsw.paxos.PaxosMessage.Accepted;
import io.github.dsw.paxos.PaxosMessage.Chosen;
import io.github.dsw.paxos.PaxosMessage.Decided;
import io.github.dsw.paxos.PaxosMessage.Nack;
import io.github.dsw.paxos.PaxosMessage.Prepare;
import io.github.dsw.paxos.PaxosMessage.Promise;
import io.github.dsw.paxos.PaxosMessage.Propose;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A server hosting the three roles of single-decree Paxos ("Paxos Made Simple", section 2.1: "a single
 * process may act as more than one agent"): a {@link Proposer}, an {@link Acceptor} and a
 * {@link Learner}. Clients send {@link Propose}; they get {@link Decided} with the chosen value, which
 * is theirs or someone else's. When its learner learns, the node reports {@link Learned} through
 * {@link Context#output} and tells the other learners once.
 */
public final class PaxosNode implements Node<PaxosMessage> {

    /** Output event: server {@code node} learned that {@code value} is chosen. */
    public record Learned(int node, long value) {
    }

    /**
     * Deliberate bugs, the classic mistakes, to show that the checks catch them: a proposer that
     * ignores the accepted values reported in phase 1 (breaks P2c), an acceptor that answers before its
     * state is durable (forgets promises and acceptances in a crash), and proposers without random
     * back-off that answer every refusal at once with a higher ballot (safe, but they duel: liveness).
     */
    public enum Mutation { NONE, PROPOSE_OWN_VALUE, NO_FSYNC, NO_BACKOFF }

    private final Proposer proposer;
    private final Acceptor acceptor;
    private final Learner learner;
    private final Set<Integer> waitingClients = new LinkedHashSet<>();

    public PaxosNode(Quorums quorums) {
        this(quorums, Mutation.NONE);
    }

    /** A node with a deliberate bug (see {@link Mutation}); for demonstrations and tests of the checks. */
    public PaxosNode(Quorums quorums, Mutation mutation) {
        if (mutation == null) {
            throw new IllegalArgumentException("mutation must not be null");
        }
        this.proposer = new Proposer(quorums, mutation != Mutation.PROPOSE_OWN_VALUE, mutation == Mutation.NO_BACKOFF);
        this.acceptor = new Acceptor(mutation != Mutation.NO_FSYNC);
        this.learner = new Learner(quorums);
    }

    @Override
    public void start(Context<PaxosMessage> ctx) {
        // nothing volatile to rebuild: the acceptor reads its durable state, the proposer its round
    }

    @Override
    public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage message) {
        switch (message) {
            case Propose p -> {
                if (learner.chosen() != null) {
                    ctx.send(from, new Decided(learner.chosen()));
                } else {
                    waitingClients.add(from);
                    proposer.propose(ctx, p.value());
                }
            }
            case Prepare p -> acceptor.onPrepare(ctx, from, p);
            case Promise p -> proposer.onPromise(ctx, from, p);
            case Nack n -> proposer.onNack(ctx, n);
            case Accept a -> acceptor.onAccept(ctx, from, a);
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

    private void learned(Context<PaxosMessage> ctx, boolean tellOthers) {
        long v = learner.chosen();
        ctx.output(new Learned(ctx.self(), v));
        proposer.stop(ctx);
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

    @Override
    public void timer(Context<PaxosMessage> ctx, Object tag) {
        switch (tag) {
            case Proposer.Retry r -> proposer.onRetry(ctx, r);
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }

    /** The value this node's learner knows to be chosen, or null. */
    public Long chosen() {
        return learner.chosen();
    }

    /** This node's proposer (for scripted tests). */
    public Proposer proposer() {
        return proposer;
    }
}
