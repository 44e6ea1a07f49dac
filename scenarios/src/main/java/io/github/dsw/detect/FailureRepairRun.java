package io.github.dsw.detect;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.ArrayDeque;

/**
 * Failures and repairs of a replica group in the simulator, to check {@code io.github.dsw.model.Availability}:
 * each of n servers crashes after an exponential time of mean {@code mttf}; a crashed server waits for
 * one of {@code crews} repair crews (first come, first served) and is restarted after an exponential
 * repair time of mean {@code mttr}. The run measures the fraction of time at least k servers are up, and
 * in separate trials the time from all up until fewer than k are up for the first time.
 * Times are in abstract units (hours, say), simulated as milliseconds of virtual time.
 */
public final class FailureRepairRun {

    /** Virtual nanoseconds per unit of time. */
    private static final double NS_PER_UNIT = 1e6;

    /** What a run measured. */
    public record Result(double meanTimeToLoss, int lossTrials) {
    }

    /** A server that does nothing: only its up/down state matters here. */
    private static final class Idle implements Node<Object> {
        @Override
        public void start(Context<Object> ctx) {
        }

        @Override
        public void receive(Context<Object> ctx, int from, Object message) {
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
        }
    }

    private FailureRepairRun() {
    }

    /** The fraction of {@code horizon} units during which at least k servers are up, from all up at time 0. */
    public static double fractionAtLeastK(int n, int k, double mttf, double mttr, int crews, double horizon, long seed) {
        check(n, k, mttf, mttr, crews, horizon);
        Group g = new Group(n, k, mttf, mttr, crews, seed);
        g.sim.runUntil(Math.round(horizon * NS_PER_UNIT));
        return g.timeAtLeastK(g.sim.now()) / g.sim.now();
    }

    /**
     * {@code trials} runs from all up until fewer than k are up (repairs included), each bounded by
     * {@code bound} units: the mean time to loss over the trials that lost, and how many did.
     */
    public static Result timeToLoss(int n, int k, double mttf, double mttr, int crews, double bound, int trials, long seed) {
        check(n, k, mttf, mttr, crews, bound);
        SplitMix64 seeds = new SplitMix64(seed);
        double sum = 0;
        int lost = 0;
        for (int i = 0; i < trials; i++) {
            Group t = new Group(n, k, mttf, mttr, crews, seeds.nextLong());
            t.sim.runUntil(Math.round(bound * NS_PER_UNIT), () -> t.lostAtNs >= 0);
            if (t.lostAtNs >= 0) {
                sum += t.lostAtNs / NS_PER_UNIT;
                lost++;
            }
        }
        return new Result(lost == 0 ? Double.NaN : sum / lost, lost);
    }

    private static void check(int n, int k, double mttf, double mttr, int crews, double horizon) {
        if (n < 1 || k < 1 || k > n || !(mttf > 0) || !(mttr > 0) || crews < 1 || !(horizon > 0) || horizon * NS_PER_UNIT > 9e18) {
            throw new IllegalArgumentException("need 1 <= k <= n, mttf > 0, mttr > 0, crews >= 1, 0 < horizon <= 9e12, got n=" + n
                    + " k=" + k + " mttf=" + mttf + " mttr=" + mttr + " crews=" + crews + " horizon=" + horizon);
        }
    }

    /** One group's failure and repair process on a simulator. */
    private static final class Group {
        final Simulator<Object> sim;
        final SplitMix64 random;
        final int n;
        final int k;
        final double mttf;
        final double mttr;
        final ArrayDeque<Integer> waiting = new ArrayDeque<>();
        int freeCrews;
        int up;
        long lastChangeNs;
        double atLeastKNs;
        long lostAtNs = -1;

        Group(int n, int k, double mttf, double mttr, int crews, long seed) {
            this.sim = new Simulator<>(SimConfig.defaults(seed, n), id -> new Idle());
            this.random = new SplitMix64(seed ^ 0x632BE59BD9B4E019L);
            this.n = n;
            this.k = k;
            this.mttf = mttf;
            this.mttr = mttr;
            this.freeCrews = crews;
            this.up = n;
            for (int i = 0; i < n; i++) {
                scheduleFailure(i);
            }
        }

        private long after(double meanUnits) {
            return sim.now() + Math.max(1, Math.round(random.nextExponential(meanUnits) * NS_PER_UNIT));
        }

        private void scheduleFailure(int node) {
            sim.schedule(after(mttf), () -> {
                account();
                sim.crash(node);
                up--;
                if (up < k && lostAtNs < 0) {
                    lostAtNs = sim.now();
                }
                waiting.add(node);
                startRepairs();
            });
        }

        private void startRepairs() {
            while (freeCrews > 0 && !waiting.isEmpty()) {
                int node = waiting.poll();
                freeCrews--;
                sim.schedule(after(mttr), () -> {
                    account();
                    sim.restart(node);
                    up++;
                    freeCrews++;
                    scheduleFailure(node);
                    startRepairs();
                });
            }
        }

        /** Adds the time since the last change to the time with at least k up. */
        private void account() {
            if (up >= k) {
                atLeastKNs += sim.now() - lastChangeNs;
            }
            lastChangeNs = sim.now();
        }

        double timeAtLeastK(long endNs) {
            return atLeastKNs + (up >= k ? endNs - lastChangeNs : 0);
        }
    }
}
