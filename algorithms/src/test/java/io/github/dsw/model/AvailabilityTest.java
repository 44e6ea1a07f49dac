package io.github.dsw.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link Availability} against enumeration of all 2^n up/down states, the published mean time to failure
 * of triple modular redundancy with repair, (5λ + μ)/(6λ²) (Trivedi 2002, §8.5; the classic TMR result),
 * and the seeds' formulas shown wrong on concrete numbers. The simulation check is in scenarios
 * ({@code AvailabilityVsSimulationTest}).
 */
class AvailabilityTest {

    @Test
    void steadyStateIsUpTimeOverCycleTime() {
        assertEquals(1000.0 / 1010.0, Availability.steadyState(1000, 10), 1e-15);
        assertEquals(1.0, Availability.steadyState(5, 0), 0);
    }

    @Test
    void kOutOfNMatchesEnumerationOfEveryState() {
        double a = 0.9;
        for (int n = 1; n <= 9; n++) {
            for (int k = 1; k <= n; k++) {
                double brute = 0;
                for (int mask = 0; mask < (1 << n); mask++) {
                    int up = Integer.bitCount(mask);
                    if (up >= k) {
                        brute += Math.pow(a, up) * Math.pow(1 - a, n - up);
                    }
                }
                assertEquals(brute, Availability.kOutOfN(k, n, a), 1e-12, "k=" + k + " n=" + n);
            }
        }
        // A majority of 3 at 99%: 3·0.99²·0.01 + 0.99³ = 0.999702.
        assertEquals(1 - 0.999702, Availability.majorityLost(3, 0.99), 1e-12);
    }

    @Test
    void birthDeathWithOneCrewPerReplicaIsTheBinomial() {
        double lambda = 0.01;
        double mu = 0.1;
        double a = Availability.steadyState(1 / lambda, 1 / mu);
        for (int n = 1; n <= 7; n++) {
            double[] pi = Availability.failedDistribution(n, lambda, mu, n);
            for (int j = 0; j <= n; j++) {
                double choose = 1;
                for (int i = 1; i <= j; i++) {
                    choose = choose * (n - j + i) / i;
                }
                double binomial = choose * Math.pow(1 - a, j) * Math.pow(a, n - j); // exactly j of n down
                assertEquals(binomial, pi[j], 1e-12, "n=" + n + " j=" + j);
            }
        }
        // Fewer crews than failures can only make things worse.
        assertTrue(Availability.kOutOfNWithRepair(3, 5, lambda, mu, 1) < Availability.kOutOfNWithRepair(3, 5, lambda, mu, 5));
    }

    @Test
    void meanTimeToLossIsTheTmrFormulaWithRepairAndTheHarmonicSumWithout() {
        double lambda = 0.002;
        double mu = 0.5;
        assertEquals((5 * lambda + mu) / (6 * lambda * lambda), Availability.meanTimeToLoss(2, 3, lambda, mu, 1), 1e-6);
        assertEquals(1 / (3 * lambda) + 1 / (2 * lambda), Availability.meanTimeToLoss(2, 3, lambda, 0, 1), 1e-9);
        assertEquals(1 / (5 * lambda), Availability.meanTimeToLoss(5, 5, lambda, mu, 1), 1e-9, "series: the first failure");
    }

    @Test
    void theSeedFormulasAreWrongOnAConcreteCase() {
        // λ = 2 failures per year, N = 3 replicas, one year: "1 − (1 − λ)^N" says 2, not a probability.
        assertEquals(2.0, Availability.seedFailureProbability(2, 3), 1e-12);
        assertEquals(1 - Math.exp(-6), Availability.anyFailsWithin(3, 2, 1), 1e-12);
        // Even for a small rate read per day it drifts: λ = 0.1/day over 10 days for 3 replicas.
        assertTrue(Math.abs(Availability.anyFailsWithin(3, 0.1, 10) - Availability.seedFailureProbability(0.1 * 10, 3)) > 0.04);
        // "R = N/λ": three replicas with λ = 1 per year would last 3 years. A majority of them lasts 5/6 year without
        // repair, all of them 1/3 year; only repair makes a group outlive its members.
        assertEquals(3.0, Availability.seedReliability(3, 1), 0);
        assertEquals(5.0 / 6, Availability.meanTimeToLoss(2, 3, 1, 0, 1), 1e-12);
        assertEquals(1.0 / 3, Availability.meanTimeToLoss(3, 3, 1, 0, 1), 1e-12);
    }
}
