package io.github.dsw.model;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The QoS of the fixed-timeout heartbeat detector in closed form, to draw beside the simulator's
 * measurements (chapter 11). The monitored process sends a heartbeat every η; each is lost with
 * probability p, independently, or else delayed by an i.i.d. delay D; the monitor suspects once more
 * than TO has passed since the last arrival. After an arrival, the next gap is
 *
 * <pre>  G = L·η + D' − D,   L ~ Geometric(1 − p) on {1, 2, ...}   (L − 1 heartbeats lost in a row)</pre>
 *
 * and every gap longer than TO is exactly one mistake, lasting G − TO (ignoring reordering, which needs
 * D' − D < −η). Arrivals come at rate (1 − p)/η, so (in the terms of Chen, Toueg and Aguilera, "On the
 * Quality of Service of Failure Detectors", 2002, §2.3):
 * <pre>
 *   1/E(T_MR) = (1 − p)/η · P(G > TO)
 *   E(T_M)    = E[(G − TO)⁺] / P(G > TO)
 *   P_A       = 1 − (1 − p)/η · E[(G − TO)⁺]
 *   E(T_D)    ≈ TO + E[D] − η/2 − η·p/(1 − p)        (crash uniform in a period, TO ≥ η)
 * </pre>
 * The last: the crash comes on average η/2 after the last heartbeat sent, which arrives D later and is
 * suspected TO after that; each trailing lost heartbeat moves the last arrival one η earlier.
 * The delay enters through its quantile function, discretised at {@code points} equal-probability
 * midpoints, so any distribution with a quantile (constant, log-normal, Pareto) fits.
 *
 * <p>Cost: O(points · log points) per geometric term, about log(1e-12)/log(p) terms.
 */
public final class FailureDetectorQos {

    /**
     * The expected metrics, times in the unit of η.
     *
     * @param mistakeRecurrence E(T_MR) (+∞ if no gap can exceed TO)
     * @param mistakeDuration   E(T_M) (NaN if no gap can exceed TO)
     * @param queryAccuracy     P_A
     * @param detectionTime     E(T_D), the approximation above
     */
    public record Expected(double mistakeRecurrence, double mistakeDuration, double queryAccuracy, double detectionTime) {
    }

    private FailureDetectorQos() {
    }

    /**
     * The metrics of a fixed timeout {@code timeout} with heartbeat interval {@code eta}, loss {@code loss}
     * and delays of quantile function {@code delayQuantile} (u in (0, 1) to a delay in the unit of eta).
     */
    public static Expected fixedTimeout(double eta, double timeout, double loss, DoubleUnaryOperator delayQuantile, int points) {
        if (!(eta > 0) || !(timeout > 0)) {
            throw new IllegalArgumentException("eta and timeout must be > 0, got " + eta + ", " + timeout);
        }
        if (!(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("loss must be in [0, 1), got " + loss);
        }
        if (points < 1) {
            throw new IllegalArgumentException("points must be >= 1, got " + points);
        }
        double[] d = new double[points];
        for (int i = 0; i < points; i++) {
            d[i] = delayQuantile.applyAsDouble((i + 0.5) / points);
        }
        Arrays.sort(d);
        double[] suffix = new double[points + 1]; // suffix[j] = d[j] + ... + d[points-1]
        for (int j = points - 1; j >= 0; j--) {
            suffix[j] = suffix[j + 1] + d[j];
        }
        double meanD = suffix[0] / points;
        double pExceed = 0;
        double excess = 0; // E[(G − TO)⁺]
        double pL = 1 - loss; // P(L = 1)
        for (int l = 1; pL > 1e-15 || l == 1; l++) {
            // P(lη + D' − D > TO) and E[(lη + D' − D − TO)⁺] over the grid: for each D = d[i], the D' > TO − lη + d[i].
            double count = 0;
            double sum = 0;
            for (int i = 0; i < points; i++) {
                double bound = timeout - l * eta + d[i];
                int j = firstAbove(d, bound);
                count += points - j;
                sum += suffix[j] - (points - j) * bound;
            }
            pExceed += pL * count / ((double) points * points);
            excess += pL * sum / ((double) points * points);
            pL *= loss;
            if (loss == 0) {
                break;
            }
        }
        double rate = (1 - loss) / eta;
        double tMr = pExceed == 0 ? Double.POSITIVE_INFINITY : 1 / (rate * pExceed);
        double tM = pExceed == 0 ? Double.NaN : excess / pExceed;
        double tD = timeout + meanD - eta / 2 - eta * loss / (1 - loss);
        return new Expected(tMr, tM, 1 - rate * excess, tD);
    }

    /** Index of the first element of sorted {@code a} strictly greater than {@code x} (a.length if none). */
    private static int firstAbove(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] > x) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** Quantile of a log-normal with the given median and shape: median · e^(σ·Φ⁻¹(u)). */
    public static DoubleUnaryOperator logNormalQuantile(double median, double sigma) {
        return u -> median * Math.exp(sigma * normalQuantile(u));
    }

    /** Quantile of a Pareto (type I) from {@code min} with shape α, capped at {@code cap}. */
    public static DoubleUnaryOperator paretoQuantile(double min, double alpha, double cap) {
        return u -> Math.min(cap, min / Math.pow(1 - u, 1 / alpha));
    }

    /**
     * Φ(x), the standard normal CDF, from erfc: its Taylor series below |x/√2| = 3 and its continued
     * fraction above (Abramowitz and Stegun 7.1.5 and 7.1.14), accurate to about 1e-15 absolute.
     */
    public static double normalCdf(double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    private static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 3) {
            double sum = 0;
            double term = x;
            for (int n = 0; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum) || n < 2; n++) {
                sum += term / (2 * n + 1);
                term *= -x * x / (n + 1);
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        double f = x;
        for (int k = 200; k >= 1; k--) {
            f = x + (k / 2.0) / f;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }

    /** Φ⁻¹(u) for u in (0, 1), by bisection on {@link #normalCdf} (to about 1e-12). */
    public static double normalQuantile(double u) {
        if (!(u > 0 && u < 1)) {
            throw new IllegalArgumentException("u must be in (0, 1), got " + u);
        }
        double lo = -40;
        double hi = 40;
        for (int i = 0; i < 100 && hi - lo > 1e-12; i++) {
            double mid = 0.5 * (lo + hi);
            if (normalCdf(mid) < u) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** A delay that is always {@code d}. */
    public static DoubleUnaryOperator constant(double d) {
        return u -> d;
    }
}
