package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvCodec;
import io.github.dsw.raft.KvMessage;
import io.github.dsw.raft.KvService;
import io.github.dsw.raft.KvStore;
import io.github.dsw.raft.Mutation;
import io.github.dsw.raft.RaftCodec;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftHost;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.Snapshot;
import io.github.dsw.raft.Status;
import io.github.dsw.runtime.Node;

/**
 * The replicated key-value store of chapter 7 ({@link KvService} on a {@link RaftHost} of a
 * {@link KvStore}) as the cluster runs it: the same classes and settings family as the simulator's
 * {@code RaftKvRun}, with real-time ticks.
 *
 * <p>Settings: a tick of {@link #TICK_NS} (20 ms; the simulator uses 10 ms of virtual time), heartbeats
 * every 2 ticks, elections after 10-19 ticks (200-380 ms, long enough for a loaded two-core machine's
 * garbage collections and scheduling hiccups), PreVote and CheckQuorum on (a paused or partitioned
 * server does not disrupt the cluster when it comes back, dissertation 9.6), reads by ReadIndex
 * (linearizable without trusting clocks: a SIGSTOP pause is exactly what breaks a lease's assumptions
 * unless the tick catch-up covers it), and a log compacted every {@link #SNAPSHOT_EVERY} entries.
 */
public final class RaftKv {

    /** The protocol's name on the command line, in hellos and in data folders. */
    public static final String NAME = "raft-kv";

    public static final long TICK_NS = 20_000_000L;
    public static final int SNAPSHOT_EVERY = 5000;

    /**
     * Flow control: at most one unacknowledged AppendEntries with entries per follower (etcd's
     * {@code MaxInflightMsgs}, here 1 instead of the simulator's 256). Entries proposed while it is out wait and
     * leave together, in one message, when its answer comes back: under load every round trip carries a batch
     * (up to {@link #MAX_ENTRIES_PER_APPEND}), so the work per write (steps, frames, system calls, answers)
     * falls as clients are added instead of staying at one AppendEntries and one answer per follower per
     * write. With one client nothing waits: its latency is unchanged. Measured in chapter 8 (section 8.8); the
     * system property {@code dsw.raft.maxInflight} overrides it for that before/after measurement.
     */
    public static final int MAX_INFLIGHT = Integer.getInteger("dsw.raft.maxInflight", 1);

    /** At most this many entries in one AppendEntries (256 entries of 4 KiB: a 1 MiB frame). */
    public static final int MAX_ENTRIES_PER_APPEND = 256;

    private RaftKv() {
    }

    /**
     * The JVM system property that plants a deliberate bug ({@link Mutation}, by its command-line name) in every node of
     * a fault-harness run ({@code ./dsw torture raft-kv --mutation M}); unset or "none": the correct protocol.
     */
    public static final String MUTATION_PROPERTY = "dsw.raft.mutation";

    /** The mutation named {@code name} ("none" included); unknown names throw, naming the allowed ones. */
    public static Mutation mutation(String name) {
        for (Mutation m : Mutation.values()) {
            if (m.cliName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown raft-kv mutation '" + name + "' (allowed: "
                + java.util.Arrays.stream(Mutation.values()).map(Mutation::cliName).collect(java.util.stream.Collectors.joining(", ")) + ")");
    }

    /** Server {@code id} (0-based) of {@code servers}. */
    public static Node<KvMessage> node(int id, int servers) {
        Mutation m = mutation(System.getProperty(MUTATION_PROPERTY, "none"));
        RaftConfig config = RaftConfig.builder(id, servers).electionTicks(10, 19).heartbeatTicks(2).preVote(true).checkQuorum(true)
                .maxInflight(MAX_INFLIGHT).maxEntriesPerAppend(MAX_ENTRIES_PER_APPEND).mutation(m).build();
        // lease reads for no-tick-catch-up, the bug only they can show (as the simulator's hunt runs it)
        return KvService.server(config, TICK_NS, m == Mutation.NO_TICK_CATCH_UP ? KvService.ReadMode.LEASE : KvService.ReadMode.READ_INDEX,
                SNAPSHOT_EVERY);
    }

    /** The wire codec. */
    public static io.github.dsw.runtime.Codec<KvMessage> codec() {
        return KvCodec.MESSAGES;
    }

    /**
     * Raft's durable garbage ({@code RaftStorage}'s layout): log entries {@code e/<i>} at or below the
     * snapshot's index (compacted) or above {@code last} (cut by a truncation) are dropped at checkpoints.
     */
    public static final DiskStorage.Retention RETENTION = (key, lookup) -> {
        if (!key.startsWith("e/")) {
            return true;
        }
        long i = Long.parseLong(key.substring(2));
        Snapshot snap = (Snapshot) lookup.apply("snap");
        Long last = (Long) lookup.apply("last");
        return (snap == null || i > snap.index()) && last != null && i <= last;
    };

    /** A status line: role, term, leader, indexes. */
    @SuppressWarnings("unchecked")
    public static String status(Node<KvMessage> node) {
        RaftNode r = ((RaftHost<KvStore, KvMessage>) node).raft();
        if (r == null) {
            return "raft: not started";
        }
        Status s = r.status();
        return "raft: node " + (s.id() + 1) + " " + s.role().name().toLowerCase(java.util.Locale.ROOT) + " term " + s.term() + " leader "
                + (s.leader() < 0 ? "none" : String.valueOf(s.leader() + 1)) + " commit " + s.commitIndex() + " applied " + s.lastApplied()
                + " last " + s.lastIndex() + " snapshot " + s.snapshotIndex();
    }

    /** The durable codec of Raft's state. */
    public static io.github.dsw.runtime.Codec<Object> durableCodec() {
        return RaftCodec.DURABLE;
    }

    /** The protocol as the shared runtime, client, harness and Maelstrom host use it. */
    public static final KvProtocol<KvMessage> PROTOCOL = new KvProtocol<>() {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Node<KvMessage> node(int id, int servers) {
            return RaftKv.node(id, servers);
        }

        @Override
        public io.github.dsw.runtime.Codec<KvMessage> codec() {
            return RaftKv.codec();
        }

        @Override
        public io.github.dsw.runtime.Codec<Object> durableCodec() {
            return RaftKv.durableCodec();
        }

        @Override
        public DiskStorage.Retention retention() {
            return RETENTION;
        }

        @Override
        public String status(Node<KvMessage> node) {
            return RaftKv.status(node);
        }

        @Override
        public boolean supportsCas() {
            return true;
        }

        @Override
        public boolean retriesAreSafe() {
            return true;
        }

        @Override
        public KvMessage request(long requestId, Fn f, String key, Object value) {
            return new KvMessage.Request(requestId, f, key, value, requestId);
        }

        @Override
        public Answer answer(KvMessage message) {
            if (!(message instanceof KvMessage.Reply r)) {
                return null;
            }
            return new Answer(r.requestId(), r.retry() ? Kind.RETRY : r.ok() ? Kind.OK : Kind.FAIL, r.value(), r.redirect());
        }

        @Override
        @SuppressWarnings("unchecked")
        public Long localValue(Node<KvMessage> node, String key) {
            return ((RaftHost<KvStore, KvMessage>) node).stateMachine().read(key);
        }
    };
}
