package io.github.dsw.raft;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a {@link RaftNode} as a runtime {@link Node}, replicating a {@link StateMachine}: the one adapter
 * between the pure protocol and the environment. What is specific to a service (its wire format, its
 * clients, how it reads) is its {@link Service}; everything Raft asks of its host is here:
 * <ul>
 *   <li><b>start</b>: the node is rebuilt from what is durable ({@link RaftStorage}); its first Ready
 *       restores the state machine from the durable snapshot, if any, and replays nothing else (commitIndex
 *       and lastApplied are volatile, paper Figure 2: committed entries are applied again as the node
 *       learns the commit index);</li>
 *   <li><b>time</b>: a tick timer of {@code tickNs} local nanoseconds drives {@link RaftNode#tick()}, and
 *       before every input the ticks a process pause held back are made first ({@link TickClock}), which
 *       is what {@link RaftNode#leaseRead} needs ({@link Mutation#NO_TICK_CATCH_UP} leaves it out, the bug
 *       a test shows; {@link #withoutTickCatchUp} turns it off for harnesses that hold clocks back on purpose);</li>
 *   <li><b>the Ready contract</b>, after every input, in this order: compact (the policy below), take the
 *       Ready, persist its hard state, snapshot and entries and fsync ({@link RaftStorage#persist}: an fsync
 *       for every non-empty Ready), then send its messages (the environment releases them only after the
 *       fsync completes: PERSIST BEFORE SENDING, so no vote or acknowledgement is ever given for state a
 *       crash could lose), then restore the state machine to {@code restore}, then apply {@code committed}
 *       in index order, then hand read states to the service;</li>
 *   <li><b>compaction</b> (extended paper section 7): with {@code snapshotEvery} > 0, whenever that many
 *       entries were applied since the last snapshot the log is compacted up to the last applied entry,
 *       with the state machine's {@link StateMachine#snapshot()} (a count policy like the lab's;
 *       dissertation 5.1.2 discusses size-based ones);</li>
 *   <li><b>outputs</b> for the invariant monitors ({@code RaftInvariants}, in scenarios): {@link Applied}
 *       for every applied entry and {@link Restored} after every restore.</li>
 * </ul>
 *
 * @param <S> the replicated state machine
 * @param <M> the message type on the wire (Raft's messages, maybe wrapped with the service's own)
 */
public final class RaftHost<S extends StateMachine, M> implements Node<M> {

    /** Released to the environment ({@link Context#output}) when an entry is applied. */
    public record Applied(long index, LogEntry entry) {
    }

    /**
     * Released to the environment ({@link Context#output}) when a server reset its state machine to a
     * snapshot: {@code state} is the state right after ({@link StateMachine#snapshot()}), for
     * {@code RaftInvariants.restored} (scenarios). Equality of the array is identity (an event, not a value).
     */
    public record Restored(SnapshotMeta meta, byte[] state) {
        /**
         * The meta, the state's length and a hash of its CONTENT: the trace records outputs by this
         * string, and the array's default (identity) string would differ between two runs of one seed.
         */
        @Override
        public String toString() {
            return "Restored[meta=" + meta + ", state=" + state.length + " bytes, hash " + Arrays.hashCode(state) + "]";
        }
    }

    /**
     * What a service adds to the host: its wire format and its clients. Every method runs inside one of
     * the host's input steps, so whatever it proposes or steps into {@link RaftHost#raft()} goes out with
     * that step's Ready.
     *
     * @param <S> the state machine
     * @param <M> the message type
     */
    public interface Service<S extends StateMachine, M> {
        /** The message that carries Raft message {@code m} to server {@code to}, sent in this step. */
        M peer(RaftHost<S, M> host, Context<M> ctx, int to, RaftMessage m);

        /** Handles a message: Raft's are stepped into {@code host.raft()}, the service's own served. */
        void receive(RaftHost<S, M> host, Context<M> ctx, int from, M message);

        /** The tick timer made its ticks (before this step's Ready is handled). */
        default void ticked(RaftHost<S, M> host, Context<M> ctx) {
        }

        /** The state machine was reset to {@code snapshot} (entries up to its index will not be applied here). */
        default void restored(RaftHost<S, M> host, Context<M> ctx, Snapshot snapshot) {
        }

        /** Entry {@code index} was applied with {@code result} ({@link StateMachine#apply}'s). */
        default void applied(RaftHost<S, M> host, Context<M> ctx, long index, LogEntry entry, Object result) {
        }

        /** Reads confirmed in this step ({@link RaftNode#readIndex}), after this step's entries were applied. */
        default void readStates(RaftHost<S, M> host, Context<M> ctx, List<ReadState> confirmed) {
        }
    }

    /**
     * The service of a cluster without clients: Raft's messages as they are on the wire. A message from a
     * non-server is dropped (the input is still a step of the host: owed ticks are made, the Ready handled).
     */
    public static <S extends StateMachine> Service<S, RaftMessage> peersOnly() {
        return new Service<>() {
            @Override
            public RaftMessage peer(RaftHost<S, RaftMessage> host, Context<RaftMessage> ctx, int to, RaftMessage m) {
                return m;
            }

            @Override
            public void receive(RaftHost<S, RaftMessage> host, Context<RaftMessage> ctx, int from, RaftMessage message) {
                if (from < ctx.servers()) {
                    host.raft().step(from, message);
                }
            }
        };
    }

    private record Tick() {
    }

    private final RaftConfig config;
    private final long tickNs;
    private final int snapshotEvery;
    private final S stateMachine;
    private final Service<S, M> service;
    private final TickClock ticks;
    private RaftNode raft;
    private long applied; // index of the last entry applied to (or restored into) stateMachine
    private long snapshotIndex; // index of the latest snapshot: taken here, received or loaded

    /**
     * @param config        the node's settings
     * @param tickNs        length of one tick in (local) nanoseconds
     * @param snapshotEvery compact the log after this many entries applied since the last snapshot (0: never)
     * @param stateMachine  the application, fresh (the host restores it from storage at start)
     * @param service       the wire format and clients ({@link #peersOnly()} for none)
     */
    public RaftHost(RaftConfig config, long tickNs, int snapshotEvery, S stateMachine, Service<S, M> service) {
        if (config == null || stateMachine == null || service == null) {
            throw new IllegalArgumentException("config, stateMachine and service must not be null");
        }
        if (tickNs <= 0) {
            throw new IllegalArgumentException("tickNs must be > 0, got " + tickNs);
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery must be >= 0 (0: never), got " + snapshotEvery);
        }
        this.config = config;
        this.tickNs = tickNs;
        this.snapshotEvery = snapshotEvery;
        this.stateMachine = stateMachine;
        this.service = service;
        this.ticks = new TickClock(tickNs);
        if (config.mutation() == Mutation.NO_TICK_CATCH_UP) {
            ticks.disableCatchUp();
        }
    }

    /** A server of {@link AppliedLog} without clients, as the Raft tests and scenarios run it. */
    public static RaftHost<AppliedLog, RaftMessage> ofLog(RaftConfig config, long tickNs, int snapshotEvery) {
        return new RaftHost<>(config, tickNs, snapshotEvery, new AppliedLog(), peersOnly());
    }

    /**
     * Turns off the tick catch-up: the node ticks only when its tick timer fires, so a pause stops its clock.
     * For harnesses that hold clocks back on purpose (the Figure 16 trials, the throughput experiments); as a
     * bug under test it is {@link Mutation#NO_TICK_CATCH_UP}. Call before start.
     */
    public RaftHost<S, M> withoutTickCatchUp() {
        ticks.disableCatchUp();
        return this;
    }

    @Override
    public void start(Context<M> ctx) {
        raft = config.rules().persistence().load(ctx, config); // RaftStorage, unless a lab swaps it
        applied = 0;
        snapshotIndex = 0; // a durable snapshot comes back as this first Ready's restore
        ticks.start(ctx.monotonicNow());
        handleReady(ctx);
        ctx.setTimer(tickNs, new Tick());
    }

    @Override
    public void receive(Context<M> ctx, int from, M message) {
        if (raft == null) {
            // delivered in the instant of a restart, before start(): lost, as by a server not yet listening
            return;
        }
        ticks.catchUp(raft, ctx.monotonicNow()); // the ticks a pause held back, before the input (TickClock)
        service.receive(this, ctx, from, message);
        handleReady(ctx);
    }

    @Override
    public void timer(Context<M> ctx, Object tag) {
        if (!(tag instanceof Tick t)) {
            throw new IllegalStateException("unknown timer " + tag);
        }
        long delay = ticks.onTimer(raft, ctx.monotonicNow());
        service.ticked(this, ctx);
        handleReady(ctx);
        ctx.setTimer(delay, t);
    }

    /**
     * Proposes {@code command} (see {@link RaftNode#propose}); call between events: it goes out with this
     * server's next one. Refused (not started, not the leader, transferring) is a {@link Proposal.Refused}.
     */
    public Proposal propose(Object command) {
        return raft == null ? new Proposal.Refused("server " + id() + " has not started") : raft.propose(command);
    }

    /** The protocol inside (for services, invariant checks and tests); null before the first start event. */
    public RaftNode raft() {
        return raft;
    }

    /** The replicated application. */
    public S stateMachine() {
        return stateMachine;
    }

    /** Index of the last entry applied to (or restored into) the state machine: every committed one after each step. */
    public long appliedIndex() {
        return applied;
    }

    /** This server's id. */
    public int id() {
        return config.id();
    }

    private void handleReady(Context<M> ctx) {
        maybeCompact();
        Ready rd = raft.ready();
        config.rules().persistence().persist(ctx, rd); // and fsync (RaftStorage): the messages below leave only after it completes
        for (Envelope env : rd.messages()) {
            ctx.send(env.to(), service.peer(this, ctx, env.to(), env.message()));
        }
        if (rd.restore() != null) {
            stateMachine.restore(rd.restore().data());
            applied = rd.restore().index();
            snapshotIndex = applied;
            ctx.output(new Restored(rd.restore().meta(), stateMachine.snapshot()));
            service.restored(this, ctx, rd.restore());
        }
        long index = rd.firstCommittedIndex();
        for (LogEntry e : rd.committed()) {
            if (index != applied + 1) {
                throw new IllegalStateException("server " + config.id() + " applies index " + index + " after " + applied);
            }
            Object result = stateMachine.apply(index, e);
            applied = index;
            ctx.output(new Applied(index, e));
            service.applied(this, ctx, index, e, result);
            index++;
        }
        service.readStates(this, ctx, rd.readStates());
    }

    /**
     * The compaction policy, run before each Ready: entries applied by earlier steps only, so that an
     * observer checking after every event ({@code RaftInvariants}, in scenarios) has seen each committed
     * entry in a log before it is compacted away; the snapshot is persisted with this step's Ready.
     */
    private void maybeCompact() {
        if (snapshotEvery > 0 && applied - snapshotIndex >= snapshotEvery && raft.compact(applied, stateMachine.snapshot())) {
            snapshotIndex = applied;
        }
    }
}
