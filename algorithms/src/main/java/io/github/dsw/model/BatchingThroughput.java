package io.github.dsw.model;

/**
 * Throughput of a leader that commits entries in batches: each round (one accept/append message per
 * follower) costs the leader a fixed {@code perRound} plus {@code perEntry} per entry in the batch, and
 * at most {@code window} rounds may be in flight, each taking {@code roundTrip} (network + acks) before
 * its slot in the window frees. Throughput with batch size b and window w is the smaller of the
 * CPU bound and the window bound (the pipelining argument of Little's law, N = X·R):
 *
 * <pre>  X(b, w) = min( b / (perRound + b·perEntry),  w·b / (roundTrip + perRound + b·perEntry) )</pre>
 *
 * As b grows the CPU bound tends to 1/perEntry, the asymptote batching can never beat.
 *
 * @param perRound fixed leader cost per round (time units)
 * @param perEntry leader cost per entry (time units)
 * @param roundTrip time a round occupies its window slot beyond the leader's own work
 */
public record BatchingThroughput(double perRound, double perEntry, double roundTrip) {

    /** @throws IllegalArgumentException if a cost is negative or not finite, or both costs are 0 */
    public BatchingThroughput {
        if (!(perRound >= 0) || !(perEntry >= 0) || !(roundTrip >= 0) || Double.isInfinite(perRound)
                || Double.isInfinite(perEntry) || Double.isInfinite(roundTrip)) {
            throw new IllegalArgumentException("costs must be finite and >= 0, got perRound=" + perRound
                    + ", perEntry=" + perEntry + ", roundTrip=" + roundTrip);
        }
        if (perRound + perEntry == 0) {
            throw new IllegalArgumentException("perRound + perEntry must be > 0");
        }
    }

    private static void check(int batch, int window) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
    }

    /** Entries per time unit when the leader's CPU is the bottleneck: b/(perRound + b·perEntry). */
    public double cpuBound(int batch) {
        check(batch, 1);
        return batch / (perRound + batch * perEntry);
    }

    /** Entries per time unit allowed by the window: w·b/(roundTrip + perRound + b·perEntry). */
    public double windowBound(int batch, int window) {
        check(batch, window);
        return (double) window * batch / (roundTrip + perRound + batch * perEntry);
    }

    /** X(b, w), the smaller of the two bounds. */
    public double throughput(int batch, int window) {
        return Math.min(cpuBound(batch), windowBound(batch, window));
    }

    /**
     * Least-squares fit of perRound and perEntry from measured round times: {@code roundTime[i]} is the
     * leader's time per round at batch size {@code batch[i]} (a straight line c0 + c1·b).
     */
    public static BatchingThroughput fit(int[] batch, double[] roundTime, double roundTrip) {
        if (batch.length != roundTime.length || batch.length < 2) {
            throw new IllegalArgumentException("need >= 2 points of equal length, got " + batch.length + " and "
                    + roundTime.length);
        }
        double n = batch.length;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < batch.length; i++) {
            sx += batch[i];
            sy += roundTime[i];
            sxx += (double) batch[i] * batch[i];
            sxy += batch[i] * roundTime[i];
        }
        double den = n * sxx - sx * sx;
        if (den == 0) {
            throw new IllegalArgumentException("batch sizes must not all be equal");
        }
        double slope = (n * sxy - sx * sy) / den;
        double intercept = (sy - slope * sx) / n;
        return new BatchingThroughput(Math.max(0, intercept), Math.max(0, slope), roundTrip);
    }
}
