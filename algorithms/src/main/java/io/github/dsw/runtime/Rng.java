package io.github.dsw.runtime;

/**
 * The one source of randomness a protocol may use, handed to it by its environment through
 * {@link Context#random()}: seeded, so that a run replays from its seed. The simulator's implementation
 * is {@link SplitMix64}; a real process may use the same generator seeded per process.
 *
 * <p>Protocols never call {@code java.util.Random}, {@code Math.random} or {@code ThreadLocalRandom}.
 */
public interface Rng {

    /** The next 64 uniformly distributed bits. */
    long nextLong();

    /** Uniform in [0, 1), 53 bits of precision. */
    double nextDouble();

    /** Uniform in [0, bound); {@code bound} must be positive. */
    int nextInt(int bound);

    /** Uniform in [0, bound) for a positive {@code long} bound. */
    long nextLong(long bound);

    /** True with probability {@code p} (0 and 1 included). */
    boolean chance(double p);

    /** Standard normal. */
    double nextGaussian();

    /** Exponentially distributed with the given mean. */
    double nextExponential(double mean);
}
