package io.github.dsw.detect;

/**
 * The textbook heartbeat detector: suspect the process once more than {@code timeoutNs} have passed
 * since the last heartbeat arrived. Its whole QoS follows from the heartbeat interval η, the delay
 * distribution and the timeout (Chen, Toueg and Aguilera 2002, §1.3 discuss why "time since the last
 * arrival" is the common but not the best choice); {@code io.github.dsw.model.FailureDetectorQos} gives
 * the closed forms this project checks the simulator against.
 */
public final class FixedTimeoutDetector implements HeartbeatDetector {

    private final long timeoutNs;
    private long lastNs;
    private boolean monitoring;

    /** @param timeoutNs silence after which the process is suspected, > 0 */
    public FixedTimeoutDetector(long timeoutNs) {
        if (timeoutNs <= 0) {
            throw new IllegalArgumentException("timeoutNs must be > 0, got " + timeoutNs);
        }
        this.timeoutNs = timeoutNs;
    }

    public long timeoutNs() {
        return timeoutNs;
    }

    @Override
    public void heartbeat(long nowNs) {
        lastNs = nowNs;
        monitoring = true;
    }

    @Override
    public boolean isAvailable(long nowNs) {
        return !monitoring || nowNs - lastNs <= timeoutNs;
    }

    @Override
    public double suspicion(long nowNs) {
        return monitoring ? (double) (nowNs - lastNs) / timeoutNs : 0;
    }

    @Override
    public long suspectAtNs() {
        return monitoring ? lastNs + timeoutNs + 1 : Long.MAX_VALUE;
    }
}
