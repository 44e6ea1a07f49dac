package io.github.dsw.model;

/**
 * The M/M/1 queue: Poisson arrivals at rate λ, one server with exponential service at rate μ, FIFO
 * (Kleinrock, Queueing Systems vol. 1, §3.2). With ρ = λ/μ < 1, the number in system is geometric,
 * P(N = k) = (1−ρ)ρ^k, and the response time is exponential with rate μ − λ.
 *
 * @param lambda arrival rate λ
 * @param mu service rate μ
 */
public record MM1(double lambda, double mu) {

    /** @throws IllegalArgumentException unless 0 < λ < μ (the queue must be stable) */
    public MM1 {
        if (!(lambda > 0) || !(mu > 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("lambda and mu must be finite and > 0, got lambda=" + lambda + ", mu=" + mu);
        }
        if (!(lambda < mu)) {
            throw new IllegalArgumentException("lambda must be < mu for a stable queue, got lambda=" + lambda + ", mu=" + mu);
        }
    }

    /** ρ = λ/μ, the fraction of time the server is busy. */
    public double utilization() {
        return lambda / mu;
    }

    /** W = 1/(μ − λ). */
    public double meanResponseTime() {
        return 1 / (mu - lambda);
    }

    /** W_q = ρ/(μ − λ), the time spent waiting before service. */
    public double meanWaitingTime() {
        return utilization() / (mu - lambda);
    }

    /** L = ρ/(1 − ρ) = λ·W. */
    public double meanNumberInSystem() {
        double rho = utilization();
        return rho / (1 - rho);
    }

    /**
     * The p-quantile of response time, −ln(1 − p)/(μ − λ).
     *
     * @throws IllegalArgumentException if p is not in [0, 1)
     */
    public double responseTimePercentile(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in [0, 1), got " + p);
        }
        return -Math.log(1 - p) / (mu - lambda);
    }
}
