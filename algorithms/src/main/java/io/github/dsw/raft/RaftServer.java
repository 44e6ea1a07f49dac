package io.github.dsw.raft;

import io.github.dsw.raft.RaftNode.Envelope;
import io.github.dsw.raft.RaftNode.Ready;
import io.github.dsw.sim.Context;
import io.github.dsw.sim.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs a {@link RaftNode} as a simulator {@link Node}: a tick timer drives logical time, messages are
 * stepped in, and after every input the node's {@link Ready} is handled the way etcd's contract asks:
 * hard state and new entries are written and fsynced, and only then (the simulator holds them until the
 * fsync completes) are messages sent and committed entries applied.
 *
 * <p>Durable layout: see {@link RaftStorage}. The applied "state machine" is the list of applied entries, rebuilt by
 * replay after a restart (commitIndex and lastApplied are volatile, as in the paper's Figure 2).
 *
 * <p>Clients are out of scope here: tests call {@link #propose} between simulator events; its effects go
 * out with the next event of this server (at most one tick later).
 */
public final class RaftServer implements Node<RaftMessage> {

    /** Released to {@link io.github.dsw.sim.Simulator#onOutput} when an entry is applied. */
    public record Applied(long index, LogEntry entry) {
    }

    private record Tick() {
    }

    private final RaftNode.Config config;
    private final long tickNs;
    private RaftNode raft;
    private final List<LogEntry> applied = new ArrayList<>();

    /**
     * @param config the node's settings
     * @param tickNs length of one tick in (local) nanoseconds
     */
    public RaftServer(RaftNode.Config config, long tickNs) {
        if (config == null || tickNs <= 0) {
            throw new IllegalArgumentException("config must not be null and tickNs > 0, got " + tickNs);
        }
        this.config = config;
        this.tickNs = tickNs;
    }

    @Override
    public void start(Context<RaftMessage> ctx) {
        raft = RaftStorage.load(ctx, config);
        ctx.setTimer(tickNs, new Tick());
    }

    @Override
    public void receive(Context<RaftMessage> ctx, int from, RaftMessage message) {
        if (from >= ctx.servers()) {
            return; // no client protocol in this adapter
        }
        raft.step(from, message);
        handleReady(ctx);
    }

    @Override
    public void timer(Context<RaftMessage> ctx, Object tag) {
        if (tag instanceof Tick t) {
            raft.tick();
            handleReady(ctx);
            ctx.setTimer(tickNs, t);
        } else {
            throw new IllegalStateException("unknown timer " + tag);
        }
    }

    /** Proposes {@code command} (see {@link RaftNode#propose}); call between simulator events. */
    public long propose(Object command) {
        return raft == null ? -1 : raft.propose(command);
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
        Ready rd = raft.ready();
        RaftStorage.persist(ctx, rd);
        for (Envelope env : rd.messages()) {
            ctx.send(env.to(), env.message());
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
}
