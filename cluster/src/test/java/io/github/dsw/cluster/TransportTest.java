package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three raft-kv nodes in this JVM on 127.0.0.1, each with its own event loop, sockets and data folder:
 * the client's operations behave as a map should, the nodes survive corrupt and malformed frames
 * (dropped and counted), and a client of another protocol is refused with a clear message.
 */
class TransportTest {

    @TempDir
    Path tmp;

    private final List<NodeRuntime<KvMessage>> nodes = new ArrayList<>();

    static List<InetSocketAddress> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                out.add(new InetSocketAddress("127.0.0.1", s.getLocalPort()));
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return out;
    }

    private List<InetSocketAddress> startCluster(int n) throws IOException {
        List<InetSocketAddress> peers = freePorts(n);
        for (int i = 0; i < n; i++) {
            DiskStorage storage = DiskStorage.open(tmp.resolve("n" + (i + 1)), new DiskStorage.Identity(RaftKv.NAME, i + 1, n), RaftKv.durableCodec(),
                    FsyncPolicy.GROUP, DiskStorage.Options.DEFAULT, RaftKv.RETENTION, l -> { });
            NodeRuntime<KvMessage> rt = new NodeRuntime<>(new NodeRuntime.Settings(RaftKv.NAME, i, peers, FsyncPolicy.GROUP, 100 + i, 1024),
                    RaftKv.node(i, n), RaftKv.codec(), storage, RaftKv::status, l -> { }, t -> { });
            rt.start();
            nodes.add(rt);
        }
        return peers;
    }

    private final List<NodeRuntime<?>> others = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(NodeRuntime::close);
        others.forEach(NodeRuntime::close);
    }

    /**
     * A PEER of another protocol: server 3 of the peer list runs multi-paxos-kv while servers 1 and 2 run
     * raft-kv. Each side refuses the other's peer connections (a hello naming another protocol: an ERROR
     * frame naming both protocols, then a close, counted), no message crosses, and the two Raft servers,
     * a majority, keep serving. Also by hand: a raw peer hello of another protocol gets that ERROR frame.
     */
    @Test
    void aPeerOfAnotherProtocolIsRefused() throws Exception {
        List<InetSocketAddress> peers = freePorts(3);
        for (int i = 0; i < 2; i++) {
            DiskStorage storage = DiskStorage.open(tmp.resolve("n" + (i + 1)), new DiskStorage.Identity(RaftKv.NAME, i + 1, 3), RaftKv.durableCodec(),
                    FsyncPolicy.GROUP, DiskStorage.Options.DEFAULT, RaftKv.RETENTION, l -> { });
            NodeRuntime<KvMessage> rt = new NodeRuntime<>(new NodeRuntime.Settings(RaftKv.NAME, i, peers, FsyncPolicy.GROUP, 100 + i, 1024),
                    RaftKv.node(i, 3), RaftKv.codec(), storage, RaftKv::status, l -> { }, t -> { });
            rt.start();
            nodes.add(rt);
        }
        MultiPaxosKv mp = MultiPaxosKv.PROTOCOL;
        NodeRuntime<?> paxos = new NodeRuntime<>(new NodeRuntime.Settings(mp.name(), 2, peers, FsyncPolicy.GROUP, 102, 1024), mp.node(2, 3), mp.codec(),
                new MemoryStorage(), mp::status, l -> { }, t -> { });
        paxos.start();
        others.add(paxos);
        waitFor(() -> nodes.get(0).counters().rejected.get() >= 1 && nodes.get(1).counters().rejected.get() >= 1 && paxos.counters().rejected.get() >= 1);
        try (Socket s = new Socket(peers.get(0).getAddress(), peers.get(0).getPort())) {
            s.getOutputStream().write(Frames.hello(new Frames.Hello(MultiPaxosKv.NAME, Frames.Role.PEER, 2)));
            s.getOutputStream().flush();
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            Frames.Frame f = Frames.read(in);
            assertEquals(Frames.ERROR, f.kind());
            assertTrue(Frames.parseText(f.body()).contains("speaks protocol multi-paxos-kv, this node runs raft-kv"), Frames.parseText(f.body()));
            assertEquals(null, Frames.read(in), "the node closes the connection after the ERROR frame");
        }
        try (KvClient<?> c = new KvClient<>(peers.subList(0, 2), RaftKv.PROTOCOL, 13, 500_000_000L)) {
            assertEquals(KvClient.Status.OK, c.execute(Fn.WRITE, "z", 3L, System.nanoTime() + 20_000_000_000L).status());
        }
        assertEquals(0, paxos.counters().undecodable.get() + paxos.counters().corruptFrames.get(), "no raft message was decoded as a paxos one");
    }

    @Test
    void putGetCasThroughTheLeader() throws IOException {
        List<InetSocketAddress> peers = startCluster(3);
        try (KvClient<?> c = new KvClient<>(peers, RaftKv.PROTOCOL, 10, 500_000_000L)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            assertEquals(KvClient.Status.OK, c.execute(Fn.WRITE, "x", 5L, deadline).status());
            KvClient.Result r = c.execute(Fn.READ, "x", null, deadline);
            assertEquals(KvClient.Status.OK, r.status());
            assertEquals(5L, r.value());
            assertEquals(KvClient.Status.OK, c.execute(Fn.CAS, "x", new Cas(5, 6), deadline).status());
            assertEquals(KvClient.Status.FAIL, c.execute(Fn.CAS, "x", new Cas(5, 7), deadline).status());
            assertEquals(6L, c.execute(Fn.READ, "x", null, deadline).value());
            KvClient.Result missing = c.execute(Fn.READ, "nothing", null, deadline);
            assertEquals(KvClient.Status.OK, missing.status());
            assertEquals(null, missing.value());
        }
        String status = AdminClient.call(peers.get(0), RaftKv.NAME, "status", 2000);
        assertTrue(status.startsWith("raft: node 1 "), status);
    }

    @Test
    void corruptAndMalformedFramesAreDroppedAndCounted() throws Exception {
        List<InetSocketAddress> peers = startCluster(3);
        NodeRuntime<KvMessage> target = nodes.get(0);
        try (Socket s = new Socket(peers.get(0).getAddress(), peers.get(0).getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(Frames.hello(new Frames.Hello(RaftKv.NAME, Frames.Role.PEER, 1)));
            byte[] frame = Frames.frame(Frames.MESSAGE, RaftKv.codec().encode(new KvMessage.Request(1, Fn.READ, "x", null)));
            frame[frame.length - 1] ^= 1; // payload damaged, header intact
            out.write(frame);
            byte[] undecodable = Frames.frame(Frames.MESSAGE, new byte[] {1, 99, 0});
            out.write(undecodable);
            out.flush();
            waitFor(() -> target.counters().corruptFrames.get() >= 1 && target.counters().undecodable.get() >= 1);
            // the stream is still in step: a garbage header now breaks it, and the node closes it
            out.write(new byte[] {0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8});
            out.flush();
            waitFor(() -> target.counters().brokenStreams.get() >= 1);
        }
        try (KvClient<?> c = new KvClient<>(peers, RaftKv.PROTOCOL, 11, 500_000_000L)) {
            assertEquals(KvClient.Status.OK, c.execute(Fn.WRITE, "y", 1L, System.nanoTime() + 20_000_000_000L).status());
        }
    }

    /**
     * The clients' side of the node (its selector thread) drops damaged frames as the peers' side does: on a CLIENT
     * connection a payload that fails its checksum and an undecodable message are counted and not delivered, a MUX
     * frame claiming a server's id is never delivered, and a garbage header closes the connection. Then a real
     * request on a fresh connection is answered.
     */
    @Test
    void corruptFramesOnAClientConnectionAreDroppedAndCounted() throws Exception {
        List<InetSocketAddress> peers = startCluster(3);
        NodeRuntime<KvMessage> target = nodes.get(0);
        try (Socket s = new Socket(peers.get(0).getAddress(), peers.get(0).getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(Frames.hello(new Frames.Hello(RaftKv.NAME, Frames.Role.CLIENT, 20)));
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            assertEquals(Frames.HELLO, Frames.read(in).kind());
            byte[] frame = Frames.frame(Frames.MESSAGE, RaftKv.codec().encode(new KvMessage.Request(1, Fn.READ, "x", null, 1)));
            frame[frame.length - 1] ^= 1; // payload damaged, header intact
            out.write(frame);
            out.write(Frames.frame(Frames.MESSAGE, new byte[] {1, 99, 0}));
            out.write(Frames.mux(1, RaftKv.codec().encode(new KvMessage.Request(2, Fn.READ, "x", null, 2)))); // "from server 2"
            out.flush();
            waitFor(() -> target.counters().corruptFrames.get() >= 1 && target.counters().undecodable.get() >= 2);
            out.write(new byte[] {0, 0, 0, 5, 1, 2, 3, 4, 5, 6, 7, 8});
            out.flush();
            waitFor(() -> target.counters().brokenStreams.get() >= 1);
            assertEquals(null, Frames.read(in), "the node closed the connection, and answered none of the damaged requests");
        }
        try (KvClient<?> c = new KvClient<>(peers, RaftKv.PROTOCOL, 21, 500_000_000L)) {
            assertEquals(KvClient.Status.OK, c.execute(Fn.WRITE, "y", 1L, System.nanoTime() + 20_000_000_000L).status());
        }
    }

    /**
     * Sixteen clients on threads of their own share one connection per server ({@link ClientMux}): each writes its
     * own key 1..40 and reads it back after every write and compares and sets it, so an answer delivered to the
     * wrong client (another key's value) or lost shows. The expected values are the sequence each thread wrote,
     * kept by the thread itself.
     */
    @Test
    void clientsSharingConnectionsEachGetTheirOwnAnswers() throws Exception {
        List<InetSocketAddress> peers = startCluster(3);
        int clients = 16;
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ClientMux mux = new ClientMux(peers, RaftKv.PROTOCOL, 100)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int id = 101 + i;
                threads.add(Thread.ofPlatform().start(() -> {
                    KvClient<?> c = new KvClient<>(mux, id, 500_000_000L);
                    String key = "k" + id;
                    long deadline = System.nanoTime() + 60_000_000_000L;
                    for (long v = 1; v <= 40; v++) {
                        KvClient.Result w = c.execute(Fn.WRITE, key, v * 1000 + id, deadline);
                        KvClient.Result r = c.execute(Fn.READ, key, null, deadline);
                        if (w.status() != KvClient.Status.OK || r.status() != KvClient.Status.OK || r.value() != v * 1000 + id) {
                            failures.add(key + " write " + v + ": " + w + ", read " + r);
                            return;
                        }
                    }
                    KvClient.Result cas = c.execute(Fn.CAS, key, new Cas(40_000 + id, 7), deadline);
                    KvClient.Result stale = c.execute(Fn.CAS, key, new Cas(40_000 + id, 8), deadline);
                    if (cas.status() != KvClient.Status.OK || stale.status() != KvClient.Status.FAIL) {
                        failures.add(key + " cas " + cas + ", stale cas " + stale);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(90_000);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void aClientOfAnotherProtocolIsRefusedWithAClearMessage() throws IOException {
        List<InetSocketAddress> peers = startCluster(3);
        try (KvClient<?> c = new KvClient<>(peers, MultiPaxosKv.PROTOCOL, 12, 500_000_000L)) {
            ClusterException e = assertThrows(ClusterException.class, () -> c.execute(Fn.READ, "x", null, System.nanoTime() + 5_000_000_000L));
            assertTrue(e.getMessage().contains("speaks protocol multi-paxos-kv, this node runs raft-kv"), e.getMessage());
        }
        waitFor(() -> nodes.stream().mapToLong(n -> n.counters().rejected.get()).sum() >= 1);
    }

    static void waitFor(java.util.function.BooleanSupplier cond) {
        long until = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not reached in 10 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
