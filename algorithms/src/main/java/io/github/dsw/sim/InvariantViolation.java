package io.github.dsw.sim;

/**
 * A safety invariant found broken by a monitor that runs after every simulated event ({@link Simulator#afterEachEvent}):
 * a verdict about the protocol, not a crash. It is an {@link IllegalStateException} (the repository's way of failing
 * an invariant, STYLE.md habit 13) of its own type so that a caller can tell the two apart: the CLI reports this one as
 * a violated property (exit 1, "SAFETY VIOLATION") and any other exception as an internal error (exit 4), never
 * a bug as a verdict.
 */
public final class InvariantViolation extends IllegalStateException {

    public InvariantViolation(String message) {
        super(message);
    }
}
