package io.github.dsw.cluster;

import io.github.dsw.runtime.CodecException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TCP connection per server shared by many {@link KvClient}s of one process, as a client library shares its
 * connections among an application's threads: each request travels in a {@link Frames#MUX} frame naming its client
 * (so the node keeps one session per client, exactly as with a connection each), and the node answers on the same
 * connection. What it saves is the per-request cost of the network path under many clients: requests that meet
 * leave in one write (the thread that finds the connection free writes everything queued, its own request and the
 * others'), the node reads them in one read and answers them in one write, and one reader thread per connection
 * hands each answer to the thread waiting for it.
 *
 * <p>Thread-safe. A connection that fails is dropped; its waiting requests see no answer (their clients try the
 * next server, as on a timeout) and the next request dials again.
 */
public final class ClientMux implements AutoCloseable {
    private final List<InetSocketAddress> servers;
    private final KvProtocol<?> protocol;
    private final int connectionId;
    private final Link[] links;
    private volatile boolean closed;

    /** @param connectionId the id in this process's hellos: at least the number of servers, unused by any client */
    public ClientMux(List<InetSocketAddress> servers, KvProtocol<?> protocol, int connectionId) {
        if (servers.isEmpty() || connectionId < servers.size()) {
            throw new IllegalArgumentException("need servers and connectionId >= " + servers.size() + ", got " + servers + ", " + connectionId);
        }
        this.servers = List.copyOf(servers);
        this.protocol = protocol;
        this.connectionId = connectionId;
        this.links = new Link[servers.size()];
    }

    List<InetSocketAddress> servers() {
        return servers;
    }

    KvProtocol<?> protocol() {
        return protocol;
    }

    /**
     * Sends client {@code clientId}'s encoded request {@code message} (request id {@code requestId}) to server
     * {@code to}; the answer is awaited with the returned future (null when the connection failed first).
     *
     * @throws IOException the server cannot be reached
     */
    CompletableFuture<KvProtocol.Answer> send(int to, int clientId, long requestId, byte[] message) throws IOException {
        Link l = link(to);
        CompletableFuture<KvProtocol.Answer> answer = new CompletableFuture<>();
        l.waiting.put(requestId, answer);
        l.outgoing.add(Frames.mux(clientId, message));
        try {
            l.flush();
        } catch (IOException e) {
            l.fail();
            throw e;
        }
        if (l.dead) {
            answer.complete(null); // failed between put and now: never left the waiting map otherwise
        }
        return answer;
    }

    /** Stops waiting for {@code requestId} at server {@code to} (its answer, if it comes, is ignored). */
    void forget(int to, long requestId) {
        Link l = links[to];
        if (l != null) {
            l.waiting.remove(requestId);
        }
    }

    /** The answer of {@code answer} by {@code untilNanoTime}; null: none (time out, connection lost). */
    static KvProtocol.Answer await(CompletableFuture<KvProtocol.Answer> answer, long untilNanoTime) {
        try {
            return answer.get(Math.max(0, untilNanoTime - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ClusterException c) {
                throw c;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Link link(int i) throws IOException {
        Link l = links[i]; // the common case without the monitor: 64 threads sending through one mux queue up on it
        if (l != null && !l.dead) {
            return l; // a Link's fields are final (safely published); close() marks every link dead
        }
        return dial(i);
    }

    private synchronized Link dial(int i) throws IOException {
        if (closed) {
            throw new IOException("client connections closed");
        }
        Link l = links[i];
        if (l != null && !l.dead) {
            return l;
        }
        l = new Link(Connection.open(servers.get(i), protocol.name(), Frames.Role.CLIENT, connectionId, 500));
        links[i] = l;
        Link link = l;
        IoThreads.start("kv-mux-" + connectionId + "-reader-" + (i + 1), link::readAnswers);
        return l;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Link l : links) {
            if (l != null) {
                l.fail();
            }
        }
    }

    /** One shared connection. */
    private final class Link {
        final Connection conn;
        final Map<Long, CompletableFuture<KvProtocol.Answer>> waiting = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<byte[]> outgoing = new ConcurrentLinkedQueue<>();
        final ReentrantLock writing = new ReentrantLock();
        volatile boolean dead;

        Link(Connection conn) {
            this.conn = conn;
        }

        /**
         * Writes what is queued if nobody else is writing: a thread that finds the connection busy leaves its frame
         * to the writer, which looks at the queue again after it lets go of the lock.
         */
        void flush() throws IOException {
            while (!outgoing.isEmpty() && writing.tryLock()) {
                try {
                    byte[] f;
                    while ((f = outgoing.poll()) != null) {
                        conn.out.write(f);
                    }
                    conn.out.flush();
                } finally {
                    writing.unlock();
                }
            }
        }

        void fail() {
            dead = true;
            conn.close();
            for (Long id : waiting.keySet()) {
                CompletableFuture<KvProtocol.Answer> f = waiting.remove(id);
                if (f != null) {
                    f.complete(null);
                }
            }
        }

        private void failWith(ClusterException e) {
            dead = true;
            conn.close();
            for (Long id : waiting.keySet()) {
                CompletableFuture<KvProtocol.Answer> f = waiting.remove(id);
                if (f != null) {
                    f.completeExceptionally(e);
                }
            }
        }

        /**
         * Reads the node's answers and completes their waiters. Frames as {@link Frames#read} reads them (its header
         * checks, {@link Frames#readHeader}; same exceptions), but the header array is reused and the message is copied once out of the payload: this
         * one thread handles every answer of the connection.
         */
        void readAnswers() {
            byte[] header = new byte[LogRecords.HEADER];
            java.io.DataInputStream in = conn.in;
            try {
                while (true) {
                    int len = Frames.readHeader(in, header); // the same header checks as Frames.read
                    if (len < 0) {
                        break;
                    }
                    byte[] payload = new byte[len];
                    in.readFully(payload);
                    if (Crc32c.of(payload) != LogRecords.getInt(header, 8)) {
                        continue; // dropped, as the node drops corrupt frames
                    }
                    int from;
                    if (payload[0] == Frames.MUX && len >= 5) {
                        from = 5; // after the client id: the request id in the message names the waiter
                    } else if (payload[0] == Frames.MESSAGE) {
                        from = 1;
                    } else {
                        continue;
                    }
                    byte[] body = java.util.Arrays.copyOfRange(payload, from, len);
                    KvProtocol.Answer a;
                    try {
                        a = answer(body);
                    } catch (CodecException e) {
                        failWith(new ClusterException(conn.socket.getRemoteSocketAddress() + " sent an undecodable message: " + e.getMessage()));
                        return;
                    }
                    if (a != null) {
                        CompletableFuture<KvProtocol.Answer> w = waiting.remove(a.requestId());
                        if (w != null) {
                            w.complete(a);
                        }
                    }
                }
            } catch (Frames.BrokenStreamException e) {
                failWith(new ClusterException(conn.socket.getRemoteSocketAddress() + " sent a malformed frame: " + e.getMessage()));
                return;
            } catch (IOException e) {
                // connection lost: the waiting requests see no answer
            }
            fail();
        }

        @SuppressWarnings("unchecked")
        private KvProtocol.Answer answer(byte[] body) {
            KvProtocol<Object> p = (KvProtocol<Object>) protocol;
            return p.answer(p.codec().decode(body));
        }
    }
}
