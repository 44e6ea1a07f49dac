package io.github.dsw.raft;

/**
 * The tick schedule of a simulator adapter ({@link RaftHost}): which
 * {@link RaftNode#tick()} calls are owed, on a monotonic local clock
 * ({@link io.github.dsw.runtime.Context#monotonicNow}), so that the node counts one tick per elapsed tick of
 * that clock before it is handed any input, as {@link RaftNode#leaseRead} requires.
 *
 * <p>A periodic timer alone does not do that: a process pause holds the timer back, and it then fires
 * once, late, so the ticks of the pause are never counted (to a lease, a clock that stopped). Here
 * tick k is due at {@code start + k * tickNs}; at the start of every input the adapter asks
 * {@link #missed} for the due ticks not yet made and makes them, and the tick timer asks {@link #fired}.
 * When no time is missed the timer fires on its due time and this is exactly a periodic timer of
 * {@code tickNs} rearmed at each firing (the previous behaviour, event for event). "On time" has a
 * tolerance of 1% of a tick ({@link #ON_TIME_PER_TICK}): the clocks' rounding (nanoseconds) and the
 * simulator's timers, whose deadline is fixed at the clock rate of the moment they are set, so that a
 * rate change while one is pending moves it off the monotonic clock by the change times the time left
 * (at most 0.2% of a tick for the random nemesis's skew of +-1000 ppm). So a tick is counted at most
 * one tick plus 1% after its due time; the 1% comes out of the margin between the lease's drift bound
 * ({@link RaftConfig#maxClockDrift}, 10%) and the clocks' actual drift.
 *
 * <p>Ticks follow the LOCAL clock's rate: a clock that runs slow still counts too few ticks in real time,
 * which is the drift bound lease reads assume, not something this class can repair; setting the clock
 * (an offset) moves neither the monotonic clock nor the ticks. Not thread-safe (one per server
 * incarnation, driven by the simulator's single thread).
 */
final class TickClock {

    /** Tolerance of "on time", as a fraction of the tick: 1 / ON_TIME_PER_TICK. */
    static final long ON_TIME_PER_TICK = 100;

    private final long tickNs;
    private final long onTimeNs;
    private long due; // monotonic time at which the next tick is due
    private boolean catchUp = true;

    TickClock(long tickNs) {
        if (tickNs <= 0) {
            throw new IllegalArgumentException("tickNs must be > 0, got " + tickNs);
        }
        this.tickNs = tickNs;
        this.onTimeNs = tickNs / ON_TIME_PER_TICK;
    }

    /** Starts the schedule at monotonic time {@code mono} (an incarnation's start): the first tick is due one tick later. */
    void start(long mono) {
        due = mono + tickNs;
    }

    /**
     * The ticks due more than 1% of a tick before {@code mono} and not made yet (the timer was held
     * back, by a pause); marks them made. 0 whenever the timer fires on time. O(1).
     */
    long missed(long mono) {
        long late = mono - due - onTimeNs;
        if (late <= 0) {
            return 0;
        }
        long k = (late - 1) / tickNs + 1; // due + i * tickNs + onTimeNs < mono for i = 0 .. k-1
        due += k * tickNs;
        return k;
    }

    /**
     * The tick timer fired at {@code mono}: returns the ticks to make now, the missed ones and the timer's
     * own if it is due (within 1% of a tick; none if an earlier input already made it). A timer on
     * time restarts the schedule from {@code mono}, as a periodic timer rearmed at each firing does;
     * after missed ticks the schedule keeps its phase. Then rearm with {@link #nextDelay}.
     */
    long fired(long mono) {
        long k = missed(mono);
        if (due - mono <= onTimeNs) {
            due = k == 0 ? mono + tickNs : due + tickNs;
            k++;
        }
        return k;
    }

    /** Local time until the next tick is due (> 0 after {@link #missed} or {@link #fired}). */
    long nextDelay(long mono) {
        return due - mono;
    }

    /** Turns the catch-up off: {@link #catchUp} makes no tick, {@link #onTimer} exactly one per firing. */
    void disableCatchUp() {
        catchUp = false;
    }

    /** Before an input at monotonic time {@code mono}: makes the ticks the node is owed (see {@link #missed}). */
    void catchUp(RaftNode raft, long mono) {
        for (long k = catchUp ? missed(mono) : 0; k > 0; k--) {
            raft.tick();
        }
    }

    /**
     * The adapter's tick timer fired at {@code mono}: makes the ticks due (see {@link #fired}) and returns
     * the local delay after which to rearm it. Without catch-up: one tick, rearmed a tick later.
     */
    long onTimer(RaftNode raft, long mono) {
        if (!catchUp) {
            raft.tick();
            return tickNs;
        }
        for (long k = fired(mono); k > 0; k--) {
            raft.tick();
        }
        return nextDelay(mono);
    }
}
