package io.github.dsw.cluster;

import io.github.dsw.lease.LockMessage;
import io.github.dsw.lease.LockStore;
import io.github.dsw.runtime.CodecException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client of the lock service ({@link RaftLock}) over TCP: one session with a lease, kept alive by a
 * background thread, and locks acquired and released in it. What {@code ./dsw lock}, the real-process
 * torture ({@link LockTorture}) and {@code ./dsw lock-bench}'s row use.
 *
 * <p><b>Requests.</b> Each request has an id, kept across its retries; "retry" answers name the leader, an
 * attempt unanswered within {@code attemptNs} moves to the next server. Every operation of the lock store is
 * idempotent (a retried open opens one session: the client's nonce; a retried acquire or release answers as
 * the first did), so resending is safe. Several threads may call at once (the keep-alive thread and the
 * caller): replies are matched by request id.
 *
 * <p><b>Waiting.</b> A queued acquire waits for the leader's grant notice ({@link LockMessage.Granted}), and
 * resends the acquire every {@link #REASK_NS}: a notice lost with a crashed leader or a connection to a
 * follower is recovered because a re-sent acquire of the holder answers "granted". A notice that arrives after
 * the re-sent acquire's answer stays queued; it must not grant a later acquire of the same lock (the first
 * real-process torture caught exactly that: a client "holding" with its previous token), so a notice counts
 * only if its token is above every token this client was already granted for the lock (tokens are log indexes).
 *
 * <p><b>The lease bound</b> ({@link LockStore}'s Javadoc): after a keep-alive sent at {@code s} is acknowledged
 * the client may act as holder until {@code s + ttl (1 - ρ) / (1 + ρ)}, ρ = {@link #MAX_DRIFT}, on its
 * monotonic clock ({@link #leaseValid}). A process paused after checking it breaks the bound: hence tokens.
 */
public final class LockClient implements AutoCloseable {

    /** The clock-rate bound ρ the lease computation assumes (1%: ten times NTP's usual frequency error bound). */
    public static final double MAX_DRIFT = 0.01;

    /** A waiting acquire is re-sent this often. */
    public static final long REASK_NS = 300_000_000L;

    /** The service refused a request; {@link #result} names the reason. */
    public static final class Refused extends RuntimeException {
        private final transient LockStore.Result result;

        Refused(String what, LockStore.Result result) {
            super(what + ": " + result.message());
            this.result = result;
        }

        public LockStore.Result result() {
            return result;
        }
    }

    /** No definite answer before the deadline (the request may or may not have taken effect). */
    public static final class NoAnswer extends RuntimeException {
        NoAnswer(String what) {
            super(what);
        }
    }

    private final List<InetSocketAddress> servers;
    private final int clientId;
    private final long attemptNs;
    private final Connection[] conns;
    private final Map<Long, LinkedBlockingQueue<LockMessage.Reply>> waiting = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<LockStore.Grant> grants = new LinkedBlockingQueue<>();
    /** Per lock, the highest token this client was granted: a grant notice with a token not above it is stale. */
    private final Map<String, Long> highestGrant = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong();
    private volatile int target;
    private volatile ClusterException fatal;
    private volatile long session = -1;
    private volatile long ttlNs;
    private volatile long leaseUntilNs = Long.MIN_VALUE;
    private volatile LockStore.Result sessionLost;
    private volatile boolean closed;
    private Thread keeper;

    /**
     * @param clientId  this client's id in the service (unique in the cluster, at least the number of servers)
     * @param attemptNs how long one attempt waits before trying the next server
     */
    public LockClient(List<InetSocketAddress> servers, int clientId, long attemptNs) {
        if (servers.isEmpty() || clientId < servers.size() || attemptNs <= 0) {
            throw new IllegalArgumentException("need servers, clientId >= " + servers.size() + " and attemptNs > 0, got " + servers + ", " + clientId + ", " + attemptNs);
        }
        this.servers = List.copyOf(servers);
        this.clientId = clientId;
        this.attemptNs = attemptNs;
        this.conns = new Connection[servers.size()];
        this.target = Math.floorMod(clientId, servers.size());
    }

    /** The open session's id (the log index of its Open), or -1. */
    public long session() {
        return session;
    }

    /** Whether this client may still act as the holder of its locks by the lease bound (see the class comment). */
    public boolean leaseValid() {
        return session >= 0 && sessionLost == null && System.nanoTime() - leaseUntilNs < 0;
    }

    /** Why the session ended under us (a keep-alive answered expired), or null. */
    public LockStore.Result sessionLost() {
        return sessionLost;
    }

    /**
     * Opens a session with lease {@code ttlNs} and starts keeping it alive (a keep-alive every ttl / 4).
     *
     * @throws Refused  the service refused
     * @throws NoAnswer no definite answer by {@code deadlineNanoTime}
     */
    public long open(long ttlNs, long deadlineNanoTime) {
        if (session >= 0) {
            throw new IllegalStateException("a session is open: " + session);
        }
        long nonce = new java.security.SecureRandom().nextLong() & Long.MAX_VALUE;
        long sent = System.nanoTime();
        LockStore.Result r = call(new LockStore.Open(nonce, ttlNs), deadlineNanoTime, "open a session");
        this.ttlNs = ttlNs;
        this.sessionLost = null;
        this.leaseUntilNs = sent + leaseNs(ttlNs);
        this.session = r.session();
        keeper = Thread.ofPlatform().daemon().name("lock-keepalive-" + clientId).start(this::keepAlive);
        return r.session();
    }

    /** The part of a lease the client may use: ttl (1 - ρ) / (1 + ρ). */
    public static long leaseNs(long ttlNs) {
        return (long) (ttlNs * (1 - MAX_DRIFT) / (1 + MAX_DRIFT));
    }

    private void keepAlive() {
        long s = session;
        while (!closed && session == s && sessionLost == null) {
            try {
                Thread.sleep(Math.max(1, ttlNs / 4 / 1_000_000L));
            } catch (InterruptedException e) {
                return;
            }
            if (closed || session != s) {
                return;
            }
            long sent = System.nanoTime();
            try {
                call(new LockStore.KeepAlive(s), sent + ttlNs / 2, "keep-alive");
                if (sent - leaseUntilNs + leaseNs(ttlNs) > 0) {
                    leaseUntilNs = sent + leaseNs(ttlNs);
                }
            } catch (Refused e) {
                sessionLost = e.result();
                return;
            } catch (NoAnswer | ClusterException e) {
                // the lease runs down; the next keep-alive tries again
            }
        }
    }

    /**
     * Acquires {@code lock} in the open session, waiting in its FIFO queue until it is granted or
     * {@code deadlineNanoTime}; returns the fencing token, or -1 if not granted by then (the session stays
     * queued: a later acquire continues the wait, {@link #close} leaves the queue).
     *
     * @throws Refused  the service refused (an expired session, an empty name)
     * @throws NoAnswer no server answered by the deadline
     */
    public long acquire(String lock, long deadlineNanoTime) {
        long s = requireSession();
        boolean answered = false;
        while (System.nanoTime() - deadlineNanoTime < 0) {
            LockStore.Result r;
            try {
                r = call(new LockStore.Acquire(s, lock), deadlineNanoTime, "acquire " + lock);
            } catch (NoAnswer e) {
                if (answered) {
                    return -1;
                }
                throw e;
            }
            answered = true;
            if (!r.queued()) {
                return granted(lock, r.token());
            }
            long until = Math.min(deadlineNanoTime, System.nanoTime() + REASK_NS);
            try {
                while (true) {
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LockStore.Grant g = grants.poll(left, TimeUnit.NANOSECONDS);
                    // a notice of an earlier grant (the acquire's reply already answered it) is not this one
                    if (g != null && g.session() == s && g.lock().equals(lock) && g.token() > highestGrant.getOrDefault(lock, -1L)) {
                        return granted(lock, g.token());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    private long granted(String lock, long token) {
        highestGrant.merge(lock, token, Math::max);
        return token;
    }

    /**
     * Releases {@code lock} granted with {@code token} in session {@code session} (this client's, or another's
     * whose id and token are known: {@code ./dsw lock release}).
     *
     * @throws Refused  not the holder, an unknown lock, an expired session, a token of another lock
     * @throws NoAnswer no definite answer by the deadline
     */
    public void release(long session, String lock, long token, long deadlineNanoTime) {
        call(new LockStore.Release(session, lock, token), deadlineNanoTime, "release " + lock);
    }

    /** Releases in this client's session. */
    public void release(String lock, long token, long deadlineNanoTime) {
        release(requireSession(), lock, token, deadlineNanoTime);
    }

    private long requireSession() {
        long s = session;
        if (s < 0) {
            throw new IllegalStateException("no session: open one first");
        }
        return s;
    }

    /** Sends {@code op} until a definite reply; returns an ok result. */
    LockStore.Result call(LockStore.Op op, long deadlineNanoTime, String what) {
        long id = ((long) clientId << 32) | nextRequestId.incrementAndGet();
        byte[] frame = Frames.frame(Frames.MESSAGE, LockCodec.MESSAGES.encode(new LockMessage.Request(id, op)));
        LinkedBlockingQueue<LockMessage.Reply> box = new LinkedBlockingQueue<>();
        waiting.put(id, box);
        try {
            while (System.nanoTime() - deadlineNanoTime < 0) {
                if (fatal != null) {
                    throw fatal;
                }
                int to = target;
                try {
                    Connection c = connection(to);
                    synchronized (c) {
                        c.send(frame);
                    }
                } catch (IOException e) {
                    drop(to);
                    target = (to + 1) % servers.size();
                    pause(20);
                    continue;
                }
                LockMessage.Reply r;
                try {
                    long left = Math.min(deadlineNanoTime - System.nanoTime(), attemptNs);
                    r = left <= 0 ? null : box.poll(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                if (fatal != null) {
                    throw fatal;
                }
                if (r == null) {
                    if (target == to) {
                        target = (to + 1) % servers.size();
                    }
                    continue;
                }
                if (r.retry()) {
                    target = r.redirect() >= 0 && r.redirect() < servers.size() ? r.redirect() : (to + 1) % servers.size();
                    pause(r.redirect() >= 0 ? 2 : 20);
                    continue;
                }
                if (!r.result().ok()) {
                    throw new Refused(what, r.result());
                }
                return r.result();
            }
            throw new NoAnswer(what + ": no definite answer from " + LocalCluster.peerList(servers) + " in time");
        } finally {
            waiting.remove(id);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Connection connection(int i) throws IOException {
        Connection c = conns[i];
        if (c != null && !c.socket.isClosed()) {
            return c;
        }
        c = Connection.open(servers.get(i), RaftLock.NAME, Frames.Role.CLIENT, clientId, 500);
        conns[i] = c;
        Connection conn = c;
        Thread.ofVirtual().start(() -> readReplies(conn));
        return c;
    }

    private void readReplies(Connection c) {
        try {
            while (true) {
                Frames.Frame f = Frames.read(c.in);
                if (f == null) {
                    break;
                }
                if (f.corrupt() || f.kind() != Frames.MESSAGE) {
                    continue;
                }
                LockMessage m;
                try {
                    m = LockCodec.MESSAGES.decode(f.body());
                } catch (CodecException e) {
                    fatal = new ClusterException(c.socket.getRemoteSocketAddress() + " sent an undecodable message: " + e.getMessage());
                    wakeAll();
                    return;
                }
                switch (m) {
                    case LockMessage.Reply r -> {
                        LinkedBlockingQueue<LockMessage.Reply> box = waiting.get(r.requestId());
                        if (box != null) {
                            box.add(r);
                        }
                    }
                    case LockMessage.Granted g -> grants.add(g.grant());
                    default -> { } // servers send clients nothing else
                }
            }
        } catch (Frames.BrokenStreamException e) {
            fatal = new ClusterException(c.socket.getRemoteSocketAddress() + " sent a malformed frame: " + e.getMessage());
            wakeAll();
        } catch (IOException e) {
            // connection lost: the next attempt dials again
        } finally {
            c.close();
        }
    }

    private void wakeAll() {
        for (LinkedBlockingQueue<LockMessage.Reply> box : waiting.values()) {
            box.add(LockMessage.Reply.retry(-1, -1));
        }
    }

    private synchronized void drop(int i) {
        if (conns[i] != null) {
            conns[i].close();
            conns[i] = null;
        }
    }

    /**
     * Ends the session (its locks are released, it leaves every queue), waiting at most {@code timeoutNs} for the
     * answer, then closes the connections. Without an answer the session simply expires after its ttl.
     */
    public void close(long timeoutNs) {
        long s = session;
        closed = true;
        if (keeper != null) {
            keeper.interrupt();
        }
        if (s >= 0 && sessionLost == null && timeoutNs > 0) {
            try {
                call(new LockStore.Close(s), System.nanoTime() + timeoutNs, "close the session");
            } catch (RuntimeException e) {
                // it expires by itself
            }
        }
        session = -1;
        for (int i = 0; i < conns.length; i++) {
            drop(i);
        }
    }

    /** Closes the connections and stops keeping the session alive, without ending it (it expires after its ttl). */
    public void detach() {
        closed = true;
        if (keeper != null) {
            keeper.interrupt();
        }
        for (int i = 0; i < conns.length; i++) {
            drop(i);
        }
    }

    @Override
    public void close() {
        close(1_000_000_000L);
    }
}
