import io.github.dsw.labs.LockServiceLab;
import io.github.dsw.lease.LockStore.Acquire;
import io.github.dsw.lease.LockStore.Applied;
import io.github.dsw.lease.LockStore.Close;
import io.github.dsw.lease.LockStore.Command;
import io.github.dsw.lease.LockStore.Error;
import io.github.dsw.lease.LockStore.Grant;
import io.github.dsw.lease.LockStore.KeepAlive;
import io.github.dsw.lease.LockStore.Open;
import io.github.dsw.lease.LockStore.Release;
import io.github.dsw.lease.LockStore.Result;
import io.github.dsw.lease.LockStore.Sequencer;
import io.github.dsw.lease.LockStore.Tick;
import io.github.dsw.raft.LogEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lab lock-service (course chapter 9): the lock table of a lock service run as a replicated state machine on Raft,
 * as Chubby (Burrows, OSDI 2006) and ZooKeeper's lock recipe are. Every replica applies the same log entries in the
 * same order, so this class must be deterministic: no clock, no randomness. Sessions and time are written for you
 * (a session expires when the largest stamp applied reaches its open's or last keep-alive's stamp + ttl). You write
 * the four methods that throw:
 * <ul>
 *   <li>{@link #acquire}: a free lock is granted at once; otherwise the session queues at the END (FIFO) and the
 *       result names its predecessor (the holder, or the waiter before it). A retried acquire of the holder answers
 *       granted again, of a waiter queued again with the same predecessor.</li>
 *   <li>{@link #grantNext}: the FENCING TOKEN of a grant is {@code max(index, lastToken + 1)}: the log index of the
 *       entry whose application grants it, unless an earlier grant already used that number (one entry can pass
 *       several locks on: a Tick at which two holders expire), then {@code lastToken} becomes the token issued. So
 *       tokens are unique and strictly increase over the whole service, on every replica (Chubby's sequencer).
 *       Record every grant in {@code grants} (the service notifies that client).</li>
 *   <li>{@link #release}: in this order: a retried release (this session's last release, same lock and token) is
 *       ok again; the session holds the named lock with that token: released; otherwise a token that is the grant
 *       of ANOTHER held lock is {@code TOKEN_OF_ANOTHER_LOCK}; a lock nobody holds or waits for is
 *       {@code UNKNOWN_LOCK}; a session that is not the holder with that token is {@code NOT_HOLDER}. A release
 *       hands the lock on at once.</li>
 *   <li>{@link #end}: a session ends (closed, or {@code expired}): it leaves every queue, and each lock it holds is
 *       passed on, except after an EXPIRY with a lock-delay: then nobody gets the lock until {@code clock +
 *       lockDelay} (Chubby, section 2.4), which {@link #advanceTime} checks at every entry. (When several sessions
 *       expire at one entry, {@link #advanceTime} takes them all out of every queue before calling {@code end}, so
 *       a lock never passes to a session that ends in the same entry.)</li>
 * </ul>
 * Build results with {@link #ok}, {@link #granted}, {@link #queued} and {@link #error}.
 *
 * <p>Grade: {@code ./dsw grade lock-service}.
 */
public final class StudentLockStore implements LockServiceLab {

    private static final class Session {
        final int client;
        final long nonce;
        final long ttlNs;
        long deadlineNs;
        String releasedLock = ""; // the last lock this session released, and its token: a retried release is ok
        long releasedToken = -1;

        Session(int client, long nonce, long ttlNs, long deadlineNs) {
            this.client = client;
            this.nonce = nonce;
            this.ttlNs = ttlNs;
            this.deadlineNs = deadlineNs;
        }
    }

    private static final class Lock {
        long holder = -1; // session, -1 if free
        long token = -1;
        long delayedUntilNs = Long.MIN_VALUE; // lock-delay after a holder's session expired
        final Deque<Long> waiters = new ArrayDeque<>();
    }

    private long lockDelayNs;
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private final TreeMap<String, Lock> locks = new TreeMap<>();
    private long term;
    private long clockNs;
    private long highestSessionId;
    private long lastToken; // the token of the last grant (0 before any): yours to keep in grantNext

    @Override
    public void lockDelay(long ns) {
        lockDelayNs = ns;
    }

    @Override
    public Applied apply(long index, LogEntry entry) {
        if (!(entry.command() instanceof Command c)) {
            return null;
        }
        List<Grant> grants = new ArrayList<>();
        advanceTime(entry.term(), c.stampNs(), index, grants);
        Result r = switch (c.op()) {
            case Open o -> open(index, c.client(), o);
            case KeepAlive k -> keepAlive(k.session());
            case Acquire a -> acquire(index, a, grants);
            case Release rel -> release(index, rel, grants);
            case Close cl -> {
                if (!sessions.containsKey(cl.session())) {
                    yield sessionError(cl.session());
                }
                end(index, cl.session(), false, grants);
                yield ok(cl.session());
            }
            case Tick t -> null;
        };
        return new Applied(r, List.copyOf(grants));
    }

    /** A new term re-bases every deadline on the new leader's clock; then expired sessions end, in id order. */
    private void advanceTime(long entryTerm, long stampNs, long index, List<Grant> grants) {
        if (entryTerm != term) {
            term = entryTerm;
            clockNs = stampNs;
            for (Session s : sessions.values()) {
                s.deadlineNs = stampNs + s.ttlNs;
            }
            for (Lock l : locks.values()) {
                if (l.delayedUntilNs != Long.MIN_VALUE) {
                    l.delayedUntilNs = stampNs + lockDelayNs;
                }
            }
        } else {
            clockNs = Math.max(clockNs, stampNs);
        }
        List<Long> expired = new ArrayList<>();
        for (Map.Entry<Long, Session> e : sessions.entrySet()) {
            if (e.getValue().deadlineNs <= clockNs) {
                expired.add(e.getKey());
            }
        }
        for (long s : expired) { // first out of every queue, so that no lock passes to a session ending now
            for (Lock l : locks.values()) {
                l.waiters.remove(s);
            }
        }
        for (long s : expired) {
            end(index, s, true, grants);
        }
        for (Map.Entry<String, Lock> e : locks.entrySet()) {
            if (e.getValue().holder < 0 && e.getValue().delayedUntilNs <= clockNs) {
                grantNext(index, e.getKey(), e.getValue(), grants); // a lock-delay ran out
            }
        }
        locks.values().removeIf(l -> l.holder < 0 && l.waiters.isEmpty() && l.delayedUntilNs <= clockNs);
    }

    private Result open(long index, int client, Open o) {
        if (o.ttlNs() <= 0) {
            return error(Error.BAD_REQUEST, "ttlNs must be > 0, got " + o.ttlNs());
        }
        for (Map.Entry<Long, Session> e : sessions.entrySet()) {
            if (e.getValue().client == client && e.getValue().nonce == o.nonce()) {
                return ok(e.getKey()); // a retried open: the same session
            }
        }
        sessions.put(index, new Session(client, o.nonce(), o.ttlNs(), clockNs + o.ttlNs()));
        highestSessionId = index;
        return ok(index);
    }

    private Result keepAlive(long session) {
        Session s = sessions.get(session);
        if (s == null) {
            return sessionError(session);
        }
        s.deadlineNs = clockNs + s.ttlNs;
        return ok(session);
    }

    // ---------------------------------------------------------------- yours

    private Result acquire(long index, Acquire a, List<Grant> grants) {
        throw new UnsupportedOperationException("lab lock-service: acquire is not implemented yet");
    }

    private Result release(long index, Release r, List<Grant> grants) {
        throw new UnsupportedOperationException("lab lock-service: release is not implemented yet");
    }

    /** A session ends: out of every queue, its locks passed on (after the lock-delay if it {@code expired}). */
    private void end(long index, long session, boolean expired, List<Grant> grants) {
        throw new UnsupportedOperationException("lab lock-service: end (expiry and close) is not implemented yet");
    }

    /** Grants a free lock (not in a lock-delay) to its first waiter, with token = {@code max(index, lastToken + 1)}. */
    private void grantNext(long index, String name, Lock l, List<Grant> grants) {
        throw new UnsupportedOperationException("lab lock-service: grantNext is not implemented yet");
    }

    // ---------------------------------------------------------------- queries and results

    @Override
    public Sequencer holder(String lock) {
        Lock l = locks.get(lock);
        return l == null || l.holder < 0 ? null : new Sequencer(lock, l.token);
    }

    private Result sessionError(long session) {
        return session > 0 && session <= highestSessionId
                ? error(Error.EXPIRED_SESSION, "session " + session)
                : error(Error.UNKNOWN_SESSION, "session " + session);
    }

    private static Result ok(long session) {
        return new Result(true, session, -1, false, -1, null, "");
    }

    private static Result granted(long session, long token) {
        return new Result(true, session, token, false, -1, null, "");
    }

    private static Result queued(long session, long predecessor) {
        return new Result(true, session, -1, true, predecessor, null, "");
    }

    private static Result error(Error e, String detail) {
        return new Result(false, -1, -1, false, -1, e, detail);
    }
}
