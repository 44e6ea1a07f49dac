package io.github.dsw.commit;

import io.github.dsw.commit.CommitEvent.Decided;
import io.github.dsw.commit.CommitEvent.Voted;
import io.github.dsw.commit.CommitMessage.Accepted;
import io.github.dsw.commit.CommitMessage.Begin;
import io.github.dsw.commit.CommitMessage.BeginCommit;
import io.github.dsw.commit.CommitMessage.Decision;
import io.github.dsw.commit.CommitMessage.Phase1a;
import io.github.dsw.commit.CommitMessage.Phase1b;
import io.github.dsw.commit.CommitMessage.Phase2a;
import io.github.dsw.commit.CommitMessage.Phase2b;
import io.github.dsw.commit.CommitMessage.Prepare;
import io.github.dsw.commit.CommitMessage.Value;
import io.github.dsw.commit.CommitMessage.Work;
import io.github.dsw.runtime.Context;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Paxos Commit and Faster Paxos Commit (Gray and Lamport, "Consensus on Transaction Commit", ACM TODS
 * 31(1), 2006, sections 4 and 5): one Paxos consensus instance per RM decides whether that RM is prepared
 * or aborted, with 2F+1 acceptors shared by all instances; the transaction commits iff every instance
 * chooses prepared. Each RM is the ballot-0 leader of its own instance, so its vote is a phase 2a message
 * that needs no phase 1. This process hosts the roles its {@link Layout} gives it: an RM, the initial
 * leader, an acceptor.
 *
 * <p>Failure-free run, the variant counted (section 5's normal case): RM 0 sends BeginCommit to the
 * leader, which sends Prepare to the other N-1 RMs; every RM forces its prepared record and sends its
 * ballot-0 phase 2a to F+1 acceptors only (a majority of 2F+1: the other F are needed only if one of those
 * fails); each of those acceptors waits for all N instances, forces them in one write and sends one
 * bundled phase 2b message, to the leader (Paxos Commit, which then sends Commit to the N RMs: 5 message
 * delays, (N+1)(F+3)-2 messages) or directly to every RM (Faster Paxos Commit: 4 delays, N(2F+3)
 * messages). Both force N+F+1 writes. With the leader and the F+1 acceptors on RMs' processes: N(F+3)-3 and
 * (N-1)(2F+3) messages.
 *
 * <p>Recovery, where 2PC blocks: any process that hosts an RM or the leader may lead a ballot b > 0
 * (ballots are partitioned by process: {@code round * processes + process + 1}). An RM that has not heard
 * the outcome in time runs phase 1 on every instance it has not learned, with all 2F+1 acceptors, and
 * proposes in phase 2 the value reported with the highest ballot, or aborted if a majority reported
 * nothing (the TLA+ specification's Phase2a). So the outcome is decided while F+1 acceptors are up, whatever
 * happened to the leader. Acceptors force every promise and every vote before answering.
 */
public final class PaxosCommitNode extends CommitProcess {

    /** An RM that has not learned the outcome this long after hearing of the transaction runs recovery. */
    public static final long RM_TIMEOUT_NS = 40_000_000;

    /** The Paxos Commit leader starts recovery itself this long after BeginCommit. */
    public static final long LEADER_TIMEOUT_NS = 30_000_000;

    /** A ballot that has not finished after this long (plus random back-off) is retried with a higher one. */
    public static final long BALLOT_TIMEOUT_NS = 15_000_000;

    private record RmTimeout(long tx) {
    }

    /** Concurrent prepare: RM 0 prepares in a step of its own, after BeginCommit has left. */
    private record PrepareNow(long tx) {
    }

    private record LeaderTimeout(long tx) {
    }

    private record BallotTimeout(long tx, int bal) {
    }

    /** Votes one process has seen for one transaction, per instance and (ballot, value). */
    private static final class Learner {
        final List<Map<Long, BitSet>> votes = new ArrayList<>();
        final Boolean[] chosen;

        Learner(int n) {
            chosen = new Boolean[n];
            for (int i = 0; i < n; i++) {
                votes.add(new TreeMap<>());
            }
        }

        void add(int acc, Accepted a, int majority) {
            BitSet s = votes.get(a.ins()).computeIfAbsent(a.bal() * 2L + (a.prepared() ? 1 : 0), k -> new BitSet());
            s.set(acc);
            if (s.cardinality() >= majority) {
                chosen[a.ins()] = a.prepared();
            }
        }

        /** True (commit) if every instance chose prepared, false if one chose aborted, null if not known yet. */
        Boolean outcome() {
            boolean all = true;
            for (Boolean c : chosen) {
                if (c == null) {
                    all = false;
                } else if (!c) {
                    return false;
                }
            }
            return all ? Boolean.TRUE : null;
        }
    }

    /** A ballot this process leads for one transaction. */
    private static final class Ballot {
        final int bal;
        final List<Integer> instances;
        final BitSet promised = new BitSet();
        final Map<Integer, Accepted> highest = new TreeMap<>();
        boolean phase2;

        Ballot(int bal, List<Integer> instances) {
            this.bal = bal;
            this.instances = instances;
        }
    }

    private final Layout layout;
    private final VotePlan plan;
    private final boolean faster;
    private final boolean concurrentPrepare;
    private final int rm;
    private final int acc;
    private final boolean leader;

    private final Set<Long> work = new HashSet<>();
    private final Set<Long> voted = new HashSet<>();
    private final Map<Long, Boolean> outcome = new HashMap<>();
    private final Map<Long, Learner> learners = new HashMap<>();
    private final Set<Long> started = new HashSet<>();
    private final Map<Long, Ballot> ballots = new HashMap<>();
    private final Map<Long, Integer> rounds = new HashMap<>();
    private final Set<Long> local = new HashSet<>(); // a phase 1b/2b of this process's acceptor was counted (not yet acted on)
    private final Map<Long, TreeMap<Integer, Boolean>> pending = new HashMap<>(); // acceptor: ballot-0 values not yet forced

    /**
     * @param faster  Faster Paxos Commit (acceptors send phase 2b to the RMs) instead of Paxos Commit (to the leader)
     * @param process the simulator process this node runs as
     */
    public PaxosCommitNode(Layout layout, VotePlan plan, boolean faster, int process) {
        this(layout, plan, faster, false, process);
    }

    /**
     * @param concurrentPrepare RM 0 sends BeginCommit before forcing its own prepared record instead of after it (the
     *                          paper's "two if all RMs prepare concurrently", section 5): RM 0's write then overlaps
     *                          the other RMs', one stable-storage write delay fewer; messages and message delays
     *                          are unchanged
     */
    public PaxosCommitNode(Layout layout, VotePlan plan, boolean faster, boolean concurrentPrepare, int process) {
        if (layout == null || plan == null || !layout.acceptors()) {
            throw new IllegalArgumentException("need a layout with acceptors and a vote plan");
        }
        this.layout = layout;
        this.plan = plan;
        this.faster = faster;
        this.concurrentPrepare = concurrentPrepare;
        this.rm = layout.rmAt(process);
        this.acc = layout.acceptorAt(process);
        this.leader = layout.isCoordinator(process);
    }

    @Override
    void onStart(Context<CommitMessage> ctx) {
        if (rm >= 0) {
            for (long tx : inDoubt(ctx)) { // in doubt after a restart: find the outcome
                ctx.setTimer(ctx.random().nextLong(RM_TIMEOUT_NS / 4 + 1), new RmTimeout(tx));
            }
        }
    }

    @Override
    void handle(Context<CommitMessage> ctx, int from, CommitMessage m) {
        switch (m) {
            case Work w -> {
                if (rm >= 0 && !outcome.containsKey(w.tx())) {
                    work.add(w.tx());
                    ctx.setTimer(RM_TIMEOUT_NS + ctx.random().nextLong(RM_TIMEOUT_NS / 2), new RmTimeout(w.tx()));
                }
            }
            case Begin b -> {
                send(ctx, layout.coordinator(), new BeginCommit(b.tx()));
                if (concurrentPrepare) {
                    ctx.setTimer(0, new PrepareNow(b.tx())); // a step of its own: BeginCommit does not wait for the fsync
                } else {
                    vote(ctx, b.tx());
                }
            }
            case BeginCommit b -> onBeginCommit(ctx, from, b.tx());
            case Prepare p -> vote(ctx, p.tx());
            case Phase2a p -> onPhase2a(ctx, from, p);
            case Phase2b p -> onPhase2b(ctx, from, p);
            case Phase1a p -> onPhase1a(ctx, from, p);
            case Phase1b p -> onPhase1b(ctx, from, p);
            case Decision d -> decided(ctx, d.tx(), d.commit(), false);
            default -> throw new IllegalStateException("Paxos Commit does not use " + m);
        }
    }

    // ------------------------------------------------------------ RM

    /** The RM's vote: a ballot-0 phase 2a message of its own instance, to the first F+1 acceptors. */
    private void vote(Context<CommitMessage> ctx, long tx) {
        if (rm < 0 || voted.contains(tx) || outcome.containsKey(tx)) {
            return;
        }
        voted.add(tx);
        if (prepared(ctx, tx)) {
            return; // voted yes in an earlier incarnation: that vote stands (and may never become a no)
        }
        boolean yes = work.contains(tx) && plan.yes(tx, rm);
        if (yes) {
            add(ctx, PREPARED, tx);
            ctx.fsync();
        }
        ctx.output(new Voted(tx, rm, yes));
        Phase2a p = new Phase2a(tx, 0, List.of(new Value(rm, yes)));
        for (int a = 0; a < layout.majority(); a++) {
            send(ctx, layout.acceptor(a), p);
        }
        if (!yes) {
            decided(ctx, tx, false, false); // its own instance can only choose aborted: abort at once
        }
    }

    // ------------------------------------------------------------ leader

    private void onBeginCommit(Context<CommitMessage> ctx, int from, long tx) {
        if (!leader || !started.add(tx) || outcome.containsKey(tx)) {
            return;
        }
        int starter = layout.rmAt(from);
        for (int r = 0; r < layout.participants(); r++) {
            if (r != starter) {
                send(ctx, layout.rm(r), new Prepare(tx));
            }
        }
        if (!faster) {
            ctx.setTimer(LEADER_TIMEOUT_NS, new LeaderTimeout(tx));
        }
    }

    private void onPhase2b(Context<CommitMessage> ctx, int from, Phase2b p) {
        if (outcome.containsKey(p.tx())) {
            return;
        }
        if (from == ctx.self()) {
            local.add(p.tx());
        }
        Learner l = learners.computeIfAbsent(p.tx(), k -> new Learner(layout.participants()));
        for (Accepted a : p.accepted()) {
            l.add(p.acc(), a, layout.majority());
        }
        Boolean o = l.outcome();
        if (o != null) {
            // the Paxos Commit leader, or a process leading a recovery ballot, tells the RMs
            boolean tell = (leader && !faster) || ballots.containsKey(p.tx());
            decided(ctx, p.tx(), o, tell);
        }
    }

    /** Starts (or restarts, with a higher ballot) recovery of {@code tx}: phase 1 on every unlearned instance. */
    private void recover(Context<CommitMessage> ctx, long tx) {
        Learner l = learners.computeIfAbsent(tx, k -> new Learner(layout.participants()));
        List<Integer> instances = new ArrayList<>();
        for (int i = 0; i < layout.participants(); i++) {
            if (l.chosen[i] == null) {
                instances.add(i);
            }
        }
        int round = rounds.getOrDefault(tx, 0) + 1;
        rounds.put(tx, round);
        int bal = round * layout.processes() + ctx.self() + 1;
        ballots.put(tx, new Ballot(bal, List.copyOf(instances)));
        Phase1a p = new Phase1a(tx, bal, instances);
        for (int a = 0; a < layout.acceptorCount(); a++) {
            send(ctx, layout.acceptor(a), p);
        }
        ctx.setTimer(BALLOT_TIMEOUT_NS + ctx.random().nextLong(BALLOT_TIMEOUT_NS), new BallotTimeout(tx, bal));
    }

    private void onPhase1b(Context<CommitMessage> ctx, int from, Phase1b p) {
        Ballot b = ballots.get(p.tx());
        if (outcome.containsKey(p.tx()) || b == null || b.bal != p.bal() || b.phase2) {
            return;
        }
        if (!p.ok()) { // someone leads a higher ballot: our next round must beat it
            rounds.put(p.tx(), Math.max(rounds.getOrDefault(p.tx(), 0), p.promised() / layout.processes()));
            return;
        }
        b.promised.set(p.acc());
        if (from == ctx.self()) {
            local.add(p.tx());
        }
        for (Accepted a : p.accepted()) {
            Accepted h = b.highest.get(a.ins());
            if (h == null || a.bal() > h.bal()) {
                b.highest.put(a.ins(), a);
            }
        }
        if (b.promised.cardinality() >= layout.majority()) {
            b.phase2 = true;
            List<Value> values = new ArrayList<>();
            for (int ins : b.instances) {
                Accepted h = b.highest.get(ins);
                values.add(new Value(ins, h != null && h.prepared())); // nothing reported: aborted (section 4)
            }
            Phase2a p2 = new Phase2a(p.tx(), b.bal, values);
            durableLocal(ctx, p.tx());
            for (int a = 0; a < layout.acceptorCount(); a++) {
                send(ctx, layout.acceptor(a), p2);
            }
        }
    }

    /**
     * Acts only on durable votes: if this step acts on a phase 1b or 2b that this process's own acceptor handed over
     * locally, its effects (phase 2a, Commit, the RM's outcome) must not leave before that acceptor's forced write is
     * on stable storage. The hand-over happened in the acceptor's step, before its fsync completed; if the message that
     * completes the quorum arrives in a later step, that step would otherwise release its effects first, and a crash in
     * between forgets a promise or vote that a decision already rests on ({@code DurableVotesTest}: agreement broken).
     * {@link Context#awaitDurable} is that wait: it writes nothing, so the counts of forced writes do not change, and it
     * holds the step only while the acceptor's write is still in progress, so neither do message or write delays.
     */
    private void durableLocal(Context<CommitMessage> ctx, long tx) {
        if (local.remove(tx)) {
            ctx.awaitDurable();
        }
    }

    /** Learned the outcome: an RM applies it; a leader tells every RM. */
    private void decided(Context<CommitMessage> ctx, long tx, boolean commit, boolean tell) {
        if (outcome.containsKey(tx)) {
            return;
        }
        outcome.put(tx, commit);
        durableLocal(ctx, tx);
        ballots.remove(tx);
        learners.remove(tx);
        work.remove(tx);
        if (tell) {
            for (int r = 0; r < layout.participants(); r++) {
                send(ctx, layout.rm(r), new Decision(tx, commit));
            }
        }
        if (rm >= 0) {
            ctx.output(new Decided(tx, rm, commit));
            if (prepared(ctx, tx)) {
                add(ctx, DONE, tx); // lazy: durable with a later fsync; if lost, the RM resolves tx again after a restart
            }
        }
    }

    // ------------------------------------------------------------ acceptor

    private AcceptorState state(Context<CommitMessage> ctx, long tx) {
        Object v = ctx.read("acc/" + tx);
        return v == null ? AcceptorState.initial(layout.participants()) : (AcceptorState) v;
    }

    private void onPhase2a(Context<CommitMessage> ctx, int from, Phase2a p) {
        if (acc < 0) {
            return;
        }
        long tx = p.tx();
        if (p.bal() == 0) {
            AcceptorState s = state(ctx, tx);
            TreeMap<Integer, Boolean> held = pending.computeIfAbsent(tx, k -> new TreeMap<>());
            for (Value v : p.values()) {
                if (s.mbal(v.ins()) == 0 && s.bal(v.ins()) < 0) {
                    held.put(v.ins(), v.prepared());
                }
            }
            boolean all = true; // bundle: wait until every instance still open at ballot 0 has its value
            for (int i = 0; i < s.instances(); i++) {
                if (s.mbal(i) == 0 && s.bal(i) < 0 && !held.containsKey(i)) {
                    all = false;
                }
            }
            if (all) {
                flush(ctx, tx);
            }
            return;
        }
        flush(ctx, tx);
        AcceptorState s = state(ctx, tx);
        List<Accepted> accepted = new ArrayList<>();
        for (Value v : p.values()) {
            if (s.mbal(v.ins()) <= p.bal()) {
                s = s.accept(v.ins(), p.bal(), v.prepared());
                accepted.add(new Accepted(v.ins(), p.bal(), v.prepared()));
            }
        }
        if (!accepted.isEmpty()) {
            ctx.write("acc/" + tx, s);
            ctx.fsync();
            send(ctx, from, new Phase2b(tx, acc, accepted));
        }
    }

    /** Forces the held ballot-0 votes of {@code tx} in one write and sends one bundled phase 2b message. */
    private void flush(Context<CommitMessage> ctx, long tx) {
        TreeMap<Integer, Boolean> held = pending.remove(tx);
        if (held == null || held.isEmpty()) {
            return;
        }
        AcceptorState s = state(ctx, tx);
        List<Accepted> accepted = new ArrayList<>();
        for (Map.Entry<Integer, Boolean> e : held.entrySet()) {
            if (s.mbal(e.getKey()) == 0 && s.bal(e.getKey()) < 0) {
                s = s.accept(e.getKey(), 0, e.getValue());
                accepted.add(new Accepted(e.getKey(), 0, e.getValue()));
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        ctx.write("acc/" + tx, s);
        ctx.fsync();
        Phase2b p = new Phase2b(tx, acc, accepted);
        if (faster) {
            for (int r = 0; r < layout.participants(); r++) {
                send(ctx, layout.rm(r), p);
            }
        } else {
            send(ctx, layout.coordinator(), p);
        }
    }

    private void onPhase1a(Context<CommitMessage> ctx, int from, Phase1a p) {
        if (acc < 0) {
            return;
        }
        flush(ctx, p.tx());
        AcceptorState s = state(ctx, p.tx());
        int promised = 0;
        for (int ins : p.instances()) {
            promised = Math.max(promised, s.mbal(ins));
        }
        if (promised >= p.bal()) {
            send(ctx, from, new Phase1b(p.tx(), p.bal(), acc, false, promised, List.of()));
            return;
        }
        List<Accepted> accepted = new ArrayList<>();
        for (int ins : p.instances()) {
            s = s.promise(ins, p.bal());
            if (s.bal(ins) >= 0) {
                accepted.add(new Accepted(ins, s.bal(ins), s.prepared(ins)));
            }
        }
        ctx.write("acc/" + p.tx(), s);
        ctx.fsync();
        send(ctx, from, new Phase1b(p.tx(), p.bal(), acc, true, p.bal(), accepted));
    }

    // ------------------------------------------------------------ timers

    @Override
    void onTimer(Context<CommitMessage> ctx, Object tag) {
        switch (tag) {
            case RmTimeout t -> {
                if (outcome.containsKey(t.tx())) {
                    return;
                }
                if (!voted.contains(t.tx()) && !prepared(ctx, t.tx())) {
                    vote(ctx, t.tx()); // never asked (Prepare lost?): vote now; without work that is a no
                    if (outcome.containsKey(t.tx())) {
                        return;
                    }
                }
                if (!ballots.containsKey(t.tx())) {
                    recover(ctx, t.tx());
                }
            }
            case PrepareNow t -> vote(ctx, t.tx());
            case LeaderTimeout t -> {
                if (!outcome.containsKey(t.tx()) && !ballots.containsKey(t.tx())) {
                    recover(ctx, t.tx());
                }
            }
            case BallotTimeout t -> {
                Ballot b = ballots.get(t.tx());
                if (!outcome.containsKey(t.tx()) && b != null && b.bal == t.bal()) {
                    recover(ctx, t.tx());
                }
            }
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }
}
