package io.github.dsw.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The accuracy metrics of Chen, Toueg and Aguilera ("On the Quality of Service of Failure Detectors",
 * IEEE Trans. Computers 51(5), 2002, §2.3) measured from a detector's output over a failure-free
 * observation window [fromNs, toNs]: every S-transition in the window is a mistake.
 * <ul>
 *   <li>T_MR, mistake recurrence time: the time between two consecutive mistakes; estimated as the
 *       window's length over the number of mistakes (the renewal-rate estimator; ∞ with no mistake);</li>
 *   <li>T_M, mistake duration: from an S-transition to the next T-transition, averaged over the
 *       mistakes that start in the window (one still open at the end is cut there); NaN with none;</li>
 *   <li>P_A, query accuracy probability: the fraction of the window during which the output is
 *       correct (trust), i.e. the chance that a query at a random time gets the right answer. For an
 *       ergodic detector P_A = 1 − E(T_M)/E(T_MR) (their Theorem 1), which the tests check.</li>
 * </ul>
 * Detection time T_D (crash to the final S-transition) needs runs with a crash; it is measured by
 * {@link DetectorQos} and averaged here with the others.
 *
 * @param mistakes   S-transitions in the window
 * @param windowNs   length of the window
 * @param tMrNs      mean mistake recurrence time (+∞ with no mistake)
 * @param tMNs       mean mistake duration (NaN with no mistake)
 * @param pA         query accuracy probability
 * @param tDNs       mean detection time over the crash trials that detected (NaN if not measured, +∞ if none detected)
 * @param tDMaxNs    largest detection time of a detected trial (NaN if none)
 * @param trials     crash trials run
 * @param undetected crash trials in which the crash was never detected within the horizon
 */
public record QosMetrics(int mistakes, long windowNs, double tMrNs, double tMNs, double pA, double tDNs, double tDMaxNs,
                         int trials, int undetected) {

    /** One change of the detector's output at a virtual time. */
    public record Transition(long atNs, boolean suspected) {
    }

    /** The accuracy metrics of {@code transitions} (in time order) over [fromNs, toNs]; no T_D. */
    public static QosMetrics accuracy(List<Transition> transitions, long fromNs, long toNs) {
        if (toNs <= fromNs) {
            throw new IllegalArgumentException("need fromNs < toNs, got " + fromNs + ", " + toNs);
        }
        boolean suspected = false;
        long since = fromNs;
        long suspectedNs = 0;
        int mistakes = 0;
        long mistakeNs = 0;
        boolean open = false; // a mistake that started inside the window and has not ended yet
        long openedAt = 0;
        for (Transition t : transitions) {
            if (t.atNs() > toNs) {
                break;
            }
            if (t.atNs() <= fromNs) {
                suspected = t.suspected();
                continue;
            }
            if (t.suspected() == suspected) {
                continue;
            }
            if (suspected) {
                suspectedNs += t.atNs() - since;
                if (open) {
                    mistakeNs += t.atNs() - openedAt;
                    open = false;
                }
            } else {
                mistakes++;
                open = true;
                openedAt = t.atNs();
            }
            suspected = t.suspected();
            since = t.atNs();
        }
        if (suspected) {
            suspectedNs += toNs - since;
        }
        if (open) {
            mistakeNs += toNs - openedAt;
        }
        long window = toNs - fromNs;
        double tMr = mistakes == 0 ? Double.POSITIVE_INFINITY : (double) window / mistakes;
        double tM = mistakes == 0 ? Double.NaN : (double) mistakeNs / mistakes;
        return new QosMetrics(mistakes, window, tMr, tM, 1.0 - (double) suspectedNs / window, Double.NaN, Double.NaN, 0, 0);
    }

    /** These metrics with the detection time of crash trials: one entry per trial, negative if undetected. */
    public QosMetrics withDetection(List<Long> detectionNs) {
        double sum = 0;
        double max = Double.NaN;
        int detected = 0;
        for (long d : detectionNs) {
            if (d >= 0) {
                sum += d;
                detected++;
                max = Double.isNaN(max) ? d : Math.max(max, d);
            }
        }
        double mean = detected == 0 ? Double.POSITIVE_INFINITY : sum / detected;
        return new QosMetrics(mistakes, windowNs, tMrNs, tMNs, pA, mean, max, detectionNs.size(), detectionNs.size() - detected);
    }

    /** The fixed line of {@code ./dsw simulate detector}: {@code T_D_ms=... T_MR_s=... T_M_ms=... P_A=...}. */
    public String line() {
        return String.format(Locale.ROOT, "T_D_ms=%.1f T_MR_s=%.1f T_M_ms=%.1f P_A=%.6f", tDNs / 1e6, tMrNs / 1e9, tMNs / 1e6, pA);
    }

    /** The transitions of a run, recorded as they are reported. */
    public static final class Recorder {
        private final List<Transition> transitions = new ArrayList<>();

        public void add(long atNs, boolean suspected) {
            transitions.add(new Transition(atNs, suspected));
        }

        public List<Transition> transitions() {
            return List.copyOf(transitions);
        }

        /** Time of the last S-transition if the output ends suspected, else -1. */
        public long finalSuspicionNs() {
            if (transitions.isEmpty() || !transitions.get(transitions.size() - 1).suspected()) {
                return -1;
            }
            return transitions.get(transitions.size() - 1).atNs();
        }
    }
}
