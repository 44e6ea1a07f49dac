package io.github.dsw.cli;

import io.github.dsw.check.HistoryJson;
import io.github.dsw.sim.InvariantViolation;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import io.github.dsw.zab.Mutation;
import io.github.dsw.zab.ZabKvRun;
import io.github.dsw.zab.ZabKvServer;
import io.github.dsw.zab.ZabNode;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./dsw simulate zab-kv}: one {@link ZabKvRun}, the ZooKeeper-like store of chapter 13 on Zab, with the options,
 * outputs and exit codes of {@code raft-kv} (0 linearizable, 1 not linearizable or an invariant broken, with the replay
 * line, 2 usage error, 3 undecided).
 */
final class ZabSimulation implements Simulation {

    private static final String USAGE = """
                   ./dsw simulate zab-kv [--seed S] [--nodes N] [--clients C] [--ops K] [--nemesis LIST]
                                      [--history-out FILE] [--trace-out FILE] [--counts] [--read-mode sync|plain]
                                      [--faults-until-ms T] [--fault-every-ms E] [--fault-length-ms L] [--mutation M]
                                      [--batch B] [--window W] [--snapshot-every K]
            """;

    private static final String HELP = """

            zab-kv is the ZooKeeper-like key-value store of chapter 13 on Zab (reads, writes and cas on 3 keys, the
            workload, client retries and fault timing of raft-kv): any server takes a request, a follower forwards
            changes to the leader. Zab's properties (integrity, total order, agreement, primary order, primary
            integrity) are checked after every event; it exits 1 when one breaks (SAFETY VIOLATION and the replay
            line), as when the history is not linearizable.
              --read-mode M       sync (default: a sync through the broadcast, then the read; linearizable) or
                                  plain (the server's local state, as ZooKeeper's reads: may be stale, and the
                                  checker shows it)
              --faults-until-ms T no fault starts after T ms, all are healed then (default 3000)
              --fault-every-ms E  a fault starts every E ms (default 80); --fault-length-ms L lasts L ms (default 200)
              --mutation M        a planted bug the invariants catch: skip-sync (NEWLEADER without DIFF/TRUNC/SNAP),
                                  commit-before-quorum, accept-old-epoch (followers take a deposed primary's
                                  proposals); default none
              --batch B           the leader batches up to B changes per PROPOSAL: changes that arrive while
                                  the window is full go out together when a batch commits, one fsync and
                                  one ACK per follower for all (default 1: no batching)
              --window W          a batching leader keeps up to W batches in flight (pipelining, commits in
                                  zxid order; default 8; 1: one batch at a time)
              --snapshot-every K  every server snapshots its store and compacts its log after every K
                                  deliveries; a follower too far behind is synchronised by SNAP from the
                                  leader's snapshot (default 0: never)
            """;

    @Override
    public List<String> protocols() {
        return List.of("zab-kv");
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String help() {
        return HELP;
    }

    @Override
    public int run(String protocol, List<String> argv) throws Exception {
        String cmd = "simulate zab-kv";
        Args a = Args.forCommand("simulate").option("seed").option("nodes").option("clients").option("ops").option("nemesis")
                .option("history-out").option("trace-out").flag("counts").option("read-mode").option("faults-until-ms")
                .option("fault-every-ms").option("fault-length-ms").option("mutation").option("batch").option("window")
                .option("snapshot-every").parse(argv)
                .expectPositional(0, 0, "no other words after zab-kv");
        Set<Nemesis.Kind> nemesis;
        try {
            String list = a.get("nemesis", "none");
            nemesis = list.equals("all") ? EnumSet.allOf(Nemesis.Kind.class) : Nemesis.Kind.parse(list);
        } catch (IllegalArgumentException e) {
            throw new UsageException(cmd + ": " + e.getMessage());
        }
        long seed = a.getLong("seed", 1);
        int nodes = a.getInt("nodes", 3, 1, 99);
        int clients = a.getInt("clients", 3, 1, 10_000);
        int ops = a.getInt("ops", 300, 0, 10_000_000);
        ZabKvServer.ReadMode readMode = switch (a.get("read-mode", "sync")) {
            case "sync" -> ZabKvServer.ReadMode.SYNC;
            case "plain" -> ZabKvServer.ReadMode.PLAIN;
            default -> throw new UsageException(cmd + ": --read-mode must be sync or plain, got '" + a.get("read-mode") + "'");
        };
        long faultsUntilMs = a.getLong("faults-until-ms", ZabKvRun.FAULTS_UNTIL_NS / 1_000_000);
        if (faultsUntilMs < 0 || faultsUntilMs * 1_000_000L > ZabKvRun.HORIZON_NS) {
            throw new UsageException(cmd + ": --faults-until-ms must be in 0.." + ZabKvRun.HORIZON_NS / 1_000_000 + " (the run's time limit), got "
                    + faultsUntilMs);
        }
        int everyMs = a.getInt("fault-every-ms", (int) (ZabKvRun.FAULT_EVERY_NS / 1_000_000), 1, 60_000);
        int lengthMs = a.getInt("fault-length-ms", (int) (ZabKvRun.FAULT_LENGTH_NS / 1_000_000), 1, 60_000);
        Mutation mutation = mutation(cmd, a.get("mutation"));
        int batch = a.getInt("batch", 1, 1, 10_000);
        int window = a.getInt("window", ZabNode.DEFAULT_WINDOW, 1, 10_000);
        int snapshotEvery = a.getInt("snapshot-every", 0, 0, 10_000_000);
        OutputPaths outputs = OutputPaths.forCommand("simulate");
        Path historyPath = outputs.file("--history-out", a.get("history-out"));
        Path tracePath = outputs.file("--trace-out", a.get("trace-out"));
        Trace.Level level = tracePath != null ? Trace.Level.LINES : Trace.Level.HASH;
        ZabKvRun.Settings s = ZabKvRun.Settings.of(seed, nodes, clients, ops, nemesis).withReadMode(readMode)
                .withFaultsUntilNs(faultsUntilMs * 1_000_000L).withFaultTiming(everyMs * 1_000_000L, lengthMs * 1_000_000L)
                .withTraceLevel(level).withMutation(mutation).withBatch(batch)
                .withWindow(window).withSnapshotEvery(snapshotEvery);
        long t0 = System.nanoTime();
        ZabKvRun.Outcome o;
        try (Writer out = tracePath == null ? null : Files.newBufferedWriter(tracePath, StandardCharsets.UTF_8)) {
            o = ZabKvRun.run(s, out == null ? null : Trace.Sink.to(out));
        } catch (InvariantViolation e) { // a monitor's verdict; anything else is a bug (exit 4)
            System.out.println("SAFETY VIOLATION: " + e.getMessage());
            System.out.println("replay: " + s.replayCommand());
            return 1;
        }
        double wallS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "simulate zab-kv: seed=%d nodes=%d clients=%d ops=%d nemesis=%s%n", seed, nodes, clients, ops,
                nemesis.isEmpty() ? "none" : nemesis.toString().toLowerCase(Locale.ROOT));
        System.out.printf(Locale.ROOT, "read mode %s, a fault every %d ms lasting %d ms until %d ms%s%s%n", readMode.name().toLowerCase(Locale.ROOT),
                everyMs, lengthMs, faultsUntilMs, mutation == Mutation.NONE ? "" : ", mutation " + mutation.cliName(),
                (batch == 1 ? "" : ", batch " + batch + " window " + window) + (snapshotEvery == 0 ? "" : ", snapshot every " + snapshotEvery));
        System.out.print(o.summary());
        System.out.printf(Locale.ROOT, "trace hash %016x, %.2f s of wall time%n", o.trace().hash(), wallS);
        if (a.has("counts")) {
            System.out.print(o.trace().countsTable());
        }
        if (historyPath != null) {
            try (Writer w = Files.newBufferedWriter(historyPath, StandardCharsets.UTF_8)) {
                HistoryJson.write(o.history(), w);
            }
            System.out.println("history written to " + historyPath);
        }
        if (tracePath != null) {
            System.out.println("trace written to " + tracePath);
        }
        if (!o.verdict().linearizable()) {
            System.out.println("replay: " + s.replayCommand());
        }
        return switch (o.verdict().outcome()) {
            case LINEARIZABLE -> 0;
            case NOT_LINEARIZABLE -> 1;
            case UNKNOWN -> 3;
        };
    }

    private static Mutation mutation(String cmd, String v) {
        if (v == null) {
            return Mutation.NONE;
        }
        StringBuilder names = new StringBuilder();
        for (Mutation m : Mutation.values()) {
            if (m.cliName().equals(v)) {
                return m;
            }
            names.append(names.isEmpty() ? "" : ", ").append(m.cliName());
        }
        throw new UsageException(cmd + ": --mutation must be one of " + names + ", got '" + v + "'");
    }
}
