package io.github.dsw.bench.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jgroups.JChannel;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.protocols.raft.ELECTION;
import org.jgroups.protocols.raft.NO_DUPES;
import org.jgroups.protocols.raft.RAFT;
import org.jgroups.protocols.raft.REDIRECT;
import org.jgroups.raft.RaftHandle;
import org.jgroups.raft.StateMachine;
import org.jgroups.stack.Protocol;

/**
 * jgroups-raft 1.1.4 (Bela Ban et al., {@code org.jgroups:jgroups-raft}): {@code nodes} channels in this
 * JVM, each a JGroups stack on TCP bound to 127.0.0.1 with TCPPING discovery listing exactly the
 * members' ports (never UDP or IP multicast, which the library's bundled {@code raft.xml} uses; JGroups'
 * diagnostics, a multicast socket, are off). The stack follows {@code raft.xml} from the discovery
 * protocol up (MERGE3, FD_ALL3, VERIFY_SUSPECT, NAKACK2, UNICAST3, STABLE, NO_DUPES, GMS, UFC, FRAG4,
 * ELECTION, RAFT, REDIRECT) without its UDP-only parts. The log is {@code InMemoryLog} for {@code memory}
 * and {@code FileBasedLog} with fsync for {@code disk}.
 *
 * <p>Clients call {@link RaftHandle#setAsync} on the leader's handle in this JVM, as an embedded
 * application does; so unlike the other two systems a jgroups-raft client pays no network hop to reach
 * the leader. Reads go through the log too.
 */
public final class JGroupsRaftSystem implements RaftSystem {
    private static final AtomicLong RUNS = new AtomicLong();

    private final List<RaftHandle> handles = new ArrayList<>();
    private final List<Command.Store> stores = new ArrayList<>();
    private LogStorage storage;
    private int valueBytes;
    private volatile RaftHandle cachedLeader;

    @Override
    public String name() {
        return "jgroups-raft";
    }

    @Override
    public void start(int n, LogStorage storage, int valueBytes, Path dir) throws Exception {
        this.storage = storage;
        this.valueBytes = valueBytes;
        List<InetSocketAddress> ports = Ports.free(n);
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add("n" + (i + 1));
        }
        long run = RUNS.incrementAndGet();
        String cluster = "dsw-bench-" + ProcessHandle.current().pid() + "-" + run;
        Path logDir = dir.resolve("jgroups");
        Files.createDirectories(logDir);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < n; i++) {
            TCP tcp = new TCP();
            tcp.setBindAddress(loopback);
            tcp.setBindPort(ports.get(i).getPort());
            tcp.setPortRange(0);
            tcp.disableDiagnostics();
            TCPPING ping = new TCPPING();
            ping.setInitialHosts(ports);
            ping.setPortRange(0);
            RAFT raft = new RAFT();
            raft.members(members).raftId(members.get(i));
            raft.logDir(logDir.toString());
            raft.logPrefix(cluster + "-" + members.get(i));
            if (storage == LogStorage.DISK) {
                raft.logClass("org.jgroups.protocols.raft.FileBasedLog");
                raft.logUseFsync(true);
            } else {
                raft.logClass("org.jgroups.protocols.raft.InMemoryLog");
            }
            Protocol[] stack = {tcp, ping, new MERGE3(), new FD_ALL3(), new VERIFY_SUSPECT(), new NAKACK2().useMcastXmit(false),
                    new UNICAST3(), new STABLE(), new NO_DUPES(), new GMS().setJoinTimeout(2000).printLocalAddress(false), new UFC(), new FRAG4(),
                    new ELECTION(), raft, new REDIRECT()};
            JChannel ch = new JChannel(stack).name(members.get(i));
            Command.Store store = new Command.Store();
            RaftHandle h = new RaftHandle(ch, machine(store)).raftId(members.get(i));
            handles.add(h);
            stores.add(store);
        }
        for (RaftHandle h : handles) {
            h.channel().connect(cluster);
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (leader() == null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("jgroups-raft: no leader after 60 s");
            }
            Thread.sleep(50);
        }
    }

    private static StateMachine machine(Command.Store store) {
        return new StateMachine() {
            @Override
            public byte[] apply(byte[] data, int offset, int length, boolean serializeResponse) {
                byte[] r = store.apply(data, offset, length);
                return serializeResponse ? r : null;
            }

            @Override
            public void readContentFrom(DataInput in) throws Exception {
                store.readFrom(in);
            }

            @Override
            public void writeContentTo(DataOutput out) throws Exception {
                store.writeTo(out);
            }
        };
    }

    private RaftHandle leader() {
        RaftHandle c = cachedLeader;
        if (c != null && c.channel().isConnected() && c.isLeader()) {
            return c;
        }
        for (RaftHandle h : handles) {
            if (h != null && h.channel().isConnected() && h.isLeader()) {
                cachedLeader = h;
                return h;
            }
        }
        return null;
    }

    /** Runs {@code cmd} on the leader, waiting for a leader and retrying after a change, up to 30 s. */
    private byte[] submit(byte[] cmd) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            RaftHandle h = leader();
            if (h == null) {
                Thread.sleep(10);
                continue;
            }
            try {
                return h.setAsync(cmd, 0, cmd.length).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                last = e;
                cachedLeader = null;
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("jgroups-raft: no commit within 30 s", last);
    }

    @Override
    public Client client(int id) {
        String key = "k" + id;
        return new Client() {
            @Override
            public void write(long seq) throws Exception {
                submit(Command.write(key, seq, valueBytes));
            }

            @Override
            public long read() throws Exception {
                return Command.seqOf(submit(Command.read(key)));
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public void stopLeader() {
        RaftHandle l = leader();
        if (l == null) {
            throw new IllegalStateException("jgroups-raft: no leader to stop");
        }
        int i = handles.indexOf(l);
        cachedLeader = null;
        l.channel().close();
        handles.set(i, null);
    }

    @Override
    public String describe() {
        return "jgroups-raft 1.1.4.Final: JGroups TCP + TCPPING on 127.0.0.1, "
                + (storage == LogStorage.DISK ? "FileBasedLog with fsync" : "InMemoryLog") + ", clients on the leader's RaftHandle in-process";
    }

    @Override
    public void close() {
        for (RaftHandle h : handles) {
            if (h != null) {
                try {
                    h.channel().close();
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
        }
        handles.clear();
    }
}
