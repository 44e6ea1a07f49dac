package io.github.dsw.detect;

/**
 * Cassandra's variant of φ accrual ({@code org.apache.cassandra.gms.FailureDetector} and its
 * {@code ArrivalWindow}, read for this class; the maths is discussed in CASSANDRA-2597): inter-arrival
 * times are modelled as exponential instead of normal, so P(silence > Δt) = e^(−Δt/mean) and
 *
 * <pre>  φ = −log10(e^(−Δt/mean)) = Δt / (mean · ln 10)</pre>
 *
 * Cassandra computes Δt/mean and multiplies by {@code PHI_FACTOR = 1/ln 10} before comparing with
 * {@code phi_convict_threshold} (default 8); it convicts when the product is strictly greater. With a
 * 1 s gossip interval, φ = 8 means about 18.4 s of silence. Other choices kept from Cassandra:
 * <ul>
 *   <li>the window holds the last 1000 intervals (a running sum, so O(1) per heartbeat);</li>
 *   <li>the first heartbeat adds one interval equal to {@code initialIntervalNs} (2 × the gossip
 *       interval, so 2 s), erring high: "better false negatives than flapping";</li>
 *   <li>an interval longer than {@code maxIntervalNs} (by default the same 2 s) is never recorded, so a
 *       long partition does not teach the detector to be patient.</li>
 * </ul>
 * Not modelled: Cassandra skips conviction for 5 s after its own process paused (its check of the local
 * clock between two {@code interpret} calls), because here the monitor is never paused.
 */
public final class ExponentialPhiDetector implements HeartbeatDetector {

    /** 1/ln 10: φ on the scale of Cassandra's {@code phi_convict_threshold}. */
    public static final double PHI_FACTOR = 1.0 / Math.log(10.0);

    /**
     * @param threshold        convict when φ > threshold (Cassandra: 8)
     * @param windowSize       intervals kept (Cassandra: 1000)
     * @param initialIntervalNs interval recorded at the first heartbeat (Cassandra: 2 × gossip interval = 2 s)
     * @param maxIntervalNs    longer intervals are ignored (Cassandra: the initial value, 2 s)
     */
    public record Settings(double threshold, int windowSize, long initialIntervalNs, long maxIntervalNs) {
        public Settings {
            if (!(threshold > 0) || Double.isInfinite(threshold)) {
                throw new IllegalArgumentException("threshold must be finite and > 0, got " + threshold);
            }
            if (windowSize < 1) {
                throw new IllegalArgumentException("windowSize must be >= 1, got " + windowSize);
            }
            if (initialIntervalNs <= 0 || maxIntervalNs <= 0) {
                throw new IllegalArgumentException("initialIntervalNs and maxIntervalNs must be > 0, got " + initialIntervalNs
                        + ", " + maxIntervalNs);
            }
        }

        /** Cassandra's defaults for a 1 s gossip interval. */
        public static Settings cassandraDefaults() {
            return new Settings(8.0, 1000, 2_000_000_000L, 2_000_000_000L);
        }

        public Settings withThreshold(double t) {
            return new Settings(t, windowSize, initialIntervalNs, maxIntervalNs);
        }
    }

    private final Settings settings;
    private final long[] intervalsNs;
    private int index;
    private boolean filled;
    private long sumNs;
    private long lastNs;
    private boolean monitoring;

    public ExponentialPhiDetector(Settings settings) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        this.settings = settings;
        this.intervalsNs = new long[settings.windowSize()];
    }

    @Override
    public void heartbeat(long nowNs) {
        if (!monitoring) {
            add(settings.initialIntervalNs()); // erring high until real intervals come in
        } else {
            long interval = nowNs - lastNs;
            if (interval <= settings.maxIntervalNs()) {
                add(interval);
            }
        }
        lastNs = nowNs;
        monitoring = true;
    }

    private void add(long intervalNs) {
        if (index == intervalsNs.length) {
            filled = true;
            index = 0;
        }
        if (filled) {
            sumNs -= intervalsNs[index];
        }
        intervalsNs[index++] = intervalNs;
        sumNs += intervalNs;
    }

    /** Mean of the window in nanoseconds (NaN before the first heartbeat). */
    public double meanNs() {
        int n = filled ? intervalsNs.length : index;
        return (double) sumNs / n;
    }

    @Override
    public boolean isAvailable(long nowNs) {
        return !(suspicion(nowNs) > settings.threshold());
    }

    @Override
    public double suspicion(long nowNs) {
        return monitoring ? PHI_FACTOR * (nowNs - lastNs) / meanNs() : 0;
    }

    @Override
    public long suspectAtNs() {
        if (!monitoring) {
            return Long.MAX_VALUE;
        }
        // φ > threshold  ⇔  Δt > threshold · mean · ln 10; step to the first ns where it holds.
        long t = (long) Math.floor(settings.threshold() * meanNs() * Math.log(10.0));
        while (suspicion(lastNs + t) <= settings.threshold()) {
            t++;
        }
        while (t > 0 && suspicion(lastNs + t - 1) > settings.threshold()) {
            t--;
        }
        return lastNs + t;
    }
}
