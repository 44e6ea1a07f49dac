package io.github.dsw.sim;

/**
 * One action of a nemesis, as a value: a scripted schedule is a list of (time, fault) pairs, and a
 * random nemesis draws faults from the simulation's RNG. Each applies itself to a {@link Simulator}.
 */
public sealed interface Fault {

    void apply(Simulator<?> sim);

    /** Crash a server (volatile state and unsynced writes lost). */
    record Crash(int node) implements Fault {
        @Override
        public void apply(Simulator<?> sim) {
            sim.crash(node);
        }
    }

    /** Restart a crashed server from its durable state. */
    record Restart(int node) implements Fault {
        @Override
        public void apply(Simulator<?> sim) {
            sim.restart(node);
        }
    }

    /** Stall a server for {@code durationNs} (a GC pause, a SIGSTOP). */
    record Pause(int node, long durationNs) implements Fault {
        @Override
        public void apply(Simulator<?> sim) {
            sim.pause(node, durationNs);
        }
    }

    /** Install a partition. */
    record Cut(Partition partition) implements Fault {
        @Override
        public void apply(Simulator<?> sim) {
            sim.setPartition(partition);
        }
    }

    /** Heal every partition. */
    record Heal() implements Fault {
        @Override
        public void apply(Simulator<?> sim) {
            sim.setPartition(Partition.none(sim.config().servers()));
        }
    }

    /** Replace every server-to-server link model (loss, duplication, reordering, slower delays). */
    record Links(LinkModel model) implements Fault {
        @Override
        public void apply(Simulator<?> sim) {
            sim.setServerLinks(model);
        }
    }

    /** Set a server's clock offset and drift. */
    record Clock(int node, long offsetNs, double driftPpm) implements Fault {
        @Override
        public void apply(Simulator<?> sim) {
            sim.setClock(node, offsetNs, driftPpm);
        }
    }
}
