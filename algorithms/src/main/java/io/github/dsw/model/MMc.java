package io.github.dsw.model;

/**
 * The M/M/c queue: Poisson arrivals at rate λ, c identical servers with exponential service at rate μ,
 * one FIFO queue (Erlang 1917; Kleinrock vol. 1 §3.5). With offered load a = λ/μ and ρ = a/c < 1, the
 * probability that an arrival waits is Erlang's C formula, computed here from Erlang B with the stable
 * recursion B(0) = 1, B(k) = a·B(k−1)/(k + a·B(k−1)), then C = c·B/(c − a(1 − B)). The wait, given that
 * one waits, is exponential with rate cμ − λ.
 *
 * @param servers c
 * @param lambda arrival rate λ
 * @param mu service rate of one server μ
 */
public record MMc(int servers, double lambda, double mu) {

    /** @throws IllegalArgumentException unless c >= 1, λ, μ > 0 and λ < cμ */
    public MMc {
        if (servers < 1) {
            throw new IllegalArgumentException("servers must be >= 1, got " + servers);
        }
        if (!(lambda > 0) || !(mu > 0) || Double.isInfinite(mu)) {
            throw new IllegalArgumentException("lambda and mu must be finite and > 0, got lambda=" + lambda + ", mu=" + mu);
        }
        if (!(lambda < servers * mu)) {
            throw new IllegalArgumentException("lambda must be < servers*mu = " + servers * mu + ", got " + lambda);
        }
    }

    /** ρ = λ/(cμ), each server's busy fraction. */
    public double utilization() {
        return lambda / (servers * mu);
    }

    /** Erlang B: the blocking probability of the loss system M/M/c/c with the same load. */
    public double erlangB() {
        double a = lambda / mu;
        double b = 1.0;
        for (int k = 1; k <= servers; k++) {
            b = a * b / (k + a * b);
        }
        return b;
    }

    /** Erlang C: the probability that an arrival has to wait. */
    public double erlangC() {
        double a = lambda / mu;
        double b = erlangB();
        return servers * b / (servers - a * (1 - b));
    }

    /** W_q = C/(cμ − λ). */
    public double meanWaitingTime() {
        return erlangC() / (servers * mu - lambda);
    }

    /** W = W_q + 1/μ. */
    public double meanResponseTime() {
        return meanWaitingTime() + 1 / mu;
    }

    /** L = λ·W (Little's law). */
    public double meanNumberInSystem() {
        return LittlesLaw.numberInSystem(lambda, meanResponseTime());
    }

    /** P(W_q > t) = C·exp(−(cμ − λ)t). */
    public double waitingTimeTail(double t) {
        if (!(t >= 0)) {
            throw new IllegalArgumentException("t must be >= 0, got " + t);
        }
        return erlangC() * Math.exp(-(servers * mu - lambda) * t);
    }

    /**
     * P(T > t) for the response time T = W_q + S of a FIFO M/M/c queue. S is exponential with rate μ and,
     * independently, W_q is 0 with probability 1 − C and exponential with rate θ = cμ − λ otherwise, so
     * P(T > t) = (1 − C)e^{−μt} + C·(θe^{−μt} − μe^{−θt})/(θ − μ), the second term being the tail of a sum of two
     * exponentials (hypoexponential); when θ = μ it is e^{−μt}(1 + μt). (Kleinrock vol. 1 §3.5 gives the waiting
     * time; the sum is a standard convolution.) For c = 1 this is e^{−(μ−λ)t}.
     */
    public double responseTimeTail(double t) {
        if (!(t >= 0)) {
            throw new IllegalArgumentException("t must be >= 0, got " + t);
        }
        double c = erlangC();
        double theta = servers * mu - lambda;
        double sumTail = Math.abs(theta - mu) < 1e-12 * mu
                ? Math.exp(-mu * t) * (1 + mu * t)
                : (theta * Math.exp(-mu * t) - mu * Math.exp(-theta * t)) / (theta - mu);
        return (1 - c) * Math.exp(-mu * t) + c * sumTail;
    }

    /** The q-quantile of the response time T (0 ≤ q < 1), the t with P(T ≤ t) = q, found by bisection. */
    public double responseTimeQuantile(double q) {
        if (!(q >= 0 && q < 1)) {
            throw new IllegalArgumentException("q must be in [0, 1), got " + q);
        }
        double lo = 0;
        double hi = 1 / mu;
        while (1 - responseTimeTail(hi) < q) {
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (1 - responseTimeTail(mid) < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
