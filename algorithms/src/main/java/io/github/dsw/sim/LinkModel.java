package io.github.dsw.sim;

/**
 * How one directed link treats a message: its delay, and the probabilities of losing it, delivering it
 * twice, and holding it back by an extra {@code reorderDelayNs}-bounded delay so that later messages
 * overtake it. Messages on a link are never FIFO unless the latency is constant and reorder is 0.
 *
 * @param latency        one-way delay distribution
 * @param loss           probability in [0, 1] that a message is dropped
 * @param duplicate      probability in [0, 1] that a second copy is delivered (with its own delay)
 * @param reorder        probability in [0, 1] that a message gets an extra delay, uniform in [0, reorderDelayNs]
 * @param reorderDelayNs bound of that extra delay
 */
public record LinkModel(Latency latency, double loss, double duplicate, double reorder, long reorderDelayNs) {

    public LinkModel {
        if (latency == null) {
            throw new IllegalArgumentException("latency must not be null");
        }
        checkProbability("loss", loss);
        checkProbability("duplicate", duplicate);
        checkProbability("reorder", reorder);
        if (reorderDelayNs < 0) {
            throw new IllegalArgumentException("reorderDelayNs must be >= 0, got " + reorderDelayNs);
        }
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + p);
        }
    }

    /** A reliable link (no loss, duplication or reordering) with the given delay. */
    public static LinkModel reliable(Latency latency) {
        return new LinkModel(latency, 0, 0, 0, 0);
    }

    public LinkModel withLoss(double p) {
        return new LinkModel(latency, p, duplicate, reorder, reorderDelayNs);
    }

    public LinkModel withDuplicate(double p) {
        return new LinkModel(latency, loss, p, reorder, reorderDelayNs);
    }

    public LinkModel withReorder(double p, long delayNs) {
        return new LinkModel(latency, loss, duplicate, p, delayNs);
    }
}
