package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tick catch-up ({@link TickClock}): its schedule worked out by hand (tick k due at start + k * tick),
 * and, in the simulator, the property that it changes nothing while no time is missed: a run under every
 * nemesis but PAUSE, with clock offsets set back and forth besides, is the same event for event (trace
 * hash and history) with and without the catch-up; with pauses it does change runs.
 */
class TickClockTest {
    private static final long MS = 1_000_000;

    @Test
    void scheduleByHand() {
        TickClock c = new TickClock(10 * MS);
        c.start(0); // ticks due at 10, 20, 30, ... ms
        assertEquals(0, c.missed(5 * MS));
        assertEquals(0, c.missed(10 * MS), "due now: the timer's, not missed");
        assertEquals(1, c.fired(10 * MS), "on time");
        assertEquals(10 * MS, c.nextDelay(10 * MS));
        assertEquals(0, c.missed(20 * MS + 10 * MS / TickClock.ON_TIME_PER_TICK), "within the rounding tolerance: left to the timer");
        assertEquals(1, c.missed(20 * MS + 10 * MS / TickClock.ON_TIME_PER_TICK + 1), "beyond it: the timer was held back");
        assertEquals(0, c.fired(20 * MS + 10 * MS / TickClock.ON_TIME_PER_TICK + 1), "and the late timer makes no second tick");
    }

    @Test
    void aTimerAFewNanosecondsOffIsOnTimeAndRestartsTheSchedule() {
        TickClock c = new TickClock(10 * MS);
        c.start(0);
        assertEquals(1, c.fired(10 * MS - 3));
        assertEquals(10 * MS, c.nextDelay(10 * MS - 3), "rearmed one tick after the firing, as a periodic timer");
        assertEquals(1, c.fired(20 * MS + 2));
        assertEquals(10 * MS, c.nextDelay(20 * MS + 2));
    }

    @Test
    void aPauseIsCaughtUpByTheFirstInputAndThePhaseKept() {
        TickClock c = new TickClock(10 * MS);
        c.start(0);
        assertEquals(1, c.fired(10 * MS));
        // paused from 15 to 57 ms: ticks due at 20, 30, 40, 50 were held back; a message arrives first
        assertEquals(4, c.missed(57 * MS));
        assertEquals(0, c.missed(57 * MS), "made once");
        assertEquals(0, c.fired(57 * MS), "the held-back timer has nothing left to make");
        assertEquals(3 * MS, c.nextDelay(57 * MS), "next tick at 60 ms: the phase is kept");
        assertEquals(1, c.fired(60 * MS));
        // the timer first after a pause: missed ones plus its own if due
        assertEquals(3, c.fired(90 * MS));
        assertEquals(10 * MS, c.nextDelay(90 * MS));
        assertEquals(3, c.fired(125 * MS), "due at 100, 110 and 120 ms");
        assertEquals(5 * MS, c.nextDelay(125 * MS));
        assertThrows(IllegalArgumentException.class, () -> new TickClock(0));
    }

    private static long[] run(long seed, Set<Nemesis.Kind> kinds, boolean catchUp) {
        return run(seed, kinds, catchUp, false);
    }

    /** {@code offsets}: also set each server's clock 300 ms ahead or behind (no drift) at scripted times. */
    private static long[] run(long seed, Set<Nemesis.Kind> kinds, boolean catchUp, boolean offsets) {
        int n = seed % 2 == 0 ? 3 : 5;
        SimConfig config = SimConfig.defaults(seed, n).withTrace(Trace.Level.HASH, false);
        Simulator<KvMessage> sim = new Simulator<>(config, id -> {
            RaftHost<KvStore, KvMessage> s = KvService.server(RaftConfig.builder(id, n).electionTicks(10, 19).heartbeatTicks(2)
                    .mutation(catchUp ? Mutation.NONE : Mutation.NO_TICK_CATCH_UP).build(), 10 * MS, KvService.ReadMode.LEASE, 5);
            return s;
        });
        Workload<KvMessage> w = new Workload<>(RaftKvRun.SPEC, new RaftKvRun.Client(), 150).withRetries(RaftKvRun.ATTEMPT_NS, RaftKvRun.BACKOFF_NS);
        w.attach(sim, 3);
        Nemesis.random(sim, kinds, 0, 2_000 * MS, 50 * MS, 150 * MS);
        if (offsets) {
            for (int k = 0; k < 20; k++) {
                int node = k % n;
                long offset = (k % 2 == 0 ? 300 : -300) * MS;
                sim.schedule((100 + 97 * k) * MS, () -> sim.setClock(node, offset, 0));
            }
        }
        sim.runUntil(RaftKvRun.HORIZON_NS, w::done);
        return new long[] {sim.trace().hash(), w.history().events().hashCode()};
    }

    /**
     * SKEW included (offsets up to the fault length, drift up to +-1000 ppm, changed while tick timers are
     * pending: within the 1% tolerance), and clock offsets of +-300 ms set back and forth besides: they
     * move neither the monotonic clock nor the ticks.
     */
    @Test
    void withoutPausesTheCatchUpChangesNothing() {
        Set<Nemesis.Kind> kinds = EnumSet.allOf(Nemesis.Kind.class);
        kinds.remove(Nemesis.Kind.PAUSE);
        for (long seed = 1; seed <= 30; seed++) {
            long[] on = run(seed, kinds, true, true);
            long[] off = run(seed, kinds, false, true);
            assertEquals(off[0], on[0], "seed " + seed + ": trace hash");
            assertEquals(off[1], on[1], "seed " + seed + ": history");
        }
        int changed = 0;
        for (long seed = 1; seed <= 30; seed++) {
            changed += run(seed, Set.of(Nemesis.Kind.PAUSE), true)[0] != run(seed, Set.of(Nemesis.Kind.PAUSE), false)[0] ? 1 : 0;
        }
        assertTrue(changed > 0, "pauses never changed a run: the catch-up did nothing");
    }
}
