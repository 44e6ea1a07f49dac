package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.consistency.pbs.Pbs;
import io.github.dsw.runtime.SplitMix64;
import org.junit.jupiter.api.Test;

/**
 * Our WARS Monte Carlo on the PBS paper's production latency fits reproduces the paper's reported t-visibility
 * (Bailis et al., VLDB 2012, section 5.5 "Observed t-visibility", N=3, R=W=1): right after commit LNKD-SSD 97.5%,
 * LNKD-DISK 43.9%, YMMR 89.3% consistent; 10 ms later 100%, 92.5%, 93.9%; 99.9% reached by LNKD-DISK after
 * 45.5 ms and by YMMR after 1364 ms. The paper's numbers come from its own simulator (10,000 writes per point, so
 * its sampling error alone is about 0.3 points at 90%); ours from 200,000 trials.
 */
class PbsPaperTest {

    static final long SEED = Long.getLong("dsw.seed", 7L);

    static double[] curve(Pbs.Production p, double[] t) {
        return Pbs.tVisibility(3, 1, 1, p.wars(), t, 200_000, new SplitMix64(SEED));
    }

    @Test
    void consistencyRightAfterCommitAndTenMillisecondsLater() {
        double[] t = {0, 10};
        double[][] paper = {{.975, 1.0}, {.439, .925}, {.893, .939}};
        Pbs.Production[] ps = {Pbs.Production.LNKD_SSD, Pbs.Production.LNKD_DISK, Pbs.Production.YMMR};
        for (int i = 0; i < ps.length; i++) {
            double[] ours = curve(ps[i], t);
            for (int j = 0; j < t.length; j++) {
                // paper +- 1 point: its own sampling error (about 0.3 points) plus rounding, with room
                assertEquals(paper[i][j], ours[j], 0.01, ps[i] + " at t=" + t[j] + " ms, seed " + SEED);
            }
        }
    }

    @Test
    void ninetyNinePointNinePercentAtThePapersTimes() {
        // the paper: LNKD-DISK reaches 99.9% after 45.5 ms, YMMR after 1364 ms. Where a curve is this flat, 0.1 point
        // of probability is many milliseconds, so compare probabilities at those times, not times.
        double disk = curve(Pbs.Production.LNKD_DISK, new double[] {45.5})[0];
        double ymmr = curve(Pbs.Production.YMMR, new double[] {1364})[0];
        assertEquals(0.999, disk, 0.001, "LNKD-DISK at 45.5 ms, seed " + SEED);
        assertEquals(0.999, ymmr, 0.001, "YMMR at 1364 ms, seed " + SEED);
    }
}
