package io.github.dsw.runtime;

/**
 * A seeded {@link Rng}: SplitMix64 (Steele, Lea and Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014), the same generator and output mix as the JDK's
 * {@link java.util.SplittableRandom} constructed with a seed. It is written out here so that a trace
 * never depends on a JDK's choice of algorithm: a seed replays the same run on any JVM.
 *
 * <p>It is the simulator's single source of randomness. Not thread-safe; a simulation is single-threaded by design.
 */
public final class SplitMix64 implements Rng {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private long state;
    private double spareGaussian = Double.NaN;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 uniformly distributed bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        long z = state;
        // Stafford's "Mix13" finaliser, as in SplitMix64.
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1), 53 bits of precision. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound); {@code bound} must be positive. Unbiased (rejection of the short tail). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long limit = (1L << 31) - ((1L << 31) % bound);
        while (true) {
            long r = nextLong() >>> 33;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Uniform in [0, bound) for a positive {@code long} bound. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, got " + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        while (true) {
            long r = nextLong() >>> 1;
            if (r < limit) {
                return r % bound;
            }
        }
    }

    /** True with probability {@code p} (no draw is made when p is 0 or 1, so fault-free runs stay cheap). */
    public boolean chance(double p) {
        if (p <= 0) {
            return false;
        }
        if (p >= 1) {
            return true;
        }
        return nextDouble() < p;
    }

    /** Standard normal variate by the Box–Muller transform (two per pair of uniforms). */
    public double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u1 = 1.0 - nextDouble(); // in (0, 1], so the log is finite
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** Exponential variate with the given mean (inverse CDF). */
    public double nextExponential(double mean) {
        return -mean * Math.log(1.0 - nextDouble());
    }
}
