package io.github.dsw.raft;

import io.github.dsw.raft.RaftNode.Envelope;
import io.github.dsw.raft.RaftNode.Ready;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs a {@link RaftNode} as a simulator {@link Node}: a tick timer drives logical time (with the ticks a
 * process pause held back made before the next input, {@link TickClock}), messages are
 * stepped in, and after every input the node's {@link Ready} is handled the way etcd's contract asks:
 * hard state and new entries are written and fsynced, and only then (the simulator holds them until the
 * fsync completes) are messages sent and committed entries applied.
 *
 * <p>Durable layout: see {@link RaftStorage}. The applied "state machine" is the list of applied entries, rebuilt by
 * replay after a restart (commitIndex and lastApplied are volatile, as in the paper's Figure 2), or from the
 * latest snapshot and then replay.
 *
 * <p>Snapshots (extended paper section 7): with {@code snapshotEvery} > 0 the server compacts its log
 * whenever {@code snapshotEvery} entries were applied since the last snapshot (a count policy like the
 * lab's; dissertation 5.1.2 discusses size-based ones). The snapshot of this state machine is the
 * applied sequence itself, encoded by {@link #encodeSnapshot} (documented there): its state IS its
 * history, so its snapshot grows with it, unlike a real state machine's ({@link RaftKvServer}); that
 * makes the bytes checkable against the committed entries and keeps {@link #applied()} whole. A
 * snapshot received from the leader or loaded at restart replaces the list, and a {@link Restored}
 * event reports the state right after.
 *
 * <p>Clients are out of scope here: tests call {@link #propose} between simulator events; its effects go
 * out with the next event of this server (at most one tick later).
 */
public final class RaftServer implements Node<RaftMessage> {

    /** Released to the environment ({@link Context#output}) when an entry is applied. */
    public record Applied(long index, LogEntry entry) {
    }

    /**
     * Released to the environment ({@link Context#output}) when a server reset its state machine to a
     * snapshot: {@code state} is the state right after, in the server's snapshot encoding, for
     * {@code RaftInvariants.restored} (scenarios). Equality of the array is identity (an event, not a value).
     */
    public record Restored(SnapshotMeta meta, byte[] state) {
        /**
         * The meta, the state's length and a hash of its CONTENT: the trace records outputs by this
         * string, and the array's default (identity) string would differ between two runs of one seed.
         */
        @Override
        public String toString() {
            return "Restored[meta=" + meta + ", state=" + state.length + " bytes, hash " + java.util.Arrays.hashCode(state) + "]";
        }
    }

    private record Tick() {
    }

    private final RaftNode.Config config;
    private final long tickNs;
    private final int snapshotEvery;
    private RaftNode raft;
    private final List<LogEntry> applied = new ArrayList<>();
    private final TickClock ticks;

    /**
     * A server that never compacts its log.
     *
     * @param config the node's settings
     * @param tickNs length of one tick in (local) nanoseconds
     */
    public RaftServer(RaftNode.Config config, long tickNs) {
        this(config, tickNs, 0);
    }

    /**
     * @param config        the node's settings
     * @param tickNs        length of one tick in (local) nanoseconds
     * @param snapshotEvery compact the log after this many entries applied since the last snapshot (0: never)
     */
    public RaftServer(RaftNode.Config config, long tickNs, int snapshotEvery) {
        if (config == null || tickNs <= 0) {
            throw new IllegalArgumentException("config must not be null and tickNs > 0, got " + tickNs);
        }
        if (snapshotEvery < 0) {
            throw new IllegalArgumentException("snapshotEvery must be >= 0 (0: never), got " + snapshotEvery);
        }
        this.config = config;
        this.tickNs = tickNs;
        this.snapshotEvery = snapshotEvery;
        this.ticks = new TickClock(tickNs);
    }

    /**
     * Turns off the tick catch-up: the node ticks only when its tick timer fires, so a pause stops its
     * clock (the Figure 16 harness, {@code ElectionTrials} in scenarios, holds clocks back that way). Call before start.
     */
    RaftServer withoutTickCatchUp() {
        ticks.disableCatchUp();
        return this;
    }

    @Override
    public void start(Context<RaftMessage> ctx) {
        raft = RaftStorage.load(ctx, config);
        ticks.start(ctx.monotonicNow());
        handleReady(ctx); // restores the state machine from the durable snapshot, if any
        ctx.setTimer(tickNs, new Tick());
    }

    @Override
    public void receive(Context<RaftMessage> ctx, int from, RaftMessage message) {
        if (from >= ctx.servers() || raft == null) {
            // no client protocol in this adapter; or delivered in the instant of a restart, before start():
            // lost, as by a server not yet listening
            return;
        }
        ticks.catchUp(raft, ctx.monotonicNow()); // the ticks a pause held back, before the input (TickClock)
        raft.step(from, message);
        handleReady(ctx);
    }

    @Override
    public void timer(Context<RaftMessage> ctx, Object tag) {
        if (!(tag instanceof Tick t)) {
            throw new IllegalStateException("unknown timer " + tag);
        }
        long delay = ticks.onTimer(raft, ctx.monotonicNow());
        handleReady(ctx);
        ctx.setTimer(delay, t);
    }

    /** Proposes {@code command} (see {@link RaftNode#propose}); call between simulator events. */
    public long propose(Object command) {
        return raft != null && raft.propose(command) instanceof Proposal.Accepted a ? a.index() : -1;
    }

    /** The state machine inside (for invariant checks and tests); null before the first start event. */
    public RaftNode raft() {
        return raft;
    }

    /** Entries applied by this incarnation, index 1 first. */
    public List<LogEntry> applied() {
        return Collections.unmodifiableList(applied);
    }

    private void handleReady(Context<RaftMessage> ctx) {
        maybeCompact();
        Ready rd = raft.ready();
        RaftStorage.persist(ctx, rd);
        for (Envelope env : rd.messages()) {
            ctx.send(env.to(), env.message());
        }
        if (rd.restore() != null) {
            List<LogEntry> state = decodeSnapshot(rd.restore());
            applied.clear();
            applied.addAll(state);
            ctx.output(new Restored(rd.restore().meta(), encodeSnapshot(applied)));
        }
        long index = rd.firstCommittedIndex();
        for (LogEntry e : rd.committed()) {
            if (index != applied.size() + 1) {
                throw new IllegalStateException("server " + config.id() + " applies index " + index + " after " + applied.size());
            }
            applied.add(e);
            ctx.output(new Applied(index, e));
            index++;
        }
    }

    /**
     * The compaction policy, run before each Ready: entries applied by earlier steps only, so that an
     * observer checking after every event ({@code RaftInvariants}, in scenarios) has seen each committed entry in a log
     * before it is compacted away; the snapshot is persisted with this step's Ready.
     */
    private void maybeCompact() {
        if (snapshotEvery > 0 && raft.lastApplied() - raft.snapshotIndex() >= snapshotEvery) {
            raft.compact(raft.lastApplied(), encodeSnapshot(applied));
        }
    }

    /**
     * This state machine's snapshot encoding (big-endian, {@link DataOutputStream}): an int count, then
     * per applied entry its term (long), a tag byte and the command: 0 no-op (null, nothing follows),
     * 1 Long (8 bytes), 2 Integer (4 bytes), 3 String (modified UTF-8, {@link DataOutputStream#writeUTF}),
     * 4 {@link ConfChange} (the type's ordinal as a byte, then the node id as an int).
     * Deterministic: the same entries give the same bytes.
     *
     * @throws IllegalArgumentException for a command of another type (this server only runs tests' commands)
     */
    public static byte[] encodeSnapshot(List<LogEntry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (LogEntry e : entries) {
                out.writeLong(e.term());
                switch (e.command()) {
                    case null -> out.writeByte(0);
                    case Long l -> {
                        out.writeByte(1);
                        out.writeLong(l);
                    }
                    case Integer i -> {
                        out.writeByte(2);
                        out.writeInt(i);
                    }
                    case String str -> {
                        out.writeByte(3);
                        out.writeUTF(str);
                    }
                    case ConfChange c -> {
                        out.writeByte(4);
                        out.writeByte(c.type().ordinal());
                        out.writeInt(c.node());
                    }
                    default -> throw new IllegalArgumentException("RaftServer snapshots encode null, Long, Integer, String or ConfChange commands, got "
                            + e.command().getClass().getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** Decodes {@link #encodeSnapshot}; the count must equal the snapshot's index. */
    static List<LogEntry> decodeSnapshot(Snapshot snapshot) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot.data()))) {
            int count = in.readInt();
            if (count != snapshot.index()) {
                throw new IllegalStateException("snapshot at index " + snapshot.index() + " holds " + count + " entries");
            }
            List<LogEntry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long term = in.readLong();
                Object command = switch (in.readByte()) {
                    case 0 -> null;
                    case 1 -> in.readLong();
                    case 2 -> in.readInt();
                    case 3 -> in.readUTF();
                    case 4 -> new ConfChange(ConfChange.Type.values()[in.readByte()], in.readInt());
                    default -> throw new IllegalStateException("bad command tag in snapshot at entry " + (i + 1));
                };
                entries.add(new LogEntry(term, command));
            }
            return entries;
        } catch (IOException e) {
            throw new IllegalStateException("truncated snapshot at index " + snapshot.index(), e);
        }
    }
}
