package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Partition;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lease reads (Ongaro's dissertation, section 6.4.1) judged by the linearizability checker. The
 * dissertation's claim, which these tests check from both sides: a leader may answer reads from its
 * own state while a majority acknowledged it less than an election timeout ago, provided clocks drift
 * within a bound; beyond the bound, lease reads can return stale data, which ReadIndex never does.
 *
 * <p>The scripted schedule: at 0.5 s the leader is cut off from the other servers (clients still reach it)
 * and its clock is set to run at (1 + drift) of real time; 0.7 s later everything heals. The others elect a
 * new leader once their CheckQuorum lease (10 ticks of 10 ms) has run out, and clients write there. A
 * lease of 10 / 1.1 ticks stays shorter than that as long as the old leader's clock runs at least
 * 1 / 1.1 as fast as real time; at 0.2 (five times slower) its lease covers the new leader's writes.
 * A pause of the old leader had the same effect while its ticks came only from a timer (the timer
 * fires once, late, after the pause): {@link RaftHost} now makes every tick that elapsed on its
 * monotonic local clock before it handles any input ({@link TickClock}), so lease reads stay
 * linearizable under pauses, in the scripted schedule and under the random nemesis; the scripted
 * test also shows, with that catch-up turned off, the stale read it prevents.
 */
class RaftLeaseReadTest {
    private static final boolean SOAK = Boolean.getBoolean("dsw.soak");
    private static final long MS = 1_000_000;

    private record Run(History history, LinearizabilityChecker.Result verdict, long leaseReads, boolean completed) {
    }

    /**
     * One run of the key-value store (3 servers, 6 clients, three keys, half reads) with the scripted
     * schedule above; {@code driftPpm} is the old leader's clock rate error in parts per million.
     */
    private static Run scripted(long seed, KvService.ReadMode mode, double driftPpm) {
        return scripted(seed, mode, driftPpm, 0);
    }

    /** The same schedule; the old leader is also paused for {@code pauseMs} when it is cut off. */
    private static Run scripted(long seed, KvService.ReadMode mode, double driftPpm, long pauseMs) {
        return scripted(seed, mode, driftPpm, pauseMs, true);
    }

    /** The same schedule; {@code catchUp} false turns off the servers' tick catch-up ({@link Mutation#NO_TICK_CATCH_UP}). */
    private static Run scripted(long seed, KvService.ReadMode mode, double driftPpm, long pauseMs, boolean catchUp) {
        int n = 3;
        SimConfig config = SimConfig.defaults(seed, n).withTrace(Trace.Level.HASH, false);
        Simulator<KvMessage> sim = new Simulator<>(config, id -> {
            RaftHost<KvStore, KvMessage> s = KvService.server(RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2)
                    .mutation(catchUp ? Mutation.NONE : Mutation.NO_TICK_CATCH_UP).build(), 10 * MS, mode);
            return s;
        });
        RaftInvariants invariants = watch(sim, n);
        Workload.Spec spec = new Workload.Spec(0.5, 0.5, 3, 0, 1000, 60 * MS, 2 * MS, 0);
        Workload<KvMessage> workload = new Workload<>(spec, new RaftKvRun.Client(), 1000);
        workload.attach(sim, 6);
        sim.schedule(500 * MS, () -> {
            int leader = leader(sim, n);
            if (leader >= 0) {
                sim.setClock(leader, 0, driftPpm);
                sim.setPartition(Partition.isolate(n, leader));
                if (pauseMs > 0) {
                    sim.pause(leader, pauseMs * MS);
                }
                sim.schedule(sim.now() + 700 * MS, () -> {
                    sim.setPartition(Partition.none(n));
                    sim.setClock(leader, 0, 0);
                });
            }
        });
        sim.runUntil(20_000 * MS, workload::done);
        History h = workload.history();
        return new Run(h, new LinearizabilityChecker().checkKv(h), leaseReads(sim, n), workload.done());
    }

    private static RaftInvariants watch(Simulator<KvMessage> sim, int n) {
        return RaftKvRun.watch(sim, n);
    }

    private static int leader(Simulator<KvMessage> sim, int n) {
        int leader = -1;
        long term = -1;
        for (int i = 0; i < n; i++) {
            RaftHost<KvStore, KvMessage> s = (RaftHost<KvStore, KvMessage>) sim.node(i);
            if (s != null && s.raft() != null && s.raft().role() == RaftNode.Role.LEADER && s.raft().currentTerm() > term) {
                leader = i;
                term = s.raft().currentTerm();
            }
        }
        return leader;
    }

    private static long leaseReads(Simulator<KvMessage> sim, int n) {
        long c = 0;
        for (int i = 0; i < n; i++) {
            RaftHost<KvStore, KvMessage> s = (RaftHost<KvStore, KvMessage>) sim.node(i);
            c += s == null || s.raft() == null ? 0 : s.raft().status().leaseReads();
        }
        return c;
    }

    private static long staleWindowSeedSearch(double driftPpm, long pauseMs, int seeds) {
        return staleWindowSeedSearch(driftPpm, pauseMs, seeds, true);
    }

    private static long staleWindowSeedSearch(double driftPpm, long pauseMs, int seeds, boolean catchUp) {
        for (long seed = 1; seed <= seeds; seed++) {
            if (!scripted(seed, KvService.ReadMode.LEASE, driftPpm, pauseMs, catchUp).verdict().linearizable()) {
                return seed;
            }
        }
        return -1;
    }

    @Test
    void beyondTheDriftBoundLeaseReadsGoStaleAndReadIndexDoesNot() {
        double slow = -800_000; // the old leader's clock at 0.2 of real time: far beyond maxClockDrift = 0.1
        long seed = staleWindowSeedSearch(slow, 0, 200);
        assertTrue(seed > 0, "no non-linearizable lease history in seeds 1..200 with drift " + slow + " ppm");
        Run lease = scripted(seed, KvService.ReadMode.LEASE, slow);
        System.out.println("RaftLeaseReadTest: seed " + seed + " with the old leader's clock at " + String.format("%.2f", 1 + slow / 1e6)
                + " of real time: lease reads not linearizable:\n" + lease.verdict().describe());
        assertFalse(lease.verdict().linearizable(), "seed " + seed);
        // ticks follow the local clock: the catch-up neither causes nor repairs this (same history without it)
        assertEquals(lease.history().events(), scripted(seed, KvService.ReadMode.LEASE, slow, 0, false).history().events(), "seed " + seed);
        Run readIndex = scripted(seed, KvService.ReadMode.READ_INDEX, slow);
        assertTrue(readIndex.completed(), "seed " + seed);
        assertTrue(readIndex.verdict().linearizable(), "seed " + seed + " READ_INDEX under the same schedule\n" + readIndex.verdict().describe());
    }

    /**
     * A process pause stops a leader's timer (a tick timer that should have fired during the pause fires
     * once, late): to a lease counted in ticks, that is a clock that stops, beyond any drift bound (etcd's
     * ReadOnlyLeaseBased comment, raft.go: "clock can move backward/pause without any bound"). With the
     * tick catch-up ({@link RaftHost}, {@link TickClock}) the resumed leader first counts the ticks
     * of the pause on its monotonic clock, so its lease has run out before it looks at a read. Here the
     * old leader is paused for 400 ms when it is cut off, with an exact clock: every seed linearizable
     * with the catch-up; without it (the previous behaviour) a seed search finds a stale read, and
     * ReadIndex stays linearizable under that same schedule.
     */
    @Test
    void aPausedLeaderCatchesUpItsTicksAndServesNoStaleLeaseRead() {
        int seeds = SOAK ? 2_000 : 200;
        long served = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            Run r = scripted(seed, KvService.ReadMode.LEASE, 0, 400);
            assertTrue(r.completed(), "seed " + seed);
            assertTrue(r.verdict().linearizable(), "seed " + seed + " with a 400 ms pause and tick catch-up\n" + r.verdict().describe());
            served += r.leaseReads();
        }
        assertTrue(served > seeds * 100L, "lease reads served: " + served);
        System.out.println("RaftLeaseReadTest: 400 ms pause of the old leader, tick catch-up on: " + seeds + " seeds linearizable, "
                + served + " lease reads");

        long seed = staleWindowSeedSearch(0, 400, 200, false);
        assertTrue(seed > 0, "no non-linearizable lease history in seeds 1..200 with a 400 ms pause and no catch-up");
        Run lease = scripted(seed, KvService.ReadMode.LEASE, 0, 400, false);
        System.out.println("RaftLeaseReadTest: seed " + seed + " with the old leader paused 400 ms and tick catch-up off: lease reads not "
                + "linearizable:\n" + lease.verdict().describe());
        assertFalse(lease.verdict().linearizable(), "seed " + seed);
        assertTrue(scripted(seed, KvService.ReadMode.LEASE, 0, 400).verdict().linearizable(), "seed " + seed + " with catch-up");
        Run readIndex = scripted(seed, KvService.ReadMode.READ_INDEX, 0, 400, false);
        assertTrue(readIndex.verdict().linearizable(), "seed " + seed + " READ_INDEX with the same pause\n" + readIndex.verdict().describe());
    }

    @Test
    void withinTheDriftBoundLeaseReadsStayLinearizableUnderTheSameSchedule() {
        int seeds = SOAK ? 2_000 : Integer.getInteger("dsw.raft.leaseseeds", 100);
        long served = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            for (double ppm : new double[] {-90_000, 0, 100_000}) { // the old leader's clock 9% slow, exact, 10% fast
                Run r = scripted(seed, KvService.ReadMode.LEASE, ppm);
                assertTrue(r.completed(), "seed " + seed + " drift " + ppm + " ppm");
                assertTrue(r.verdict().linearizable(), "seed " + seed + " drift " + ppm + " ppm\n" + r.verdict().describe());
                served += r.leaseReads();
            }
        }
        assertTrue(served > seeds * 100L, "lease reads served: " + served);
    }

    /**
     * Every nemesis, pauses included: the random nemesis's clock skew drifts by at most 1000 ppm, within
     * maxClockDrift = 0.1 (its offsets move neither the monotonic clock nor the ticks), and the ticks a
     * pause held back are made before the next input (see {@link #aPausedLeaderCatchesUpItsTicksAndServesNoStaleLeaseRead}).
     * Seed 2644 of this loop, 3 servers, gave a stale read with pauses before the catch-up; it runs here too.
     */
    @Test
    void leaseReadsAreLinearizableUnderEveryNemesis() {
        int seeds = SOAK ? 10_000 : 200;
        Set<Nemesis.Kind> kinds = EnumSet.allOf(Nemesis.Kind.class);
        long served = 0;
        List<Long> seedList = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            seedList.add(seed);
        }
        if (seeds < 2644) {
            seedList.add(2644L);
        }
        for (long seed : seedList) {
            RaftKvRun.Settings s = new RaftKvRun.Settings(seed, seed % 2 == 0 ? 3 : 5, 4, 200, kinds, KvService.ReadMode.LEASE);
            RaftKvRun.Outcome o;
            try {
                o = RaftKvRun.run(s);
            } catch (IllegalStateException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
            assertTrue(o.completed(), "seed " + seed);
            assertTrue(o.verdict().linearizable(), "seed " + seed + " nodes " + s.nodes() + "\n" + o.verdict().describe());
            served += o.history().events().stream().filter(e -> e.type() == HistoryEvent.Type.OK && e.f() == HistoryEvent.Fn.READ).count();
        }
        assertTrue(served > seeds * 20L, "reads served: " + served);
    }

    /**
     * Lease reads with a leadership transfer started every 60 ms at whichever server leads, under every
     * nemesis (pauses included, since the tick catch-up): a transfer's election ignores the followers' promise, so a leader that began one
     * serves no more lease reads in its term ({@link RaftNode#leaseRead}); the histories must stay linearizable.
     * (Checked by hand once: with that rule removed, seed 364 of the soak range, 3 servers, gave a stale read.)
     */
    @Test
    void leaseReadsStayLinearizableWithLeadershipTransfers() {
        int seeds = SOAK ? 2_000 : 100;
        Set<Nemesis.Kind> kinds = EnumSet.allOf(Nemesis.Kind.class);
        long transfers = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            int n = seed % 2 == 0 ? 3 : 5;
            SimConfig config = SimConfig.defaults(seed, n).withTrace(Trace.Level.HASH, false);
            Simulator<KvMessage> sim = new Simulator<>(config,
                    id -> KvService.server(RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2).build(), 10 * MS, KvService.ReadMode.LEASE));
            watch(sim, n);
            Workload<KvMessage> workload = new Workload<>(new Workload.Spec(0.5, 0.5, 3, 0, 1000, 100 * MS, 2 * MS, 0),
                    new RaftKvRun.Client(), 800);
            workload.attach(sim, 4);
            Nemesis.random(sim, kinds, 0, 2_000 * MS, 80 * MS, 200 * MS);
            long[] started = new long[1];
            long s = seed;
            for (long t = 100; t < 2_000; t += 60) {
                sim.schedule(t * MS, () -> {
                    int leader = leader(sim, n);
                    if (leader >= 0) {
                        int target = (leader + 1 + (int) ((sim.now() / MS + s) % (n - 1))) % n;
                        started[0] += ((RaftHost<KvStore, KvMessage>) sim.node(leader)).raft().transferLeadership(target).started() ? 1 : 0;
                    }
                });
            }
            try {
                sim.runUntil(30_000 * MS, workload::done);
            } catch (IllegalStateException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
            History h = workload.history();
            LinearizabilityChecker.Result verdict = new LinearizabilityChecker().checkKv(h);
            assertTrue(workload.done(), "seed " + seed);
            assertTrue(verdict.linearizable(), "seed " + seed + " nodes " + n + "\n" + verdict.describe());
            transfers += started[0];
        }
        assertTrue(transfers > seeds * 3L, "transfers started: " + transfers);
    }

    @Test
    void leaseNeedsCheckQuorumAndACommittedEntryOfTheTerm() {
        RaftCluster c = new RaftCluster(41, 3);
        int leader = c.checkOneLeader();
        c.one(c.freshCommand(), 3, false);
        RaftNode l = c.server(leader).raft();
        assertTrue(l.status().leaseValid(), "a leader acknowledged by a majority within the last ticks");
        assertTrue(l.leaseRead("x"));
        assertFalse(c.server((leader + 1) % 3).raft().status().leaseValid(), "followers hold no lease");
        // cut off: the lease runs out after (electionTicks - 1) / 1.1 - 1 ticks, long before CheckQuorum steps down
        c.isolate(leader);
        c.run(50);
        assertTrue(l.status().leaseValid(), "5 ticks later");
        c.run(50);
        assertFalse(l.status().leaseValid(), "10 ticks later");
        assertEquals(RaftNode.Role.LEADER, l.role(), "still believes it leads");
        RaftCluster off = new RaftCluster(42, 3, id -> RaftConfig.builder(id, 3).electionTicks(10, 19).heartbeatTicks(2).preVote(true).checkQuorum(false).build());
        int l2 = off.checkOneLeader();
        off.one(off.freshCommand(), 3, false);
        assertFalse(off.server(l2).raft().status().leaseValid(), "without CheckQuorum nobody promised anything");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RaftConfig.builder(0, 3).maxClockDrift(-0.1).build());
        assertEquals(Set.of(0, 1, 2), RaftConfig.defaults(0, 3).initialVoters());
    }
}
