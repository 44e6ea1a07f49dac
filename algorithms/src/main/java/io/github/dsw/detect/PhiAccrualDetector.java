package io.github.dsw.detect;

/**
 * The φ accrual failure detector (Hayashibara, Défago, Yared and Katayama, "The φ Accrual Failure
 * Detector", SRDS 2004) exactly as Akka implements it ({@code akka.remote.PhiAccrualFailureDetector},
 * read for this class; the differences are listed below). Instead of a yes/no answer it outputs a
 * suspicion level
 *
 * <pre>  φ(Δt) = −log10(1 − F(Δt))</pre>
 *
 * where Δt is the time since the last heartbeat and F the CDF of a normal distribution fitted to the
 * last {@code maxSampleSize} inter-arrival times. φ = 1 means a 10% chance that a live process would
 * still be silent this long, φ = 8 one in 10^8. Akka's choices on top of the paper, all kept here:
 * <ul>
 *   <li>the mean is shifted by {@code acceptableHeartbeatPause} (default 3 s), so that a few lost
 *       heartbeats or a GC pause are not yet suspicious;</li>
 *   <li>the standard deviation is floored at {@code minStdDeviation} (default 100 ms): with perfectly
 *       regular heartbeats it would be near zero and φ would jump from 0 to ∞ within a millisecond;</li>
 *   <li>F is the logistic approximation of the normal CDF, 1 / (1 + e^(−y(1.5976 + 0.070566 y²))) with
 *       y = (Δt − μ)/σ (Bowling, Khasawneh, Kaewkuekool and Cho, "A logistic approximation to the
 *       cumulative normal distribution", JIEM 2009; max error 0.00014), computed on the side where it
 *       does not cancel: φ = −log10(e/(1+e)) above the mean, −log10(1 − 1/(1+e)) below;</li>
 *   <li>the window is bootstrapped with two intervals, estimate ± estimate/4 ({@code firstHeartbeatEstimate},
 *       the heartbeat interval, default 1 s), so that a process that sent a single heartbeat is still
 *       suspected eventually;</li>
 *   <li>a heartbeat that arrives while the process is suspected is not added to the window (a long
 *       pause would otherwise skew the statistics), it only restarts the clock;</li>
 *   <li>variance is the population variance Σx²/n − mean², from running sums.</li>
 * </ul>
 * Differences from Akka: Akka's clock is in whole milliseconds; here times are nanoseconds and the
 * statistics are kept in (fractional) milliseconds, so intervals are not truncated. Akka is thread-safe
 * with a compare-and-set loop; this object is used by one state machine and has no locking.
 *
 * <p>Cost: O(1) per heartbeat and per φ (running sums over a ring buffer); {@link #suspectAtNs} inverts
 * φ by bisection, about 64 evaluations of φ.
 */
public final class PhiAccrualDetector implements HeartbeatDetector {

    /**
     * Akka's settings (names of {@code akka.cluster.failure-detector}).
     *
     * @param threshold                φ at and above which the process is suspected, > 0
     * @param maxSampleSize            window of inter-arrival times, >= 1
     * @param minStdDeviationNs        floor of the standard deviation, > 0
     * @param acceptableHeartbeatPauseNs shift of the mean, >= 0
     * @param firstHeartbeatEstimateNs  the heartbeat interval, used to bootstrap the window, > 0
     */
    public record Settings(double threshold, int maxSampleSize, long minStdDeviationNs, long acceptableHeartbeatPauseNs,
                           long firstHeartbeatEstimateNs) {
        public Settings {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be finite and > 0, got " + threshold);
            }
            if (maxSampleSize < 1) {
                throw new IllegalArgumentException("maxSampleSize must be >= 1, got " + maxSampleSize);
            }
            if (minStdDeviationNs <= 0) {
                throw new IllegalArgumentException("minStdDeviationNs must be > 0, got " + minStdDeviationNs);
            }
            if (acceptableHeartbeatPauseNs < 0) {
                throw new IllegalArgumentException("acceptableHeartbeatPauseNs must be >= 0, got " + acceptableHeartbeatPauseNs);
            }
            if (firstHeartbeatEstimateNs <= 0) {
                throw new IllegalArgumentException("firstHeartbeatEstimateNs must be > 0, got " + firstHeartbeatEstimateNs);
            }
        }

        /** Akka Cluster's defaults: threshold 8, 1000 samples, min std 100 ms, acceptable pause 3 s, heartbeat 1 s. */
        public static Settings akkaDefaults() {
            return new Settings(8.0, 1000, 100_000_000L, 3_000_000_000L, 1_000_000_000L);
        }

        public Settings withThreshold(double t) {
            return new Settings(t, maxSampleSize, minStdDeviationNs, acceptableHeartbeatPauseNs, firstHeartbeatEstimateNs);
        }

        public Settings withAcceptableHeartbeatPauseNs(long ns) {
            return new Settings(threshold, maxSampleSize, minStdDeviationNs, ns, firstHeartbeatEstimateNs);
        }

        public Settings withMaxSampleSize(int n) {
            return new Settings(threshold, n, minStdDeviationNs, acceptableHeartbeatPauseNs, firstHeartbeatEstimateNs);
        }
    }

    private final Settings settings;
    private final double[] intervalsMs; // ring buffer of the last maxSampleSize intervals
    private int size;
    private int oldest;
    private double sumMs;
    private double sumSquaresMs;
    private long lastNs;
    private boolean monitoring;

    public PhiAccrualDetector(Settings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
        this.intervalsMs = new double[settings.maxSampleSize()];
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public void heartbeat(long nowNs) {
        if (!monitoring) {
            // The first heartbeat of a new resource: bootstrap with two intervals of rather high deviation.
            double mean = settings.firstHeartbeatEstimateNs() / 1e6;
            double std = mean / 4;
            size = 0;
            oldest = 0;
            sumMs = 0;
            sumSquaresMs = 0;
            add(mean - std);
            add(mean + std);
        } else if (isAvailable(nowNs)) {
            // Not after a suspicion: the first heartbeat after a long pause would skew the statistics.
            add((nowNs - lastNs) / 1e6);
        }
        lastNs = nowNs;
        monitoring = true;
    }

    private void add(double intervalMs) {
        if (size == intervalsMs.length) {
            double dropped = intervalsMs[oldest];
            sumMs -= dropped;
            sumSquaresMs -= dropped * dropped;
            intervalsMs[oldest] = intervalMs;
            oldest = (oldest + 1) % intervalsMs.length;
        } else {
            intervalsMs[(oldest + size) % intervalsMs.length] = intervalMs;
            size++;
        }
        sumMs += intervalMs;
        sumSquaresMs += intervalMs * intervalMs;
    }

    /** Mean of the window in milliseconds (NaN before the first heartbeat). */
    public double meanMs() {
        return sumMs / size;
    }

    /** Population variance of the window in ms² (never negative, despite rounding of the running sums). */
    public double varianceMs2() {
        double m = meanMs();
        return Math.max(0, sumSquaresMs / size - m * m);
    }

    /** Number of intervals in the window. */
    public int samples() {
        return size;
    }

    @Override
    public boolean isAvailable(long nowNs) {
        return suspicion(nowNs) < settings.threshold();
    }

    @Override
    public double suspicion(long nowNs) {
        if (!monitoring) {
            return 0; // unmanaged connections, with no heartbeat yet, are healthy
        }
        return phi((nowNs - lastNs) / 1e6, meanMs() + settings.acceptableHeartbeatPauseNs() / 1e6,
                Math.max(Math.sqrt(varianceMs2()), settings.minStdDeviationNs() / 1e6));
    }

    /**
     * φ for a time since the last heartbeat of {@code timeDiffMs}, by the logistic approximation of the
     * normal CDF with the given mean and standard deviation (all in the same unit).
     */
    public static double phi(double timeDiffMs, double meanMs, double stdDeviationMs) {
        double y = (timeDiffMs - meanMs) / stdDeviationMs;
        double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
        if (timeDiffMs > meanMs) {
            return -Math.log10(e / (1.0 + e));
        }
        return -Math.log10(1.0 - 1.0 / (1.0 + e));
    }

    @Override
    public long suspectAtNs() {
        if (!monitoring) {
            return Long.MAX_VALUE;
        }
        // φ grows with the elapsed time: bisect for the smallest elapsed ns at which φ >= threshold.
        long lo = 0; // φ(lo) < threshold (φ(0) is below any threshold unless the window is degenerate)
        long hi = 1_000_000L;
        while (suspicion(lastNs + hi) < settings.threshold()) {
            lo = hi;
            hi *= 2;
            if (hi > (Long.MAX_VALUE - lastNs) / 4) {
                return Long.MAX_VALUE;
            }
        }
        if (suspicion(lastNs) >= settings.threshold()) {
            return lastNs;
        }
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (suspicion(lastNs + mid) >= settings.threshold()) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lastNs + hi;
    }
}
