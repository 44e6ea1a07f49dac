package io.github.dsw.cli;

import java.util.List;

/**
 * One sub-command of {@code ./dsw}. Implementations parse their own options with {@link Args}, check every
 * output path with {@link OutputPaths} before any work starts, throw {@link UsageException} for user errors
 * (the launcher prints one line and exits 2) and return the process exit code of {@link ExitCode}'s contract.
 */
public interface Command {

    /** The word typed after {@code ./dsw}. */
    String name();

    /** One line for {@code ./dsw help}. */
    String summary();

    /** The full text for {@code ./dsw <name> --help}: usage line, then one line per option. */
    String help();

    /**
     * Runs the command; returns the exit code: {@link ExitCode#OK}, {@link ExitCode#VIOLATED} (only when a checker
     * decided so) or {@link ExitCode#UNDECIDED}. Usage errors are thrown as {@link UsageException}; anything else
     * thrown is reported by {@link Main} as an internal error (exit 4), never as a verdict.
     */
    int run(List<String> args) throws Exception;

    /**
     * Whether {@link Args#describe} may call {@link #run} to read the declared options: true when the command
     * parses with {@link Args} before doing anything else. A command that hands its arguments to another parser
     * says false, and its options are read from its {@link #help} text instead.
     */
    default boolean parsesWithArgs() {
        return true;
    }
}
