package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LockChecker;
import io.github.dsw.check.LockHistory;
import io.github.dsw.lease.LockStore;
import io.github.dsw.lease.LockStore.Acquire;
import io.github.dsw.lease.LockStore.Applied;
import io.github.dsw.lease.LockStore.Command;
import io.github.dsw.lease.LockStore.Error;
import io.github.dsw.lease.LockStore.Grant;
import io.github.dsw.lease.LockStore.KeepAlive;
import io.github.dsw.lease.LockStore.Op;
import io.github.dsw.lease.LockStore.Open;
import io.github.dsw.lease.LockStore.Release;
import io.github.dsw.lease.LockStore.Tick;
import io.github.dsw.lease.LockRun;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.StateMachine;
import io.github.dsw.sim.Nemesis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Grader of lab {@code lock-service}. Expected values come from the service's specification (chapter 9 and
 * {@link LockStore}'s class comment: Chubby's sessions, lock-delay and sequencers, Burrows 2006, sections 2.4 and
 * 2.8; ZooKeeper's FIFO lock recipe), worked out by hand for the scripted cases, and from properties for random
 * histories: at most one holder at a time (the {@link LockChecker} on the history of grants, releases and
 * expiries, the expiries computed from the stamps and ttls, not taken from the student's code), every token
 * {@code max(granting index, last token + 1)} and so unique and increasing over the service (the fencing rule),
 * grants only to live waiters, in the order they queued. Finally the student's table runs replicated on simulated
 * Raft servers under nemeses, and the clients' histories are judged by the {@link LockChecker}.
 */
final class LockServiceLabGrader implements Lab<LockServiceLab> {

    private static final long MS = 1_000_000;

    /** The workbench's {@link LockStore} behind the lab's interface. */
    static final class Reference implements LockServiceLab {
        private LockStore store;

        Reference() {
        }

        @Override
        public void lockDelay(long ns) {
            store = new LockStore(ns);
        }

        @Override
        public Applied apply(long index, LogEntry entry) {
            return store.apply(index, entry);
        }

        @Override
        public LockStore.Sequencer holder(String lock) {
            return store.holder(lock);
        }
    }

    /** Applies commands at indexes 1, 2, ... in term 1, each stamped by the caller. */
    private static final class Script {
        final LockServiceLab store;
        long index;

        Script(LockServiceLab impl, long lockDelayNs) {
            store = Concurrent.fresh(impl);
            store.lockDelay(lockDelayNs);
        }

        Applied apply(int client, long stampNs, Op op) {
            index++;
            Applied a = store.apply(index, new LogEntry(1, new Command(client, stampNs, op)));
            check(a != null && a.result() != null == !(op instanceof Tick), "entry %d (%s): apply must return an Applied with a"
                    + " result for a request (null result for a Tick), got %s", index, op, a);
            return a;
        }
    }

    @Override
    public String name() {
        return "lock-service";
    }

    @Override
    public String summary() {
        return "chapter 9: the lock table of the lock service (grant, release, expiry, fencing tokens)";
    }

    @Override
    public Class<LockServiceLab> api() {
        return LockServiceLab.class;
    }

    @Override
    public String studentClass() {
        return "StudentLockStore";
    }

    @Override
    public LockServiceLab reference() {
        return new Reference();
    }

    private static void granted(Applied a, long session, long token, String what) {
        check(a.result().ok() && !a.result().queued() && a.result().token() == token, "%s: expected granted with token %d, got %s",
                what, token, a.result());
    }

    private static void grants(Applied a, String what, Grant... expected) {
        check(a.grants().equals(List.of(expected)), "%s: expected grants %s, got %s", what, List.of(expected), a.grants());
    }

    private static void error(Applied a, Error e, String what) {
        check(!a.result().ok() && a.result().error() == e, "%s: expected the error %s, got %s", what, e, a.result());
    }

    @Override
    public List<LabTest> tests(LockServiceLab impl, Seeds seeds) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("fifo-grants-with-the-granting-index-as-token", 3, () -> {
            Script s = new Script(impl, 0);
            for (int c = 1; c <= 3; c++) {
                Applied a = s.apply(c, 0, new Open(c, 1000 * MS));
                check(a.result().ok() && a.result().session() == c, "open of client %d at index %d: session %d expected (a session"
                        + " is numbered by its Open's index), got %s", c, c, c, a.result());
            }
            Applied a = s.apply(1, 1, new Acquire(1, "L"));
            granted(a, 1, 4, "session 1 acquires the free lock L at index 4");
            grants(a, "session 1 acquires L at index 4", new Grant("L", 1, 1, 4));
            a = s.apply(2, 2, new Acquire(2, "L"));
            check(a.result().ok() && a.result().queued() && a.result().predecessor() == 1, "session 2 asks for L held by 1: queued"
                    + " behind 1 expected, got %s", a.result());
            grants(a, "a queued acquire grants nothing");
            a = s.apply(3, 3, new Acquire(3, "L"));
            check(a.result().queued() && a.result().predecessor() == 2, "session 3 queues behind 2, got %s", a.result());
            a = s.apply(2, 4, new Acquire(2, "L"));
            check(a.result().queued() && a.result().predecessor() == 1, "a retried acquire of waiter 2 keeps its place behind 1,"
                    + " got %s", a.result());
            a = s.apply(1, 5, new Release(1, "L", 4));
            check(a.result().ok(), "session 1 releases L with its token 4: ok expected, got %s", a.result());
            grants(a, "releasing L at index 8 hands it to the first waiter, session 2, with token 8", new Grant("L", 2, 2, 8));
            check(s.store.holder("L") != null && s.store.holder("L").token() == 8, "holder(L) after index 8: token 8, got %s",
                    s.store.holder("L"));
            a = s.apply(2, 6, new Release(2, "L", 8));
            grants(a, "session 2 releases at index 9: session 3 gets L with token 9", new Grant("L", 3, 3, 9));
            a = s.apply(3, 7, new Release(3, "L", 9));
            grants(a, "the last holder releases: nobody waits");
            check(s.store.holder("L") == null, "nobody holds L after the last release, got %s", s.store.holder("L"));
        }));
        t.add(new LabTest("release-errors", 1, () -> {
            Script s = new Script(impl, 0);
            s.apply(1, 0, new Open(1, 1000 * MS));
            s.apply(2, 0, new Open(2, 1000 * MS));
            granted(s.apply(1, 1, new Acquire(1, "L")), 1, 3, "session 1 acquires L at index 3");
            error(s.apply(2, 2, new Release(2, "L", 3)), Error.NOT_HOLDER, "session 2 releases L, which session 1 holds");
            error(s.apply(2, 3, new Release(2, "M", 99)), Error.UNKNOWN_LOCK, "release of M, which nobody holds or waits for");
            error(s.apply(2, 4, new Release(2, "M", 3)), Error.TOKEN_OF_ANOTHER_LOCK, "release of M citing token 3, the grant of L");
            error(s.apply(9, 5, new Release(77, "L", 3)), Error.UNKNOWN_SESSION, "release by session 77, never opened");
            check(s.apply(1, 6, new Release(1, "L", 3)).result().ok(), "the holder's release must succeed");
            check(s.apply(1, 7, new Release(1, "L", 3)).result().ok(), "a retried release (the same lock and token, after a lost"
                    + " answer) must succeed again");
        }));
        t.add(new LabTest("an-expired-holder-loses-its-locks", 2, () -> {
            Script s = new Script(impl, 0);
            s.apply(1, 0, new Open(1, 100 * MS));
            s.apply(2, 0, new Open(2, 1000 * MS));
            granted(s.apply(1, 1 * MS, new Acquire(1, "L")), 1, 3, "session 1 acquires L");
            s.apply(2, 2 * MS, new Acquire(2, "L"));
            grants(s.apply(9, 50 * MS, new Tick()), "at 50 ms session 1 (ttl 100 ms from its open at 0) is live");
            s.apply(2, 90 * MS, new KeepAlive(2));
            Applied a = s.apply(9, 100 * MS, new Tick());
            grants(a, "at 100 ms session 1's lease has run out: L passes to session 2 with token 7, the index of that tick",
                    new Grant("L", 2, 2, 7));
            error(s.apply(1, 101 * MS, new KeepAlive(1)), Error.EXPIRED_SESSION, "a keep-alive of the expired session 1");
        }));
        t.add(new LabTest("lock-delay-after-an-expiry", 1, () -> {
            Script s = new Script(impl, 50 * MS);
            s.apply(1, 0, new Open(1, 100 * MS));
            s.apply(2, 0, new Open(2, 1000 * MS));
            s.apply(1, 1 * MS, new Acquire(1, "L"));
            s.apply(2, 2 * MS, new Acquire(2, "L"));
            grants(s.apply(9, 100 * MS, new Tick()), "session 1 expires at 100 ms with a 50 ms lock-delay: nobody gets L yet");
            grants(s.apply(9, 140 * MS, new Tick()), "at 140 ms the lock-delay (until 150 ms) still runs");
            grants(s.apply(9, 150 * MS, new Tick()), "at 150 ms the lock-delay is over: session 2 gets L with token 7",
                    new Grant("L", 2, 2, 7));
        }));
        t.add(new LabTest("one-entry-passes-two-locks-on-with-two-tokens", 2, () -> {
            // worked by hand: sessions 1-4 open at 0 (ttl 1000 ms); A to 1 (token 5), B to 2 (6); 3 queues for A, 4 for B;
            // 3 and 4 keep alive at 500 ms; the Tick at index 11 (1000 ms) expires 1 and 2 in id order: A to 3 with 11,
            // B to 4 with 12 (11 is taken); the free lock C at index 12 gets 13; each holder releases with its own token
            Script s = new Script(impl, 0);
            for (int c = 1; c <= 4; c++) {
                s.apply(c, 0, new Open(c, 1000 * MS));
            }
            granted(s.apply(1, 1 * MS, new Acquire(1, "A")), 1, 5, "session 1 acquires A at index 5");
            granted(s.apply(2, 1 * MS, new Acquire(2, "B")), 2, 6, "session 2 acquires B at index 6");
            s.apply(3, 2 * MS, new Acquire(3, "A"));
            s.apply(4, 2 * MS, new Acquire(4, "B"));
            s.apply(3, 500 * MS, new KeepAlive(3));
            s.apply(4, 500 * MS, new KeepAlive(4));
            grants(s.apply(9, 1000 * MS, new Tick()), "the Tick at index 11 expires sessions 1 and 2: A passes to 3 with token 11,"
                    + " B to 4 with token 12 (tokens are unique: 11 is taken)", new Grant("A", 3, 3, 11), new Grant("B", 4, 4, 12));
            granted(s.apply(3, 1001 * MS, new Acquire(3, "C")), 3, 13, "session 3 acquires the free lock C at index 12: token 13"
                    + " (12 is B's)");
            check(s.apply(3, 1002 * MS, new Release(3, "A", 11)).result().ok(), "session 3 holds A with token 11: its release"
                    + " must succeed");
            check(s.apply(4, 1003 * MS, new Release(4, "B", 12)).result().ok(), "session 4 holds B with token 12: its release"
                    + " must succeed");
            granted(s.apply(4, 1004 * MS, new Acquire(4, "A")), 4, 15, "session 4 acquires A at index 15: tokens are back to the"
                    + " entry's index");
        }));
        t.add(new LabTest("random-histories-mutual-exclusion-and-fencing", 3, () -> seeds.forEach(20, seed -> randomHistory(impl, seed))));
        t.add(new LabTest("replicated-on-raft-under-nemeses", 3, () -> seeds.forEach(10, seed -> replicated(impl, seed))));
        return t;
    }

    /** The student's lock table as the {@link StateMachine} each Raft server replicates (no snapshots: the runs do not compact). */
    private static StateMachine replicatedStore(LockServiceLab impl) {
        LockServiceLab fresh = Concurrent.fresh(impl);
        fresh.lockDelay(0);
        return new StateMachine() {
            @Override
            public Object apply(long index, LogEntry entry) {
                return fresh.apply(index, entry);
            }

            @Override
            public byte[] snapshot() {
                throw new UnsupportedOperationException("the lab's lock table is not snapshotted (the runs do not compact)");
            }

            @Override
            public void restore(byte[] state) {
                throw new UnsupportedOperationException("the lab's lock table is not snapshotted (the runs do not compact)");
            }
        };
    }

    /**
     * The student's lock table replicated on 3 simulated Raft servers ({@code ./dsw simulate lock-service}'s run,
     * {@link LockRun}, with the student's class in place of {@link LockStore}: a fresh one per server incarnation), 3
     * clients x 4 cycles writing with their token to a fenced resource. The client histories are judged by the
     * {@link LockChecker}: under server faults only (crashes, partitions, pauses, loss, clock skew) mutual exclusion
     * and fenced writes must hold; with client pauses and slow clocks too, fenced writes must hold (a lease lock
     * cannot keep a paused holder out, chapter 9.4; the token must stop its write). Every run must finish.
     */
    private static void replicated(LockServiceLab impl, long seed) {
        String[] lists = {"crash,partition,pause,loss,skew", "crash,partition,gc,slow-clock"};
        for (String list : lists) {
            Object[] faults = LockRun.parseNemesis(list);
            @SuppressWarnings("unchecked")
            LockRun.Settings settings = new LockRun.Settings(seed, LockRun.Variant.SERVICE, 3, 4, (java.util.Set<Nemesis.Kind>) faults[0],
                    (java.util.Set<LockRun.ClientFault>) faults[1]);
            LockRun.Outcome o = LockRun.run(settings, null, () -> replicatedStore(impl));
            String what = "nemesis " + list + " (3 Raft servers replicating your lock table; the same run with the"
                    + " workbench's: " + settings.replayCommand() + ")";
            check(o.completed(), "%s: the clients did not finish their %d cycles within %.0f s of simulated time (%d grants): a grant"
                    + " or an answer never came", what, 12, LockRun.HORIZON_NS / 1e9, o.grants());
            LockChecker.Result fenced = LockChecker.fencedWrites(o.history());
            check(fenced.holds(), "%s: %s", what, fenced.describe());
            if (settings.clientFaults().isEmpty()) {
                LockChecker.Result me = LockChecker.mutualExclusion(o.history());
                check(me.holds(), "%s: %s", what, me.describe());
            }
        }
    }

    /**
     * Four sessions (ttl 200 ms) acquire and release two locks at random; one in three keep-alives is skipped, so
     * sessions expire now and then. The grader keeps its own account of every session's deadline (its open or last
     * keep-alive's stamp + ttl; one term, so the clock is the largest stamp) and of the waiters; every grant must go
     * to a live session that asked (sessions expiring at an entry leave the queues first), with token max(the
     * granting entry's index, the last grant's token + 1), so unique over the service; a live holder's release
     * citing its token must succeed; and the history of grants, releases and expiries must pass the
     * {@link LockChecker}'s mutual exclusion.
     */
    private static void randomHistory(LockServiceLab impl, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Script s = new Script(impl, 0);
        int sessions = 4;
        long ttl = 200 * MS;
        String[] locks = {"A", "B"};
        long clock = 0;
        long[] deadline = new long[sessions + 1];
        boolean[] live = new boolean[sessions + 1];
        Map<String, Long> holder = new HashMap<>(); // lock -> session
        Map<String, Long> token = new HashMap<>();
        Map<Long, String> waitingFor = new HashMap<>(); // session -> lock it waits for (one at a time)
        Map<String, java.util.ArrayDeque<Long>> queue = new HashMap<>(); // lock -> sessions in the order they asked
        List<LockHistory.Event> h = new ArrayList<>();
        long lastToken = 0; // the last grant's token, over both locks
        for (int c = 1; c <= sessions; c++) {
            Applied a = s.apply(c, clock, new Open(c, ttl));
            check(a.result().session() == s.index, "open at index %d: session %d expected, got %s", s.index, s.index, a.result());
            deadline[c] = clock + ttl;
            live[c] = true;
        }
        for (int step = 0; step < 300; step++) {
            clock += rnd.nextLong(0, 25 * MS);
            int c = 1 + rnd.nextInt(sessions);
            Op op;
            int r = rnd.nextInt(10);
            String heldLock = null;
            for (String l : locks) {
                if (holder.getOrDefault(l, -1L) == c) {
                    heldLock = l;
                }
            }
            if (!live[c]) {
                op = new Tick();
            } else if (r < 3 && heldLock == null && !waitingFor.containsKey((long) c)) {
                op = new Acquire(c, locks[rnd.nextInt(locks.length)]);
            } else if (r < 6 && heldLock != null) {
                op = new Release(c, heldLock, token.get(heldLock));
            } else if (r < 8 && rnd.nextInt(3) > 0) {
                op = new KeepAlive(c);
            } else {
                op = new Tick();
            }
            long index = s.index + 1;
            long time = 2 * index;
            // what the specification says happens at this entry, before the request: expiries at this clock (every
            // session expiring now leaves every queue before any of their locks passes on)
            java.util.Set<Long> expiredNow = new java.util.HashSet<>();
            for (int x = 1; x <= sessions; x++) {
                if (live[x] && deadline[x] <= clock) {
                    live[x] = false;
                    expiredNow.add((long) x);
                    waitingFor.remove((long) x);
                    for (String l : locks) {
                        if (holder.getOrDefault(l, -1L) == x) {
                            holder.remove(l);
                            h.add(new LockHistory.Event(x, Type.INVOKE, LockHistory.Fn.RELEASE, l, token.get(l), null, time));
                            h.add(new LockHistory.Event(x, Type.INFO, LockHistory.Fn.RELEASE, l, token.get(l), null, time));
                        }
                    }
                }
            }
            Applied a = s.apply(c, clock, op);
            if (op instanceof Acquire acq && live[c]) {
                h.add(new LockHistory.Event(c, Type.INVOKE, LockHistory.Fn.ACQUIRE, acq.lock(), null, null, time));
            }
            String what = "seed " + seed + ", entry " + index + " (" + op + " at " + clock / MS + " ms)";
            if (op instanceof KeepAlive && live[c]) {
                check(a.result().ok(), "%s: session %d is live (deadline %d ms), the keep-alive must succeed, got %s", what, c,
                        deadline[c] / MS, a.result());
                deadline[c] = clock + ttl;
            }
            for (java.util.ArrayDeque<Long> q : queue.values()) {
                q.removeAll(expiredNow);
            }
            if (op instanceof Release rel && live[c]) {
                check(a.result().ok(), "%s: session %d holds %s with token %d, its release must succeed, got %s", what, c, rel.lock(),
                        rel.token(), a.result());
                holder.remove(rel.lock());
                h.add(new LockHistory.Event(c, Type.INVOKE, LockHistory.Fn.RELEASE, rel.lock(), rel.token(), null, time));
                h.add(new LockHistory.Event(c, Type.OK, LockHistory.Fn.RELEASE, rel.lock(), rel.token(), null, time));
            }
            if (op instanceof Acquire acq && live[c]) {
                check(a.result().ok(), "%s: a live session's acquire must succeed (granted or queued), got %s", what, a.result());
                waitingFor.put((long) c, acq.lock());
                queue.computeIfAbsent(acq.lock(), k -> new java.util.ArrayDeque<>()).addLast((long) c);
            }
            for (Grant g : a.grants()) {
                long want = Math.max(index, lastToken + 1);
                check(g.token() == want, "%s: %s has token %d; a grant's token is max(index %d, last token %d + 1) = %d: unique"
                        + " and increasing over the service", what, g, g.token(), index, lastToken, want);
                lastToken = g.token();
                check(g.session() >= 1 && g.session() <= sessions && live[(int) g.session()],
                        "%s: %s goes to a session that is not live%s", what, g, expiredNow.contains(g.session())
                                ? " (it expires in this same entry: expiring sessions leave the queues first)" : "");
                String waited = waitingFor.get(g.session());
                check(g.lock().equals(waited), "%s: %s, but session %d waits for %s", what, g, g.session(), waited);
                check(!holder.containsKey(g.lock()), "%s: %s while session %d still holds %s (it neither released nor expired)",
                        what, g, holder.get(g.lock()), g.lock());
                java.util.ArrayDeque<Long> q = queue.get(g.lock());
                check(q != null && !q.isEmpty() && q.peekFirst() == g.session(), "%s: %s, but the first live waiter of %s is"
                        + " session %s (FIFO: %s)", what, g, g.lock(), q == null ? null : q.peekFirst(), q);
                q.pollFirst();
                waitingFor.remove(g.session());
                token.put(g.lock(), g.token());
                holder.put(g.lock(), g.session());
                h.add(new LockHistory.Event((int) g.session(), Type.OK, LockHistory.Fn.ACQUIRE, g.lock(), g.token(), null, time + 1));
            }
            if (op instanceof Acquire acq && live[c] && a.result().queued()) {
                check(holder.containsKey(acq.lock()) || waitingFor.entrySet().stream().anyMatch(e -> e.getKey() != c
                        && e.getValue().equals(acq.lock())), "%s: queued for %s although nobody holds or waits for it", what, acq.lock());
            }
            for (String l : locks) {
                LockStore.Sequencer seq = s.store.holder(l);
                Long want = holder.containsKey(l) ? token.get(l) : null;
                check(seq == null ? want == null : want != null && seq.token() == want, "%s: holder(%s) is %s, expected %s", what, l,
                        seq, want == null ? "nobody" : l + "#" + want);
            }
        }
        LockChecker.Result me = LockChecker.mutualExclusion(new LockHistory(h));
        check(me.holds(), "seed %d: %s", seed, me.describe());
    }
}
