package io.github.dsw.cli;

import io.github.dsw.check.AtomicCommitChecker.Violation;
import io.github.dsw.commit.CommitRun;
import io.github.dsw.commit.CommitRun.Episode;
import io.github.dsw.commit.CommitRun.Outcome;
import io.github.dsw.commit.CommitRun.Protocol;
import io.github.dsw.sim.Nemesis;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ./dsw simulate 2pc|3pc|paxos-commit|faster-paxos-commit}: one {@link CommitRun}. Without a nemesis it
 * prints the failure-free counts of Gray and Lamport's table ({@code messages= message_delays= stable_writes=}),
 * counted by the simulator; with one it prints the atomic-commit checker's verdict, and for a violation the replay
 * command and the fault schedule shrunk to the episodes the violation needs.
 */
final class CommitSimulation implements Simulation {

    private static final String USAGE = """
                   ./dsw simulate 2pc|3pc|paxos-commit|faster-paxos-commit [--participants N] [--faults F]
                                      [--nemesis LIST] [--transactions T] [--seed S] [--colocated]
                                      [--concurrent-prepare]
                   ./dsw simulate snapshot [--processes N] [--seed S] [--non-fifo]
            """;

    private static final String HELP = """

            2pc, 3pc, paxos-commit and faster-paxos-commit run atomic commit (chapter 10): a client runs T transactions
            over N participants (RMs). With --nemesis none it prints, for the first transaction, the line
            messages=M message_delays=D stable_writes=W counted by the simulator (constant 1 ms links, fsync 0; compare
            with Gray and Lamport's table). With faults it prints the checker's verdict (agreement, validity, and
            termination of every participant that voted), exit 1 with a replay line, a shrunk schedule, the transactions it
            still needs (each deletion re-run) and the violation's window drawn as a timeline (fault episodes, the kept
            transactions, each participant's vote to its decision) on a violation.
            2PC, Paxos Commit and Faster Paxos Commit run crash-recovery (crashed processes restart); 3PC crash-stop.
              --participants N      RMs, 1..99 (default 3)
              --faults F            acceptor faults Paxos Commit tolerates, 2F+1 acceptors, 0..9 (default 1; 0 for 2pc, 3pc)
              --nemesis LIST        none (default) or partition,crash,pause,loss,duplicate,reorder,skew or all
              --transactions T      transactions, 1..100000 (default 1 without a nemesis, 20 with one)
              --seed S              seed of network, faults and votes (default 1)
              --colocated           coordinator (and acceptors) on the RMs' processes, as in the paper's co-located counts
              --concurrent-prepare  RM 0 sends BeginCommit before forcing its prepared record, so that all RMs prepare
                                    concurrently (the paper's two write delays instead of three; not for 3pc)

            snapshot runs Chandy and Lamport's snapshot over a bank-transfer application whose links reorder
            messages (each branch delivers its channels in FIFO order unless --non-fifo), and checks the recorded cut:
            consistent, channel states exact, money conserved. Exit 0 if so, 1 with the problems otherwise.
              --processes N         branches, 2..50 (default 3)
              --seed S              seed (default 1)
              --non-fifo            take messages as they arrive: markers can be overtaken and the cut breaks
            """;

    @Override
    public List<String> protocols() {
        return List.of("2pc", "3pc", "paxos-commit", "faster-paxos-commit", "snapshot");
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
    public int run(String protocolName, List<String> argv) {
        String cmd = "simulate " + protocolName;
        if (protocolName.equals("snapshot")) {
            return snapshot(argv);
        }
        Args a = Args.forCommand("simulate").option("participants").option("faults").option("nemesis").option("transactions")
                .option("seed").flag("colocated").flag("concurrent-prepare").parse(argv).expectPositional(0, 0, "no other words after " + protocolName);
        Protocol protocol = Protocol.parse(protocolName);
        boolean paxos = protocol == Protocol.PAXOS_COMMIT || protocol == Protocol.FASTER_PAXOS_COMMIT;
        int n = a.getInt("participants", 3, 1, 99);
        int f = a.getInt("faults", paxos ? 1 : 0, 0, 9);
        if (!paxos && f != 0) {
            throw new UsageException(cmd + ": --faults applies to paxos-commit and faster-paxos-commit only (2PC and 3PC have no acceptors)");
        }
        Set<Nemesis.Kind> nemesis;
        try {
            String list = a.get("nemesis", "none");
            nemesis = list.equals("all") ? EnumSet.allOf(Nemesis.Kind.class) : Nemesis.Kind.parse(list);
        } catch (IllegalArgumentException e) {
            throw new UsageException(cmd + ": " + e.getMessage());
        }
        int transactions = a.getInt("transactions", nemesis.isEmpty() ? 1 : 20, 1, 100_000);
        long seed = a.getLong("seed", 1);
        boolean colocated = a.has("colocated");
        boolean concurrent = a.has("concurrent-prepare");
        if (concurrent && protocol == Protocol.THREE_PC) {
            throw new UsageException(cmd + ": --concurrent-prepare applies to 2pc, paxos-commit and faster-paxos-commit only");
        }
        CommitRun.Settings s = nemesis.isEmpty()
                ? new CommitRun.Settings(protocol, n, f, colocated, transactions, nemesis, seed,
                        new io.github.dsw.sim.Latency.Constant(1_000_000), 0, 0, false, null, io.github.dsw.sim.Trace.Level.COUNTS, false)
                : CommitRun.Settings.random(protocol, n, f, transactions, nemesis, seed).withColocated(colocated);
        s = s.withConcurrentPrepare(concurrent);
        Outcome o = CommitRun.run(s);
        System.out.printf(Locale.ROOT, "simulate %s: participants=%d faults=%d%s transactions=%d nemesis=%s seed=%d%n", protocolName, n, f,
                colocated ? " colocated" : "", transactions, nemesis.isEmpty() ? "none" : nemesis.toString().toLowerCase(Locale.ROOT), seed);
        if (nemesis.isEmpty()) {
            System.out.printf(Locale.ROOT, "messages=%d message_delays=%s stable_writes=%d%n", o.messages() / transactions,
                    o.lastDecisionNs()[0] < 0 ? "?" : trim(o.messageDelays(0, 1_000_000)), o.forcedWrites() / transactions);
        }
        System.out.printf(Locale.ROOT, "%d committed, %d aborted, %d messages, %d forced writes, %.3f ms simulated%n", o.commits(), o.aborts(),
                o.messages(), o.forcedWrites(), o.endNs() / 1e6);
        if (o.ok()) {
            System.out.println("verdict: agreement, validity and termination hold");
            return 0;
        }
        Violation v = o.violations().get(0);
        System.out.println("VIOLATION: " + v);
        System.out.println("replay: ./dsw simulate " + protocolName + " " + String.join(" ", argv));
        CommitRun.Settings small = CommitRun.minimal(s, o);
        List<Episode> shrunk = small.script();
        System.out.println("shrunk schedule (" + shrunk.size() + " of " + o.schedule().size() + " fault episodes still give the violation):");
        for (Episode e : shrunk) {
            System.out.println("  " + e);
        }
        List<Long> kept = small.transactionsRun();
        System.out.println("shrunk transactions (" + kept.size() + " of " + s.transactionsRun().size() + " still give the violation): "
                + kept.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
        Outcome again = CommitRun.run(small);
        if (!again.ok()) {
            Violation w = again.violations().get(0);
            System.out.println("window (the shrunk run, transaction " + w.tx() + "): " + w);
            System.out.print(CommitRun.window(again, w, kept));
        }
        return 1;
    }

    private static int snapshot(List<String> argv) {
        Args a = Args.forCommand("simulate").option("processes").option("seed").flag("non-fifo").parse(argv)
                .expectPositional(0, 0, "no other words after snapshot");
        int n = a.getInt("processes", 3, 2, 50);
        long seed = a.getLong("seed", 1);
        boolean fifo = !a.has("non-fifo");
        io.github.dsw.snapshot.SnapshotRun.Result r = io.github.dsw.snapshot.SnapshotRun.run(seed, n, fifo);
        System.out.printf(Locale.ROOT, "simulate snapshot: processes=%d seed=%d channels=%s%n", n, seed, fifo ? "fifo" : "non-fifo");
        System.out.printf(Locale.ROOT, "bank total %d, recorded state holds %d%n", r.total(), r.recordedTotal());
        if (r.ok()) {
            System.out.println("verdict: the recorded cut is consistent and conserves the total");
            return 0;
        }
        for (String p : r.problems()) {
            System.out.println("VIOLATION: " + p);
        }
        System.out.println("replay: ./dsw simulate snapshot " + String.join(" ", argv));
        return 1;
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.3f", d);
    }
}
