package io.github.dsw.cli;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryJson;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.PaxosKvRun;
import io.github.dsw.raft.KvService;
import io.github.dsw.raft.Mutation;
import io.github.dsw.raft.RaftKvRun;
import io.github.dsw.register.RegisterRun;
import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.InvariantViolation;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.WorkloadBias;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** {@code ./dsw simulate PROTOCOL ...}: one deterministic simulation, its summary and its verdict. */
final class SimulateCommand implements Command {

    /** Protocols with options of their own, each in its own class; a chapter adds one line here. */
    static final List<Simulation> SIMULATIONS = List.of(
            new RaftElectionsSimulation(),
            new CommitSimulation(),
            new DetectorSimulation(),
            new LockSimulation(),
            new ZabSimulation(),
            new ConsistencySimulation());

    /** The protocols this class runs itself (the chapter 5-7 stores); the others belong to {@link #SIMULATIONS}. */
    static final List<String> BASE_PROTOCOLS = List.of("abd", "primary-backup", "paxos-kv", "raft-kv");

    /** Every protocol word {@code ./dsw simulate} accepts, in help order. */
    static List<String> protocols() {
        List<String> all = new java.util.ArrayList<>(BASE_PROTOCOLS);
        for (Simulation s : SIMULATIONS) {
            all.addAll(s.protocols());
        }
        return all;
    }

    @Override
    public String name() {
        return "simulate";
    }

    @Override
    public String summary() {
        return "run a replicated register or the Paxos or Raft key-value store in the deterministic simulator and check linearizability";
    }

    @Override
    public String help() {
        StringBuilder usages = new StringBuilder();
        StringBuilder helps = new StringBuilder();
        for (Simulation s : SIMULATIONS) {
            usages.append(s.usage());
            helps.append(s.help());
        }
        return """
                usage: ./dsw simulate abd|primary-backup|paxos-kv|raft-kv [--seed S] [--nodes N] [--clients C] [--ops K]
                                      [--nemesis LIST] [--history-out FILE] [--trace-out FILE] [--counts]
                                      [--window W] [--batch B] [--faults-until-ms T]
                                      [--read-mode M] [--unreliable-clients] [--no-retries]
                                      [--fault-every-ms E] [--fault-length-ms L] [--snapshot-every N]
                                      [--mutation M]
                """ + usages + """

                Runs the protocol on N simulated servers with C closed-loop clients issuing K operations in
                all (reads and writes for abd; reads, writes and cas for primary-backup) on one key, under the
                faults in LIST (a fault starts every 50 ms of virtual time and lasts 30 ms), then checks the
                history for linearizability. The same seed replays the same run exactly.
                paxos-kv is the Multi-Paxos key-value store of chapter 6 (reads, writes and cas on 4 keys, any
                server takes any request); a monitor also checks after every event that each log slot has at
                most one chosen command.
                raft-kv is the Raft key-value store of chapter 7 (reads, writes and cas on 3 keys; a fault starts
                every 80 ms and lasts 200 ms unless told otherwise); the four invariants of the Raft paper's Figure 3 are checked after
                every event. Its clients retry the same request id (after 100 ms without an answer, or at once
                to the leader a "not the leader" answer names) until a 500 ms deadline, and the servers' session
                table executes each request id at most once. It exits 1 also when an invariant breaks (the
                replay line names every setting), and 3 when the checker's search budget ran out (undecided).
                Exit code: 0 linearizable, 1 not linearizable (the window is printed) or an invariant broken,
                2 usage error (output files are checked before the run), 3 undecided, 4 internal error.
                """ + helps + """

                options:
                  --seed S            RNG seed (default 1)
                  --nodes N           servers, 1..99 (default 3)
                  --clients C         client processes (default 3)
                  --ops K             operations in all (default 300)
                  --nemesis LIST      comma-separated: partition,crash,pause,loss,duplicate,reorder,skew,
                                      or all, or none (default none); paxos-kv and raft-kv also take the
                                      leader-aware isolate-leader,leader-minority,pause-leader,crash-after-ack,
                                      bridge,clock-jump,flap,swizzle,figure-8, or adversarial for all of them
                                      (see ./dsw hunt)
                  --history-out FILE  write the history as JSON Lines (format: datasets/README.md, chapter 5)
                  --trace-out FILE    write the event trace, one line per event
                  --counts            print per-message-type counts
                  --window W          paxos-kv: the leader's pipeline window (default 8)
                  --batch B           paxos-kv: most commands per log slot (default 4)
                  --faults-until-ms T paxos-kv, raft-kv: no fault starts after T ms of virtual time, and all
                                      are healed then (default: paxos-kv, faults until the run ends; raft-kv, 3000)
                  --read-mode M       raft-kv: log (reads are log entries), read-index (ReadIndex, one
                                      heartbeat round), lease (leader lease, safe within the clock-drift
                                      bound; a server counts the ticks a pause held back before it
                                      handles any input), or leader-local-unsafe (the leader answers
                                      from its own state: not linearizable, to see the checker catch it);
                                      default log
                  --unreliable-clients raft-kv: client links lose 5%, duplicate 30% and hold back 30% of the
                                      messages by up to 300 ms
                  --no-retries        raft-kv: clients take a "not the leader" answer as a failure (the hole
                                      that retries with sessions close: try it with --unreliable-clients)
                  --fault-every-ms E  raft-kv: a fault starts every E ms (default 80)
                  --fault-length-ms L raft-kv: each fault lasts L ms (default 200)
                  --snapshot-every N  raft-kv: each server compacts its log into a snapshot every N applied
                                      entries, 0..1000000 (default 0: never); lagging servers then catch up
                                      by InstallSnapshot, and every snapshot is checked against the
                                      committed prefix
                  --mutation M        paxos-kv, raft-kv: run a deliberately wrong variant, to see a checker
                                      catch it (default none). raft-kv: naive-counting (Figure 8's unsafe
                                      commit rule), conf-change-before-noop (no membership changes happen
                                      in this run, so it stays silent here), leader-local-reads (the
                                      leader answers reads from its own state; --read-mode
                                      leader-local-unsafe is the same), no-tick-catch-up (a paused leader
                                      keeps its lease: try it with --read-mode lease and pauses).
                                      paxos-kv: skip-recovery (a new leader skips phase 1 for the slots
                                      it did not see)
                """;
    }

    /** Options of this command that take no value: every other {@code --name} is followed by its value. */
    private static final Set<String> FLAGS = Set.of("--counts", "--unreliable-clients", "--no-retries");

    /**
     * Index of the protocol argument, the first word that is neither an option nor an option's value
     * (so that a value that happens to be spelled like a protocol is not taken for one); -1 if none.
     */
    private static int protocolPosition(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String w = argv.get(i);
            if (!w.startsWith("--")) {
                return i;
            }
            if (!FLAGS.contains(w)) {
                i++; // skip its value
            }
        }
        return -1;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        int protocolAt = protocolPosition(argv);
        if (protocolAt >= 0) {
            String protocol = argv.get(protocolAt);
            for (Simulation s : SIMULATIONS) {
                if (s.protocols().contains(protocol)) { // a protocol with options of its own
                    List<String> rest = new java.util.ArrayList<>(argv);
                    rest.remove(protocolAt);
                    return s.run(protocol, rest);
                }
            }
        }
        Args a = Args.forCommand(name()).option("seed").option("nodes").option("clients").option("ops")
                .option("nemesis").option("history-out").option("trace-out").flag("counts")
                .option("window").option("batch").option("faults-until-ms")
                .option("read-mode").flag("unreliable-clients").flag("no-retries").option("fault-every-ms").option("fault-length-ms")
                .option("snapshot-every").option("mutation")
                .parse(argv)
                .expectPositional(1, 1, "a protocol: abd, primary-backup, paxos-kv or raft-kv");
        RegisterRun.Protocol protocol = null;
        Set<Nemesis.Kind> nemesis;
        Adversary.Plan plan;
        boolean paxos = a.positional().get(0).equals("paxos-kv");
        boolean raft = a.positional().get(0).equals("raft-kv");
        if (!raft && (a.get("read-mode") != null || a.has("unreliable-clients") || a.has("no-retries") || a.get("fault-every-ms") != null
                || a.get("fault-length-ms") != null)) {
            throw new UsageException(name() + ": --read-mode, --unreliable-clients, --no-retries, --fault-every-ms and --fault-length-ms"
                    + " apply to raft-kv only");
        }
        if (!raft && !paxos && a.get("mutation") != null) {
            throw new UsageException(name() + ": --mutation applies to paxos-kv and raft-kv only");
        }
        if (!raft && a.get("snapshot-every") != null) {
            throw new UsageException(name() + ": --snapshot-every applies to raft-kv only");
        }
        try {
            if (!paxos && !raft) {
                protocol = RegisterRun.Protocol.parse(a.positional().get(0));
            }
            String list = a.get("nemesis", "none");
            plan = Adversary.Plan.parse(list); // the blind kinds as before, plus leader-aware attacks (paxos-kv, raft-kv)
            nemesis = list.equals("all") ? EnumSet.allOf(Nemesis.Kind.class) : plan.random();
            if (!plan.attacks().isEmpty() && !paxos && !raft) {
                throw new UsageException(name() + ": leader-aware nemeses (" + plan.cliName() + ") apply to paxos-kv and raft-kv only");
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        long seed = a.getLong("seed", 1);
        int nodes = a.getInt("nodes", 3, 1, 99);
        int clients = a.getInt("clients", 3, 1, 10_000);
        int ops = a.getInt("ops", 300, 0, 10_000_000);
        // Both outputs checked before the run: a bad path must not cost the run, nor replace its verdict's exit code.
        OutputPaths outputs = OutputPaths.forCommand(name());
        Path historyPath = outputs.file("--history-out", a.get("history-out"));
        Path tracePath = outputs.file("--trace-out", a.get("trace-out")); // written line by line during the run
        boolean lines = tracePath != null;
        Trace.Level level = lines ? Trace.Level.LINES : Trace.Level.HASH;
        long t0 = System.nanoTime();
        String summary;
        History history;
        Trace trace;
        LinearizabilityChecker.Result verdict;
        if (paxos) {
            int window = a.getInt("window", 8, 1, 1_000_000);
            int batch = a.getInt("batch", 4, 1, 1_000_000);
            long faultsUntilNs = a.get("faults-until-ms") == null ? PaxosKvRun.HORIZON_NS
                    : a.getLong("faults-until-ms", 0) * 1_000_000L;
            if (faultsUntilNs < 0) {
                throw new UsageException(name() + ": --faults-until-ms must be >= 0");
            }
            PaxosKvRun.Outcome o;
            try (Writer out = traceWriter(tracePath)) {
                o = PaxosKvRun.run(new PaxosKvRun.Settings(seed, nodes, clients, ops, nemesis, faultsUntilNs, window, batch, level, false,
                        null, mutation(a, MultiPaxosNode.Mutation.class, MultiPaxosNode.Mutation.NONE)), sink(out), plan.attacks(),
                        WorkloadBias.NORMAL);
            } catch (InvariantViolation e) { // a monitor's verdict; any other exception is a bug (exit 4), never a verdict
                System.out.println("SAFETY VIOLATION: " + e.getMessage());
                System.out.println("replay: ./dsw simulate " + String.join(" ", argv));
                return 1;
            }
            summary = o.summary();
            history = o.history();
            trace = o.trace();
            verdict = o.verdict();
        } else if (raft) {
            if (a.get("window") != null || a.get("batch") != null) {
                throw new UsageException(name() + ": --window and --batch apply to paxos-kv only");
            }
            RaftKvRun.Settings settings = raftKvSettings(a, seed, nodes, clients, ops, nemesis, level);
            RaftKvRun.Outcome o;
            try (Writer out = traceWriter(tracePath)) {
                o = RaftKvRun.run(settings, sink(out), plan.attacks(), WorkloadBias.NORMAL);
            } catch (InvariantViolation e) { // a monitor's verdict; any other exception is a bug (exit 4), never a verdict
                System.out.println("SAFETY VIOLATION: " + e.getMessage());
                System.out.println("replay: " + (plan.attacks().isEmpty() ? settings.replayCommand() : "./dsw simulate " + String.join(" ", argv)));
                return 1;
            }
            summary = String.format("read mode %s, a fault every %d ms lasting %d ms until %d ms, %s client links, clients %s, %s%n",
                    settings.readMode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), settings.faultEveryNs() / 1_000_000,
                    settings.faultLengthNs() / 1_000_000, settings.faultsUntilNs() / 1_000_000,
                    settings.unreliableClients() ? "unreliable" : "reliable",
                    settings.retries() ? "retry the same request id" : "do not retry (a redirect counts as a failure)",
                    settings.snapshotEvery() == 0 ? "no snapshots" : "a snapshot every " + settings.snapshotEvery() + " applied entries")
                    + o.summary();
            history = o.history();
            trace = o.trace();
            verdict = o.verdict();
        } else {
            if (a.get("window") != null || a.get("batch") != null || a.get("faults-until-ms") != null) {
                throw new UsageException(name() + ": --window and --batch apply to paxos-kv only, --faults-until-ms to paxos-kv and raft-kv");
            }
            RegisterRun.Outcome o;
            try (Writer out = traceWriter(tracePath)) {
                o = RegisterRun.run(new RegisterRun.Settings(protocol, seed, nodes, clients, ops, nemesis, level, false), sink(out));
            }
            summary = o.summary();
            history = o.history();
            trace = o.trace();
            verdict = o.verdict();
        }
        double wallS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("simulate %s: seed=%d nodes=%d clients=%d ops=%d nemesis=%s%n", a.positional().get(0), seed, nodes,
                clients, ops, !plan.attacks().isEmpty() ? plan.cliName()
                        : nemesis.isEmpty() ? "none" : nemesis.toString().toLowerCase(java.util.Locale.ROOT));
        System.out.print(summary);
        System.out.printf("trace hash %016x, %.2f s of wall time%n", trace.hash(), wallS);
        if (a.has("counts")) {
            System.out.print(trace.countsTable());
        }
        if (historyPath != null) {
            try (Writer w = Files.newBufferedWriter(historyPath, StandardCharsets.UTF_8)) {
                HistoryJson.write(history, w);
            }
            System.out.println("history written to " + historyPath);
        }
        if (lines) {
            System.out.println("trace written to " + tracePath);
        }
        if (!verdict.linearizable()) {
            System.out.println("replay: ./dsw simulate " + String.join(" ", argv));
        }
        return switch (verdict.outcome()) {
            case LINEARIZABLE -> 0;
            case NOT_LINEARIZABLE -> 1;
            case UNKNOWN -> 3;
        };
    }

    /** A buffered writer for the --trace-out file, or null without that option. */
    private static Writer traceWriter(Path p) throws java.io.IOException {
        return p == null ? null : Files.newBufferedWriter(p, StandardCharsets.UTF_8);
    }

    /** The trace's sink: every line written to {@code out} as it happens (so memory stays flat), or none. */
    private static Trace.Sink sink(Writer out) {
        return out == null ? null : Trace.Sink.to(out);
    }

    /** The raft-kv options as run settings; a bad value is a one-line usage error. */
    private RaftKvRun.Settings raftKvSettings(Args a, long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis,
                                              Trace.Level level) {
        String mode = a.get("read-mode", "log");
        Mutation mutation = mutation(a, Mutation.class, Mutation.NONE);
        if (mode.equals("leader-local-unsafe")) { // the name this bug had before it became a mutation
            if (mutation != Mutation.NONE && mutation != Mutation.LEADER_LOCAL_READS) {
                throw new UsageException(name() + ": --read-mode leader-local-unsafe is --mutation leader-local-reads; it cannot be combined with --mutation "
                        + mutation.cliName());
            }
            mode = "log";
            mutation = Mutation.LEADER_LOCAL_READS;
        }
        KvService.ReadMode readMode = switch (mode) {
            case "log" -> KvService.ReadMode.LOG;
            case "read-index" -> KvService.ReadMode.READ_INDEX;
            case "lease" -> KvService.ReadMode.LEASE;
            default -> throw new UsageException(name() + ": --read-mode must be log, read-index, lease or leader-local-unsafe, got '" + mode
                    + "'");
        };
        long faultsUntilMs = a.getLong("faults-until-ms", RaftKvRun.FAULTS_UNTIL_NS / 1_000_000);
        if (faultsUntilMs < 0 || faultsUntilMs * 1_000_000L > RaftKvRun.HORIZON_NS) {
            throw new UsageException(name() + ": --faults-until-ms must be in 0.." + RaftKvRun.HORIZON_NS / 1_000_000
                    + " (the run's time limit), got " + faultsUntilMs);
        }
        int everyMs = a.getInt("fault-every-ms", (int) (RaftKvRun.FAULT_EVERY_NS / 1_000_000), 1, 60_000);
        int lengthMs = a.getInt("fault-length-ms", (int) (RaftKvRun.FAULT_LENGTH_NS / 1_000_000), 1, 60_000);
        int snapshotEvery = a.getInt("snapshot-every", 0, 0, 1_000_000);
        return RaftKvRun.Settings.retrying(seed, nodes, clients, ops, nemesis, readMode)
                .withSnapshotEvery(snapshotEvery)
                .withFaultsUntilNs(faultsUntilMs * 1_000_000L)
                .withFaultTiming(everyMs * 1_000_000L, lengthMs * 1_000_000L)
                .withClients(a.has("unreliable-clients"), !a.has("no-retries"))
                .withTraceLevel(level)
                .withMutation(mutation);
    }

    /** The {@code --mutation} value as a value of the protocol's enum (CLI spelling: lower case with dashes). */
    private <E extends Enum<E>> E mutation(Args a, Class<E> type, E none) {
        String v = a.get("mutation");
        if (v == null) {
            return none;
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            String cli = e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            if (cli.equals(v)) {
                return e;
            }
            names.append(names.isEmpty() ? "" : ", ").append(cli);
        }
        throw new UsageException(name() + ": --mutation must be one of " + names + " for this protocol, got '" + v + "'");
    }
}
