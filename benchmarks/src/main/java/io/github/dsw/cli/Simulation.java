package io.github.dsw.cli;

import java.util.List;

/**
 * One protocol of {@code ./dsw simulate} that brings its own options (the Figure 16 experiment, and each later
 * chapter's protocols): {@link SimulateCommand} hands it the words after the protocol name. A chapter that adds
 * a simulation adds one class and one line to {@link SimulateCommand#SIMULATIONS}.
 */
interface Simulation {

    /** The protocol words this simulation answers to after {@code ./dsw simulate}, e.g. {@code raft-elections}. */
    List<String> protocols();

    /** Its usage lines, each indented to sit under {@code usage: ./dsw simulate ...}. */
    String usage();

    /** A paragraph on what it runs and prints, then its options (starts with an empty line). */
    String help();

    /**
     * Runs {@code protocol} with {@code argv} = every other word of the command line; returns the exit code of
     * {@link ExitCode}'s contract (0 success or property holds, 1 property violated, only when a checker or monitor
     * decided so, 3 undecided). User errors are thrown as {@link UsageException}; output files are checked with
     * {@link OutputPaths} before the run; anything else thrown is an internal error (exit 4).
     */
    int run(String protocol, List<String> argv) throws Exception;
}
