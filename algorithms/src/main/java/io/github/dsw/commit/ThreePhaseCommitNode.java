package io.github.dsw.commit;

import io.github.dsw.commit.CommitEvent.Decided;
import io.github.dsw.commit.CommitEvent.Voted;
import io.github.dsw.commit.CommitMessage.Ack;
import io.github.dsw.commit.CommitMessage.Begin;
import io.github.dsw.commit.CommitMessage.Decision;
import io.github.dsw.commit.CommitMessage.PreCommit;
import io.github.dsw.commit.CommitMessage.Prepare;
import io.github.dsw.commit.CommitMessage.StateReport;
import io.github.dsw.commit.CommitMessage.StateRequest;
import io.github.dsw.commit.CommitMessage.Vote;
import io.github.dsw.commit.CommitMessage.Work;
import io.github.dsw.runtime.Context;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Three-phase commit, briefly (Skeen, "Nonblocking Commit Protocols", SIGMOD 1981; Skeen and Stonebraker,
 * "A Formal Model of Crash Recovery in a Distributed System", 1983): 2PC with a pre-commit phase between
 * the vote and the decision, so that no RM can commit while another is still uncertain. An RM that times
 * out runs the termination protocol: it asks the other RMs for their states and decides by Skeen's rule
 * (someone committed: commit; someone aborted or still working: abort; someone, or itself,
 * pre-committed: commit; everyone uncertain: abort), then tells the others.
 *
 * <p>The rule is safe only if a process that does not answer has crashed for good and answers arrive
 * within the timeout: crash-stop failures and a synchronous network. Then 3PC never blocks. With a
 * partition, the side that holds a pre-committed RM commits while the side of uncertain RMs aborts: the
 * atomic-commit checker finds that schedule. No stable storage is used: under crash-stop nobody restarts.
 */
public final class ThreePhaseCommitNode extends CommitProcess {

    /** What an RM knows about one transaction. */
    public enum State { WORKING, UNCERTAIN, PRECOMMITTED, COMMITTED, ABORTED }

    /** An RM that voted yes and hears nothing for this long runs the termination protocol. */
    public static final long RM_TIMEOUT_NS = 30_000_000;

    /** How long the termination protocol waits for the other RMs' states. */
    public static final long REPORT_WAIT_NS = 10_000_000;

    /** The TM's timeout for votes (then abort) and for pre-commit acknowledgements (then commit). */
    public static final long TM_TIMEOUT_NS = 20_000_000;

    private record RmTimeout(long tx) {
    }

    private record ReportDeadline(long tx) {
    }

    private record TmTimeout(long tx) {
    }

    private final Layout layout;
    private final VotePlan plan;
    private final int rm;
    private final boolean tm;

    private final Set<Long> work = new HashSet<>();
    private final Map<Long, State> state = new HashMap<>();
    private final Map<Long, Map<Integer, State>> reports = new HashMap<>();

    private final Set<Long> expected = new HashSet<>();
    private final Map<Long, BitSet> yes = new HashMap<>();
    private final Map<Long, BitSet> acks = new HashMap<>();
    private final Set<Long> finished = new HashSet<>();

    public ThreePhaseCommitNode(Layout layout, VotePlan plan, int process) {
        if (layout == null || plan == null || layout.acceptors()) {
            throw new IllegalArgumentException("need a layout without acceptors and a vote plan");
        }
        this.layout = layout;
        this.plan = plan;
        this.rm = layout.rmAt(process);
        this.tm = layout.isCoordinator(process);
    }

    @Override
    void onStart(Context<CommitMessage> ctx) {
        // crash-stop: a process starts once
    }

    private State state(long tx) {
        return state.getOrDefault(tx, State.WORKING);
    }

    @Override
    void handle(Context<CommitMessage> ctx, int from, CommitMessage m) {
        switch (m) {
            case Work w -> {
                if (rm >= 0) {
                    work.add(w.tx());
                    ctx.setTimer(RM_TIMEOUT_NS, new RmTimeout(w.tx()));
                }
                if (tm) {
                    expected.add(w.tx());
                }
            }
            case Begin b -> vote(ctx, b.tx());
            case Prepare p -> vote(ctx, p.tx());
            case Vote v -> onVote(ctx, v);
            case PreCommit p -> {
                if (rm >= 0 && state(p.tx()) == State.UNCERTAIN) {
                    state.put(p.tx(), State.PRECOMMITTED);
                    send(ctx, layout.coordinator(), new Ack(p.tx(), rm));
                    ctx.setTimer(RM_TIMEOUT_NS, new RmTimeout(p.tx()));
                }
            }
            case Ack a -> onAck(ctx, a);
            case Decision d -> decide(ctx, d.tx(), d.commit(), false);
            case StateRequest q -> {
                if (rm < 0) {
                    return;
                }
                if (state(q.tx()) == State.WORKING) {
                    decide(ctx, q.tx(), false, false); // not voted yet: abort, so that the asker may abort
                }
                send(ctx, layout.rm(q.rm()), new StateReport(q.tx(), rm, state(q.tx())));
            }
            case StateReport r -> {
                Map<Integer, State> got = reports.get(r.tx());
                if (got != null) {
                    got.put(r.rm(), r.state());
                }
            }
            default -> throw new IllegalStateException("3PC does not use " + m);
        }
    }

    private void vote(Context<CommitMessage> ctx, long tx) {
        if (rm < 0 || state(tx) != State.WORKING) {
            return;
        }
        boolean v = work.contains(tx) && plan.yes(tx, rm);
        ctx.output(new Voted(tx, rm, v));
        send(ctx, layout.coordinator(), new Vote(tx, rm, v));
        if (v) {
            state.put(tx, State.UNCERTAIN);
            ctx.setTimer(RM_TIMEOUT_NS, new RmTimeout(tx));
        } else {
            decide(ctx, tx, false, false);
        }
    }

    private void decide(Context<CommitMessage> ctx, long tx, boolean commit, boolean tell) {
        if (rm < 0) {
            return;
        }
        State s = state(tx);
        if (s == State.COMMITTED || s == State.ABORTED) {
            return;
        }
        state.put(tx, commit ? State.COMMITTED : State.ABORTED);
        reports.remove(tx);
        ctx.output(new Decided(tx, rm, commit));
        if (tell) {
            for (int r = 0; r < layout.participants(); r++) {
                if (r != rm) {
                    send(ctx, layout.rm(r), new Decision(tx, commit));
                }
            }
        }
    }

    // ------------------------------------------------------------ TM

    private void onVote(Context<CommitMessage> ctx, Vote v) {
        long tx = v.tx();
        if (!tm || finished.contains(tx) || !expected.contains(tx)) {
            return;
        }
        if (!v.yes()) {
            finish(ctx, tx, false);
            return;
        }
        BitSet b = yes.get(tx);
        if (b == null) {
            b = new BitSet();
            yes.put(tx, b);
            for (int r = 0; r < layout.participants(); r++) {
                if (r != v.rm()) {
                    send(ctx, layout.rm(r), new Prepare(tx));
                }
            }
            ctx.setTimer(TM_TIMEOUT_NS, new TmTimeout(tx));
        }
        b.set(v.rm());
        if (b.cardinality() == layout.participants() && !acks.containsKey(tx)) {
            acks.put(tx, new BitSet());
            for (int r = 0; r < layout.participants(); r++) {
                send(ctx, layout.rm(r), new PreCommit(tx));
            }
            ctx.setTimer(TM_TIMEOUT_NS, new TmTimeout(tx));
        }
    }

    private void onAck(Context<CommitMessage> ctx, Ack a) {
        BitSet b = acks.get(a.tx());
        if (!tm || b == null || finished.contains(a.tx())) {
            return;
        }
        b.set(a.rm());
        if (b.cardinality() == layout.participants()) {
            finish(ctx, a.tx(), true);
        }
    }

    private void finish(Context<CommitMessage> ctx, long tx, boolean commit) {
        finished.add(tx);
        yes.remove(tx);
        acks.remove(tx);
        expected.remove(tx);
        for (int r = 0; r < layout.participants(); r++) {
            send(ctx, layout.rm(r), new Decision(tx, commit));
        }
    }

    @Override
    void onTimer(Context<CommitMessage> ctx, Object tag) {
        switch (tag) {
            case TmTimeout t -> {
                if (finished.contains(t.tx())) {
                    return;
                }
                // waiting for acks: everyone voted yes, so commit (a silent RM is taken as crashed); else abort
                finish(ctx, t.tx(), acks.containsKey(t.tx()));
            }
            case RmTimeout t -> {
                State s = state(t.tx());
                if (s == State.WORKING) {
                    decide(ctx, t.tx(), false, false);
                } else if ((s == State.UNCERTAIN || s == State.PRECOMMITTED) && !reports.containsKey(t.tx())) {
                    reports.put(t.tx(), new HashMap<>());
                    for (int r = 0; r < layout.participants(); r++) {
                        if (r != rm) {
                            send(ctx, layout.rm(r), new StateRequest(t.tx(), rm));
                        }
                    }
                    ctx.setTimer(REPORT_WAIT_NS, new ReportDeadline(t.tx()));
                }
            }
            case ReportDeadline d -> {
                Map<Integer, State> got = reports.get(d.tx());
                if (got == null) {
                    return;
                }
                got.put(rm, state(d.tx()));
                boolean commit;
                if (got.containsValue(State.COMMITTED)) {
                    commit = true;
                } else if (got.containsValue(State.ABORTED) || got.containsValue(State.WORKING)) {
                    commit = false;
                } else {
                    commit = got.containsValue(State.PRECOMMITTED); // Skeen's rule; all uncertain: abort
                }
                decide(ctx, d.tx(), commit, true);
            }
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }
}
