package io.github.dsw.cli;

import java.util.List;

/**
 * One sub-command of {@code ./dsw}. Implementations parse their own options with {@link Args},
 * throw {@link UsageException} for user errors (the launcher prints one line and exits 2) and
 * return the process exit code.
 */
public interface Command {

    /** The word typed after {@code ./dsw}. */
    String name();

    /** One line for {@code ./dsw help}. */
    String summary();

    /** The full text for {@code ./dsw <name> --help}: usage line, then one line per option. */
    String help();

    /** Runs the command; returns the exit code (0 success, 1 a negative verdict, 2 a usage error). */
    int run(List<String> args) throws Exception;
}
