package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.raft.KvMessage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientMux} against a scripted server on 127.0.0.1 (not a node): the server holds its answers until every
 * client's request of a round has arrived, then sends them all in one write. The mux's reader thread then hands out
 * a whole round of answers at once, and the clients it wakes send their next requests while it is still doing so:
 * those requests are left to the reader, which must write them when it is done. If it did not, the round would
 * never complete (the clients wait 60 s per attempt; the server gives up after 10 s and says which round).
 */
class ClientMuxTest {
    private static final int CLIENTS = 16;
    private static final int ROUNDS = 40;

    @Test
    void requestsSentWhileTheReaderHandsOutAnswersAreWritten() throws Exception {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread serving = Thread.ofPlatform().daemon().start(() -> serve(server, failures));
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            try (ClientMux mux = new ClientMux(List.of(address), RaftKv.PROTOCOL, 1)) {
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int id = 10 + i;
                    threads.add(Thread.ofPlatform().start(() -> {
                        KvClient<?> c = new KvClient<>(mux, id, 60_000_000_000L);
                        for (long v = 1; v <= ROUNDS; v++) {
                            KvClient.Result r = c.execute(Fn.WRITE, "k" + id, v, System.nanoTime() + 60_000_000_000L);
                            if (r.status() != KvClient.Status.OK || r.attempts() != 1) {
                                failures.add("client " + id + " round " + v + ": " + r);
                                return;
                            }
                        }
                    }));
                }
                for (Thread t : threads) {
                    t.join(120_000);
                }
            }
            serving.join(5_000);
        }
        assertEquals(List.of(), failures);
    }

    /** Answers OK to every request, a round of {@link #CLIENTS} requests at a time, each round in one write. */
    private static void serve(ServerSocket server, List<String> failures) {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            Frames.Frame hello = Frames.read(in);
            if (hello == null || hello.kind() != Frames.HELLO) {
                failures.add("the mux did not say hello: " + hello);
                return;
            }
            out.write(Frames.hello(new Frames.Hello(RaftKv.NAME, Frames.Role.PEER, 0)));
            out.flush();
            s.setSoTimeout(10_000);
            for (int round = 1; round <= ROUNDS; round++) {
                java.io.ByteArrayOutputStream answers = new java.io.ByteArrayOutputStream();
                for (int got = 0; got < CLIENTS; got++) {
                    Frames.Frame f;
                    try {
                        f = Frames.read(in);
                    } catch (java.net.SocketTimeoutException e) {
                        failures.add("round " + round + ": " + got + " of " + CLIENTS + " requests arrived within 10 s");
                        return;
                    }
                    if (f == null || f.kind() != Frames.MUX || f.corrupt()) {
                        failures.add("round " + round + ": expected a request in a mux frame, got " + f);
                        return;
                    }
                    int client = LogRecords.getInt(f.body(), 0);
                    KvMessage m = RaftKv.codec().decode(java.util.Arrays.copyOfRange(f.body(), 4, f.body().length));
                    if (!(m instanceof KvMessage.Request r)) {
                        failures.add("round " + round + ": expected a request, got " + m);
                        return;
                    }
                    answers.write(Frames.mux(client, RaftKv.codec().encode(new KvMessage.Reply(r.requestId(), true, null, -1, false))));
                }
                out.write(answers.toByteArray()); // the whole round at once
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            failures.add("server: " + e);
        }
    }
}
