package io.github.dsw.cli;

import io.github.dsw.cluster.Torture;
import java.util.List;

/** {@code ./dsw torture raft-kv ...}: the fault harness on real processes ({@link Torture}). */
final class TortureCommand implements Command {

    @Override
    public String name() {
        return "torture";
    }

    @Override
    public String summary() {
        return "real node processes under kill -9, SIGSTOP and partitions; history checked for linearizability";
    }

    @Override
    public boolean parsesWithArgs() {
        return false; // the cluster module's own parser (it cannot depend on this module)
    }

    @Override
    public String help() {
        return Torture.usage();
    }

    @Override
    public int run(List<String> args) throws Exception {
        return Torture.cli(args, System.out, System.err);
    }
}
