package io.github.dsw.bench.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
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
 * Clients are {@link RaftClient}s over gRPC (they find the leader themselves); reads are
 * {@code sendReadOnly}, linearizable by the leader's read index.
 */
public final class RatisSystem implements RaftSystem {
    private final List<RaftServer> servers = new ArrayList<>();
    private RaftGroup group;
    private RaftProperties clientProperties;
    private RaftPeerId leaderId;
    private LogStorage storage;
    private int valueBytes;

    @Override
    public String name() {
        return "ratis";
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
            RaftProperties p = new RaftProperties();
            RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
            GrpcConfigKeys.Server.setHost(p, "127.0.0.1");
            GrpcConfigKeys.Server.setPort(p, ports.get(i).getPort());
            Path folder = dir.resolve("ratis-" + (i + 1));
            Files.createDirectories(folder);
            RaftServerConfigKeys.setStorageDir(p, List.of(folder.toFile()));
            RaftServerConfigKeys.Log.setUseMemory(p, storage == LogStorage.MEMORY);
            // Ratis's default election timeout (150-300 ms) churned leaders on the loaded two-core test machine
            // (ten terms in three seconds); one second or more keeps one leader, as dsw-raft's 200-380 ms ticks do there.
            RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
            RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
            // the leader's log appender waits at least raft.server.log.appender.wait-time.min (10 ms by default)
            // between two AppendEntries to a follower: with one client that caps a commit round at ~100 per second
            // and under load it grows; Apache Ozone's SCM sets it to 0 for the same reason
            RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
            RaftServer s = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf("n" + (i + 1))).setGroup(group).setProperties(p)
                    .setStateMachine(new KvMachine()).setOption(RaftStorage.StartupOption.FORMAT).build();
            servers.add(s);
        }
        for (RaftServer s : servers) {
            s.start();
        }
        clientProperties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(clientProperties, SupportedRpcType.GRPC);
        long deadline = System.nanoTime() + 60_000_000_000L;
        int l;
        while ((l = leaderIndex()) < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ratis: no leader after 60 s");
            }
            Thread.sleep(50);
        }
        leaderId = RaftPeerId.valueOf("n" + (l + 1)); // clients start at the leader, as dsw-raft's are redirected once
    }

    private int leaderIndex() throws IOException {
        for (int i = 0; i < servers.size(); i++) {
            RaftServer s = servers.get(i);
            if (s != null && s.getDivision(group.getGroupId()).getInfo().isLeaderReady()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Client client(int id) {
        RaftClient c = RaftClient.newBuilder().setProperties(clientProperties).setRaftGroup(group).setLeaderId(leaderId)
                .setClientId(ClientId.randomId()).build();
        String key = "k" + id;
        return new Client() {
            @Override
            public void write(long seq) throws IOException {
                RaftClientReply r = c.io().send(Message.valueOf(ByteString.copyFrom(Command.write(key, seq, valueBytes))));
                if (!r.isSuccess()) {
                    throw new IllegalStateException("ratis: write " + seq + " failed: " + r.getException());
                }
            }

            @Override
            public long read() throws IOException {
                RaftClientReply r = c.io().sendReadOnly(Message.valueOf(ByteString.copyFrom(Command.read(key))));
                if (!r.isSuccess()) {
                    throw new IllegalStateException("ratis: read failed: " + r.getException());
                }
                ByteString content = r.getMessage().getContent();
                return content.isEmpty() ? -1 : Command.seqOf(content.toByteArray());
            }

            @Override
            public void close() {
                try {
                    c.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        };
    }

    @Override
    public void stopLeader() throws IOException {
        int l = leaderIndex();
        if (l < 0) {
            throw new IllegalStateException("ratis: no leader to stop");
        }
        servers.get(l).close();
        servers.set(l, null);
    }

    @Override
    public String describe() {
        return "ratis 3.2.2: gRPC on 127.0.0.1, " + (storage == LogStorage.DISK ? "segmented disk log (flush forces)" : "memory log")
                + ", RaftClient over gRPC";
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
