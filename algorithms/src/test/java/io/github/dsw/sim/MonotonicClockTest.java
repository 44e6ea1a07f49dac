package io.github.dsw.sim;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Context#monotonicNow}: it runs at the process's clock rate, does not jump when the clock is set
 * (an offset changes, or the rate), and keeps running through a pause, unlike {@link Context#now}, whose
 * reading is {@code virtual * (1 + drift) + offset} ({@link Simulator#setClock}). Expected values worked
 * out by hand from those definitions.
 */
class MonotonicClockTest {
    private static final long MS = 1_000_000;

    /** Records (now, monotonicNow) at each timer firing. */
    private static final class Probe implements Node<Object> {
        final List<long[]> readings = new ArrayList<>();

        @Override
        public void start(Context<Object> ctx) {
            ctx.setTimer(100 * MS, "t");
        }

        @Override
        public void receive(Context<Object> ctx, int from, Object message) {
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
            readings.add(new long[] {ctx.now(), ctx.monotonicNow()});
            ctx.setTimer(100 * MS, "t");
        }
    }

    @Test
    void offsetsDoNotMoveItDriftSetsItsRateAndPausesDoNotStopIt() {
        Probe probe = new Probe();
        Simulator<Object> sim = new Simulator<>(SimConfig.defaults(1, 1).withTrace(Trace.Level.HASH, false), id -> probe);
        sim.schedule(150 * MS, () -> sim.setClock(0, 5_000 * MS, 0));          // a clock step: now jumps, monotonic does not
        sim.schedule(250 * MS, () -> sim.setClock(0, 0, 1_000_000));          // twice as fast from 250 ms (and now jumps)
        sim.schedule(400 * MS, () -> sim.pause(0, 300 * MS));                 // held until 700 ms
        sim.runUntil(800 * MS);
        // timers: 100 (exact); 200 (offset 5 s); armed at 200 for 100 local ms, the rate doubling at 250 ms
        // does not move the deadline fixed at 300 ms; then every 50 ms of virtual time: 350; the one due at
        // 400 comes after the pause that starts then, and waits for its end (700); then 750 and 800
        long[][] expected = {
                {100 * MS, 100 * MS},
                {5_200 * MS, 200 * MS},
                {600 * MS, 250 * MS + 2 * 50 * MS},   // now = 300 * 2; monotonic = 250 + 2 * (300 - 250)
                {700 * MS, 450 * MS},
                {1_400 * MS, 1_150 * MS},             // after the pause: 250 + 2 * 450, the time paused counted
                {1_500 * MS, 1_250 * MS},
                {1_600 * MS, 1_350 * MS}};            // 800 ms: runUntil includes its bound
        assertEquals(expected.length, probe.readings.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i][0], probe.readings.get(i)[0], "now at firing " + i);
            assertEquals(expected[i][1], probe.readings.get(i)[1], "monotonicNow at firing " + i);
        }
    }
}
