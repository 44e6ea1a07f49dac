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
 * others'; the requests of clients woken by one read of answers leave together, written by the reader thread),
 * the node reads them in one read and answers them in one write, and one reader thread per connection hands each
 * answer to the thread waiting for it.
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
            if (!l.dispatching) {
                l.flush(); // else the reader thread writes it when it has handed out the answers it read
            }
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
        /**
         * The reader thread is handing out the answers of one read: a sender leaves its request in the queue, the
         * reader writes it when it is done. A sender that reads false writes itself; one that reads true enqueued
         * before it read, so the reader, which clears the flag before it writes, finds the request.
         */
        volatile boolean dispatching;

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
         * Reads the node's answers and completes their waiters, then writes the requests those waiters sent meanwhile.
         * Frames are checked as {@link Frames#read} checks them but parsed in this thread's own buffer
         * ({@link Frames#scan}, as the node's event loop parses them): each socket read takes whatever has arrived,
         * and the answers in it are handed out one after another. The clients woken first send their next requests
         * while this thread still wakes the others ({@link #dispatching}): their requests wait in the queue and leave in one write when the
         * last answer of the read has been handed out, instead of one write (one trip through the kernel's TCP
         * stack, one wake-up of the node's loop) each. Clients that send while this thread waits for the socket write
         * themselves, at once.
         */
        void readAnswers() {
            byte[] buf = new byte[1 << 16];
            int end = 0;
            java.io.DataInputStream in = conn.in;
            try {
                while (true) {
                    int p = Frames.scan(buf, 0, end, this::frame); // Frames.read's header checks
                    dispatching = false;
                    flush(); // the requests of the clients woken above that left them to this thread
                    buf = Frames.keepUnfinished(buf, p, end);
                    end -= p;
                    int n = in.read(buf, end, buf.length - end);
                    if (n < 0) {
                        break;
                    }
                    end += n;
                    dispatching = true;
                }
            } catch (Frames.BrokenStreamException e) {
                failWith(new ClusterException(conn.socket.getRemoteSocketAddress() + " sent a malformed frame: " + e.getMessage()));
                return;
            } catch (CodecException e) {
                failWith(new ClusterException(conn.socket.getRemoteSocketAddress() + " sent an undecodable message: " + e.getMessage()));
                return;
            } catch (IOException e) {
                // connection lost: the waiting requests see no answer
            } finally {
                dispatching = false;
            }
            fail();
        }

        /**
         * One complete frame from the node, its payload at {@code a[payload, payload + len)}: the answer it carries
         * completes its waiter. A corrupt frame is dropped, as the node drops one; an undecodable message throws
         * {@link CodecException} (the connection fails).
         */
        private void frame(byte[] a, int payload, int len, boolean intact) {
            int from;
            if (!intact) {
                return;
            } else if (a[payload] == Frames.MUX && len >= 5) {
                from = payload + 5; // after the client id: the request id in the message names the waiter
            } else if (a[payload] == Frames.MESSAGE) {
                from = payload + 1;
            } else {
                return;
            }
            KvProtocol.Answer reply = answer(java.util.Arrays.copyOfRange(a, from, payload + len));
            if (reply != null) {
                CompletableFuture<KvProtocol.Answer> w = waiting.remove(reply.requestId());
                if (w != null) {
                    w.complete(reply);
                }
            }
        }

        @SuppressWarnings("unchecked")
        private KvProtocol.Answer answer(byte[] body) {
            KvProtocol<Object> p = (KvProtocol<Object>) protocol;
            return p.answer(p.codec().decode(body));
        }
    }
}
