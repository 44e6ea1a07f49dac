package io.github.dsw.bench.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;

/**
 * Apache Ratis 3.2.2 ({@code ratis-server} + {@code ratis-grpc}): {@code nodes} servers in this JVM, each
 * with its gRPC server on 127.0.0.1 and its own storage folder, and a {@link BaseStateMachine} applying
 * {@link Command}s to a {@link Command.Store}. The log is Ratis's memory log
 * ({@code raft.server.log.use.memory}) for {@code memory} and its segmented disk log for {@code disk},
 * whose worker forces the file before it reports entries as flushed (unsafe flush off, the default).
 *
 * <p>Two ways in, as Ratis's users send requests:
 * <ul>
 * <li>{@code ratis}: each benchmark client owns a {@link RaftClient} over gRPC (its own connection, as each
 * dsw-raft client owns a KvClient) and sends with the async API ({@code async().send}, as Apache Ozone's
 * XceiverClientRatis does), then waits for its own reply (closed loop). The blocking {@code io().send}
 * opens a new gRPC stream per call, and one RaftClient shared by all benchmark clients funnels every
 * request through one ordered stream: at 64 clients, 10 s warm-up, one quiet run each on the 2-core test
 * VM, 566 ops/s (io) and 445 (shared) against 820 (this way).</li>
 * <li>{@code ratis-embedded}: requests submitted in process to the leader's
 * {@code RaftServer.submitClientRequestAsync}, as Ozone's OzoneManagerRatisServer and SCMRatisServerImpl
 * do, and as jgroups-raft's clients call the leader's RaftHandle: no client round trip.</li>
 * </ul>
 * Reads are linearizable: {@code raft.server.read.option = LINEARIZABLE} makes the leader answer a
 * read-only query only after a ReadIndex round (Raft thesis section 6.4); Ratis's DEFAULT option would
 * answer from the leader's state machine at once, which a deposed leader can do stale.
 */
public final class RatisSystem implements RaftSystem {
    private final boolean embedded;
    private final List<RaftServer> servers = new ArrayList<>();
    private RaftGroup group;
    private RaftProperties clientProperties;
    private RaftPeerId leaderId;
    private LogStorage storage;
    private int valueBytes;

    /** Clients over gRPC ({@code ratis}). */
    public RatisSystem() {
        this(false);
    }

    /** {@code embedded}: requests submitted in process at the leader ({@code ratis-embedded}). */
    public RatisSystem(boolean embedded) {
        this.embedded = embedded;
    }

    @Override
    public String name() {
        return embedded ? "ratis-embedded" : "ratis";
    }

    /** The state machine: applies writes in log order; answers read-only queries from the applied map. */
    static final class KvMachine extends BaseStateMachine {
        final Command.Store store = new Command.Store();

        @Override
        public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
            LogEntryProto entry = trx.getLogEntry();
            byte[] cmd = entry.getStateMachineLogEntry().getLogData().toByteArray();
            byte[] r = store.apply(cmd, 0, cmd.length);
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            return CompletableFuture.completedFuture(r == null ? Message.EMPTY : Message.valueOf(ByteString.copyFrom(r)));
        }

        @Override
        public CompletableFuture<Message> query(Message request) {
            byte[] cmd = request.getContent().toByteArray();
            byte[] r = store.apply(cmd, 0, cmd.length);
            return CompletableFuture.completedFuture(r == null ? Message.EMPTY : Message.valueOf(ByteString.copyFrom(r)));
        }
    }

    /** One server's properties; every setting that differs from Ratis's default says why. */
    static RaftProperties serverProperties(int port, Path folder, LogStorage storage) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC); // ratis-grpc, the transport the issue names (and Ozone's)
        GrpcConfigKeys.Server.setHost(p, "127.0.0.1"); // loopback only (project rule); Ratis binds all interfaces by default
        GrpcConfigKeys.Server.setPort(p, port); // a free port (Ports.free)
        RaftServerConfigKeys.setStorageDir(p, List.of(folder.toFile())); // the run's folder, one per server
        // memory: MemoryRaftLog; disk: the default SegmentedRaftLog, forced before entries count as flushed
        RaftServerConfigKeys.Log.setUseMemory(p, storage == LogStorage.MEMORY);
        // Ratis's default election timeout (150-300 ms) churned leaders on the loaded two-core test machine
        // (ten terms in three seconds); one second or more keeps one leader, as dsw-raft's 200-380 ms ticks do there.
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
        // raft.server.log.appender.wait-time.min (default 10 ms): the appender sleeps until that long after its
        // previous AppendEntries before it sends the next; Apache Ozone sets 0 for its OM, SCM and datanodes
        // (OzoneManagerRatisServerConfig, ScmRatisServerConfig, DatanodeRatisServerConfig: tagged PERFORMANCE)
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
        // raft.server.read.option (default DEFAULT = leader reads without a ReadIndex round, stale after a split
        // brain; Ratis's configuration guide): LINEARIZABLE, as dsw-raft's and jgroups-raft's reads are
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        return p;
    }

    @Override
    public void start(int n, LogStorage storage, int valueBytes, Path dir) throws Exception {
        this.storage = storage;
        this.valueBytes = valueBytes;
        List<InetSocketAddress> ports = Ports.free(n);
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(RaftPeer.newBuilder().setId("n" + (i + 1)).setAddress("127.0.0.1:" + ports.get(i).getPort()).build());
        }
        group = RaftGroup.valueOf(RaftGroupId.randomId(), peers);
        for (int i = 0; i < n; i++) {
            Path folder = dir.resolve("ratis-" + (i + 1));
            Files.createDirectories(folder);
            RaftServer s = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf("n" + (i + 1))).setGroup(group)
                    .setProperties(serverProperties(ports.get(i).getPort(), folder, storage))
                    .setStateMachine(new KvMachine()).setOption(RaftStorage.StartupOption.FORMAT).build();
            servers.add(s);
        }
        for (RaftServer s : servers) {
            s.start();
        }
        int l = awaitLeader(60_000);
        if (l < 0) {
            throw new IllegalStateException("ratis: no leader after 60 s");
        }
        clientProperties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(clientProperties, SupportedRpcType.GRPC);
        leaderId = RaftPeerId.valueOf("n" + (l + 1)); // clients start at the leader, as dsw-raft's are redirected once
    }

    /** The index of the server whose division is a ready leader, waiting up to {@code ms}; -1 if none. */
    private int awaitLeader(long ms) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000L;
        while (true) {
            for (int i = 0; i < servers.size(); i++) {
                RaftServer s = servers.get(i);
                if (s != null && s.getDivision(group.getGroupId()).getInfo().isLeaderReady()) {
                    return i;
                }
            }
            if (System.nanoTime() > deadline) {
                return -1;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public Client client(int id) {
        String key = "k" + id;
        // a RaftClient follows a new leader itself (NotLeaderException carries it; a dead peer is retried elsewhere)
        RaftClient raftClient = embedded ? null
                : RaftClient.newBuilder().setProperties(clientProperties).setRaftGroup(group).setLeaderId(leaderId)
                        .setClientId(ClientId.randomId()).build();
        return new Client() {
            private final ClientId clientId = ClientId.randomId(); // embedded only: this client's requests
            private final AtomicLong callId = new AtomicLong();

            @Override
            public void write(long seq) throws Exception {
                Message m = Message.valueOf(ByteString.copyFrom(Command.write(key, seq, valueBytes)));
                RaftClientReply r = embedded ? submit(m, RaftClientRequest.writeRequestType()) : join(raftClient.async().send(m));
                if (!r.isSuccess()) {
                    throw new IllegalStateException("ratis: write " + seq + " failed: " + r.getException());
                }
            }

            @Override
            public long read() throws Exception {
                Message m = Message.valueOf(ByteString.copyFrom(Command.read(key)));
                RaftClientReply r = embedded ? submit(m, RaftClientRequest.readRequestType()) : join(raftClient.async().sendReadOnly(m));
                if (!r.isSuccess()) {
                    throw new IllegalStateException("ratis: read failed: " + r.getException());
                }
                ByteString content = r.getMessage().getContent();
                return content.isEmpty() ? -1 : Command.seqOf(content.toByteArray());
            }

            /**
             * Submits to the current leader in process; after a leader change (NotLeader, or the server
             * closed) it retries at the new one with the same call id, so Ratis's retry cache answers a write
             * that was already applied instead of applying it twice.
             */
            private RaftClientReply submit(Message m, RaftClientRequest.Type type) throws Exception {
                long call = callId.incrementAndGet();
                long deadline = System.nanoTime() + 30_000_000_000L;
                Exception last = null;
                while (true) {
                    int l = awaitLeader(10_000);
                    if (l >= 0) {
                        RaftPeerId leader = RaftPeerId.valueOf("n" + (l + 1));
                        RaftClientRequest req = RaftClientRequest.newBuilder().setClientId(clientId).setServerId(leader)
                                .setGroupId(group.getGroupId()).setCallId(call).setMessage(m).setType(type).build();
                        try {
                            RaftClientReply r = join(servers.get(l).submitClientRequestAsync(req));
                            if (r.isSuccess() || r.getStateMachineException() != null) {
                                return r;
                            }
                            last = r.getException(); // not leader (any more), not ready, closing: try the new leader
                        } catch (IOException | RuntimeException e) {
                            last = e; // the leader stopped under us
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("ratis: no leader took the request within 30 s; last: " + last);
                    }
                    Thread.sleep(20);
                }
            }

            @Override
            public void close() {
                if (raftClient != null) {
                    try {
                        raftClient.close();
                    } catch (IOException | RuntimeException e) {
                        // closing anyway
                    }
                }
            }
        };
    }

    /** Waits for this caller's own reply (closed loop); an exception inside the future is rethrown as it was. */
    private static RaftClientReply join(CompletableFuture<RaftClientReply> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void stopLeader() throws Exception {
        int l = awaitLeader(0);
        if (l < 0) {
            throw new IllegalStateException("ratis: no leader to stop");
        }
        servers.get(l).close();
        servers.set(l, null);
    }

    @Override
    public String describe() {
        return "ratis 3.2.2: gRPC on 127.0.0.1, " + (storage == LogStorage.DISK ? "segmented disk log (flush forces)" : "memory log")
                + (embedded ? ", requests submitted in process at the leader" : ", a RaftClient per client over gRPC (async API)")
                + ", linearizable reads (ReadIndex)";
    }

    @Override
    public void close() {
        for (RaftServer s : servers) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException | RuntimeException e) {
                    // closing anyway
                }
            }
        }
        servers.clear();
    }
}
