package io.github.dsw.cluster;

import io.github.dsw.lease.LockMessage;
import io.github.dsw.lease.LockService;
import io.github.dsw.lease.LockStore;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftHost;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.Node;

/**
 * The lock service of chapter 9 ({@link LockService} on a {@link RaftHost} of a {@link LockStore}: sessions,
 * leases, FIFO waiters, fencing token = log index of the grant, unique over the service) as the cluster runs it,
 * with the Raft settings of {@link RaftKv} (20 ms ticks, elections after 10-19 ticks, PreVote and CheckQuorum): {@code ./dsw node
 * raft-lock}, {@code ./dsw cluster start raft-lock}, used by {@code ./dsw lock} ({@link LockClient}).
 *
 * <p>The leader stamps time into the log every {@link #TICK_EVERY} ticks (100 ms), so an idle service still
 * expires sessions. Lock-delay is off by default ({@link #LOCK_DELAY_NS} 0: a lock whose holder's session
 * expired is granted to the next waiter at once, which is what makes the real-process torture's stale writes
 * visible when the resource does not check tokens); {@code ./dsw cluster start raft-lock --lock-delay D} (node
 * option {@code --lock-delay}, {@link #protocol(long)}) sets Chubby's lock-delay. The log is compacted every
 * {@link #SNAPSHOT_EVERY} entries.
 */
public final class RaftLock {

    /** The protocol's name on the command line, in hellos and in data folders. */
    public static final String NAME = "raft-lock";

    public static final long TICK_NS = RaftKv.TICK_NS;
    public static final int TICK_EVERY = 5;
    public static final long LOCK_DELAY_NS = 0;
    public static final int SNAPSHOT_EVERY = 5000;

    private RaftLock() {
    }

    /** Server {@code id} (0-based) of {@code servers}, without lock-delay. */
    public static Node<LockMessage> node(int id, int servers) {
        return node(id, servers, LOCK_DELAY_NS);
    }

    /** Server {@code id} (0-based) of {@code servers}, with Chubby's lock-delay ({@code lockDelayNs} >= 0; 0 = none). */
    public static Node<LockMessage> node(int id, int servers, long lockDelayNs) {
        RaftConfig config = RaftConfig.builder(id, servers).electionTicks(10, 19).heartbeatTicks(2).preVote(true).checkQuorum(true).build();
        return new RaftHost<>(config, TICK_NS, SNAPSHOT_EVERY, new LockStore(lockDelayNs), new LockService<>(TICK_EVERY));
    }

    /** A status line: Raft's state, then the lock table's size. */
    @SuppressWarnings("unchecked")
    public static String status(Node<LockMessage> node) {
        RaftHost<LockStore, LockMessage> host = (RaftHost<LockStore, LockMessage>) node;
        if (host.raft() == null) {
            return "raft: not started";
        }
        io.github.dsw.raft.Status s = host.raft().status();
        return "raft: node " + (s.id() + 1) + " " + s.role().name().toLowerCase(java.util.Locale.ROOT) + " term " + s.term() + " leader "
                + (s.leader() < 0 ? "none" : String.valueOf(s.leader() + 1)) + " commit " + s.commitIndex() + " applied " + s.lastApplied()
                + " last " + s.lastIndex() + " snapshot " + s.snapshotIndex();
    }

    /** The protocol as node processes run it, without lock-delay. */
    public static final ServerProtocol<LockMessage> PROTOCOL = protocol(LOCK_DELAY_NS);

    /**
     * Parses a lock-delay option value: {@code 0} (none) or a duration ({@code 500ms}, {@code 5s}, {@code 1m}).
     *
     * @throws IllegalArgumentException naming {@code option} and the value
     */
    public static long lockDelay(String option, String value) {
        return value.trim().equals("0") ? 0 : Opts.duration(option, value);
    }

    /** The protocol with a lock-delay of {@code lockDelayNs} (every node of a cluster must use the same). */
    public static ServerProtocol<LockMessage> protocol(long lockDelayNs) {
        if (lockDelayNs < 0) {
            throw new IllegalArgumentException("lock-delay must be >= 0, got " + lockDelayNs + " ns");
        }
        return new ServerProtocol<>() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Node<LockMessage> node(int id, int servers) {
            return RaftLock.node(id, servers, lockDelayNs);
        }

        @Override
        public Codec<LockMessage> codec() {
            return LockCodec.MESSAGES;
        }

        @Override
        public Codec<Object> durableCodec() {
            return LockCodec.DURABLE;
        }

        @Override
        public DiskStorage.Retention retention() {
            return RaftKv.RETENTION; // Raft's layout, whatever the state machine
        }

        @Override
        public String status(Node<LockMessage> node) {
            return RaftLock.status(node);
        }
        };
    }
}
