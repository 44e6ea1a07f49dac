package io.github.dsw.paxos;

import io.github.dsw.paxos.PaxosMessage.Accept;
import io.github.dsw.paxos.PaxosMessage.Nack;
import io.github.dsw.paxos.PaxosMessage.Prepare;
import io.github.dsw.paxos.PaxosMessage.Promise;
import io.github.dsw.runtime.Context;
import java.util.HashMap;
import java.util.Map;

/**
 * The proposer of single-decree Paxos ("Paxos Made Simple", section 2.2, phases 1a and 2a).
 * <ol>
 *   <li>Phase 1: pick a ballot above every ballot it has used or seen refused, persist its round (so a
 *       restarted proposer never reuses a ballot with another value), send prepare to every acceptor.</li>
 *   <li>On promises from a phase-1 quorum: propose the value of the highest-ballot proposal any of them
 *       accepted, or its own value if none did (this is the rule that keeps a chosen value chosen), by
 *       sending accept to every acceptor.</li>
 *   <li>If nothing is chosen before a randomised timeout, start over with a higher ballot. Two proposers
 *       that keep preempting each other can livelock (section 2.4); the random, growing back-off makes
 *       that unlikely, as the paper suggests.</li>
 * </ol>
 * Learning is not its job: the hosting {@link PaxosNode} calls {@link #stop} once its learner knows.
 */
public final class Proposer {

    /** Durable key of the last round this proposer used. */
    public static final String ROUND_KEY = "paxos.proposer.round";

    /** Base of the retry timeout; the actual one is random in [t, 2t) with t doubling per attempt, capped. */
    static final long RETRY_NS = 20_000_000;

    /** Timer tag: the attempt with this ballot took too long. */
    record Retry(Ballot ballot) {
    }

    private final Quorums quorums;
    private Long ownValue;
    private Ballot ballot;
    private int phase; // 0 idle, 1 preparing, 2 accepting
    private final Map<Integer, Promise> promises = new HashMap<>();
    private long highestRoundSeen;
    private int attempts;
    private long timerId = -1;

    private final boolean adoptAccepted;
    private final boolean eager;

    public Proposer(Quorums quorums) {
        this(quorums, true, false);
    }

    /**
     * With {@code adoptAccepted} false the proposer breaks P2c; with {@code eager} true it retries at
     * once with a higher ballot when refused, and after a fixed timeout otherwise (no random back-off),
     * which invites dueling proposers. Only for {@link PaxosNode.Mutation}.
     */
    Proposer(Quorums quorums, boolean adoptAccepted, boolean eager) {
        if (quorums == null) {
            throw new IllegalArgumentException("quorums must not be null");
        }
        this.quorums = quorums;
        this.adoptAccepted = adoptAccepted;
        this.eager = eager;
    }

    /** Asks to get {@code value} chosen; ignored if a proposal is already in progress. */
    public void propose(Context<PaxosMessage> ctx, long value) {
        if (ownValue == null) {
            ownValue = value;
        }
        if (phase == 0) {
            startPhase1(ctx);
        }
    }

    /** Phase 1a with a fresh ballot. */
    void startPhase1(Context<PaxosMessage> ctx) {
        Object stored = ctx.read(ROUND_KEY);
        long round = Math.max(stored == null ? 0 : (Long) stored, highestRoundSeen) + 1;
        ctx.write(ROUND_KEY, round);
        ctx.fsync(); // the prepare leaves only once the round is durable
        ballot = new Ballot(round, ctx.self());
        phase = 1;
        promises.clear();
        for (int a = 0; a < ctx.servers(); a++) {
            ctx.send(a, new Prepare(ballot));
        }
        attempts++;
        long t = RETRY_NS << Math.min(attempts - 1, 4);
        if (timerId >= 0) {
            ctx.cancelTimer(timerId);
        }
        timerId = ctx.setTimer(eager ? RETRY_NS : t + ctx.random().nextLong(t), new Retry(ballot));
    }

    /** Phase 2a once a phase-1 quorum has promised. */
    public void onPromise(Context<PaxosMessage> ctx, int from, Promise p) {
        if (phase != 1 || !p.ballot().equals(ballot)) {
            return; // a late or duplicated promise of an older attempt
        }
        promises.put(from, p);
        if (!quorums.isPhase1Quorum(promises.size())) {
            return;
        }
        long value = adoptAccepted ? valueToPropose(promises.values(), ownValue) : ownValue;
        phase = 2;
        for (int a = 0; a < ctx.servers(); a++) {
            ctx.send(a, new Accept(ballot, value));
        }
    }

    /**
     * The value a proposer must propose after phase 1 (section 2.2, P2c): the value of the highest-ballot
     * proposal reported in the promises, or {@code own} if no acceptor of the quorum accepted anything.
     */
    public static long valueToPropose(Iterable<Promise> promises, Long own) {
        Ballot best = Ballot.ZERO;
        Long value = own;
        for (Promise p : promises) {
            if (p.acceptedValue() != null && p.acceptedBallot().above(best)) {
                best = p.acceptedBallot();
                value = p.acceptedValue();
            }
        }
        if (value == null) {
            throw new IllegalStateException("nothing to propose: no own value and no accepted value in " + promises);
        }
        return value;
    }

    /**
     * Remembers a higher ballot seen in a refusal, so that the next attempt jumps above it. It does not
     * retry at once (unless eager): two proposers that answer every refusal with a higher ballot can
     * preempt each other forever (section 2.4).
     */
    public void onNack(Context<PaxosMessage> ctx, Nack n) {
        highestRoundSeen = Math.max(highestRoundSeen, n.promised().round());
        if (eager && phase != 0 && n.ballot().equals(ballot)) {
            startPhase1(ctx);
        }
    }

    /** A retry timer fired: start over unless that attempt is over. */
    public void onRetry(Context<PaxosMessage> ctx, Retry r) {
        if (phase != 0 && r.ballot().equals(ballot)) {
            timerId = -1;
            startPhase1(ctx);
        }
    }

    /** The value is known to be chosen: stop proposing. */
    public void stop(Context<PaxosMessage> ctx) {
        phase = 0;
        ownValue = null;
        if (timerId >= 0) {
            ctx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    /** The ballot of the current or last attempt, null before the first. */
    public Ballot ballot() {
        return ballot;
    }
}
