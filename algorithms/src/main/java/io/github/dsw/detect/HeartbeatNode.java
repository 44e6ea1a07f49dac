package io.github.dsw.detect;

import io.github.dsw.detect.HeartbeatMessage.Heartbeat;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.function.Supplier;

/**
 * Heartbeats as a state machine: a process sends {@link Heartbeat} to each of {@code sendTo} every
 * {@code intervalNs}, and keeps one {@link HeartbeatDetector} for each process of {@code watch}, fed with
 * the arrival time of its heartbeats on the monotonic clock. Instead of polling, it sets one timer per
 * watched process at the detector's {@link HeartbeatDetector#suspectAtNs()}, so a suspicion is reported
 * ({@link Suspicion}) the moment it starts, not at the next poll; a heartbeat that arrives while the
 * process is suspected reports the end of the suspicion.
 *
 * <p>The same class runs one-way monitoring (process 1 sends to 0, 0 watches 1: the setting of Chen,
 * Toueg and Aguilera) and all-to-all heartbeating (everyone sends to and watches everyone, n(n−1)
 * messages per interval: the baseline SWIM is compared with). Detectors are volatile: a restarted
 * process starts with fresh ones.
 */
public final class HeartbeatNode implements Node<HeartbeatMessage> {

    private record Beat() {
    }

    private record Check(int member) {
    }

    private final int[] sendTo;
    private final int[] watch;
    private final Supplier<HeartbeatDetector> detectors;
    private final long intervalNs;
    private HeartbeatDetector[] detector; // indexed by process id; null if not watched
    private boolean[] suspected;
    private long[] checkTimer;
    private long seq;

    /**
     * @param sendTo     processes this one sends heartbeats to
     * @param watch      processes this one monitors
     * @param detectors  makes one detector per watched process (at every start)
     * @param intervalNs heartbeat interval η, > 0
     */
    public HeartbeatNode(int[] sendTo, int[] watch, Supplier<HeartbeatDetector> detectors, long intervalNs) {
        if (intervalNs <= 0) {
            throw new IllegalArgumentException("intervalNs must be > 0, got " + intervalNs);
        }
        if (watch.length > 0 && detectors == null) {
            throw new IllegalArgumentException("detectors must not be null when watching processes");
        }
        this.sendTo = sendTo.clone();
        this.watch = watch.clone();
        this.detectors = detectors;
        this.intervalNs = intervalNs;
    }

    /** Every process sends to and watches every other of {@code n}: the all-to-all scheme. */
    public static HeartbeatNode allToAll(int self, int n, Supplier<HeartbeatDetector> detectors, long intervalNs) {
        int[] others = new int[n - 1];
        for (int i = 0, j = 0; i < n; i++) {
            if (i != self) {
                others[j++] = i;
            }
        }
        return new HeartbeatNode(others, others, detectors, intervalNs);
    }

    @Override
    public void start(Context<HeartbeatMessage> ctx) {
        int n = ctx.servers();
        detector = new HeartbeatDetector[n];
        suspected = new boolean[n];
        checkTimer = new long[n];
        for (int m : watch) {
            detector[m] = detectors.get();
            checkTimer[m] = -1;
        }
        beat(ctx);
    }

    private void beat(Context<HeartbeatMessage> ctx) {
        seq++;
        for (int to : sendTo) {
            ctx.send(to, new Heartbeat(seq));
        }
        ctx.setTimer(intervalNs, new Beat());
    }

    @Override
    public void receive(Context<HeartbeatMessage> ctx, int from, HeartbeatMessage message) {
        switch (message) {
            case Heartbeat h -> {
                HeartbeatDetector d = from < detector.length ? detector[from] : null;
                if (d == null) {
                    return; // not watched
                }
                long now = ctx.monotonicNow();
                d.heartbeat(now);
                if (suspected[from] && d.isAvailable(now)) {
                    suspected[from] = false;
                    ctx.output(new Suspicion(from, false));
                }
                arm(ctx, from, now);
            }
        }
    }

    @Override
    public void timer(Context<HeartbeatMessage> ctx, Object tag) {
        switch (tag) {
            case Beat b -> beat(ctx);
            case Check c -> {
                checkTimer[c.member()] = -1;
                long now = ctx.monotonicNow();
                if (!suspected[c.member()]) {
                    if (detector[c.member()].isAvailable(now)) {
                        arm(ctx, c.member(), now); // fired a little early (clock rate): wait for the rest
                    } else {
                        suspected[c.member()] = true;
                        ctx.output(new Suspicion(c.member(), true));
                    }
                }
            }
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }

    private void arm(Context<HeartbeatMessage> ctx, int member, long now) {
        if (checkTimer[member] >= 0) {
            ctx.cancelTimer(checkTimer[member]);
            checkTimer[member] = -1;
        }
        if (suspected[member]) {
            return;
        }
        long at = detector[member].suspectAtNs();
        if (at != Long.MAX_VALUE) {
            checkTimer[member] = ctx.setTimer(Math.max(1, at - now), new Check(member));
        }
    }

    /** Whether this process currently suspects {@code member} (for tests). */
    public boolean suspects(int member) {
        return suspected[member];
    }

    /** The detector watching {@code member}, or null (for tests and notebooks). */
    public HeartbeatDetector detector(int member) {
        return detector[member];
    }
}
