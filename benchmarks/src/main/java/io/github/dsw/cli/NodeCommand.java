package io.github.dsw.cli;

import io.github.dsw.cluster.NodeMain;
import java.util.List;

/** {@code ./dsw node raft-kv --id N --peers ... --dir DATA}: one node as a process ({@link NodeMain}). */
final class NodeCommand implements Command {

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String summary() {
        return "run one node of a real cluster (TCP + disk) until stopped";
    }

    @Override
    public boolean parsesWithArgs() {
        return false; // the cluster module's own parser (it cannot depend on this module)
    }

    @Override
    public String help() {
        return NodeMain.usage();
    }

    @Override
    public int run(List<String> args) {
        return NodeMain.run(args, System.err); // --maelstrom: Maelstrom's protocol on stdin/stdout
    }
}
