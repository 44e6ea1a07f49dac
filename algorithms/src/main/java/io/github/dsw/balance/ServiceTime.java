package io.github.dsw.balance;

import java.util.random.RandomGenerator;

/** Service-time distributions for {@link QueueSimulation}, in simulation time units (1 unit = 1 ms). */
public sealed interface ServiceTime {

    /** The mean service time. */
    double mean();

    /** One service time drawn with {@code random}. */
    double sample(RandomGenerator random);

    /** Exponential with the given mean (the M in M/M/1): memoryless, coefficient of variation 1. */
    record Exponential(double mean) implements ServiceTime {
        public Exponential {
            checkPositive("mean", mean);
        }

        @Override
        public double sample(RandomGenerator random) {
            return -mean * Math.log(1.0 - random.nextDouble()); // inversion; 1 - u is in (0, 1]
        }
    }

    /**
     * Log-normal with the given mean and shape σ (the standard deviation of the logarithm): the long
     * right tail of real RPC latencies. Its median is mean·exp(−σ²/2).
     */
    record LogNormal(double mean, double sigma) implements ServiceTime {
        public LogNormal {
            checkPositive("mean", mean);
            checkPositive("sigma", sigma);
        }

        @Override
        public double sample(RandomGenerator random) {
            double mu = Math.log(mean) - sigma * sigma / 2;
            return Math.exp(mu + sigma * random.nextGaussian());
        }
    }

    /**
     * Two kinds of request: {@code fast} most of the time and {@code slow} with probability
     * {@code slowProbability} (a cache hit or miss, a cheap or expensive query).
     */
    record Bimodal(double fast, double slow, double slowProbability) implements ServiceTime {
        public Bimodal {
            checkPositive("fast", fast);
            checkPositive("slow", slow);
            if (!(slowProbability >= 0 && slowProbability <= 1)) {
                throw new IllegalArgumentException("slowProbability must be in [0, 1], got " + slowProbability);
            }
        }

        @Override
        public double mean() {
            return fast * (1 - slowProbability) + slow * slowProbability;
        }

        @Override
        public double sample(RandomGenerator random) {
            return random.nextDouble() < slowProbability ? slow : fast;
        }
    }

    private static void checkPositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
        }
    }
}
