package io.github.dsw.balance;

import java.util.random.RandomGenerator;

/**
 * The power of d choices (Mitzenmacher, "The Power of Two Choices in Randomized Load Balancing",
 * IEEE TPDS 12(10), 2001): sample d distinct servers at random and send to the least loaded of them.
 * Two samples already cut the expected time in system from 1/(1−λ) to about log2(1/(1−λ)) as λ → 1
 * ({@link io.github.dsw.model.PowerOfDChoices}); more samples help only by a constant factor. Because it
 * only compares two random servers, stale load information hurts it far less than
 * {@link LeastConnections}. O(d) per pick.
 */
public final class PowerOfTwoChoices implements Balancer {
    private final int d;
    private final RandomGenerator random;

    /** Two choices. */
    public PowerOfTwoChoices(RandomGenerator random) {
        this(2, random);
    }

    /**
     * @param d servers sampled per pick
     * @throws IllegalArgumentException if {@code d < 1} or {@code random} is null
     */
    public PowerOfTwoChoices(int d, RandomGenerator random) {
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + d);
        }
        if (random == null) {
            throw new IllegalArgumentException("random must not be null");
        }
        this.d = d;
        this.random = random;
    }

    @Override
    public int pick(long requestKey, long nowNanos, LoadView view) {
        int n = view.size();
        int samples = Math.min(d, n);
        int best = random.nextInt(n);
        if (samples == 2) {
            // The common case without allocation: a second server distinct from the first.
            int other = random.nextInt(n - 1);
            if (other >= best) {
                other++;
            }
            return view.outstanding(other) < view.outstanding(best) ? other : best;
        }
        int[] chosen = new int[samples];
        chosen[0] = best;
        for (int k = 1; k < samples; k++) {
            int candidate;
            boolean repeat;
            do { // rejection sampling keeps the d samples distinct; d is small
                candidate = random.nextInt(n);
                repeat = false;
                for (int j = 0; j < k; j++) {
                    repeat |= chosen[j] == candidate;
                }
            } while (repeat);
            chosen[k] = candidate;
            if (view.outstanding(candidate) < view.outstanding(best)) {
                best = candidate;
            }
        }
        return best;
    }
}
