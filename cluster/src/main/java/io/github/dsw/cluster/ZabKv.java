package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.Node;
import io.github.dsw.zab.Mutation;
import io.github.dsw.zab.ZabCodec;
import io.github.dsw.zab.ZabKvServer;
import io.github.dsw.zab.ZabMessage;
import io.github.dsw.zab.ZabNode;

/**
 * Chapter 13's ZooKeeper-like key-value store ({@link ZabKvServer} on a {@link ZabNode}: fast leader election,
 * discovery, synchronisation, broadcast) as the cluster runs it: the same classes as the simulator's
 * {@code ZabKvRun}, with real-time ticks and {@link ZabCodec} on the wire and on disk.
 *
 * <p>Settings: a tick of {@link #TICK_NS} (20 ms, as {@link RaftKv}; the simulator uses 10 ms of virtual time), so
 * a follower that hears nothing from its leader for {@link ZabNode#SYNC_LIMIT_TICKS} ticks (200 ms) looks for a
 * new one, and a prospective leader has {@link ZabNode#INIT_LIMIT_TICKS} ticks (600 ms) to establish its epoch
 * (ZooKeeper's defaults are a 2 s tick, syncLimit 5 and initLimit 10: seconds, not hundreds of milliseconds).
 * Reads are {@code sync} + read ({@link ZabKvServer.ReadMode#SYNC}, linearizable); changes are proposed one per
 * PROPOSAL ({@link #node}) or batched ({@link #node(int, int, int)}, for the benchmarks). Any server takes a
 * request; a follower forwards changes to its leader; a server that is not serving answers "retry" and the client
 * tries the next one. The session table ({@code KvStore}) suppresses a retried request id, so retries are safe.
 *
 * <p>Durable state is ZabNode's ({@code zab.accepted}, {@code zab.current}, the history {@code zab.h/<i>} and
 * {@code zab.length}, and with snapshots {@code zab.snap} and {@code zab.base}); entries above {@code zab.length}, cut by a
 * TRUNC or a SNAP, and at or below {@code zab.base}, compacted after a snapshot, are garbage at checkpoints.
 */
public final class ZabKv implements KvProtocol<ZabMessage> {

    /** The protocol's name on the command line, in hellos and in data folders. */
    public static final String NAME = "zab-kv";
    public static final ZabKv PROTOCOL = new ZabKv();

    public static final long TICK_NS = 20_000_000L;

    /**
     * Each server snapshots its store and compacts its log after every this many deliveries (ZooKeeper's
     * {@code snapCount} is 100,000; smaller here so that a minute's torture run compacts several times).
     */
    public static final int SNAPSHOT_EVERY = 1000;

    /**
     * Entries of the history beyond its length (cut by TRUNC or SNAP) or at or below its base (compacted after a
     * snapshot) are garbage.
     */
    static final DiskStorage.Retention RETENTION = (key, lookup) -> {
        if (!key.startsWith("zab.h/")) {
            return true;
        }
        Long length = (Long) lookup.apply("zab.length");
        ZabNode.LogBase base = (ZabNode.LogBase) lookup.apply("zab.base");
        long i = Long.parseLong(key.substring("zab.h/".length()));
        return length != null && i <= length && (base == null || i > base.index());
    };

    private ZabKv() {
    }

    /** Server {@code id} (0-based) of {@code servers}, proposing up to {@code batch} changes per PROPOSAL (1: no batching). */
    public static Node<ZabMessage> node(int id, int servers, int batch) {
        return new ZabKvServer(TICK_NS, ZabKvServer.ReadMode.SYNC, Mutation.NONE, batch, ZabNode.DEFAULT_WINDOW, SNAPSHOT_EVERY);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Node<ZabMessage> node(int id, int servers) {
        return node(id, servers, 1);
    }

    @Override
    public Codec<ZabMessage> codec() {
        return ZabCodec.MESSAGES;
    }

    @Override
    public Codec<Object> durableCodec() {
        return ZabCodec.DURABLE;
    }

    @Override
    public DiskStorage.Retention retention() {
        return RETENTION;
    }

    @Override
    public String status(Node<ZabMessage> node) {
        ZabNode z = ((ZabKvServer) node).zab();
        if (z == null) {
            return "zab: not started";
        }
        return "zab: " + z.state().name().toLowerCase(java.util.Locale.ROOT) + " " + z.phase().name().toLowerCase(java.util.Locale.ROOT)
                + " epoch " + z.currentEpoch() + " accepted " + z.acceptedEpoch()
                + " leader " + (z.leader() < 0 ? "none" : String.valueOf(z.leader() + 1)) + " last " + z.lastZxid() + " history " + z.history().size() + " delivered " + z.deliveredCount() + (z.serving() ? " serving" : "");
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
    public ZabMessage request(long requestId, Fn f, String key, Object value) {
        return new ZabMessage.Request(requestId, f, key, value, requestId);
    }

    @Override
    public Answer answer(ZabMessage message) {
        if (!(message instanceof ZabMessage.Reply r)) {
            return null;
        }
        return new Answer(r.requestId(), r.retry() ? Kind.RETRY : r.ok() ? Kind.OK : Kind.FAIL, r.value(), -1);
    }

    @Override
    public Long localValue(Node<ZabMessage> node, String key) {
        return ((ZabKvServer) node).read(key);
    }
}
