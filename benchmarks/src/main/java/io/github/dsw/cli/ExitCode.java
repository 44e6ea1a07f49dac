package io.github.dsw.cli;

/**
 * The exit-code contract of every {@code ./dsw} command, one table so that a CI gate can trust a code without
 * knowing which command produced it. {@code 1} is reserved for a verdict a checker reached (a linearizability
 * checker, an invariant monitor, a test, a benchmark case that ran and failed): a crash must never read as
 * "not linearizable", which is why internal errors have their own code, {@link #INTERNAL_ERROR}.
 *
 * <p>A command returns {@link #OK}, {@link #VIOLATED} or {@link #UNDECIDED} itself; it reports a mistake in
 * what the user typed or gave it by throwing {@link UsageException} ({@link Main} prints one line and exits
 * {@link #USAGE}); anything else that escapes a command, {@link OutOfMemoryError} and {@link StackOverflowError}
 * included, is an internal error: {@link Main} prints one line naming the file that holds the full stack trace.
 */
public final class ExitCode {

    /** Success; the property checked holds. */
    public static final int OK = 0;
    /** The property is violated, and a checker decided so (never a crash). */
    public static final int VIOLATED = 1;
    /** Usage or input error: one line on stderr naming what is wrong; nothing was written. */
    public static final int USAGE = 2;
    /** Undecided: the checker's budget ran out before a verdict. */
    public static final int UNDECIDED = 3;
    /** Internal error (a bug, or the JVM out of memory or stack): one line plus the file with the full trace. */
    public static final int INTERNAL_ERROR = 4;

    private ExitCode() {
    }

    /** The contract as printed by {@code ./dsw help} (and copied in the README). */
    static String table() {
        return """
                exit codes (every command):
                  0  success / the property holds
                  1  the property is violated (only when a checker decided so: never a crash)
                  2  usage or input error (one line naming what is wrong)
                  3  undecided (the checker's search budget ran out)
                  4  internal error (one line, plus the file under the temp folder holding the stack trace)
                """;
    }
}
