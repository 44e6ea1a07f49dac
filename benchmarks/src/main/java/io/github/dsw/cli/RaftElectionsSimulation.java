package io.github.dsw.cli;

import io.github.dsw.raft.ElectionTrials;
import io.github.dsw.sim.Latency;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./dsw simulate raft-elections}: the Raft paper's Figure 16 experiment for one election-timeout range
 * ({@link ElectionTrials}), one summary line on stdout, optionally every trial as CSV.
 */
final class RaftElectionsSimulation implements Simulation {

    private static final String USAGE = """
                   ./dsw simulate raft-elections --timeout-ms MIN-MAX [--trials T] [--seed S] [--out FILE.csv]
                                      [--horizon-ms H] [--timer-rule paper|etcd] [--fsync-ms W] [--latency-ms A-B]
            """;

    private static final String HELP = """

            raft-elections reproduces the Raft paper's Figure 16 (section 9.3): five Raft servers, PreVote and
            CheckQuorum off, the leader crashed uniformly within its heartbeat interval (half the minimum
            timeout), logs different so that two of the four survivors cannot win; it prints one line with the
            time from the crash until every survivor follows a new leader (mean over completed trials; median,
            p99 and max count censored trials as longer than the horizon) and the dissertation's model.
              --timeout-ms MIN-MAX  election timeout uniform in [MIN, MAX] ms, 1 ms ticks (required)
              --trials T            trials, each with its own seed derived from S (default 1000)
              --out FILE.csv        write one row per trial
              --horizon-ms H        a trial with no leader H ms after the crash is censored (default 10000)
              --timer-rule R        paper: a new term alone does not restart a server's election timer
                                    (Figure 2, LogCabin; default); etcd: it does (RaftNode's default)
              --fsync-ms W          time of one fsync (default 5; 2 matches the published curves best,
                                    see datasets/results/*-raft-elections/README.md)
              --latency-ms A-B      one-way latency uniform in [A, B] ms (default 1-3; broadcast about 15 ms)
            """;

    @Override
    public List<String> protocols() {
        return List.of("raft-elections");
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String help() {
        return HELP;
    }

    /** Runs with {@code argv} = the words after {@code raft-elections}; returns the exit code. */
    @Override
    public int run(String protocol, List<String> argv) throws IOException {
        String cmd = "simulate raft-elections";
        Args a = Args.forCommand("simulate").option("timeout-ms").option("trials").option("seed").option("out")
                .option("horizon-ms").option("timer-rule").option("fsync-ms").option("latency-ms").parse(argv)
                .expectPositional(0, 0, "no other words after raft-elections");
        if (a.get("timeout-ms") == null) {
            throw new UsageException(cmd + ": --timeout-ms MIN-MAX is required, e.g. --timeout-ms 150-300");
        }
        int[] range = range(cmd, "timeout-ms", a.get("timeout-ms"));
        if (range[0] < 2) {
            throw new UsageException(cmd + ": --timeout-ms minimum must be >= 2 ms (the heartbeat is half of it), got " + range[0]);
        }
        if (range[1] > ElectionTrials.MAX_TIMEOUT_MS) {
            throw new UsageException(cmd + ": --timeout-ms maximum must be <= " + ElectionTrials.MAX_TIMEOUT_MS
                    + " ms (each trial's warm-up gets " + ElectionTrials.WARMUP_LIMIT_MS / 1000 + " s of virtual time to elect a leader), got "
                    + range[1]);
        }
        int trials = a.getInt("trials", 1000, 1, 1_000_000);
        long seed = a.getLong("seed", 1);
        long horizonMs = a.getLong("horizon-ms", 10_000);
        if (horizonMs < 1 || horizonMs > 3_600_000) {
            throw new UsageException(cmd + ": --horizon-ms must be in 1..3600000, got " + horizonMs);
        }
        String rule = a.get("timer-rule", "paper");
        if (!rule.equals("paper") && !rule.equals("etcd")) {
            throw new UsageException(cmd + ": --timer-rule must be paper or etcd, got '" + rule + "'");
        }
        long fsyncMs = a.getLong("fsync-ms", 5);
        if (fsyncMs < 0 || fsyncMs > 10_000) {
            throw new UsageException(cmd + ": --fsync-ms must be in 0..10000, got " + fsyncMs);
        }
        int[] lat = range(cmd, "latency-ms", a.get("latency-ms", "1-3"));
        Path out = OutputPaths.forCommand(cmd).file("--out", a.get("out")); // checked before the trials, not after
        ElectionTrials.Setup setup = ElectionTrials.Setup.paper(range[0], range[1]).withHorizonNs(horizonMs * 1_000_000L)
                .withTimerResetOnNewTerm(rule.equals("etcd"))
                .withNetwork(new Latency.Uniform(lat[0] * 1_000_000L, lat[1] * 1_000_000L), fsyncMs * 1_000_000L);
        int step = Math.max(1, trials / 10);
        long t0 = System.nanoTime();
        ElectionTrials.Result r = ElectionTrials.run(setup, seed, trials, i -> {
            if (trials >= 100 && (i + 1) % step == 0) {
                System.err.printf(Locale.ROOT, "raft-elections %s: %d/%d trials, %.1f s%n", setup.range(), i + 1, trials,
                        (System.nanoTime() - t0) / 1e9);
            }
        });
        System.out.println(r.summary());
        if (out != null) {
            write(r, out);
            System.err.println("trials written to " + out);
        }
        return 0;
    }

    /** One row per trial: the columns documented in datasets/README.md (Raft section). */
    static void write(ElectionTrials.Result r, Path p) throws IOException {
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8))) {
            w.println("range_ms,trial,seed,crash_offset_ms,first_candidate_ms,elected_ms,established_ms,censored,leader_role,terms");
            for (ElectionTrials.Trial t : r.trials()) {
                w.printf(Locale.ROOT, "%s,%d,%d,%.6f,%s,%s,%s,%b,%c,%d%n", r.setup().range(), t.index(), t.seed(), t.crashOffsetNs() / 1e6,
                        t.firstCandidateNs() < 0 ? "" : String.format(Locale.ROOT, "%.6f", t.firstCandidateNs() / 1e6),
                        t.electedNs() < 0 ? "" : String.format(Locale.ROOT, "%.6f", t.electedNs() / 1e6),
                        t.censored() ? "" : String.format(Locale.ROOT, "%.6f", t.establishedNs() / 1e6), t.censored(), t.leaderRole(),
                        t.terms());
            }
        }
    }

    /** Parses "MIN-MAX" (non-negative integers, MIN <= MAX). */
    static int[] range(String cmd, String option, String v) {
        int dash = v.indexOf('-');
        try {
            if (dash > 0) {
                int lo = Integer.parseInt(v.substring(0, dash).trim());
                int hi = Integer.parseInt(v.substring(dash + 1).trim());
                if (lo < 0 || hi < lo) {
                    throw new UsageException(cmd + ": --" + option + " needs 0 <= MIN <= MAX, got '" + v + "'");
                }
                return new int[] {lo, hi};
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException(cmd + ": --" + option + " must be MIN-MAX in whole milliseconds (e.g. 150-300), got '" + v + "'");
    }
}
