package io.github.dsw.raft;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A leader's bookkeeping for reads that bypass the log (dissertation section 6.4; etcd's
 * {@code read_only.go}): the queue of ReadIndex requests waiting for a majority to confirm that this
 * server still leads, and the read contexts it has issued with the tick each was issued at, which date
 * the acknowledgements that lease reads count (6.4.1).
 *
 * <p>Every AppendEntries and InstallSnapshot carries the newest context; an answer echoing context
 * {@code c} confirms every request with an id up to {@code c}, and says the follower followed this
 * leader at or after the tick {@code c} was issued. Contexts only grow, so one number per answer
 * confirms a whole batch of reads. Cost: O(pending requests) per acknowledgement.
 */
final class ReadOnly {

    /** A ReadIndex request: its context id, the caller's tag, the read index, and which servers confirmed it. */
    private record PendingRead(long id, Object context, long index, boolean[] acks) {
    }

    private final int servers;
    private final int self;
    private long lastContext; // the newest context issued (0: none)
    private final TreeMap<Long, Long> issuedTick = new TreeMap<>(); // context -> leader tick it was issued at
    private final ArrayDeque<PendingRead> pending = new ArrayDeque<>();

    ReadOnly(int servers, int self) {
        this.servers = servers;
        this.self = self;
    }

    /** The newest context: every message the leader sends carries it. */
    long lastContext() {
        return lastContext;
    }

    /** Queues a ReadIndex request for {@code context} at read index {@code index}; the leader confirms it at once. */
    void addRequest(Object context, long index, long tick) {
        boolean[] acks = new boolean[servers];
        acks[self] = true;
        pending.add(new PendingRead(++lastContext, context, index, acks));
        issuedTick.put(lastContext, tick);
    }

    /**
     * A heartbeat round gets its own context, so its answers date the lease; contexts issued before
     * {@code oldestTick} are forgotten (too old to date a lease).
     */
    void startRound(long tick, long oldestTick) {
        issuedTick.put(++lastContext, tick);
        while (issuedTick.firstEntry().getValue() < oldestTick) {
            issuedTick.pollFirstEntry();
        }
    }

    /** The tick at which the newest context up to {@code context} was issued, or {@link Progress#NEVER} if forgotten. */
    long issuedAt(long context) {
        Map.Entry<Long, Long> sent = issuedTick.floorEntry(context);
        return sent != null ? sent.getValue() : Progress.NEVER;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    /** Server {@code from} confirmed every request with an id up to {@code context}. */
    void acknowledge(int from, long context) {
        for (PendingRead r : pending) {
            if (r.id() <= context) {
                r.acks()[from] = true;
            }
        }
    }

    /** Moves the requests confirmed by a majority of {@code membership}'s voters, oldest first, to {@code out}. */
    void release(Membership membership, List<ReadState> out) {
        while (!pending.isEmpty()) {
            PendingRead r = pending.peek();
            int n = 0;
            for (int v : membership.voters()) {
                n += r.acks()[v] ? 1 : 0;
            }
            if (n < membership.quorum()) {
                return;
            }
            pending.poll();
            out.add(new ReadState(r.context(), r.index()));
        }
    }

    /** Unconfirmed reads die with the leadership; clients time out and retry. */
    void dropPending() {
        pending.clear();
    }
}
