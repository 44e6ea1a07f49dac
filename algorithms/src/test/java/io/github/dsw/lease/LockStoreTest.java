package io.github.dsw.lease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.lease.LockStore.Acquire;
import io.github.dsw.lease.LockStore.Applied;
import io.github.dsw.lease.LockStore.Command;
import io.github.dsw.lease.LockStore.Error;
import io.github.dsw.lease.LockStore.Grant;
import io.github.dsw.lease.LockStore.KeepAlive;
import io.github.dsw.lease.LockStore.Open;
import io.github.dsw.lease.LockStore.Release;
import io.github.dsw.lease.LockStore.Tick;
import io.github.dsw.raft.LogEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lock service's state machine, driven entry by entry as a Raft log would apply it. */
class LockStoreTest {

    private static final long TTL = 1_000;

    private final LockStore store = new LockStore(0);
    private long index;

    private Applied apply(long term, int client, long stamp, LockStore.Op op) {
        return store.apply(++index, new LogEntry(term, new Command(client, stamp, op)));
    }

    private long open(int client, long stamp) {
        return apply(1, client, stamp, new Open(client, TTL)).result().session();
    }

    @Test
    void theTokenIsTheLogIndexOfTheGrantAndWaitersGetTheLockInFifoOrder() {
        long a = open(10, 0);
        long b = open(11, 0);
        long c = open(12, 0);
        Applied first = apply(1, 10, 1, new Acquire(a, "L"));
        assertEquals(index, first.result().token(), "granted at once: the token is this entry's index");
        Applied qb = apply(1, 11, 2, new Acquire(b, "L"));
        assertTrue(qb.result().queued());
        assertEquals(a, qb.result().predecessor(), "b watches a");
        Applied qc = apply(1, 12, 3, new Acquire(c, "L"));
        assertEquals(b, qc.result().predecessor(), "c watches b, not the holder: no herd");
        Applied rel = apply(1, 10, 4, new Release(a, "L", first.result().token()));
        assertTrue(rel.result().ok());
        assertEquals(List.of(new Grant("L", b, 11, index)), rel.grants(), "exactly one client is woken: the next in line");
        assertEquals(List.of(c), store.waiters("L"));
        assertTrue(index > first.result().token());
    }

    @Test
    void anExpiredSessionLosesItsLockToTheNextWaiterAndGetsClearErrors() {
        long a = open(10, 0);
        long b = open(11, 0);
        long tokenA = apply(1, 10, 1, new Acquire(a, "L")).result().token();
        apply(1, 11, 2, new Acquire(b, "L"));
        apply(1, 11, 500, new KeepAlive(b)); // b stays alive until 1500, a expires at 1000
        Applied t = apply(1, 0, 1_000, new Tick());
        assertNull(t.result());
        assertEquals(List.of(new Grant("L", b, 11, index)), t.grants());
        assertFalse(store.isLive(a));
        Applied late = apply(1, 10, 1_001, new Release(a, "L", tokenA));
        assertEquals(Error.EXPIRED_SESSION, late.result().error());
        assertEquals(Error.UNKNOWN_SESSION, apply(1, 10, 1_002, new Acquire(99_999, "L")).result().error());
    }

    @Test
    void releaseErrorsNameTheReason() {
        long a = open(10, 0);
        long b = open(11, 0);
        long tokenL = apply(1, 10, 1, new Acquire(a, "L")).result().token();
        long tokenM = apply(1, 11, 1, new Acquire(b, "M")).result().token();
        assertEquals(Error.UNKNOWN_LOCK, apply(1, 10, 2, new Release(a, "nope", 77)).result().error());
        assertEquals(Error.NOT_HOLDER, apply(1, 11, 2, new Release(b, "L", tokenL)).result().error());
        assertEquals(Error.TOKEN_OF_ANOTHER_LOCK, apply(1, 10, 2, new Release(a, "L", tokenM)).result().error());
        assertTrue(apply(1, 10, 2, new Release(a, "L", tokenL)).result().ok());
        assertTrue(apply(1, 10, 2, new Release(a, "L", tokenL)).result().ok(), "a retried release answers as the first");
    }

    @Test
    void lockDelayKeepsAnExpiredHoldersLockFreeForTheDelay() {
        LockStore delayed = new LockStore(300);
        long[] i = {0};
        java.util.function.BiFunction<Long, LockStore.Op, Applied> at = (stamp, op) ->
                delayed.apply(++i[0], new LogEntry(1, new Command(1, stamp, op)));
        long a = at.apply(0L, new Open(1, TTL)).result().session();
        long b = at.apply(0L, new Open(2, 10 * TTL)).result().session();
        at.apply(1L, new Acquire(a, "L"));
        at.apply(2L, new Acquire(b, "L"));
        assertEquals(List.of(), at.apply(1_000L, new Tick()).grants(), "a expired at 1000: the lock is delayed, not granted");
        assertEquals(List.of(), at.apply(1_299L, new Tick()).grants());
        assertEquals(1, at.apply(1_300L, new Tick()).grants().size(), "granted when the delay ran out");
    }

    /** Chubby 2.9: a new leader (term) extends every lease by a full ttl on its own clock. */
    @Test
    void aNewTermRebasesEveryDeadlineOnTheNewLeadersClock() {
        long a = open(10, 0); // expires at 1000 on the term-1 leader's clock
        apply(1, 10, 1, new Acquire(a, "L"));
        apply(2, 0, 5_000_000, new Tick()); // the new leader's clock reads 5e6: not an expiry, a new base
        assertTrue(store.isLive(a));
        apply(2, 0, 5_000_999, new Tick());
        assertTrue(store.isLive(a));
        apply(2, 0, 5_001_000, new Tick());
        assertFalse(store.isLive(a));
    }

    @Test
    void retriedOpenGivesTheSameSessionAndSnapshotsRoundTrip() {
        long a = open(10, 0);
        assertEquals(a, open(10, 0));
        long b = open(11, 0);
        apply(1, 10, 1, new Acquire(a, "L"));
        apply(1, 11, 1, new Acquire(b, "L"));
        byte[] snap = store.snapshot();
        LockStore copy = new LockStore(0);
        copy.restore(snap);
        assertArrayEquals(snap, copy.snapshot());
        assertEquals(store.holder("L"), copy.holder("L"));
        assertEquals(List.of(b), copy.waiters("L"));
        assertTrue(copy.isCurrent(store.holder("L")));
    }
}
