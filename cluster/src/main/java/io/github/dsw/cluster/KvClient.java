package io.github.dsw.cluster;

import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.runtime.CodecException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A client of the replicated key-value store over TCP, with the session rules of chapter 7
 * ({@code KvService}, dissertation section 6.3): each operation gets a new request id and keeps it across
 * every retry, so that the store's session table applies it at most once however many copies arrive;
 * a "retry" answer names the leader (redirection), an attempt unanswered within {@code attemptNs} moves on
 * to the next server, and the operation gives up at its deadline with an unknown outcome.
 *
 * <p>Each unanswered attempt doubles the wait of the next one (up to {@link #MAX_ATTEMPT_FACTOR} times
 * {@code attemptNs}): a server that is merely slow under load (not down) would otherwise get the same
 * request again every {@code attemptNs}, and a leader that receives it again before its first copy is applied
 * proposes it again (the session table makes the copy harmless, but it costs a log entry and a round):
 * under overload a fixed timeout turns into a resend storm that feeds the overload.
 *
 * <p>Each request carries {@code firstUnanswered = its own id}: this client has one operation outstanding,
 * so a request it gave up on can never be executed after the next one is applied (the session's floor).
 *
 * <p>One operation at a time (not thread-safe). The calling thread reads the answer itself from the connection
 * it sent the request on (a read with the attempt's timeout; answers to earlier operations or attempts are
 * skipped): no reader thread and no hand-off between threads per operation. An attempt that times out closes
 * its connection (a partly read frame would leave the stream out of step); the next attempt there dials again.
 */
public final class KvClient<M> implements AutoCloseable {

    /** How an operation ended: OK (with a read's value), FAIL (definitely not applied), UNKNOWN (gave up). */
    public enum Status { OK, FAIL, UNKNOWN }

    /** The outcome; {@code attempts} counts requests sent, {@code redirects} the "retry" answers followed. */
    public record Result(Status status, Long value, int attempts, int redirects) {
    }

    private final List<InetSocketAddress> servers;
    private final KvProtocol<M> protocol;
    private final int clientId;
    private final long attemptNs;
    private final Connection[] conns;
    /** Shared connections ({@link ClientMux}), or null: this client's own connections. */
    private final ClientMux mux;
    /** With {@link #mux}: the answer of the attempt in flight. */
    private java.util.concurrent.CompletableFuture<KvProtocol.Answer> inFlight;
    /** An unanswered attempt doubles the next one's wait, up to this many times {@code attemptNs}. */
    static final int MAX_ATTEMPT_FACTOR = 8;
    private long nextRequestId;
    private int target;

    /**
     * @param clientId  this client's process id in the store's sessions: unique in the cluster, at least the
     *                  number of servers
     * @param attemptNs how long one attempt waits for an answer before trying the next server
     */
    public KvClient(List<InetSocketAddress> servers, KvProtocol<M> protocol, int clientId, long attemptNs) {
        this(servers, protocol, clientId, attemptNs, null);
    }

    /**
     * A client whose requests travel on {@code mux}'s connections, shared with the other clients of this process
     * (the servers and the protocol are the mux's); {@code clientId} as above, different from the mux's own id.
     */
    @SuppressWarnings("unchecked")
    public KvClient(ClientMux mux, int clientId, long attemptNs) {
        this(mux.servers(), (KvProtocol<M>) mux.protocol(), clientId, attemptNs, mux);
    }

    private KvClient(List<InetSocketAddress> servers, KvProtocol<M> protocol, int clientId, long attemptNs, ClientMux mux) {
        this.mux = mux;
        if (servers.isEmpty() || clientId < servers.size() || attemptNs <= 0) {
            throw new IllegalArgumentException("need servers, clientId >= " + servers.size() + " and attemptNs > 0, got " + servers + ", " + clientId + ", " + attemptNs);
        }
        this.servers = List.copyOf(servers);
        this.protocol = protocol;
        this.clientId = clientId;
        this.attemptNs = attemptNs;
        this.conns = new Connection[servers.size()];
        this.target = Math.floorMod(clientId, servers.size());
    }

    /**
     * The constructor of the raft-kv-only version, kept for callers written against it: the protocol by
     * name ({@link KvProtocol#byName}); {@code codec} must be that protocol's.
     */
    @SuppressWarnings("unchecked")
    public KvClient(List<InetSocketAddress> servers, String protocol, io.github.dsw.runtime.Codec<M> codec, int clientId, long attemptNs) {
        this(servers, (KvProtocol<M>) KvProtocol.byName(protocol), clientId, attemptNs);
        if (codec != this.protocol.codec()) {
            throw new IllegalArgumentException("codec is not " + protocol + "'s");
        }
    }

    /** The server (0-based) the next attempt goes to. */
    public int target() {
        return target;
    }

    /**
     * Runs one operation until it has a definite answer or {@code deadlineNanoTime} passes
     * ({@link System#nanoTime} scale). {@code value}: null (read), a Long (write), a Cas.
     *
     * @throws ClusterException a server speaks another protocol or sends frames that are not frames
     */
    public Result execute(Fn f, String key, Object value, long deadlineNanoTime) {
        long id = ((long) clientId << 32) | ++nextRequestId; // increasing for this client, unique in the cluster
        byte[] message = protocol.codec().encode(protocol.request(id, f, key, value));
        byte[] frame = mux == null ? Frames.frame(Frames.MESSAGE, message) : null;
        inFlight = null;
        int attempts = 0;
        int redirects = 0;
        long attempt = attemptNs;
        // a protocol without duplicate suppression gets each write once, at one server (KvProtocol.retriesAreSafe)
        boolean once = !protocol.retriesAreSafe() && f != Fn.READ;
        while (System.nanoTime() < deadlineNanoTime) {
            if (once && attempts > 0) {
                KvProtocol.Answer r = (mux == null ? conns[target] == null : inFlight == null) ? null : await(target, id, deadlineNanoTime);
                if (r == null) {
                    break;
                }
                return new Result(r.kind() == KvProtocol.Kind.OK ? Status.OK : r.kind() == KvProtocol.Kind.FAIL ? Status.FAIL : Status.UNKNOWN, r.value(),
                        attempts, redirects);
            }
            int to = target;
            try {
                if (mux != null) {
                    inFlight = mux.send(to, clientId, id, message);
                } else {
                    connection(to).send(frame);
                }
                attempts++;
            } catch (IOException e) {
                drop(to);
                target = (to + 1) % servers.size();
                pause(20);
                continue;
            }
            if (once) {
                continue; // waits for this one server's answer, above
            }
            KvProtocol.Answer r = await(to, id, Math.min(deadlineNanoTime, System.nanoTime() + attempt));
            if (r == null) {
                target = (to + 1) % servers.size(); // no answer: the server is down, paused or cut off
                attempt = Math.min(attempt * 2, MAX_ATTEMPT_FACTOR * attemptNs); // or just overloaded: do not add to its queue
                continue;
            }
            if (r.kind() == KvProtocol.Kind.RETRY) {
                redirects++;
                target = r.redirect() >= 0 && r.redirect() < servers.size() ? r.redirect() : (to + 1) % servers.size();
                pause(r.redirect() >= 0 ? 2 : 20); // no leader known: give the election a moment
                continue;
            }
            return new Result(r.kind() == KvProtocol.Kind.OK ? Status.OK : Status.FAIL, r.value(), attempts, redirects);
        }
        return new Result(attempts == 0 ? Status.FAIL : Status.UNKNOWN, null, attempts, redirects);
    }

    /**
     * Reads answers from connection {@code to} until the one to request {@code id} (null: the time ran out or the
     * connection ended; either way the connection is closed).
     *
     * @throws ClusterException the server sent a malformed frame or an undecodable message
     */
    private KvProtocol.Answer await(int to, long id, long until) {
        if (mux != null) {
            KvProtocol.Answer a = ClientMux.await(inFlight, until);
            if (a == null) {
                mux.forget(to, id);
            }
            return a;
        }
        Connection c = conns[to];
        try {
            while (true) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    drop(to);
                    return null;
                }
                c.socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
                Frames.Frame f = Frames.read(c.in);
                if (f == null) {
                    drop(to); // the server closed the connection (stopped, restarted)
                    pause(20);
                    return null;
                }
                if (f.corrupt() || f.kind() != Frames.MESSAGE) {
                    continue; // dropped, as the node drops corrupt frames
                }
                KvProtocol.Answer a;
                try {
                    a = protocol.answer(protocol.codec().decode(f.body()));
                } catch (CodecException e) {
                    drop(to);
                    throw new ClusterException(c.socket.getRemoteSocketAddress() + " sent an undecodable message: " + e.getMessage());
                }
                if (a != null && a.requestId() == id) {
                    return a;
                }
                // a late answer to an earlier operation or attempt: ignored
            }
        } catch (java.net.SocketTimeoutException e) {
            drop(to); // maybe inside a frame: the stream cannot be trusted to be in step any more
            return null;
        } catch (Frames.BrokenStreamException e) {
            drop(to);
            throw new ClusterException(c.socket.getRemoteSocketAddress() + " sent a malformed frame: " + e.getMessage());
        } catch (IOException e) {
            drop(to);
            pause(20);
            return null;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Connection connection(int i) throws IOException {
        Connection c = conns[i];
        if (c != null && !c.socket.isClosed()) {
            return c;
        }
        c = Connection.open(servers.get(i), protocol.name(), Frames.Role.CLIENT, clientId, 500);
        conns[i] = c;
        return c;
    }

    private void drop(int i) {
        if (conns[i] != null) {
            conns[i].close();
            conns[i] = null;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < conns.length; i++) {
            drop(i);
        }
    }
}
