package io.github.dsw.sim;

import io.github.dsw.runtime.SplitMix64;
/**
 * A one-way message delay distribution, sampled in nanoseconds of virtual time from the simulator's
 * RNG. Four shapes cover the usual network models: a constant (textbook analyses), uniform (Maelstrom's
 * {@code --latency-dist uniform}), log-normal (measured datacenter RTTs are close to it) and a Pareto
 * tail (rare, very slow messages, the case that breaks timeouts).
 */
public sealed interface Latency {

    /** One delay in nanoseconds, never negative. */
    long sampleNs(SplitMix64 random);

    /** Always {@code ns}. */
    record Constant(long ns) implements Latency {
        public Constant {
            if (ns < 0) {
                throw new IllegalArgumentException("ns must be >= 0, got " + ns);
            }
        }

        @Override
        public long sampleNs(SplitMix64 random) {
            return ns;
        }
    }

    /** Uniform on [minNs, maxNs]. */
    record Uniform(long minNs, long maxNs) implements Latency {
        public Uniform {
            if (minNs < 0 || maxNs < minNs) {
                throw new IllegalArgumentException("need 0 <= minNs <= maxNs, got minNs=" + minNs + " maxNs=" + maxNs);
            }
        }

        @Override
        public long sampleNs(SplitMix64 random) {
            return minNs + random.nextLong(maxNs - minNs + 1);
        }
    }

    /**
     * Log-normal with the given median and shape: {@code medianNs * exp(sigma * Z)}, Z standard normal.
     * Mean = median * exp(sigma^2 / 2).
     */
    record LogNormal(long medianNs, double sigma) implements Latency {
        public LogNormal {
            if (medianNs <= 0 || !(sigma >= 0) || Double.isInfinite(sigma)) {
                throw new IllegalArgumentException("need medianNs > 0 and finite sigma >= 0, got medianNs=" + medianNs + " sigma=" + sigma);
            }
        }

        @Override
        public long sampleNs(SplitMix64 random) {
            return Math.round(medianNs * Math.exp(sigma * random.nextGaussian()));
        }
    }

    /**
     * Pareto (type I) with scale {@code minNs} and shape {@code alpha}: P(X > x) = (minNs / x)^alpha for
     * x >= minNs, by inverse CDF; capped at {@code capNs} so that one sample cannot stall a run forever.
     * Median = minNs * 2^(1/alpha); the mean is finite only for alpha > 1.
     */
    record Pareto(long minNs, double alpha, long capNs) implements Latency {
        public Pareto {
            if (minNs <= 0 || !(alpha > 0) || capNs < minNs) {
                throw new IllegalArgumentException("need minNs > 0, alpha > 0, capNs >= minNs, got minNs=" + minNs
                        + " alpha=" + alpha + " capNs=" + capNs);
            }
        }

        @Override
        public long sampleNs(SplitMix64 random) {
            double u = 1.0 - random.nextDouble(); // (0, 1]
            double x = minNs / Math.pow(u, 1.0 / alpha);
            return x >= capNs ? capNs : Math.round(x);
        }
    }
}
