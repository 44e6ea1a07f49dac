package io.github.dsw.cluster;

import io.github.dsw.runtime.CodecException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One client connection of the fault harness to one server, with no redirection and no failover: what a
 * Jepsen client bound to one node does ({@code ./dsw torture --workload bound}), and how the harness sends a
 * membership change to the server that claims to lead. An answer that arrives after its request was given up
 * ({@link #giveUp}) is not lost: it goes to the late-answer handler registered for it, with its arrival, so the
 * history can say what really happened (the request was served, late).
 *
 * <p>One request awaited at a time by one thread; a virtual thread reads the answers.
 */
final class DirectLink<M> implements AutoCloseable {

    private final InetSocketAddress server;
    private final KvProtocol<M> protocol;
    private final int clientId;
    private final LinkedBlockingQueue<KvProtocol.Answer> replies = new LinkedBlockingQueue<>();
    private final Map<Long, Consumer<KvProtocol.Answer>> late = new HashMap<>();
    private Connection conn;

    DirectLink(InetSocketAddress server, KvProtocol<M> protocol, int clientId) {
        this.server = server;
        this.protocol = protocol;
        this.clientId = clientId;
    }

    /** Sends {@code message}; false if the server cannot be reached (down). */
    boolean send(M message) {
        try {
            if (conn == null || conn.socket.isClosed()) {
                conn = Connection.open(server, protocol.name(), Frames.Role.CLIENT, clientId, 500);
                Connection c = conn;
                Thread.ofVirtual().start(() -> read(c));
            }
            conn.send(Frames.frame(Frames.MESSAGE, protocol.codec().encode(message)));
            return true;
        } catch (IOException e) {
            close();
            return false;
        }
    }

    /** The answer to request {@code id}, or null if none came before {@code until} ({@link System#nanoTime} scale). */
    KvProtocol.Answer await(long id, long until) throws InterruptedException {
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            KvProtocol.Answer a = replies.poll(left, TimeUnit.NANOSECONDS);
            if (a != null && a.requestId() == id) {
                return a;
            }
        }
    }

    /**
     * Gives request {@code id} up: if its answer arrives after all (or arrived a moment ago), {@code onLate} gets it
     * (on the reader's thread, or on this one). Returns at once.
     */
    void giveUp(long id, Consumer<KvProtocol.Answer> onLate) {
        KvProtocol.Answer already = null;
        synchronized (this) {
            for (KvProtocol.Answer a : replies) {
                if (a.requestId() == id) {
                    already = a;
                }
            }
            replies.clear();
            if (already == null) {
                late.put(id, onLate);
            }
        }
        if (already != null) {
            onLate.accept(already);
        }
    }

    /** Late-answer handlers never called (their request was never answered), and forgets them. */
    synchronized Map<Long, Consumer<KvProtocol.Answer>> unanswered() {
        Map<Long, Consumer<KvProtocol.Answer>> out = Map.copyOf(late);
        late.clear();
        return out;
    }

    private void read(Connection c) {
        try {
            while (true) {
                Frames.Frame f = Frames.read(c.in);
                if (f == null) {
                    break;
                }
                if (f.corrupt() || f.kind() != Frames.MESSAGE) {
                    continue;
                }
                KvProtocol.Answer a;
                try {
                    a = protocol.answer(protocol.codec().decode(f.body()));
                } catch (CodecException e) {
                    continue;
                }
                if (a == null) {
                    continue;
                }
                Consumer<KvProtocol.Answer> handler;
                synchronized (this) {
                    handler = late.remove(a.requestId());
                    if (handler == null) {
                        replies.add(a);
                    }
                }
                if (handler != null) {
                    handler.accept(a);
                }
            }
        } catch (IOException | RuntimeException e) {
            // connection lost: the next send dials again
        } finally {
            c.close();
        }
    }

    @Override
    public void close() {
        if (conn != null) {
            conn.close();
            conn = null;
        }
    }
}
