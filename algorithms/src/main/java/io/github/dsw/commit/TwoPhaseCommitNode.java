package io.github.dsw.commit;

import io.github.dsw.commit.CommitEvent.Decided;
import io.github.dsw.commit.CommitEvent.Voted;
import io.github.dsw.commit.CommitMessage.Begin;
import io.github.dsw.commit.CommitMessage.Decision;
import io.github.dsw.commit.CommitMessage.Inquire;
import io.github.dsw.commit.CommitMessage.Prepare;
import io.github.dsw.commit.CommitMessage.Vote;
import io.github.dsw.commit.CommitMessage.Work;
import io.github.dsw.runtime.Context;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two-phase commit with presumed abort, as one process that hosts the roles its {@link Layout} gives it:
 * the transaction manager (TM) and/or one resource manager (RM). Gray and Lamport, "Consensus on
 * Transaction Commit" (2006), section 3; presumed abort after Mohan, Lindsay and Obermarck,
 * "Transaction Management in the R* Distributed Database Management System" (TODS 1986).
 *
 * <p>Failure-free run with RM 0 starting: RM 0 prepares (a forced write) and sends Prepared to the TM;
 * the TM sends Prepare to the other N-1 RMs; each prepares (forced write) and answers Prepared; the TM
 * forces its commit record and sends Commit to the N RMs: 4 message delays, 3N-1 messages, N+1 forced
 * writes (3N-3 messages and 3 delays with the TM on RM 0's process).
 *
 * <p>Stable storage: an RM forces its prepared record before voting yes (key {@code rm/prepared}: the
 * sorted list of its in-doubt transactions); the TM forces a commit record {@code tm/commit/<tx>} before
 * sending Commit. Aborts are never forced: "presumed abort" means that a TM with no commit record answers
 * Abort. An RM records a decision lazily (no fsync).
 *
 * <p>Recovery: the TM forgets every transaction it was collecting votes for when it crashes; any later
 * question about it gets Abort, and it never collects votes again for a transaction it was not told about
 * ({@link Work}) in its current incarnation, so a stale Prepared cannot restart a vote it may already
 * have aborted. A prepared RM can never decide alone: it asks the TM ({@link Inquire}) every
 * {@link #INQUIRE_NS} until it hears the outcome. That is 2PC's blocking: with the TM down, a prepared RM
 * waits for as long as the TM stays down.
 */
public final class TwoPhaseCommitNode extends CommitProcess {

    /** An undecided RM asks the TM again after this long (plus up to half of it, random). */
    public static final long INQUIRE_NS = 20_000_000;

    /** The TM aborts a transaction whose votes have not all arrived after this long. */
    public static final long VOTE_TIMEOUT_NS = 30_000_000;

    /** Timer tags. */
    private record RmTimeout(long tx) {
    }

    private record TmTimeout(long tx) {
    }

    /** Concurrent prepare: RM 0 prepares in a step of its own, after BeginCommit has left. */
    private record PrepareNow(long tx) {
    }

    private final Layout layout;
    private final VotePlan plan;
    private final int rm; // -1 if this process hosts no RM
    private final boolean tm;
    private final boolean concurrentPrepare;

    // RM state (volatile)
    private final Set<Long> work = new HashSet<>();
    private final Map<Long, Boolean> decided = new HashMap<>();
    private final Set<Long> voted = new HashSet<>();

    // TM state (volatile; the commit records are durable)
    private final Set<Long> expected = new HashSet<>();
    private final Map<Long, BitSet> yes = new HashMap<>();
    private final Map<Long, Boolean> outcome = new HashMap<>();

    public TwoPhaseCommitNode(Layout layout, VotePlan plan, int process) {
        this(layout, plan, false, process);
    }

    /**
     * @param concurrentPrepare RM 0 does not start with its Prepared vote: it sends BeginCommit to the TM and forces
     *                          its prepared record in a step of its own, concurrently with the other RMs (the paper's
     *                          "two if all RMs prepare concurrently", section 5): one stable-storage write delay fewer,
     *                          one message more when the TM has a process of its own (3N instead of 3N-1), the same
     *                          message delays
     */
    public TwoPhaseCommitNode(Layout layout, VotePlan plan, boolean concurrentPrepare, int process) {
        if (layout == null || plan == null || layout.acceptors()) {
            throw new IllegalArgumentException("need a layout without acceptors and a vote plan");
        }
        this.layout = layout;
        this.plan = plan;
        this.rm = layout.rmAt(process);
        this.tm = layout.isCoordinator(process);
        this.concurrentPrepare = concurrentPrepare;
    }

    @Override
    void onStart(Context<CommitMessage> ctx) {
        if (rm >= 0) {
            // In-doubt transactions survive a crash: ask the TM about each (section 3: the RM "cannot decide alone").
            for (long tx : inDoubt(ctx)) {
                inquire(ctx, tx);
            }
        }
    }

    @Override
    void handle(Context<CommitMessage> ctx, int from, CommitMessage m) {
        switch (m) {
            case Work w -> {
                if (rm >= 0) {
                    work.add(w.tx());
                    ctx.setTimer(VOTE_TIMEOUT_NS * 2, new RmTimeout(w.tx())); // abort alone if never asked to vote
                }
                if (tm) {
                    expected.add(w.tx());
                    ctx.setTimer(VOTE_TIMEOUT_NS * 2, new TmTimeout(w.tx())); // no vote at all (RM 0's lost): abort
                }
            }
            case Begin b -> {
                if (concurrentPrepare) {
                    send(ctx, layout.coordinator(), new CommitMessage.BeginCommit(b.tx()));
                    ctx.setTimer(0, new PrepareNow(b.tx())); // a step of its own: BeginCommit does not wait for the fsync
                } else {
                    vote(ctx, b.tx());
                }
            }
            case CommitMessage.BeginCommit b -> {
                if (tm && known(ctx, b.tx()) == null && expected.contains(b.tx()) && !yes.containsKey(b.tx())) {
                    startPhase1(ctx, b.tx(), layout.rmAt(from));
                }
            }
            case Prepare p -> vote(ctx, p.tx());
            case Vote v -> onVote(ctx, v);
            case Inquire q -> onInquire(ctx, q);
            case Decision d -> learn(ctx, d.tx(), d.commit());
            default -> throw new IllegalStateException("2PC does not use " + m);
        }
    }

    // ------------------------------------------------------------ RM

    /** Phase 1 at an RM: force the prepared record, then vote yes; or vote no and abort at once. */
    private void vote(Context<CommitMessage> ctx, long tx) {
        if (rm < 0) {
            return;
        }
        Boolean d = decided.get(tx);
        if (d != null) {
            if (!d) {
                send(ctx, layout.coordinator(), new Vote(tx, rm, false));
            }
            return;
        }
        if (prepared(ctx, tx)) { // prepared before (maybe before a crash): say so again
            send(ctx, layout.coordinator(), new Vote(tx, rm, true));
            return;
        }
        if (voted.contains(tx)) {
            return;
        }
        voted.add(tx);
        if (work.contains(tx) && plan.yes(tx, rm)) {
            add(ctx, PREPARED, tx);
            ctx.fsync();
            ctx.output(new Voted(tx, rm, true));
            send(ctx, layout.coordinator(), new Vote(tx, rm, true));
        } else {
            // No work (lost in a crash) or the RM wants to abort: it may abort alone, it has not promised anything.
            ctx.output(new Voted(tx, rm, false));
            send(ctx, layout.coordinator(), new Vote(tx, rm, false));
            learn(ctx, tx, false);
        }
    }

    private void learn(Context<CommitMessage> ctx, long tx, boolean commit) {
        if (rm < 0 || decided.containsKey(tx)) {
            return;
        }
        decided.put(tx, commit);
        work.remove(tx);
        ctx.output(new Decided(tx, rm, commit));
        if (prepared(ctx, tx)) {
            add(ctx, DONE, tx); // lazy: durable with a later fsync; if lost, the RM resolves tx again after a restart
        }
    }

    private void inquire(Context<CommitMessage> ctx, long tx) {
        send(ctx, layout.coordinator(), new Inquire(tx, rm));
        ctx.setTimer(INQUIRE_NS + ctx.random().nextLong(INQUIRE_NS / 2), new RmTimeout(tx));
    }

    // ------------------------------------------------------------ TM

    private void onVote(Context<CommitMessage> ctx, Vote v) {
        if (!tm) {
            return;
        }
        long tx = v.tx();
        Boolean known = known(ctx, tx);
        if (known != null) {
            if (v.yes()) {
                send(ctx, layout.rm(v.rm()), new Decision(tx, known));
            }
            return;
        }
        if (!expected.contains(tx)) { // not a transaction of this incarnation: presumed abort
            if (v.yes()) {
                send(ctx, layout.rm(v.rm()), new Decision(tx, false));
            }
            return;
        }
        if (!v.yes()) {
            decide(ctx, tx, false);
            return;
        }
        BitSet votes = yes.get(tx);
        if (votes == null) { // the first Prepared starts phase 1 for the others
            votes = startPhase1(ctx, tx, v.rm());
        }
        votes.set(v.rm());
        if (votes.cardinality() == layout.participants()) {
            decide(ctx, tx, true);
        }
    }

    /** Phase 1 for every RM but {@code starter} (which prepares on its own): Prepare, and a deadline for the votes. */
    private BitSet startPhase1(Context<CommitMessage> ctx, long tx, int starter) {
        BitSet votes = new BitSet();
        yes.put(tx, votes);
        for (int r = 0; r < layout.participants(); r++) {
            if (r != starter) {
                send(ctx, layout.rm(r), new Prepare(tx));
            }
        }
        ctx.setTimer(VOTE_TIMEOUT_NS, new TmTimeout(tx));
        return votes;
    }

    /** The outcome the TM knows: its durable commit record, or an abort of this incarnation; null if undecided. */
    private Boolean known(Context<CommitMessage> ctx, long tx) {
        if (ctx.read("tm/commit/" + tx) != null) {
            return true;
        }
        return outcome.get(tx);
    }

    private void decide(Context<CommitMessage> ctx, long tx, boolean commit) {
        outcome.put(tx, commit);
        yes.remove(tx);
        expected.remove(tx);
        if (commit) {
            ctx.write("tm/commit/" + tx, Boolean.TRUE); // the decision record: the commit point
            ctx.fsync();
        }
        for (int r = 0; r < layout.participants(); r++) {
            send(ctx, layout.rm(r), new Decision(tx, commit));
        }
    }

    private void onInquire(Context<CommitMessage> ctx, Inquire q) {
        if (!tm) {
            return;
        }
        Boolean known = known(ctx, q.tx());
        if (known != null) {
            send(ctx, layout.rm(q.rm()), new Decision(q.tx(), known));
        } else if (!yes.containsKey(q.tx()) && !expected.contains(q.tx())) {
            send(ctx, layout.rm(q.rm()), new Decision(q.tx(), false)); // presumed abort
        }
        // else: still collecting votes; the RM asks again
    }

    @Override
    void onTimer(Context<CommitMessage> ctx, Object tag) {
        switch (tag) {
            case RmTimeout t -> {
                if (decided.containsKey(t.tx())) {
                    return;
                }
                if (prepared(ctx, t.tx())) {
                    inquire(ctx, t.tx()); // prepared: blocked until the TM answers
                } else if (!voted.contains(t.tx())) {
                    voted.add(t.tx()); // never asked to vote: abort alone (allowed before voting yes)
                    ctx.output(new Voted(t.tx(), rm, false));
                    send(ctx, layout.coordinator(), new Vote(t.tx(), rm, false));
                    learn(ctx, t.tx(), false);
                } else {
                    inquire(ctx, t.tx());
                }
            }
            case PrepareNow t -> vote(ctx, t.tx());
            case TmTimeout t -> {
                if (known(ctx, t.tx()) == null && (yes.containsKey(t.tx()) || expected.contains(t.tx()))) {
                    decide(ctx, t.tx(), false); // a vote is missing: abort (no record: presumed abort)
                }
            }
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }
}
