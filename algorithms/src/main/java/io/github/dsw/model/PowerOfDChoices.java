package io.github.dsw.model;

/**
 * The supermarket model's fixed point (Mitzenmacher, "The Power of Two Choices in Randomized Load
 * Balancing", IEEE TPDS 12(10), 2001): n → ∞ FIFO queues with exponential(1) service, Poisson arrivals
 * at rate λn, each arrival joining the shortest of d queues chosen at random. In equilibrium the fraction
 * of queues with at least i requests is s_i = λ^((d^i − 1)/(d − 1)), doubly exponential in i for d ≥ 2
 * (for d = 1, s_i = λ^i: every queue is M/M/1). The expected time in system is
 * T_d(λ) = Σ_{i≥1} λ^((d^i − d)/(d − 1)), about log_d(1/(1−λ)) as λ → 1, against 1/(1−λ) for d = 1.
 *
 * @param d choices per arrival
 * @param lambda arrival rate per queue (= utilization, service rate 1)
 */
public record PowerOfDChoices(int d, double lambda) {

    /** @throws IllegalArgumentException unless d >= 1 and 0 < λ < 1 */
    public PowerOfDChoices {
        if (d < 1) {
            throw new IllegalArgumentException("d must be >= 1, got " + d);
        }
        if (!(lambda > 0 && lambda < 1)) {
            throw new IllegalArgumentException("lambda must be in (0, 1), got " + lambda);
        }
    }

    /** s_i, the equilibrium fraction of queues holding at least i requests (s_0 = 1). */
    public double fractionWithAtLeast(int i) {
        if (i < 0) {
            throw new IllegalArgumentException("i must be >= 0, got " + i);
        }
        double exponent = d == 1 ? i : (Math.pow(d, i) - 1) / (d - 1);
        return Math.pow(lambda, exponent);
    }

    /**
     * T_d(λ), the expected time in system in units of the mean service time: by Little's law the mean
     * queue length Σ_{i≥1} s_i divided by λ. Summed until the terms vanish.
     */
    public double meanTimeInSystem() {
        double sum = 0;
        for (int i = 1; i < 100_000; i++) {
            double term = fractionWithAtLeast(i) / lambda;
            sum += term;
            if (term < 1e-15 * sum) {
                break;
            }
        }
        return sum;
    }
}
