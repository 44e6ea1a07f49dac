package io.github.dsw.lease;

import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.StateMachine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lock service as a replicated {@link StateMachine} (the design of Chubby, Burrows, OSDI 2006, and of
 * ZooKeeper's lock recipe, run on the project's Raft): client <b>sessions</b> kept alive by keep-alives and
 * expired when they stop, <b>locks</b> held by sessions and released when their session expires, <b>FIFO
 * waiters</b>, and a <b>fencing token</b> on every grant, unique and strictly increasing over the whole
 * service in grant order, on every server and across leader changes.
 *
 * <p><b>The sequencer.</b> A grant's token is {@code max(index, lastToken + 1)}: the log index of the entry
 * whose application granted the lock, unless an earlier grant already used that number, and {@code lastToken}
 * (part of the replicated state and of the snapshot) is then the token just issued. Usually one entry grants at
 * most one lock and the token is simply its index. But one entry can grant several locks (a Tick at which two
 * holders expire passes both their locks on): the first grant gets the index, the next ones the following
 * numbers, and the next entry's grants continue above them. So no two grants ever share a token (a release
 * naming its token names exactly one grant) and tokens strictly increase in grant order, per lock and over the
 * whole service; a token is never below its granting entry's index.
 *
 * <p><b>Time in a replicated state machine.</b> Expiry must happen at the same log index on every server,
 * so no server reads its own clock when applying: the leader stamps its monotonic clock into each command
 * it proposes ({@link Command#stampNs}), and the state machine's time is the largest stamp applied in the
 * current term (Ongaro's dissertation, section 6.3, proposes exactly this for expiring client sessions).
 * A new term brings a new leader whose clock is not comparable with the old one; so, as Chubby's new master
 * does (Burrows 2006, section 2.9, "Fail-overs"), the first command of each term extends every session's
 * deadline to a full {@code ttl} from the new leader's stamp and restarts every lock-delay. A session
 * therefore expires only after its holder's lease has run a full ttl of SOME leader's clock since the last
 * keep-alive was proposed, which happens after the client sent it.
 *
 * <p><b>The client's lease bound</b> (stated as {@code RaftNode.leaseRead} states the leader's): a client
 * that sent a keep-alive at local time {@code s} and got it acknowledged may act as the holder of its locks
 * until {@code s + ttl * (1 - maxClockDrift) / (1 + maxClockDrift)} on its own monotonic clock, if every
 * clock's rate is within {@code maxClockDrift} of real time. A clock that runs slower, or a process that
 * pauses after checking its lease and before acting on it, breaks the bound: that is Kleppmann's argument
 * ("How to do distributed locking", 2016) and why grants carry a token that resources check
 * ({@link FencedResource}).
 *
 * <p><b>Waiters.</b> ZooKeeper's recipe has each waiter watch only its predecessor's node, so a release
 * wakes one client (no herd effect; ZooKeeper recipes, "Locks"). Here the queue is in the state machine and
 * the grant is made by the server when the predecessor releases or expires: the {@link Grant}s an apply
 * returns name exactly the one session that got the lock, and the service notifies only its client. The
 * reply to a queued acquire names its predecessor, as the recipe's client learns it.
 *
 * <p><b>Expiry</b> happens at the first entry whose time reaches a session's deadline. All sessions expiring
 * at one entry leave every queue first; only then are their locks passed on, so a lock never goes to a waiter
 * whose own session ends in the same entry.
 *
 * <p><b>Lock-delay</b> (Chubby, section 2.4): when a session expires while holding a lock, nobody gets the
 * lock for {@code lockDelayNs} afterwards, for resources that do not check tokens. An explicit release
 * hands the lock on at once. 0 turns it off.
 *
 * <p>Errors name the service's reason ({@link Error}): an unknown lock, a release by a session that does
 * not hold the lock, an expired session, a token granted for another lock.
 */
public final class LockStore implements StateMachine {

    /** What a client asks. */
    public sealed interface Op {
    }

    /** Opens a session with lease {@code ttlNs}; {@code nonce} (the client's choice) makes retried opens open one session. */
    public record Open(long nonce, long ttlNs) implements Op {
    }

    /** Renews a session's lease. */
    public record KeepAlive(long session) implements Op {
    }

    /** Asks for {@code lock}: granted now, or queued behind the current waiters (idempotent for a holder or a waiter). */
    public record Acquire(long session, String lock) implements Op {
    }

    /** Gives {@code lock} back, citing the {@code token} it was granted with. */
    public record Release(long session, String lock, long token) implements Op {
    }

    /** Ends a session: its locks are released (no lock-delay) and it leaves every queue. */
    public record Close(long session) implements Op {
    }

    /** No request: the leader's periodic stamp, so that time advances in the log and sessions expire. */
    public record Tick() implements Op {
    }

    /** A log command: {@code op} of process {@code client}, stamped with the proposing leader's monotonic clock. */
    public record Command(int client, long stampNs, Op op) {
    }

    /** Why a request was refused. */
    public enum Error {
        UNKNOWN_LOCK("unknown lock: nobody holds or waits for it"),
        NOT_HOLDER("not holder: the session does not hold the lock with this token"),
        EXPIRED_SESSION("expired session: its lease ran out (or it was closed), its locks are gone"),
        UNKNOWN_SESSION("unknown session: never opened"),
        TOKEN_OF_ANOTHER_LOCK("token of another lock: the token was granted for a different lock"),
        BAD_REQUEST("bad request");

        private final String reason;

        Error(String reason) {
            this.reason = reason;
        }

        /** The sentence a client shows. */
        public String reason() {
            return reason;
        }
    }

    /**
     * The answer to the proposer. {@code ok} with: the session id (open), the token (acquire granted, release),
     * or {@code queued} true with the {@code predecessor} session (acquire queued). {@code error} when refused.
     */
    public record Result(boolean ok, long session, long token, boolean queued, long predecessor, Error error, String detail) {
        static Result session(long s) {
            return new Result(true, s, -1, false, -1, null, "");
        }

        static Result granted(long s, long token) {
            return new Result(true, s, token, false, -1, null, "");
        }

        static Result queued(long s, long predecessor) {
            return new Result(true, s, -1, true, predecessor, null, "");
        }

        static Result error(Error e, String detail) {
            return new Result(false, -1, -1, false, -1, e, detail);
        }

        /** The error as one line: the reason and what the request named. */
        public String message() {
            return error == null ? "ok" : error.reason() + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** A lock granted to {@code session} (of process {@code client}) by applying a command: whom to notify. */
    public record Grant(String lock, long session, int client, long token) {
    }

    /** What applying one command produced: the proposer's result, and the grants it caused (to notify). */
    public record Applied(Result result, List<Grant> grants) {
    }

    /** Chubby's sequencer (Burrows 2006, section 2.4): the lock's name and its grant's token; the holder passes it on. */
    public record Sequencer(String lock, long token) {
        /** The opaque string a holder attaches to requests: {@code lock#token}. */
        public String encode() {
            return lock + "#" + token;
        }
    }

    private static final class Session {
        final int client;
        final long nonce;
        final long ttlNs;
        long deadlineNs;
        String releasedLock = ""; // the last lock this session released, and with which token: retried releases are ok
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

    private final long lockDelayNs;
    private final TreeMap<Long, Session> sessions = new TreeMap<>();
    private final TreeMap<String, Lock> locks = new TreeMap<>();
    private long term; // term of the last stamped command applied
    private long clockNs; // largest stamp applied in this term
    private long highestSessionId; // sessions are numbered by the index of their Open: anything below that is not live expired
    private long lastToken; // the token of the last grant (0 before any): the next grant's is above it

    /** @param lockDelayNs how long a lock whose holder's session expired stays ungrantable (0: no lock-delay) */
    public LockStore(long lockDelayNs) {
        if (lockDelayNs < 0) {
            throw new IllegalArgumentException("lockDelayNs must be >= 0, got " + lockDelayNs);
        }
        this.lockDelayNs = lockDelayNs;
    }

    /** Applies a {@link Command}; returns an {@link Applied}, or null for entries that are not commands (no-ops, configuration changes). */
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
            case Close cl -> close(index, cl.session(), grants);
            case Tick t -> null;
        };
        return new Applied(r, List.copyOf(grants));
    }

    /**
     * The time of this entry: a new term re-bases every deadline on the new leader's clock (a full ttl, a full
     * lock-delay); then every session past its deadline expires, in id order, and its locks pass on.
     */
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
            return Result.error(Error.BAD_REQUEST, "ttlNs must be > 0, got " + o.ttlNs());
        }
        for (Map.Entry<Long, Session> e : sessions.entrySet()) {
            if (e.getValue().client == client && e.getValue().nonce == o.nonce()) {
                return Result.session(e.getKey()); // a retried open: the same session
            }
        }
        sessions.put(index, new Session(client, o.nonce(), o.ttlNs(), clockNs + o.ttlNs()));
        highestSessionId = index;
        return Result.session(index);
    }

    private Result keepAlive(long session) {
        Session s = sessions.get(session);
        if (s == null) {
            return sessionError(session);
        }
        s.deadlineNs = clockNs + s.ttlNs;
        return Result.session(session);
    }

    private Result acquire(long index, Acquire a, List<Grant> grants) {
        Session s = sessions.get(a.session());
        if (s == null) {
            return sessionError(a.session());
        }
        if (a.lock() == null || a.lock().isEmpty()) {
            return Result.error(Error.BAD_REQUEST, "the lock name must not be empty");
        }
        Lock l = locks.computeIfAbsent(a.lock(), k -> new Lock());
        if (l.holder == a.session()) {
            return Result.granted(a.session(), l.token); // a retried acquire of the holder
        }
        long predecessor = l.holder;
        for (long w : l.waiters) {
            if (w == a.session()) {
                return Result.queued(a.session(), predecessor); // a retried acquire of a waiter
            }
            predecessor = w;
        }
        l.waiters.addLast(a.session());
        grantNext(index, a.lock(), l, grants);
        return l.holder == a.session() ? Result.granted(a.session(), l.token) : Result.queued(a.session(), predecessor);
    }

    private Result release(long index, Release r, List<Grant> grants) {
        Session s = sessions.get(r.session());
        if (s == null) {
            return sessionError(r.session());
        }
        if (s.releasedLock.equals(r.lock()) && s.releasedToken == r.token()) {
            return Result.granted(r.session(), r.token()); // a retried release
        }
        Lock l = locks.get(r.lock());
        boolean holds = l != null && l.holder == r.session() && l.token == r.token(); // the named lock first
        for (Map.Entry<String, Lock> e : locks.entrySet()) {
            if (!holds && !e.getKey().equals(r.lock()) && e.getValue().token == r.token() && e.getValue().holder >= 0) {
                return Result.error(Error.TOKEN_OF_ANOTHER_LOCK, "token " + r.token() + " is the grant of lock " + e.getKey() + ", not " + r.lock());
            }
        }
        if (l == null) {
            return Result.error(Error.UNKNOWN_LOCK, r.lock());
        }
        if (!holds) {
            return Result.error(Error.NOT_HOLDER, "lock " + r.lock() + " token " + r.token()
                    + (l.holder < 0 ? ", the lock is free" : ", held by session " + l.holder + " with token " + l.token));
        }
        s.releasedLock = r.lock();
        s.releasedToken = r.token();
        l.holder = -1;
        l.token = -1;
        grantNext(index, r.lock(), l, grants);
        if (l.holder < 0 && l.waiters.isEmpty()) {
            locks.remove(r.lock());
        }
        return Result.granted(r.session(), r.token());
    }

    private Result close(long index, long session, List<Grant> grants) {
        if (!sessions.containsKey(session)) {
            return sessionError(session);
        }
        end(index, session, false, grants);
        return Result.session(session);
    }

    private Result sessionError(long session) {
        return session > 0 && session <= highestSessionId
                ? Result.error(Error.EXPIRED_SESSION, "session " + session)
                : Result.error(Error.UNKNOWN_SESSION, "session " + session);
    }

    /** Ends a session: out of every queue, and its locks passed on (after the lock-delay if it {@code expired}). */
    private void end(long index, long session, boolean expired, List<Grant> grants) {
        sessions.remove(session);
        for (Map.Entry<String, Lock> e : locks.entrySet()) {
            Lock l = e.getValue();
            l.waiters.remove(session);
            if (l.holder == session) {
                l.holder = -1;
                l.token = -1;
                if (expired && lockDelayNs > 0) {
                    l.delayedUntilNs = clockNs + lockDelayNs;
                } else {
                    grantNext(index, e.getKey(), l, grants);
                }
            }
        }
    }

    /** Grants a free lock to its first waiter, with the next token: this entry's index, or above the last token if that is taken. */
    private void grantNext(long index, String name, Lock l, List<Grant> grants) {
        if (l.holder >= 0 || l.waiters.isEmpty() || l.delayedUntilNs > clockNs) {
            return;
        }
        l.delayedUntilNs = Long.MIN_VALUE;
        l.holder = l.waiters.removeFirst();
        l.token = Math.max(index, lastToken + 1);
        lastToken = l.token;
        grants.add(new Grant(name, l.holder, sessions.get(l.holder).client, l.token));
    }

    // ---------------------------------------------------------------- queries (no log entry)

    /** The current holder's sequencer of {@code lock}, or null if nobody holds it. */
    public Sequencer holder(String lock) {
        Lock l = locks.get(lock);
        return l == null || l.holder < 0 ? null : new Sequencer(lock, l.token);
    }

    /** Chubby's CheckSequencer: whether {@code s} is still the current grant of its lock in the applied state. */
    public boolean isCurrent(Sequencer s) {
        Sequencer h = holder(s.lock());
        return h != null && h.token() == s.token();
    }

    /** The sessions waiting for {@code lock}, in grant order. */
    public List<Long> waiters(String lock) {
        Lock l = locks.get(lock);
        return l == null ? List.of() : List.copyOf(l.waiters);
    }

    /** Whether {@code session} is live in the applied state. */
    public boolean isLive(long session) {
        return sessions.containsKey(session);
    }

    /** The state machine's time (the largest stamp applied in the current term). */
    public long clockNs() {
        return clockNs;
    }

    // ---------------------------------------------------------------- snapshot

    /**
     * The whole state, big-endian ({@link DataOutputStream}): lockDelay, term, clock, highest session id, last token; sessions
     * in id order (id, client, nonce, ttl, deadline, released lock, released token); locks in name order (name,
     * holder, token, delayedUntil, waiter count, waiters in queue order).
     */
    @Override
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(lockDelayNs);
            out.writeLong(term);
            out.writeLong(clockNs);
            out.writeLong(highestSessionId);
            out.writeLong(lastToken);
            out.writeInt(sessions.size());
            for (Map.Entry<Long, Session> e : sessions.entrySet()) {
                Session s = e.getValue();
                out.writeLong(e.getKey());
                out.writeInt(s.client);
                out.writeLong(s.nonce);
                out.writeLong(s.ttlNs);
                out.writeLong(s.deadlineNs);
                out.writeUTF(s.releasedLock);
                out.writeLong(s.releasedToken);
            }
            out.writeInt(locks.size());
            for (Map.Entry<String, Lock> e : locks.entrySet()) {
                Lock l = e.getValue();
                out.writeUTF(e.getKey());
                out.writeLong(l.holder);
                out.writeLong(l.token);
                out.writeLong(l.delayedUntilNs);
                out.writeInt(l.waiters.size());
                for (long w : l.waiters) {
                    out.writeLong(w);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void restore(byte[] state) {
        sessions.clear();
        locks.clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            if (in.readLong() != lockDelayNs) {
                throw new IllegalStateException("snapshot of a lock service with another lock-delay");
            }
            term = in.readLong();
            clockNs = in.readLong();
            highestSessionId = in.readLong();
            lastToken = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                long id = in.readLong();
                Session s = new Session(in.readInt(), in.readLong(), in.readLong(), in.readLong());
                s.releasedLock = in.readUTF();
                s.releasedToken = in.readLong();
                sessions.put(id, s);
            }
            int m = in.readInt();
            for (int i = 0; i < m; i++) {
                String name = in.readUTF();
                Lock l = new Lock();
                l.holder = in.readLong();
                l.token = in.readLong();
                l.delayedUntilNs = in.readLong();
                int w = in.readInt();
                for (int k = 0; k < w; k++) {
                    l.waiters.addLast(in.readLong());
                }
                locks.put(name, l);
            }
        } catch (IOException e) {
            throw new IllegalStateException("truncated lock-service snapshot", e);
        }
    }
}
