package io.github.dsw.balance;

import java.util.random.RandomGenerator;

/**
 * A uniformly random server. With Poisson arrivals this splits the stream into n independent Poisson
 * streams, so each server is an M/M/1 (or M/G/1) queue on its own: the d = 1 case of the
 * power-of-d-choices model. O(1).
 */
public final class RandomChoice implements Balancer {
    private final RandomGenerator random;

    /** @throws IllegalArgumentException if {@code random} is null */
    public RandomChoice(RandomGenerator random) {
        if (random == null) {
            throw new IllegalArgumentException("random must not be null");
        }
        this.random = random;
    }

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        return random.nextInt(view.size());
    }
}
