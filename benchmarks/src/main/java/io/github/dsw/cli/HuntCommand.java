package io.github.dsw.cli;

import io.github.dsw.hunt.Hunt;
import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.WorkloadBias;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./dsw hunt PROTOCOL --mutation M --nemesis LIST --seeds N [--seed-stream S]}: runs seeds of a protocol
 * with a deliberate bug until a checker catches it ({@link Hunt}); the last line is {@code found_at_seed=K} or
 * {@code not_found}. Exit 0 found, 1 not found, 2 usage error (fixed by issue 25: other tools rely on it).
 * Ctrl-C stops after the seed in progress and says how far the hunt got.
 */
final class HuntCommand implements Command {

    @Override
    public String name() {
        return "hunt";
    }

    @Override
    public String summary() {
        return "run seeds of a protocol with a deliberate bug until a checker catches it (seeds to first detection)";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw hunt PROTOCOL --mutation M --nemesis LIST --seeds N [--seed-stream S] [--workload W] [--ops K]
                                  [--window-ms W] [--skip-strikes LIST]
                       ./dsw hunt PROTOCOL --list-mutations

                Runs seed after seed of PROTOCOL (raft-kv, paxos-kv or paxos) with the deliberate bug M under the
                nemesis LIST until the linearizability checker or the protocol's invariants (checked after every
                event) catch it, then prints the seed and the checker's shrunk window. The last line is
                found_at_seed=K (K = seeds it took; the seed is S*1000000+K) or not_found.
                With --mutation none it is the false-alarm check: a correct protocol must never be caught.
                Exit code: 0 found, 1 not found after N seeds (or stopped by Ctrl-C), 2 usage error.

                options:
                  --mutation M        the bug (--list-mutations lists them), or none
                  --nemesis LIST      comma-separated: blind kinds partition,crash,pause,loss,duplicate,reorder,skew
                                      (random or all: every kind); leader-aware attacks isolate-leader,
                                      leader-minority,pause-leader,crash-after-ack,bridge,clock-jump,flap,swizzle,
                                      figure-8 (the Raft paper's Figure 8, driven by leader claims and commits),
                                      membership (raft-kv: servers removed and added back right after leader
                                      changes, and the raft-dev 2015 schedule, through an admin request; the
                                      conf-change-before-noop hunt runs 5 servers, 4 of them voters)
                                      (adversarial: every attack); none. Default adversarial
                  --seeds N           the budget: at most N seeds, 1..999999 (default 50)
                  --seed-stream S     which stream of seeds, >= 0 (default 0: seeds 1..N)
                  --workload W        normal, leader-reads (only reads for 2 election timeouts after each observed
                                      leader change),
                                      contention (one key), cas-heavy (default normal)
                  --ops K             operations per run for raft-kv and paxos-kv, 10..100000 (default 400 for raft-kv,
                                      300 for paxos-kv); a finding's replay line carries its shrunk count
                  --window-ms W       faults only in the first W ms of each run, 1..60000 (default: the protocol's
                                      window, 3000 raft-kv, 1000 paxos-kv, 200 paxos); a finding's replay line
                                      carries its shrunk window
                  --skip-strikes LIST leave out the adversarial strikes numbered in LIST (comma-separated, >= 1), as
                                      a finding's shrunk fault schedule does (printed with its replay line)
                  --list-mutations    print the protocol's mutations, one per line
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("mutation").option("nemesis").option("seeds").option("seed-stream").option("workload").option("ops")
                .option("window-ms").option("skip-strikes").flag("list-mutations").parse(argv).expectPositional(1, 1, "a protocol: raft-kv, paxos-kv or paxos");
        Hunt.Protocol protocol;
        Adversary.Plan plan;
        WorkloadBias bias;
        try {
            protocol = Hunt.Protocol.parse(a.positional().get(0));
            if (a.has("list-mutations")) {
                protocol.mutations().forEach(System.out::println);
                return ExitCode.OK;
            }
            plan = Adversary.Plan.parse(a.get("nemesis", "adversarial"));
            bias = WorkloadBias.parse(a.get("workload", "normal"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        String mutation = a.get("mutation");
        if (mutation == null) {
            throw new UsageException(name() + ": --mutation is required (one of none, " + String.join(", ", protocol.mutations()) + ")");
        }
        if (!mutation.equals("none") && !protocol.mutations().contains(mutation)) {
            throw new UsageException(name() + ": unknown mutation '" + mutation + "' for " + protocol.cliName() + " (allowed: none, "
                    + String.join(", ", protocol.mutations()) + ")");
        }
        int seeds = a.getInt("seeds", 50, 1, 999_999);
        int ops = a.get("ops") != null ? a.getInt("ops", Hunt.defaultOps(protocol), 10, 100_000) : 0;
        if (ops != 0 && protocol == Hunt.Protocol.PAXOS) {
            throw new UsageException(name() + ": --ops is for raft-kv and paxos-kv (single-decree paxos runs no operations)");
        }
        long windowNs = a.get("window-ms") == null ? Long.MAX_VALUE : a.getInt("window-ms", 0, 1, 60_000) * 1_000_000L;
        java.util.Set<Integer> skip = new java.util.TreeSet<>();
        if (a.get("skip-strikes") != null) {
            for (String w : a.get("skip-strikes").split(",")) {
                try {
                    int k = Integer.parseInt(w.trim());
                    if (k < 1) {
                        throw new NumberFormatException();
                    }
                    skip.add(k);
                } catch (NumberFormatException e) {
                    throw new UsageException(name() + ": --skip-strikes must be strike numbers >= 1 separated by commas, got '" + w.trim() + "'");
                }
            }
        }
        Hunt.Schedule schedule = new Hunt.Schedule(windowNs, skip);
        long stream = a.getLong("seed-stream", 0);
        if (stream < 0 || stream > Long.MAX_VALUE / 1_000_000 - 1) {
            throw new UsageException(name() + ": --seed-stream must be >= 0, got " + stream);
        }
        System.out.println("hunt " + protocol.cliName() + ": mutation=" + mutation + " nemesis=" + plan.cliName() + " workload="
                + bias.cliName() + " seeds=" + seeds + " seed-stream=" + stream + (ops == 0 ? "" : " ops=" + ops));
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            stop.set(true);
            try {
                finished.await(30, TimeUnit.SECONDS); // let the seed in progress end and the summary print
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        long t0 = System.nanoTime();
        long[] lastReport = {t0};
        Hunt.Result r;
        try {
            r = Hunt.hunt(protocol, mutation, plan, bias, seeds, stream, ops, schedule, (k, seed, found) -> {
                long now = System.nanoTime();
                if (now - lastReport[0] > 5_000_000_000L) { // progress for long hunts, on stderr
                    lastReport[0] = now;
                    System.err.printf("hunt: %d of %d seeds, %.0f s%n", k, seeds, (now - t0) / 1e9);
                }
            }, stop::get);
            Hunt.Finding f = r.finding();
            double wallS = (System.nanoTime() - t0) / 1e9;
            if (f != null) {
                System.out.printf("caught by %s at seed %d (position %d of stream %d), %.1f s of wall time%n", f.checker(), f.seed(),
                        f.position(), stream, wallS);
                if (f.shrunk() > 0 && f.shrunk() < (ops == 0 ? Hunt.defaultOps(protocol) : ops)) {
                    System.out.println("shrunk: the same seed still fails with " + f.shrunk() + " operations");
                }
                System.out.println(f.scheduleLine());
                System.out.println(f.window().strip());
                System.out.println("replay: " + f.replay());
                System.out.println("found_at_seed=" + f.position());
                return ExitCode.OK;
            }
            System.out.printf("%s after %d seeds, %.1f s of wall time%n", r.cancelled() ? "stopped (interrupted)" : "nothing caught",
                    r.seedsRun(), wallS);
            System.out.println("not_found");
            return 1;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
    }
}
