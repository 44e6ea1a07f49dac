package io.github.dsw.model;

/**
 * The Universal Scalability Law: throughput at concurrency {@code N} is
 * <pre>
 *   X(N) = lambda * N / (1 + sigma * (N - 1) + kappa * N * (N - 1))
 * </pre>
 * where {@code lambda} is the throughput of one worker, {@code sigma} the <i>contention</i> (the
 * serialised fraction, Amdahl's law when {@code kappa = 0}) and {@code kappa} the <i>coherency</i>
 * cost (pairwise exchange of data, e.g. cache lines bouncing between cores), which makes throughput
 * fall after a peak (N. J. Gunther, <i>Guerrilla Capacity Planning</i>, Springer 2007, ch. 4;
 * first published as "A Simple Capacity Model of Massively Parallel Transaction Systems", CMG 1993).
 *
 * <p>Here {@code sigma} is kept in [0, 1] and {@code kappa} at or above 0: a negative {@code sigma}
 * (super-linear speed-up) is outside the model as fitted by this class.
 *
 * @param lambda throughput at N = 1, in the caller's unit, &gt; 0
 * @param sigma  contention, in [0, 1]
 * @param kappa  coherency, &gt;= 0
 */
public record Usl(double lambda, double sigma, double kappa) {

    public Usl {
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be a finite number > 0, got " + lambda);
        }
        if (!(sigma >= 0 && sigma <= 1)) {
            throw new IllegalArgumentException("sigma must be in [0, 1], got " + sigma);
        }
        if (!(kappa >= 0) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException("kappa must be a finite number >= 0, got " + kappa);
        }
    }

    /** The model's throughput at concurrency {@code n} (n &gt;= 1; fractional values are allowed for plotting). */
    public double throughput(double n) {
        return lambda * shape(sigma, kappa, n);
    }

    /** Throughput relative to one worker, {@code X(n) / X(1)}: Gunther's relative capacity C(n). */
    public double speedup(double n) {
        return shape(sigma, kappa, n);
    }

    /**
     * The concurrency of peak throughput, {@code sqrt((1 - sigma) / kappa)} (Gunther 2007, obtained by
     * setting dX/dN = 0); {@code +Infinity} when {@code kappa = 0} (throughput only flattens out).
     */
    public double peakConcurrency() {
        return kappa == 0 ? Double.POSITIVE_INFINITY : Math.sqrt((1 - sigma) / kappa);
    }

    /** Sum of squared differences between the measured {@code x} and the model at {@code n}. */
    public double residualSumOfSquares(double[] n, double[] x) {
        checkData(n, x, 1);
        double rss = 0;
        for (int i = 0; i < n.length; i++) {
            double d = x[i] - throughput(n[i]);
            rss += d * d;
        }
        return rss;
    }

    /** Coefficient of determination of the model on the data: 1 - RSS / total sum of squares. */
    public double rSquared(double[] n, double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double tss = 0;
        for (double v : x) {
            tss += (v - mean) * (v - mean);
        }
        return tss == 0 ? Double.NaN : 1 - residualSumOfSquares(n, x) / tss;
    }

    private static double shape(double sigma, double kappa, double n) {
        return n / (1 + sigma * (n - 1) + kappa * n * (n - 1));
    }

    /**
     * Least-squares fit of the throughputs themselves: minimises {@code sum (x_i - X(n_i))^2}.
     *
     * <p>Method: for fixed {@code (sigma, kappa)} the model is linear in {@code lambda}, so the best
     * {@code lambda} has a closed form ({@code sum x_i g_i / sum g_i^2} with {@code g_i} the shape at
     * {@code n_i}) and the search is over two parameters only: a grid (sigma in [0, 1], kappa on a
     * logarithmic scale and 0) then Nelder–Mead simplex refinement from the best grid point, with the
     * parameters clamped to their ranges. Deterministic; cost about 10^4 model evaluations per point.
     *
     * @param n concurrency levels, each &gt;= 1, at least 3 distinct values
     * @param x measured throughputs at those levels, each &gt; 0 and finite
     */
    public static Usl fit(double[] n, double[] x) {
        checkData(n, x, 3);
        double bestS = 0;
        double bestK = 0;
        double bestRss = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 100; i++) {
            double s = i / 100.0;
            for (int j = -1; j <= 80; j++) {
                double k = j < 0 ? 0 : Math.pow(10, -8 + j / 10.0);
                double rss = profiledRss(n, x, s, k);
                if (rss < bestRss) {
                    bestRss = rss;
                    bestS = s;
                    bestK = k;
                }
            }
        }
        double[] best = nelderMead(n, x, bestS, bestK);
        double s = best[0];
        double k = best[1];
        return new Usl(bestLambda(n, x, s, k), s, k);
    }

    /**
     * Gunther's linearised fit, for data that include {@code n = 1}: with {@code C = x / x(1)},
     * {@code n / C - 1 = (sigma + kappa) (n - 1) + kappa (n - 1)^2}, a least-squares regression through
     * the origin on {@code (n - 1)} and {@code (n - 1)^2} (Gunther 2007, ch. 5). It weights points
     * differently from {@link #fit} and its coefficients are not clamped before the final check, so it
     * serves as a second, independent estimator.
     *
     * @throws IllegalArgumentException if no point has {@code n = 1}, or the regression gives
     *                                  parameters outside the model's ranges
     */
    public static Usl fitLinearized(double[] n, double[] x) {
        checkData(n, x, 3);
        double x1 = Double.NaN;
        for (int i = 0; i < n.length; i++) {
            if (n[i] == 1) {
                x1 = x[i];
            }
        }
        if (Double.isNaN(x1)) {
            throw new IllegalArgumentException("fitLinearized needs a measurement at n = 1");
        }
        // Normal equations of y = a u + b u^2 (u = n - 1): [Suu Suuu; Suuu Suuuu] [a b]' = [Suy Suuy]'.
        double suu = 0, su3 = 0, su4 = 0, suy = 0, su2y = 0;
        for (int i = 0; i < n.length; i++) {
            double u = n[i] - 1;
            double y = n[i] / (x[i] / x1) - 1;
            suu += u * u;
            su3 += u * u * u;
            su4 += u * u * u * u;
            suy += u * y;
            su2y += u * u * y;
        }
        double det = suu * su4 - su3 * su3;
        double a = (suy * su4 - su2y * su3) / det;
        double b = (suu * su2y - su3 * suy) / det;
        return new Usl(x1, a - b, b);
    }

    private static double bestLambda(double[] n, double[] x, double s, double k) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < n.length; i++) {
            double g = shape(s, k, n[i]);
            num += x[i] * g;
            den += g * g;
        }
        return num / den;
    }

    private static double profiledRss(double[] n, double[] x, double s, double k) {
        double lambda = bestLambda(n, x, s, k);
        double rss = 0;
        for (int i = 0; i < n.length; i++) {
            double d = x[i] - lambda * shape(s, k, n[i]);
            rss += d * d;
        }
        return rss;
    }

    private static double clampS(double s) {
        return Math.min(1, Math.max(0, s));
    }

    private static double clampK(double k) {
        return Math.max(0, k);
    }

    /** Nelder–Mead (reflection 1, expansion 2, contraction 1/2, shrink 1/2) over (sigma, kappa), clamped. */
    private static double[] nelderMead(double[] n, double[] x, double s0, double k0) {
        double[][] p = {
                {s0, k0},
                {clampS(s0 + 0.01), k0},
                {s0, k0 == 0 ? 1e-6 : k0 * 1.3}};
        double[] f = new double[3];
        for (int i = 0; i < 3; i++) {
            f[i] = profiledRss(n, x, p[i][0], p[i][1]);
        }
        for (int iter = 0; iter < 2000; iter++) {
            // Order: best p[0], worst p[2].
            for (int i = 0; i < 3; i++) {
                for (int j = i + 1; j < 3; j++) {
                    if (f[j] < f[i]) {
                        double[] tp = p[i]; p[i] = p[j]; p[j] = tp;
                        double tf = f[i]; f[i] = f[j]; f[j] = tf;
                    }
                }
            }
            if (Math.abs(f[2] - f[0]) <= 1e-15 * Math.max(1e-300, Math.abs(f[0]))
                    && Math.abs(p[2][0] - p[0][0]) < 1e-12 && Math.abs(p[2][1] - p[0][1]) < 1e-15) {
                break;
            }
            double cs = (p[0][0] + p[1][0]) / 2;
            double ck = (p[0][1] + p[1][1]) / 2;
            double[] r = {clampS(cs + (cs - p[2][0])), clampK(ck + (ck - p[2][1]))};
            double fr = profiledRss(n, x, r[0], r[1]);
            if (fr < f[0]) {
                double[] e = {clampS(cs + 2 * (cs - p[2][0])), clampK(ck + 2 * (ck - p[2][1]))};
                double fe = profiledRss(n, x, e[0], e[1]);
                if (fe < fr) {
                    p[2] = e;
                    f[2] = fe;
                } else {
                    p[2] = r;
                    f[2] = fr;
                }
            } else if (fr < f[1]) {
                p[2] = r;
                f[2] = fr;
            } else {
                double[] c = {clampS(cs + 0.5 * (p[2][0] - cs)), clampK(ck + 0.5 * (p[2][1] - ck))};
                double fc = profiledRss(n, x, c[0], c[1]);
                if (fc < f[2]) {
                    p[2] = c;
                    f[2] = fc;
                } else {
                    for (int i = 1; i < 3; i++) {
                        p[i] = new double[]{clampS(p[0][0] + 0.5 * (p[i][0] - p[0][0])), clampK(p[0][1] + 0.5 * (p[i][1] - p[0][1]))};
                        f[i] = profiledRss(n, x, p[i][0], p[i][1]);
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i < 3; i++) {
            if (f[i] < f[best]) {
                best = i;
            }
        }
        return p[best];
    }

    private static void checkData(double[] n, double[] x, int minDistinct) {
        if (n == null || x == null) {
            throw new IllegalArgumentException("n and x must not be null");
        }
        if (n.length != x.length) {
            throw new IllegalArgumentException("n and x must have the same length, got " + n.length + " and " + x.length);
        }
        for (int i = 0; i < n.length; i++) {
            if (!(n[i] >= 1) || Double.isInfinite(n[i])) {
                throw new IllegalArgumentException("n[" + i + "] must be a finite number >= 1, got " + n[i]);
            }
            if (!(x[i] > 0) || Double.isInfinite(x[i])) {
                throw new IllegalArgumentException("x[" + i + "] must be a finite number > 0, got " + x[i]);
            }
        }
        long distinct = java.util.Arrays.stream(n).distinct().count();
        if (distinct < minDistinct) {
            throw new IllegalArgumentException("need at least " + minDistinct + " distinct values of n, got " + distinct);
        }
    }
}
