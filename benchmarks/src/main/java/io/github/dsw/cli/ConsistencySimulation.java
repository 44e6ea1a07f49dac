package io.github.dsw.cli;

import io.github.dsw.check.HistoryJson;
import io.github.dsw.consistency.CapRun;
import io.github.dsw.consistency.CausalRun;
import io.github.dsw.consistency.CopsRun;
import io.github.dsw.consistency.CrdtRun;
import io.github.dsw.consistency.DynamoRun;
import io.github.dsw.consistency.KvClient;
import io.github.dsw.consistency.MarkedHistory;
import io.github.dsw.consistency.dynamo.DynamoConfig;
import io.github.dsw.consistency.dynamo.Resolution;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./dsw simulate dynamo|crdt|causal|cops|cap}: chapter 12's systems in the simulator: the Dynamo-style store
 * ({@link DynamoRun}), the replicated CRDT store ({@link CrdtRun}), the causal store ({@link CausalRun}), the
 * COPS-style causal+ store ({@link CopsRun}) and the
 * CAP/PACELC comparison ({@link CapRun}).
 */
final class ConsistencySimulation implements Simulation {

    private static final String USAGE = """
                   ./dsw simulate dynamo [--seed S] [--nodes N] [--clients C] [--ops K] [--nemesis LIST] [--history-out FILE]
                                      [--trace-out FILE] [--counts] [--quorum N,R,W] [--resolution lww|vv] [--no-sloppy]
                                      [--no-read-repair] [--workload register|cart] [--keys K] [--skew-ms S] [--faults-until-ms T]
                   ./dsw simulate crdt [--seed S] [--nodes N] [--clients C] [--ops K] [--nemesis LIST] [--trace-out FILE]
                                      [--counts] [--gossip-ms G] [--faults-until-ms T]
                   ./dsw simulate causal [--seed S] [--nodes N] [--clients C] [--ops K] [--nemesis LIST] [--history-out FILE]
                                      [--trace-out FILE] [--counts] [--keys K] [--broken] [--faults-until-ms T]
                   ./dsw simulate cops [--seed S] [--dcs D] [--partitions P] [--clients C] [--ops K] [--nemesis LIST]
                                      [--history-out FILE] [--trace-out FILE] [--counts] [--keys K] [--broken] [--faults-until-ms T]
                   ./dsw simulate cap [--seed S] [--system raft|dynamo-r2w2|dynamo-r1w1|all] [--no-partition]
                                      [--history-out FILE]
            """;

    private static final String HELP = """

            dynamo is chapter 12's Dynamo-style store (default 5 nodes, N=3 R=2 W=2, version vectors, sloppy
            quorum with hinted handoff, read repair). The register workload (reads and writes of unique values on
            --keys keys, default 3) is checked for linearizability: exit 0 linearizable, 1 not (expected under
            faults: Dynamo does not promise it), 3 undecided. The cart workload (read, add an item, write back)
            counts acknowledged adds missing from the final state: exit 1 when any is lost.
              --quorum N,R,W      replicas per key, read and write quorums (default 3,2,2)
              --resolution M      lww (last writer wins by the coordinator's clock) or vv (version vectors,
                                  siblings returned; default)
              --no-sloppy         strict quorums: no stand-ins, no hinted handoff
              --no-read-repair    replicas that answered a read with old versions are not repaired
              --workload W        register (default) or cart
              --keys K            number of keys (default 3)
              --skew-ms S         each server's clock is off by up to S ms, uniformly (default 0)
              --faults-until-ms T dynamo, crdt, causal, cops: no fault starts after T ms, all are healed then
                                  (default 2000; crdt, causal and cops 1000)
            crdt is the replicated store of a PN-counter and an OR-set (default 3 nodes, 3 clients, 600 operations),
            served locally by any replica and gossiped:
            exit 0 when, after the faults heal, every replica holds the same state and it matches the clients'
            acknowledged updates; 1 otherwise.
              --gossip-ms G       a replica sends its state to the others every G ms (default 20)
            causal is the causal store (causal broadcast with vector clocks; default 3 nodes, 6 clients each staying
            with one replica, 1200 operations on 2 keys; a fault every 20 ms for 50 ms); its history is checked for causal consistency (the bad
            patterns of Bouajjani et al., POPL 2017): exit 0 causal, 1 not (with the pattern and the replay line).
            cops is the COPS-style causal+ store (Lloyd et al., SOSP 2011; default 3 datacenters of 2 partitions, 6
            clients each using one datacenter, 600 operations on 4 keys; a fault every 20 ms for 50 ms, then final reads
            of every key at every datacenter once replication is quiet); its history is judged by the chapter 12
            checkers: exit 0 when causal memory, CC, CCv and convergence all hold, 1 otherwise. --history-out writes
            the final reads ("final": true, "replica") for ./dsw check-history --model convergence.
              --dcs D             datacenters (default 3); each holds every key
              --partitions P      nodes per datacenter, each owning a share of the keys (default 2)
              --broken            (causal, cops) replicated writes are applied on arrival, without waiting for their
                                  dependencies
            cap runs the same partition ({0,1} | {2,3,4} from 1 s to 4 s, two clients on the minority side)
            against the Raft store of chapter 7 and the Dynamo store, and prints what each side could do and the
            latency outside the partition. Exit 0, or 1 if the Raft history is not linearizable (a bug).
              --system S          raft, dynamo-r2w2, dynamo-r1w1 or all (default all)
              --no-partition      no partition: the latency each pays in the normal case (PACELC)
            """;

    @Override
    public List<String> protocols() {
        return List.of("dynamo", "crdt", "causal", "cops", "cap");
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
        return switch (protocol) {
            case "dynamo" -> dynamo(argv);
            case "crdt" -> crdt(argv);
            case "causal" -> causal(argv);
            case "cops" -> cops(argv);
            case "cap" -> cap(argv);
            default -> throw new IllegalStateException("not mine: " + protocol);
        };
    }

    private static Set<Nemesis.Kind> nemesis(String cmd, Args a) {
        try {
            String list = a.get("nemesis", "none");
            return list.equals("all") ? EnumSet.allOf(Nemesis.Kind.class) : Nemesis.Kind.parse(list);
        } catch (IllegalArgumentException e) {
            throw new UsageException(cmd + ": " + e.getMessage());
        }
    }

    private static String replay(String protocol, List<String> argv, long seed) {
        List<String> words = new ArrayList<>(argv);
        if (!words.contains("--seed")) {
            words.add(0, String.valueOf(seed));
            words.add(0, "--seed");
        }
        return "replay: ./dsw simulate " + protocol + " " + String.join(" ", words);
    }

    private int dynamo(List<String> argv) throws Exception {
        String cmd = "simulate dynamo";
        Args a = Args.forCommand("simulate").option("seed").option("nodes").option("clients").option("ops").option("nemesis")
                .option("history-out").option("trace-out").flag("counts").option("quorum").option("resolution").flag("no-sloppy")
                .flag("no-read-repair").option("workload").option("keys").option("skew-ms").option("faults-until-ms").parse(argv)
                .expectPositional(0, 0, "no other words after dynamo");
        Set<Nemesis.Kind> nemesis = nemesis(cmd, a);
        long seed = a.getLong("seed", 1);
        int nodes = a.getInt("nodes", 5, 1, 99);
        int clients = a.getInt("clients", 4, 1, 1000);
        int ops = a.getInt("ops", 400, 0, 1_000_000);
        String q = a.get("quorum", "3,2,2");
        String[] nrw = q.split(",");
        int n;
        int r;
        int w;
        try {
            if (nrw.length != 3) {
                throw new NumberFormatException();
            }
            n = Integer.parseInt(nrw[0].trim());
            r = Integer.parseInt(nrw[1].trim());
            w = Integer.parseInt(nrw[2].trim());
        } catch (NumberFormatException e) {
            throw new UsageException(cmd + ": --quorum must be N,R,W (three integers), got '" + q + "'");
        }
        if (n < 1 || n > nodes || r < 1 || r > n || w < 1 || w > n) {
            throw new UsageException(cmd + ": --quorum needs 1 <= R, W <= N <= nodes (" + nodes + "), got '" + q + "'");
        }
        Resolution res = switch (a.get("resolution", "vv")) {
            case "lww" -> Resolution.LWW;
            case "vv" -> Resolution.VERSION_VECTORS;
            default -> throw new UsageException(cmd + ": --resolution must be lww or vv, got '" + a.get("resolution") + "'");
        };
        KvClient.Mode mode = switch (a.get("workload", "register")) {
            case "register" -> KvClient.Mode.REGISTER;
            case "cart" -> KvClient.Mode.CART;
            default -> throw new UsageException(cmd + ": --workload must be register or cart, got '" + a.get("workload") + "'");
        };
        int keys = a.getInt("keys", 3, 1, 1000);
        int skewMs = a.getInt("skew-ms", 0, 0, 600_000);
        long faultsUntilMs = faultsUntilMs(cmd, a, 2000);
        OutputPaths outputs = OutputPaths.forCommand("simulate");
        Path historyPath = outputs.file("--history-out", a.get("history-out"));
        Path tracePath = outputs.file("--trace-out", a.get("trace-out"));
        DynamoConfig config = DynamoConfig.defaults().withQuorums(n, r, w).withResolution(res).withSloppy(!a.has("no-sloppy"))
                .withReadRepair(!a.has("no-read-repair"));
        DynamoRun.Settings s = new DynamoRun.Settings(seed, nodes, clients, ops, config, mode, keys, skewMs * 1_000_000L, nemesis,
                faultsUntilMs * 1_000_000L, tracePath != null ? Trace.Level.LINES : Trace.Level.HASH);
        long t0 = System.nanoTime();
        DynamoRun.Outcome o;
        try (Writer out = tracePath == null ? null : Files.newBufferedWriter(tracePath, StandardCharsets.UTF_8)) {
            o = DynamoRun.run(s, out == null ? null : Trace.Sink.to(out));
        }
        System.out.printf(Locale.ROOT, "simulate dynamo: seed=%d nodes=%d clients=%d ops=%d nemesis=%s%n", seed, nodes, clients, ops,
                nemesis.isEmpty() ? "none" : nemesis.toString().toLowerCase(Locale.ROOT));
        System.out.printf(Locale.ROOT, "N=%d R=%d W=%d, %s, %s quorum, read repair %s, %s workload on %d keys, clock skew up to %d ms%n", n, r,
                w, res == Resolution.LWW ? "last writer wins" : "version vectors", config.sloppy() ? "sloppy" : "strict",
                config.readRepair() ? "on" : "off", mode.name().toLowerCase(Locale.ROOT), keys, skewMs);
        System.out.print(o.summary());
        printRunEnd(a, o.trace(), t0, o.marked(), historyPath, tracePath);
        int exit;
        if (mode == KvClient.Mode.CART) {
            exit = o.lost() > 0 ? 1 : 0;
        } else {
            exit = switch (o.verdict().outcome()) {
                case LINEARIZABLE -> 0;
                case NOT_LINEARIZABLE -> 1;
                case UNKNOWN -> 3;
            };
        }
        if (exit == 1) {
            System.out.println(replay("dynamo", argv, seed));
        }
        return exit;
    }

    private int crdt(List<String> argv) throws Exception {
        String cmd = "simulate crdt";
        Args a = Args.forCommand("simulate").option("seed").option("nodes").option("clients").option("ops").option("nemesis")
                .option("trace-out").flag("counts").option("gossip-ms").option("faults-until-ms").parse(argv)
                .expectPositional(0, 0, "no other words after crdt");
        Set<Nemesis.Kind> nemesis = nemesis(cmd, a);
        long seed = a.getLong("seed", 1);
        int nodes = a.getInt("nodes", 3, 1, 99);
        int clients = a.getInt("clients", 3, 1, 1000);
        int ops = a.getInt("ops", 600, 0, 1_000_000);
        int gossipMs = a.getInt("gossip-ms", 20, 1, 60_000);
        long faultsUntilMs = faultsUntilMs(cmd, a, 1000);
        Path tracePath = OutputPaths.forCommand("simulate").file("--trace-out", a.get("trace-out"));
        CrdtRun.Settings s = new CrdtRun.Settings(seed, nodes, clients, ops, nemesis, faultsUntilMs * 1_000_000L, gossipMs * 1_000_000L,
                tracePath != null ? Trace.Level.LINES : Trace.Level.HASH);
        long t0 = System.nanoTime();
        CrdtRun.Outcome o;
        try (Writer out = tracePath == null ? null : Files.newBufferedWriter(tracePath, StandardCharsets.UTF_8)) {
            o = CrdtRun.run(s, out == null ? null : Trace.Sink.to(out));
        }
        System.out.printf(Locale.ROOT, "simulate crdt: seed=%d nodes=%d clients=%d ops=%d nemesis=%s, gossip every %d ms%n", seed, nodes,
                clients, ops, nemesis.isEmpty() ? "none" : nemesis.toString().toLowerCase(Locale.ROOT), gossipMs);
        System.out.print(o.summary());
        printRunEnd(a, o.trace(), t0, null, null, tracePath);
        if (!o.ok()) {
            System.out.println(replay("crdt", argv, seed));
            return 1;
        }
        return 0;
    }

    private int cops(List<String> argv) throws Exception {
        String cmd = "simulate cops";
        Args a = Args.forCommand("simulate").option("seed").option("dcs").option("partitions").option("clients").option("ops")
                .option("nemesis").option("history-out").option("trace-out").flag("counts").option("keys").flag("broken")
                .option("faults-until-ms").parse(argv).expectPositional(0, 0, "no other words after cops");
        Set<Nemesis.Kind> nemesis = nemesis(cmd, a);
        long seed = a.getLong("seed", 1);
        int dcs = a.getInt("dcs", 3, 1, 20);
        int partitions = a.getInt("partitions", 2, 1, 20);
        if (dcs * partitions > 99) {
            throw new UsageException(cmd + ": --dcs x --partitions must be at most 99, got " + dcs * partitions);
        }
        int clients = a.getInt("clients", 6, 1, 1000);
        int ops = a.getInt("ops", 600, 0, 20_000);
        int keys = a.getInt("keys", 4, 1, 1000);
        long faultsUntilMs = faultsUntilMs(cmd, a, 1000);
        refuseCrashes(cmd, nemesis, "COPS store");
        OutputPaths outputs = OutputPaths.forCommand("simulate");
        Path historyPath = outputs.file("--history-out", a.get("history-out"));
        Path tracePath = outputs.file("--trace-out", a.get("trace-out"));
        CopsRun.Settings s = new CopsRun.Settings(seed, dcs, partitions, clients, ops, keys, !a.has("broken"), nemesis,
                faultsUntilMs * 1_000_000L, tracePath != null ? Trace.Level.LINES : Trace.Level.HASH);
        long t0 = System.nanoTime();
        CopsRun.Outcome o;
        try (Writer out = tracePath == null ? null : Files.newBufferedWriter(tracePath, StandardCharsets.UTF_8)) {
            o = CopsRun.run(s, out == null ? null : Trace.Sink.to(out));
        }
        System.out.printf(Locale.ROOT, "simulate cops: seed=%d dcs=%d partitions=%d clients=%d ops=%d keys=%d nemesis=%s%s%n", seed, dcs,
                partitions, clients, ops, keys, nemesis.isEmpty() ? "none" : nemesis.toString().toLowerCase(Locale.ROOT),
                a.has("broken") ? ", BROKEN (no dep_check)" : "");
        System.out.print(o.summary());
        printRunEnd(a, o.trace(), t0, o.marked(), historyPath, tracePath);
        boolean ok = o.causalPlus() && o.ccv().satisfied();
        if (!ok) {
            System.out.println(replay("cops", argv, seed));
        }
        return ok ? 0 : 1;
    }

    private int causal(List<String> argv) throws Exception {
        String cmd = "simulate causal";
        Args a = Args.forCommand("simulate").option("seed").option("nodes").option("clients").option("ops").option("nemesis")
                .option("history-out").option("trace-out").flag("counts").option("keys").flag("broken").option("faults-until-ms").parse(argv)
                .expectPositional(0, 0, "no other words after causal");
        Set<Nemesis.Kind> nemesis = nemesis(cmd, a);
        long seed = a.getLong("seed", 1);
        int nodes = a.getInt("nodes", 3, 1, 99);
        int clients = a.getInt("clients", 6, 1, 1000);
        int ops = a.getInt("ops", 1200, 0, 20_000);
        int keys = a.getInt("keys", 2, 1, 1000);
        long faultsUntilMs = faultsUntilMs(cmd, a, 1000);
        refuseCrashes(cmd, nemesis, "causal store");
        OutputPaths outputs = OutputPaths.forCommand("simulate");
        Path historyPath = outputs.file("--history-out", a.get("history-out"));
        Path tracePath = outputs.file("--trace-out", a.get("trace-out"));
        CausalRun.Settings s = new CausalRun.Settings(seed, nodes, clients, ops, keys, !a.has("broken"), nemesis, faultsUntilMs * 1_000_000L,
                tracePath != null ? Trace.Level.LINES : Trace.Level.HASH);
        long t0 = System.nanoTime();
        CausalRun.Outcome o;
        try (Writer out = tracePath == null ? null : Files.newBufferedWriter(tracePath, StandardCharsets.UTF_8)) {
            o = CausalRun.run(s, out == null ? null : Trace.Sink.to(out));
        }
        System.out.printf(Locale.ROOT, "simulate causal: seed=%d nodes=%d clients=%d ops=%d keys=%d nemesis=%s%s%n", seed, nodes, clients, ops,
                keys, nemesis.isEmpty() ? "none" : nemesis.toString().toLowerCase(Locale.ROOT), a.has("broken") ? ", BROKEN (no dependency check)" : "");
        System.out.print(o.summary());
        printRunEnd(a, o.trace(), t0, o.marked(), historyPath, tracePath);
        if (!o.causal()) {
            System.out.println(replay("causal", argv, seed));
            return 1;
        }
        return 0;
    }

    private int cap(List<String> argv) throws Exception {
        String cmd = "simulate cap";
        Args a = Args.forCommand("simulate").option("seed").option("system").flag("no-partition").option("history-out").parse(argv)
                .expectPositional(0, 0, "no other words after cap");
        long seed = a.getLong("seed", 1);
        String sys = a.get("system", "all");
        List<CapRun.Store> systems = new ArrayList<>();
        for (CapRun.Store s : CapRun.Store.values()) {
            if (sys.equals("all") || s.cliName.equals(sys)) {
                systems.add(s);
            }
        }
        if (systems.isEmpty()) {
            throw new UsageException(cmd + ": --system must be raft, dynamo-r2w2, dynamo-r1w1 or all, got '" + sys + "'");
        }
        Path historyPath = OutputPaths.forCommand("simulate").file("--history-out", a.get("history-out"));
        if (historyPath != null && systems.size() != 1) {
            throw new UsageException(cmd + ": --history-out needs one --system");
        }
        boolean partition = !a.has("no-partition");
        int exit = 0;
        System.out.printf(Locale.ROOT, "simulate cap: seed=%d, 5 servers, 5 clients, register workload on 3 keys%n", seed);
        for (CapRun.Store s : systems) {
            CapRun.Outcome o = CapRun.run(s, seed, partition);
            System.out.print(o.summary());
            if (s == CapRun.Store.RAFT && !o.verdict().linearizable()) {
                exit = 1;
            }
            if (historyPath != null) {
                try (Writer wr = Files.newBufferedWriter(historyPath, StandardCharsets.UTF_8)) {
                    HistoryJson.write(o.history(), wr);
                }
                System.out.println("history written to " + historyPath);
            }
        }
        if (exit == 1) {
            System.out.println(replay("cap", argv, seed));
        }
        return exit;
    }

    /** {@code --faults-until-ms} (default {@code defaultMs}), checked to lie in 0..60000. */
    private static long faultsUntilMs(String cmd, Args a, long defaultMs) {
        long ms = a.getLong("faults-until-ms", defaultMs);
        if (ms < 0 || ms > 60_000) {
            throw new UsageException(cmd + ": --faults-until-ms must be in 0..60000, got " + ms);
        }
        return ms;
    }

    /** A store whose state lives in memory only cannot be crashed: the nemesis list may not contain crash. */
    private static void refuseCrashes(String cmd, Set<Nemesis.Kind> nemesis, String store) {
        if (nemesis.contains(Nemesis.Kind.CRASH)) {
            throw new UsageException(cmd + ": the " + store + " keeps its state in memory: --nemesis crash is not supported");
        }
    }

    /** The lines every run ends with: trace hash and wall time, the counts if asked, the files written. */
    private static void printRunEnd(Args a, Trace trace, long t0, MarkedHistory marked, Path historyPath, Path tracePath)
            throws java.io.IOException {
        System.out.printf(Locale.ROOT, "trace hash %016x, %.2f s of wall time%n", trace.hash(), (System.nanoTime() - t0) / 1e9);
        if (a.has("counts")) {
            System.out.print(trace.countsTable());
        }
        if (historyPath != null) {
            try (Writer wr = Files.newBufferedWriter(historyPath, StandardCharsets.UTF_8)) {
                marked.write(wr);
            }
            System.out.println("history written to " + historyPath);
        }
        if (tracePath != null) {
            System.out.println("trace written to " + tracePath);
        }
    }
}
