package io.github.dsw.model;

/**
 * Little's law, L = λ·W (Little, Operations Research 9(3), 1961): in any stable system the long-run
 * average number of items inside equals the arrival rate times the average time each spends inside,
 * whatever the arrival process, service distribution or scheduling. Each method solves for one of the
 * three quantities.
 */
public final class LittlesLaw {
    private LittlesLaw() {}

    /** L = λ·W. */
    public static double numberInSystem(double arrivalRate, double meanTime) {
        check("arrivalRate", arrivalRate);
        check("meanTime", meanTime);
        return arrivalRate * meanTime;
    }

    /** W = L/λ. */
    public static double meanTime(double numberInSystem, double arrivalRate) {
        check("numberInSystem", numberInSystem);
        if (!(arrivalRate > 0)) {
            throw new IllegalArgumentException("arrivalRate must be > 0, got " + arrivalRate);
        }
        return numberInSystem / arrivalRate;
    }

    /** λ = L/W. */
    public static double arrivalRate(double numberInSystem, double meanTime) {
        check("numberInSystem", numberInSystem);
        if (!(meanTime > 0)) {
            throw new IllegalArgumentException("meanTime must be > 0, got " + meanTime);
        }
        return numberInSystem / meanTime;
    }

    private static void check(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
        }
    }
}
