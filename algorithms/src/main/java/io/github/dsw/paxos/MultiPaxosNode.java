package io.github.dsw.paxos;

import io.github.dsw.paxos.MultiPaxosMessage.Accept;
import io.github.dsw.paxos.MultiPaxosMessage.Accepted;
import io.github.dsw.paxos.MultiPaxosMessage.CatchUp;
import io.github.dsw.paxos.MultiPaxosMessage.CatchUpRequest;
import io.github.dsw.paxos.MultiPaxosMessage.ClientReply;
import io.github.dsw.paxos.MultiPaxosMessage.ClientRequest;
import io.github.dsw.paxos.MultiPaxosMessage.Commit;
import io.github.dsw.paxos.MultiPaxosMessage.Forward;
import io.github.dsw.paxos.MultiPaxosMessage.Heartbeat;
import io.github.dsw.paxos.MultiPaxosMessage.Nack;
import io.github.dsw.paxos.MultiPaxosMessage.PValue;
import io.github.dsw.paxos.MultiPaxosMessage.Prepare;
import io.github.dsw.paxos.MultiPaxosMessage.Promise;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Multi-Paxos with a distinguished leader driving a replicated key-value store ("Paxos Made Simple",
 * section 3). Every server hosts an acceptor, a learner with the {@link KvStateMachine}, and may become
 * the leader (the distinguished proposer):
 * <ul>
 *   <li><b>Election.</b> A follower that hears no heartbeat for a randomised timeout becomes a candidate:
 *       it takes a ballot above every ballot it has seen (its round persisted first) and runs phase 1
 *       once for every slot from its first unchosen one ({@link Prepare} with {@code fromSlot}).</li>
 *   <li><b>Recovery.</b> With promises from a phase-1 quorum it becomes leader and re-proposes, in every
 *       slot from there up to the highest reported, the value of the highest-ballot proposal reported,
 *       and a no-op where nothing was reported (the gaps, section 3): in-flight slots of the previous
 *       leader are finished, never silently lost.</li>
 *   <li><b>Normal case.</b> Phase 2 only: one {@link Accept} round per slot, each slot a batch of up to
 *       {@code batch} queued commands, at most {@code window} slots outstanding; when a phase-2 quorum
 *       has accepted, the leader applies the batch and broadcasts a {@link Commit}.</li>
 *   <li><b>Learners</b> apply chosen commands in slot order; heartbeats carry the leader's commit index
 *       so a learner that missed commits (loss, a restart) asks for them ({@link CatchUpRequest}).</li>
 *   <li><b>Clients</b> may contact any server: it forwards the command to the leader it believes in and
 *       re-forwards every tick until the command is applied locally, then answers. Re-forwarding and
 *       re-proposals after failover can put one request in two slots; the state machine suppresses the
 *       duplicate, so each request takes effect exactly once.</li>
 * </ul>
 * The acceptor's promise, its accepted proposals and the proposer's round are persisted and fsynced
 * before the messages that depend on them leave. Learner and leader state is volatile and rebuilt from
 * the others after a restart. Reads go through the log too, so a deposed leader cannot serve stale
 * reads (it can no longer get a phase-2 quorum).
 */
public final class MultiPaxosNode implements Node<MultiPaxosMessage> {

    /** Period of heartbeats, retransmissions and timeout checks. */
    public static final long TICK_NS = 10_000_000;
    /** Election timeout base; the actual one is random in [base, 2 base). */
    public static final long ELECTION_NS = 60_000_000;
    /** Most chosen commands sent in one catch-up message. */
    static final int CATCH_UP_BATCH = 64;

    static final String PROMISED_KEY = "mp.promised";
    static final String MAX_ACCEPTED_KEY = "mp.maxAccepted";
    static final String ROUND_KEY = "mp.round";
    static final String ACCEPTED_PREFIX = "mp.accepted.";

    /** Output: acceptor {@code node} durably accepted batch {@code commands} in {@code slot} at {@code ballot}. */
    public record AcceptedEvent(int node, long slot, Ballot ballot, List<Command> commands) {
    }

    /** Output: server {@code node} applied batch {@code commands}, chosen in {@code slot}. */
    public record Applied(int node, long slot, List<Command> commands) {
    }

    /**
     * Output: leader {@code node} saw a phase-2 quorum for {@code slot} ({@code commands} commands), proposed
     * at virtual time {@code proposedNs} and chosen at {@code chosenNs}: the commit latency the quorum model
     * ({@code io.github.dsw.model.QuorumLatency}) predicts.
     */
    public record SlotChosen(int node, long slot, int commands, long proposedNs, long chosenNs) {
    }

    /** Output: server {@code node} became leader with {@code ballot}. */
    public record LeaderElected(int node, Ballot ballot) {
    }

    /**
     * A deliberate bug, to show that the checks catch it: a new leader that skips recovery, i.e. ignores
     * what phase 1 reported and starts proposing at its first unchosen slot (the classic mistake of
     * treating Multi-Paxos as "elect a leader, then append").
     */
    public enum Mutation { NONE, SKIP_RECOVERY }

    private record Tick() {
    }

    /** The periodic timer's tag, for scripted tests that drive a node by hand. */
    static Object tick() {
        return new Tick();
    }

    private enum Role { FOLLOWER, CANDIDATE, LEADER }

    private static final class Proposal {
        final List<Command> commands;
        final Set<Integer> acks = new HashSet<>();
        final long proposedNs;

        Proposal(List<Command> commands, long proposedNs) {
            this.commands = commands;
            this.proposedNs = proposedNs;
        }
    }

    private final Quorums quorums;
    private final int window;
    private final int batch;
    private final Mutation mutation;
    private final long electionNs;

    // learner
    private final Map<Long, List<Command>> chosen = new HashMap<>();
    private final KvStateMachine kv = new KvStateMachine();
    private long applied; // every slot below is applied

    // proposer / leader
    private Role role = Role.FOLLOWER;
    private Ballot ballot;
    private Ballot highestSeen = Ballot.ZERO;
    private int leaderHint = -1;
    private long lastHeardNs;
    private long electionTimeoutNs;
    private long electionStartNs;
    private long prepareFrom;
    private final Map<Integer, Promise> promises = new HashMap<>();
    private long nextSlot;
    private final Map<Long, Proposal> inFlight = new TreeMap<>();
    private final ArrayDeque<Command> queue = new ArrayDeque<>();
    private final Set<Long> queued = new HashSet<>();

    // clients waiting at this server: request id -> (client, command)
    private record Waiting(int client, Command command) {
    }

    private final Map<Long, Waiting> waiting = new LinkedHashMap<>();

    /**
     * @param quorums quorum sizes; {@code quorums.acceptors()} must be the number of servers
     * @param window  most slots the leader has outstanding (proposed, not yet chosen) at once
     * @param batch   most client commands the leader puts in one slot
     */
    public MultiPaxosNode(Quorums quorums, int window, int batch) {
        this(quorums, window, batch, Mutation.NONE);
    }

    /** A node with a deliberate bug (see {@link Mutation}), for demonstrations and tests of the checks. */
    public MultiPaxosNode(Quorums quorums, int window, int batch, Mutation mutation) {
        this(quorums, window, batch, mutation, ELECTION_NS);
    }

    /**
     * A node whose election timeout is random in [{@code electionNs}, 2 {@code electionNs}) instead of {@link #ELECTION_NS}'s
     * (chapter 11 measures the timeout as a failure detector; heartbeats stay every {@link #TICK_NS}).
     */
    public MultiPaxosNode(Quorums quorums, int window, int batch, Mutation mutation, long electionNs) {
        if (electionNs < 2 * TICK_NS) {
            throw new IllegalArgumentException("electionNs must be >= " + 2 * TICK_NS + " (two heartbeat periods), got " + electionNs);
        }
        this.electionNs = electionNs;
        if (quorums == null || mutation == null) {
            throw new IllegalArgumentException("quorums and mutation must not be null");
        }
        if (window < 1 || batch < 1) {
            throw new IllegalArgumentException("window and batch must be >= 1, got " + window + ", " + batch);
        }
        this.quorums = quorums;
        this.window = window;
        this.batch = batch;
        this.mutation = mutation;
    }

    @Override
    public void start(Context<MultiPaxosMessage> ctx) {
        if (quorums.acceptors() != ctx.servers()) {
            throw new IllegalArgumentException("quorums are for " + quorums.acceptors() + " acceptors, the cluster has " + ctx.servers());
        }
        highestSeen = promised(ctx);
        lastHeardNs = ctx.now();
        electionTimeoutNs = randomElectionTimeout(ctx);
        ctx.setTimer(TICK_NS, new Tick());
    }

    @Override
    public void receive(Context<MultiPaxosMessage> ctx, int from, MultiPaxosMessage message) {
        switch (message) {
            case ClientRequest r -> onClientRequest(ctx, from, r);
            case Forward f -> {
                if (role == Role.LEADER) {
                    enqueue(ctx, f.command());
                }
            }
            case Prepare p -> onPrepare(ctx, from, p);
            case Promise p -> onPromise(ctx, from, p);
            case Nack n -> onNack(ctx, n);
            case Accept a -> onAccept(ctx, from, a);
            case Accepted a -> onAccepted(ctx, from, a);
            case Commit c -> learn(ctx, c.slot(), c.commands());
            case Heartbeat h -> onHeartbeat(ctx, from, h);
            case CatchUpRequest r -> onCatchUpRequest(ctx, from, r);
            case CatchUp c -> {
                for (Map.Entry<Long, List<Command>> e : c.chosen().entrySet()) {
                    learn(ctx, e.getKey(), e.getValue());
                }
            }
            case ClientReply r -> throw new IllegalStateException("servers do not receive client replies: " + r);
        }
    }

    // ------------------------------------------------------------------ clients

    private void onClientRequest(Context<MultiPaxosMessage> ctx, int client, ClientRequest r) {
        Command c = new Command(r.requestId(), r.f(), r.key(), r.value());
        KvStateMachine.Result done = kv.result(c.requestId());
        if (done != null) {
            ctx.send(client, new ClientReply(c.requestId(), done.ok(), done.value()));
            return;
        }
        waiting.put(c.requestId(), new Waiting(client, c));
        submit(ctx, c);
    }

    /** Gets {@code c} to the leader: proposes it if this server leads, else forwards it to the presumed leader. */
    private void submit(Context<MultiPaxosMessage> ctx, Command c) {
        if (role == Role.LEADER) {
            enqueue(ctx, c);
        } else if (leaderHint >= 0 && leaderHint != ctx.self()) {
            ctx.send(leaderHint, new Forward(c));
        }
    }

    // ------------------------------------------------------------------ acceptor

    private static Ballot promised(Context<MultiPaxosMessage> ctx) {
        Object o = ctx.read(PROMISED_KEY);
        return o == null ? Ballot.ZERO : (Ballot) o;
    }

    private static long maxAccepted(Context<MultiPaxosMessage> ctx) {
        Object o = ctx.read(MAX_ACCEPTED_KEY);
        return o == null ? -1 : (Long) o;
    }

    /** Phase 1b for every slot from {@code p.fromSlot()}: promise, persist, report what was accepted there. */
    private void onPrepare(Context<MultiPaxosMessage> ctx, int from, Prepare p) {
        Ballot promised = promised(ctx);
        if (!p.ballot().above(promised)) {
            ctx.send(from, new Nack(p.ballot(), promised));
            return;
        }
        ctx.write(PROMISED_KEY, p.ballot());
        ctx.fsync();
        Map<Long, PValue> accepted = new TreeMap<>();
        for (long s = p.fromSlot(), max = maxAccepted(ctx); s <= max; s++) {
            Object v = ctx.read(ACCEPTED_PREFIX + s);
            if (v != null) {
                accepted.put(s, (PValue) v);
            }
        }
        ctx.send(from, new Promise(p.ballot(), accepted));
        seeBallot(ctx, p.ballot(), from);
    }

    /** Phase 2b: accept unless a higher ballot was promised; persist, then answer the leader. */
    private void onAccept(Context<MultiPaxosMessage> ctx, int from, Accept a) {
        Ballot promised = promised(ctx);
        if (promised.above(a.ballot())) {
            ctx.send(from, new Nack(a.ballot(), promised));
            return;
        }
        if (a.ballot().above(promised)) {
            ctx.write(PROMISED_KEY, a.ballot());
        }
        ctx.write(ACCEPTED_PREFIX + a.slot(), new PValue(a.ballot(), a.commands()));
        if (a.slot() > maxAccepted(ctx)) {
            ctx.write(MAX_ACCEPTED_KEY, a.slot());
        }
        ctx.fsync(); // even for a duplicate: the first copy's write may not be durable yet
        ctx.output(new AcceptedEvent(ctx.self(), a.slot(), a.ballot(), a.commands()));
        ctx.send(from, new Accepted(a.ballot(), a.slot()));
        seeBallot(ctx, a.ballot(), from);
    }

    /** A message from the holder of ballot {@code b}: follow it if it is the highest seen. */
    private void seeBallot(Context<MultiPaxosMessage> ctx, Ballot b, int from) {
        if (b.compareTo(highestSeen) >= 0) {
            highestSeen = b;
            leaderHint = from;
            lastHeardNs = ctx.now();
        }
        if (role != Role.FOLLOWER && b.above(ballot)) {
            stepDown(ctx);
        }
    }

    // ------------------------------------------------------------------ election and recovery

    private long randomElectionTimeout(Context<MultiPaxosMessage> ctx) {
        return electionNs + ctx.random().nextLong(electionNs);
    }

    private void startElection(Context<MultiPaxosMessage> ctx) {
        Object stored = ctx.read(ROUND_KEY);
        long round = Math.max(stored == null ? 0 : (Long) stored, highestSeen.round()) + 1;
        ctx.write(ROUND_KEY, round);
        ctx.fsync(); // never reuse a ballot after a restart
        ballot = new Ballot(round, ctx.self());
        role = Role.CANDIDATE;
        promises.clear();
        prepareFrom = applied;
        electionStartNs = ctx.now();
        electionTimeoutNs = randomElectionTimeout(ctx);
        for (int s = 0; s < ctx.servers(); s++) {
            ctx.send(s, new Prepare(ballot, prepareFrom));
        }
    }

    private void onPromise(Context<MultiPaxosMessage> ctx, int from, Promise p) {
        if (role != Role.CANDIDATE || !p.ballot().equals(ballot)) {
            return;
        }
        promises.put(from, p);
        if (quorums.isPhase1Quorum(promises.size())) {
            becomeLeader(ctx);
        }
    }

    /** Recovery: re-propose the highest-ballot value of every reported slot, a no-op in every gap. */
    private void becomeLeader(Context<MultiPaxosMessage> ctx) {
        role = Role.LEADER;
        leaderHint = ctx.self();
        Map<Long, PValue> best = new TreeMap<>();
        long max = prepareFrom - 1;
        for (Promise p : promises.values()) {
            for (Map.Entry<Long, PValue> e : p.accepted().entrySet()) {
                PValue old = best.get(e.getKey());
                if (old == null || e.getValue().ballot().above(old.ballot())) {
                    best.put(e.getKey(), e.getValue());
                }
                max = Math.max(max, e.getKey());
            }
        }
        promises.clear();
        inFlight.clear();
        queue.clear();
        queued.clear();
        ctx.output(new LeaderElected(ctx.self(), ballot));
        if (mutation == Mutation.SKIP_RECOVERY) {
            best.clear();
            max = prepareFrom - 1;
        }
        for (long s = prepareFrom; s <= max; s++) {
            PValue v = best.get(s);
            List<Command> c = v != null ? v.commands() : chosen.getOrDefault(s, List.of()); // empty: the no-op
            for (Command command : c) {
                queued.add(command.requestId());
            }
            propose(ctx, s, c);
        }
        nextSlot = max + 1;
        heartbeat(ctx);
        for (Waiting w : waiting.values()) {
            enqueue(ctx, w.command());
        }
    }

    private void onNack(Context<MultiPaxosMessage> ctx, Nack n) {
        if (n.promised().above(highestSeen)) {
            highestSeen = n.promised();
        }
        if (role != Role.FOLLOWER && n.promised().above(ballot)) {
            stepDown(ctx);
        }
    }

    private void stepDown(Context<MultiPaxosMessage> ctx) {
        role = Role.FOLLOWER;
        inFlight.clear();
        queue.clear();
        queued.clear();
        promises.clear();
        lastHeardNs = ctx.now();
        electionTimeoutNs = randomElectionTimeout(ctx);
    }

    // ------------------------------------------------------------------ leader, normal case

    private void enqueue(Context<MultiPaxosMessage> ctx, Command c) {
        if (kv.result(c.requestId()) != null || !queued.add(c.requestId())) {
            return; // applied already, or already queued or proposed by this leadership
        }
        queue.add(c);
        pump(ctx);
    }

    /** Proposes queued commands, up to {@code batch} per slot, while the window has room. */
    private void pump(Context<MultiPaxosMessage> ctx) {
        while (role == Role.LEADER && inFlight.size() < window && !queue.isEmpty()) {
            List<Command> next = new ArrayList<>();
            while (next.size() < batch && !queue.isEmpty()) {
                Command c = queue.poll();
                if (kv.result(c.requestId()) == null) {
                    next.add(c);
                }
            }
            if (!next.isEmpty()) {
                propose(ctx, nextSlot++, List.copyOf(next));
            }
        }
    }

    private void propose(Context<MultiPaxosMessage> ctx, long slot, List<Command> c) {
        inFlight.put(slot, new Proposal(c, ctx.now()));
        for (int s = 0; s < ctx.servers(); s++) {
            ctx.send(s, new Accept(ballot, slot, c));
        }
    }

    private void onAccepted(Context<MultiPaxosMessage> ctx, int from, Accepted a) {
        if (role != Role.LEADER || !a.ballot().equals(ballot)) {
            return;
        }
        Proposal p = inFlight.get(a.slot());
        if (p == null || !p.acks.add(from) || !quorums.isPhase2Quorum(p.acks.size())) {
            return;
        }
        inFlight.remove(a.slot());
        ctx.output(new SlotChosen(ctx.self(), a.slot(), p.commands.size(), p.proposedNs, ctx.now()));
        for (int s = 0; s < ctx.servers(); s++) {
            if (s != ctx.self()) {
                ctx.send(s, new Commit(a.slot(), p.commands));
            }
        }
        learn(ctx, a.slot(), p.commands);
        pump(ctx);
    }

    private void heartbeat(Context<MultiPaxosMessage> ctx) {
        for (int s = 0; s < ctx.servers(); s++) {
            if (s != ctx.self()) {
                ctx.send(s, new Heartbeat(ballot, applied));
            }
        }
    }

    // ------------------------------------------------------------------ learner

    private void learn(Context<MultiPaxosMessage> ctx, long slot, List<Command> c) {
        List<Command> known = chosen.putIfAbsent(slot, c);
        if (known != null) {
            check(known.equals(c), "slot " + slot + " learned twice with different batches: " + known + " and " + c);
            return;
        }
        while (chosen.containsKey(applied)) {
            List<Command> next = chosen.get(applied);
            ctx.output(new Applied(ctx.self(), applied, next));
            applied++;
            for (Command command : next) {
                KvStateMachine.Result r = kv.apply(command);
                Waiting w = waiting.remove(command.requestId());
                if (w != null) {
                    ctx.send(w.client(), new ClientReply(command.requestId(), r.ok(), r.value()));
                }
            }
        }
    }

    private void onHeartbeat(Context<MultiPaxosMessage> ctx, int from, Heartbeat h) {
        seeBallot(ctx, h.ballot(), from);
        if (applied < h.commitIndex()) {
            ctx.send(from, new CatchUpRequest(applied));
        }
    }

    private void onCatchUpRequest(Context<MultiPaxosMessage> ctx, int from, CatchUpRequest r) {
        Map<Long, List<Command>> out = new HashMap<>();
        for (long s = r.fromSlot(); s < applied && out.size() < CATCH_UP_BATCH; s++) {
            out.put(s, chosen.get(s));
        }
        if (!out.isEmpty()) {
            ctx.send(from, new CatchUp(out));
        }
    }

    // ------------------------------------------------------------------ timers

    @Override
    public void timer(Context<MultiPaxosMessage> ctx, Object tag) {
        if (!(tag instanceof Tick)) {
            throw new IllegalStateException("unknown timer " + tag);
        }
        long now = ctx.now();
        switch (role) {
            case LEADER -> {
                heartbeat(ctx);
                for (Map.Entry<Long, Proposal> e : inFlight.entrySet()) {
                    for (int s = 0; s < ctx.servers(); s++) {
                        if (!e.getValue().acks.contains(s)) {
                            ctx.send(s, new Accept(ballot, e.getKey(), e.getValue().commands));
                        }
                    }
                }
            }
            case CANDIDATE -> {
                if (now - electionStartNs > electionTimeoutNs) {
                    startElection(ctx);
                } else {
                    for (int s = 0; s < ctx.servers(); s++) {
                        if (!promises.containsKey(s)) {
                            ctx.send(s, new Prepare(ballot, prepareFrom));
                        }
                    }
                }
            }
            case FOLLOWER -> {
                if (now - lastHeardNs > electionTimeoutNs) {
                    startElection(ctx);
                }
            }
        }
        for (Waiting w : waiting.values()) {
            submit(ctx, w.command());
        }
        ctx.setTimer(TICK_NS, tag);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    // ------------------------------------------------------------------ inspection

    /** True while this server is the leader (it may be a deposed one that does not know it yet). */
    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /** Number of slots applied (every slot below is applied). */
    public long applied() {
        return applied;
    }

    /** The state machine, for assertions. */
    public KvStateMachine stateMachine() {
        return kv;
    }
}
