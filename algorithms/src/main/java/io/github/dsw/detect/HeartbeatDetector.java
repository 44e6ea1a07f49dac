package io.github.dsw.detect;

/**
 * A failure detector fed by heartbeats from one monitored process, as a pure object: the caller passes
 * the local (monotonic) time of every call, so the detector owns no clock and replays exactly. Three
 * implementations sit behind this contract because a reader compares them:
 * {@link FixedTimeoutDetector} (the textbook timeout), {@link PhiAccrualDetector} (Akka's φ accrual,
 * normal distribution) and {@link ExponentialPhiDetector} (Cassandra's φ, exponential distribution).
 *
 * <p>The output is binary, as in Chen, Toueg and Aguilera's QoS framework ("On the Quality of Service
 * of Failure Detectors", IEEE Trans. Computers 51(5), 2002, §2): at any time the process is either
 * trusted ({@link #isAvailable} true) or suspected. An accrual detector also exposes its level of
 * suspicion ({@link #suspicion}), which crosses a threshold where the binary output flips.
 */
public interface HeartbeatDetector {

    /** Records a heartbeat that arrived at local time {@code nowNs}. */
    void heartbeat(long nowNs);

    /** True when the monitored process is trusted at local time {@code nowNs} (always before the first heartbeat). */
    boolean isAvailable(long nowNs);

    /**
     * The level of suspicion at {@code nowNs} on the scale the threshold is stated in: φ for the accrual
     * detectors, elapsed time over the timeout for the fixed timeout; 0 before the first heartbeat.
     */
    double suspicion(long nowNs);

    /**
     * The earliest local time at which {@link #isAvailable} turns false if no further heartbeat arrives,
     * or {@link Long#MAX_VALUE} before the first heartbeat. Suspicion grows with the time since the last
     * heartbeat in every detector here, so this is one number: a monitor sets a single timer for it
     * instead of polling.
     */
    long suspectAtNs();
}
