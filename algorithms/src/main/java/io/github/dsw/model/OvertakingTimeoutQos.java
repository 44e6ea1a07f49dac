package io.github.dsw.model;

import java.util.function.DoubleUnaryOperator;

/**
 * The QoS of the fixed-timeout heartbeat detector without {@link FailureDetectorQos#fixedTimeout}'s assumption that a
 * heartbeat is never overtaken by a later one. Same model: heartbeat k is sent at kη, lost with probability p or else
 * delayed by D_k, all independent with CDF F and density f; the monitor suspects at time t iff no heartbeat
 * <em>arrived</em> in (t − TO, t] (whatever its sequence number, as {@code FixedTimeoutDetector} does).
 *
 * <p>At time t = (n + φ/η)·η, phase φ ∈ [0, η), the heartbeats already sent left at t − φ − jη, j = 0, 1, ...; heartbeat
 * j arrives in the window with probability q·w_j(φ), q = 1 − p, w_j(φ) = F(φ + jη) − F(φ + jη − TO) (F = 0 below 0),
 * independently of the others, so
 * <pre>
 *   P(suspected at phase φ)  S(φ) = Π_j (1 − q·w_j(φ))
 *   P_A                      = 1 − (1/η) ∫₀^η S(φ) dφ
 * </pre>
 * A mistake starts at t when the last arrival in the window leaves it: some heartbeat arrived exactly at t − TO and no
 * other one in (t − TO, t]. Its rate density at phase φ is Σ_j q·f(φ + jη − TO) · Π_{i≠j} (1 − q·w_i(φ)); the mistake
 * rate is its mean over a period, and (Chen, Toueg and Aguilera 2002, Theorem 1)
 * <pre>
 *   1/E(T_MR) = (1/η) ∫₀^η Σ_j q·f(φ + jη − TO) · Π_{i≠j} (1 − q·w_i(φ)) dφ,    E(T_M) = (1 − P_A)·E(T_MR)
 * </pre>
 * Detection: after a crash at phase φ, let M be the last arrival of the heartbeats sent before it, relative to the
 * crash; P(M ≤ x) = Π_j (1 − q·(1 − F(x + φ + jη))), and the crash is suspected for good at max(0, M + TO), so
 * <pre>  E(T_D) = (1/η) ∫₀^η ∫_{−TO}^∞ (1 − P(M ≤ x)) dx dφ.</pre>
 * The integrals are midpoint sums over {@code phases} phases (at most 20 for T_D, which varies smoothly with the
 * phase) and a trapezoid x grid that widens in the tail; no closed form is claimed. With delays that never exceed η − (anything) the heartbeats cannot overtake, and the result must equal
 * {@link FailureDetectorQos#fixedTimeout}'s ({@code OvertakingTimeoutQosTest} checks both that and the simulator).
 */
public final class OvertakingTimeoutQos {

    /** A delay distribution by its CDF and density (both 0 below 0). */
    public record Delay(DoubleUnaryOperator cdf, DoubleUnaryOperator pdf) {
        /** Log-normal with median {@code median} and shape σ. */
        public static Delay logNormal(double median, double sigma) {
            double mu = Math.log(median);
            return new Delay(x -> x <= 0 ? 0 : FailureDetectorQos.normalCdf((Math.log(x) - mu) / sigma),
                    x -> {
                        if (x <= 0) {
                            return 0;
                        }
                        double z = (Math.log(x) - mu) / sigma;
                        return Math.exp(-z * z / 2) / (x * sigma * Math.sqrt(2 * Math.PI));
                    });
        }

        /** Uniform on [a, b], 0 ≤ a < b. */
        public static Delay uniform(double a, double b) {
            if (!(a >= 0 && b > a)) {
                throw new IllegalArgumentException("need 0 <= a < b, got " + a + ", " + b);
            }
            return new Delay(x -> x <= a ? 0 : x >= b ? 1 : (x - a) / (b - a), x -> x < a || x > b ? 0 : 1 / (b - a));
        }
    }

    private static final double NEGLIGIBLE = 1e-13;
    private static final int MAX_TERMS = 1_000_000;

    private OvertakingTimeoutQos() {
    }

    /**
     * The metrics (in the unit of η) of a fixed timeout {@code timeout}, heartbeats every {@code eta}, loss {@code loss},
     * delays {@code delay}; {@code phases} midpoints per heartbeat period (100 is plenty for smooth delays).
     */
    public static FailureDetectorQos.Expected fixedTimeout(double eta, double timeout, double loss, Delay delay, int phases) {
        if (!(eta > 0) || !(timeout > 0)) {
            throw new IllegalArgumentException("eta and timeout must be > 0, got " + eta + ", " + timeout);
        }
        if (!(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("loss must be in [0, 1), got " + loss);
        }
        if (phases < 1 || delay == null) {
            throw new IllegalArgumentException("phases must be >= 1 and delay not null");
        }
        double q = 1 - loss;
        double suspectedSum = 0;
        double rateSum = 0;
        double detectionSum = 0;
        for (int m = 0; m < phases; m++) {
            double phi = (m + 0.5) * eta / phases;
            // factors 1 − q·w_j until heartbeats sent long before can no longer be in the window
            double[] factor = new double[64];
            double[] density = new double[64];
            int n = 0;
            for (int j = 0; j < MAX_TERMS; j++) {
                double hi = phi + j * eta;
                double lo = hi - timeout;
                double w = cdf(delay, hi) - cdf(delay, lo);
                double dens = q * pdf(delay, lo);
                if (n == factor.length) {
                    factor = java.util.Arrays.copyOf(factor, 2 * n);
                    density = java.util.Arrays.copyOf(density, 2 * n);
                }
                factor[n] = 1 - q * w;
                density[n] = dens;
                n++;
                if (lo > 0 && q * w < NEGLIGIBLE && dens * eta < NEGLIGIBLE) {
                    break;
                }
            }
            // products of all factors but one, from prefix and suffix products (no division: a factor may be 0)
            double[] prefix = new double[n + 1];
            prefix[0] = 1;
            for (int j = 0; j < n; j++) {
                prefix[j + 1] = prefix[j] * factor[j];
            }
            double suffix = 1;
            double rate = 0;
            for (int j = n - 1; j >= 0; j--) {
                rate += density[j] * prefix[j] * suffix;
                suffix *= factor[j];
            }
            suspectedSum += prefix[n];
            rateSum += rate;
        }
        // T_D varies smoothly with the phase: a coarser phase grid is enough
        int dPhases = Math.min(phases, 20);
        for (int m = 0; m < dPhases; m++) {
            detectionSum += detection(eta, timeout, q, delay, (m + 0.5) * eta / dPhases) * phases / dPhases;
        }
        double pA = 1 - suspectedSum / phases;
        double mistakeRate = rateSum / phases;
        double tMr = mistakeRate <= 0 ? Double.POSITIVE_INFINITY : 1 / mistakeRate;
        double tM = mistakeRate <= 0 ? Double.NaN : (1 - pA) / mistakeRate;
        return new FailureDetectorQos.Expected(tMr, tM, pA, detectionSum / phases);
    }

    /** ∫_{−TO}^∞ (1 − P(M ≤ x)) dx for a crash at phase φ. */
    private static double detection(double eta, double timeout, double q, Delay delay, double phi) {
        double h = Math.min(eta, timeout) / 100;
        double x = -timeout;
        double sum = 0;
        double prev = 1 - lastArrivalCdf(eta, q, delay, phi, x);
        for (int step = 0; step < 1_000_000; step++) {
            double next = 1 - lastArrivalCdf(eta, q, delay, phi, x + h);
            sum += (prev + next) / 2 * h;
            x += h;
            prev = next;
            if (next < 1e-9 && x > 0) {
                break; // what is left is below 1e-9 per unit of x and falling
            }
            if (x > 0 && step % 50 == 49) {
                h *= 1.5; // the tail is smooth: widen the steps
            }
        }
        return sum;
    }

    /** P(M ≤ x): every heartbeat sent before the crash (at −φ − jη) was lost or arrived by x. */
    private static double lastArrivalCdf(double eta, double q, Delay delay, double phi, double x) {
        double p = 1;
        for (int j = 0; j < MAX_TERMS; j++) {
            double late = 1 - cdf(delay, x + phi + j * eta);
            p *= 1 - q * late;
            if (late < 1e-10 || p == 0) {
                break;
            }
        }
        return p;
    }

    private static double cdf(Delay d, double x) {
        return x <= 0 ? 0 : d.cdf().applyAsDouble(x);
    }

    private static double pdf(Delay d, double x) {
        return x <= 0 ? 0 : d.pdf().applyAsDouble(x);
    }
}
