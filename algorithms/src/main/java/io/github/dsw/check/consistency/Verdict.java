package io.github.dsw.check.consistency;

import io.github.dsw.check.Operation;
import io.github.dsw.check.Timeline;
import java.util.List;

/**
 * What a consistency checker found, the same shape for every model of this package.
 *
 * @param model       the model checked, as {@code ./dsw check-history --model} names it ({@code sequential},
 *                    {@code causal}, {@code cc}, {@code ccv}, {@code ryw}, ... )
 * @param outcome     satisfied, violated, or unknown (the search budget ran out: sequential consistency only)
 * @param witnesses   on a violation, the operations that show it (a small window for {@code sequential},
 *                    the operations of the bad pattern or the cycle otherwise); empty when satisfied
 * @param explanation one or a few lines: which rule is broken and how, or why the verdict is unknown
 * @param minimal     for {@code sequential}: no read or unobserved write of the window can be removed with the
 *                    window staying violated; for the pattern checkers: true (a pattern is its own witness)
 * @param operations  operations checked
 * @param work        configurations explored (sequential) or edges examined (the polynomial checkers)
 */
public record Verdict(String model, Outcome outcome, List<Operation> witnesses, String explanation, boolean minimal,
                      int operations, long work) {

    /** The verdict. */
    public enum Outcome { SATISFIED, VIOLATED, UNKNOWN }

    public Verdict {
        witnesses = List.copyOf(witnesses);
    }

    static Verdict satisfied(String model, int operations, long work) {
        return new Verdict(model, Outcome.SATISFIED, List.of(), "", true, operations, work);
    }

    static Verdict violated(String model, List<Operation> witnesses, String explanation, int operations, long work) {
        return new Verdict(model, Outcome.VIOLATED, witnesses, explanation, true, operations, work);
    }

    public boolean satisfied() {
        return outcome == Outcome.SATISFIED;
    }

    public boolean violated() {
        return outcome == Outcome.VIOLATED;
    }

    /** The CLI's exit code: 0 satisfied, 1 violated, 3 unknown. */
    public int exitCode() {
        return switch (outcome) {
            case SATISFIED -> 0;
            case VIOLATED -> 1;
            case UNKNOWN -> 3;
        };
    }

    /** A few lines a person can read: the verdict, the explanation, then the witnesses as a timeline. */
    public String describe() {
        return switch (outcome) {
            case SATISFIED -> model + ": satisfied (" + operations + " operations, " + work + " steps)"
                    + (explanation.isEmpty() ? "" : ": " + explanation) + "\n";
            case UNKNOWN -> model + ": unknown (" + operations + " operations, " + work + " steps): " + explanation + "\n";
            case VIOLATED -> model + ": VIOLATED: " + explanation + "\n" + Timeline.render(witnesses);
        };
    }
}
