package io.github.dsw.consistency;

import io.github.dsw.consistency.dynamo.DynamoConfig;
import io.github.dsw.consistency.dynamo.DynamoMessage;
import io.github.dsw.consistency.dynamo.DynamoNode;
import io.github.dsw.consistency.dynamo.Resolution;
import io.github.dsw.consistency.dynamo.VersionVector;
import io.github.dsw.consistency.pbs.Pbs;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.List;

/**
 * t-visibility measured on the Dynamo-style store in the simulator, beside the PBS model's prediction for the same
 * link delays (Bailis et al., VLDB 2012). Each trial writes value 1 to a fresh key, waits, then reads the key;
 * the read is consistent when it returns the value. The store runs with {@code N} replicas on {@code N}
 * servers, no sloppy quorum and no read repair (one write per key: neither would change the answer), fsync
 * free; server links log-normal with median 1 ms and shape {@code sigma} (the simulator's default is 0.3; a
 * heavier tail, 1.0, makes staleness visible), client links instantaneous, so that the read reaches its
 * coordinator exactly the client's wait after the write's coordinator committed: the model's {@code t}.
 */
public final class PbsRun {


    /** One curve: t (ms after commit), measured fraction, model probability. */
    public record Curve(int n, int r, int w, double sigma, double[] tMs, double[] measured, double[] model, int trialsPerPoint, double lowerBound) {
    }

    private PbsRun() {
    }

    /** Measures and models t-visibility at {@code tMs} after commit, server links log-normal(1 ms, {@code sigma}). */
    public static Curve run(long seed, int n, int r, int w, double sigma, double[] waitMs, int trialsPerPoint) {
        for (double t : waitMs) {
            if (!(t >= 0)) {
                throw new IllegalArgumentException("t must be >= 0, got " + t);
            }
        }
        DynamoConfig config = new DynamoConfig(n, r, w, Resolution.VERSION_VECTORS, false, false, 1_000_000_000L, 1_000_000_000L,
                1_000_000_000L, 1_000_000_000L);
        Simulator<DynamoMessage> sim = new Simulator<>(SimConfig.defaults(seed, n).withFsyncNs(0)
                .withServerLink(LinkModel.reliable(new Latency.LogNormal(1_000_000, sigma)))
                .withClientLink(LinkModel.reliable(new Latency.Constant(0))), id -> new DynamoNode(config));
        int clients = 4;
        int[] consistent = new int[waitMs.length];
        int[] done = new int[waitMs.length];
        int[] next = {0};
        int total = trialsPerPoint * waitMs.length;
        for (int c = 0; c < clients; c++) {
            sim.addClient(new Trial(waitMs, consistent, done, next, total));
        }
        sim.runUntil(DynamoRun.HORIZON_NS, () -> sum(done) == total);
        double[] t = new double[waitMs.length];
        double[] measured = new double[waitMs.length];
        for (int j = 0; j < waitMs.length; j++) {
            t[j] = waitMs[j];
            measured[j] = consistent[j] / (double) Math.max(1, done[j]);
        }
        double[] model = Pbs.tVisibility(n, r, w, Pbs.Wars.all(Pbs.Dist.logNormal(1.0, sigma)), t, 100_000, new SplitMix64(seed ^ 0x9E3779B97F4A7C15L));
        return new Curve(n, r, w, sigma, t, measured, model, trialsPerPoint, Pbs.commitTimeLowerBound(n, r, w));
    }

    private static int sum(int[] a) {
        int s = 0;
        for (int x : a) {
            s += x;
        }
        return s;
    }

    private record Wait() {
    }

    /** Runs trials one after another: put(fresh key, 1), wait, get. */
    private static final class Trial implements Node<DynamoMessage> {
        private final double[] waitMs;
        private final int[] consistent;
        private final int[] done;
        private final int[] next;
        private final int total;
        private int trial = -1;
        private long requestId;

        Trial(double[] waitMs, int[] consistent, int[] done, int[] next, int total) {
            this.waitMs = waitMs;
            this.consistent = consistent;
            this.done = done;
            this.next = next;
            this.total = total;
        }

        @Override
        public void start(Context<DynamoMessage> ctx) {
            nextTrial(ctx);
        }

        private void nextTrial(Context<DynamoMessage> ctx) {
            if (next[0] >= total) {
                return;
            }
            trial = next[0]++;
            ctx.send(ctx.random().nextInt(ctx.servers()), new DynamoMessage.Put(++requestId, "p" + trial, 1, VersionVector.EMPTY.with(ctx.self(), 1)));
        }

        @Override
        public void receive(Context<DynamoMessage> ctx, int from, DynamoMessage message) {
            if (!(message instanceof DynamoMessage.Reply r) || r.requestId() != requestId) {
                return;
            }
            if (r.requestId() % 2 == 1) { // the put's answer: wait, then read
                ctx.setTimer(Math.round(waitMs[trial % waitMs.length] * 1e6), new Wait());
            } else {
                int j = trial % waitMs.length;
                done[j]++;
                consistent[j] += r.values().equals(List.of(1L)) ? 1 : 0;
                nextTrial(ctx);
            }
        }

        @Override
        public void timer(Context<DynamoMessage> ctx, Object tag) {
            ctx.send(ctx.random().nextInt(ctx.servers()), new DynamoMessage.Get(++requestId, "p" + trial));
        }
    }
}
