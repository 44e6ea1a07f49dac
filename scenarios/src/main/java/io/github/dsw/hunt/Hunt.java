package io.github.dsw.hunt;

import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.PaxosKvRun;
import io.github.dsw.paxos.PaxosNode;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.paxos.SingleDecreeRun;
import io.github.dsw.raft.KvService;
import io.github.dsw.raft.Mutation;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.raft.RaftKvRun;
import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.WorkloadBias;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A mutation hunt: run seed after seed of a protocol with a deliberate bug ({@code Mutation}) under a
 * nemesis until a checker catches it (the linearizability checker, or the protocol's invariants checked
 * after every event), and report how many seeds that took. The measure FoundationDB and TigerBeetle judge
 * their simulators by: a nemesis that needs fewer seeds to find a planted bug is a better nemesis. Run
 * with {@code none} as the mutation it is the false-alarm check: a correct protocol must never be caught.
 *
 * <p>Seeds: position {@code k} (1-based) of seed stream {@code S} is seed {@code S * 1,000,000 + k}, so
 * stream 0 is seeds 1, 2, 3, ... and {@code found_at_seed=K} is the position (equal to the seed in stream 0).
 * Every finding carries the command that replays it.
 *
 * <p>Runs per protocol (3 servers each): {@code raft-kv}, the Raft key-value store of chapter 7 with 4
 * retrying clients and {@link #RAFT_OPS} operations, faults for the first 3 s, lease reads for
 * {@code no-tick-catch-up}, the log for the other bugs, and log, ReadIndex and lease reads in turn by seed
 * for {@code none}; one entry per AppendEntries for {@code naive-counting}, and for {@code none} on every
 * other three seeds; {@code paxos-kv}, the Multi-Paxos store of chapter 6, 4 clients, {@link #PAXOS_KV_OPS}
 * operations, faults for 1 s; {@code paxos}, single-decree Paxos with 3 competing proposers (5 for {@code no-backoff}, and for
 * {@code none} on odd seeds), faults for 200 ms, where two liveness bounds are checkers too: every client
 * answered within 2 s after the faults stop, and the value chosen by ballot round {@link #PAXOS_ROUNDS_BOUND}.
 */
public final class Hunt {

    /** Operations per raft-kv run: enough that clients are still busy while the faults run. */
    public static final int RAFT_OPS = 400;
    /** Operations per paxos-kv run. */
    public static final int PAXOS_KV_OPS = 300;

    /**
     * The liveness bound of a paxos hunt: the value must be chosen at a ballot of round at most this. Paxos cannot
     * promise a bound (FLP), but random, growing back-off (section 2.4 of "Paxos Made Simple") makes long duels
     * rare: in 10,000 seeds (5 acceptors, 5 proposing clients, adversarial and random nemeses) correct Paxos never
     * chose later than round 7, while proposers that answer every refusal with a new ballot at once went past
     * round 10 in about a quarter of the seeds (issue 25's calibration, in the results folder of the hunt table).
     */
    public static final int PAXOS_ROUNDS_BOUND = 10;

    /** The protocols a hunt can run, named as on the command line. */
    public enum Protocol {
        RAFT_KV, PAXOS_KV, PAXOS;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Protocol parse(String word) {
            for (Protocol p : values()) {
                if (p.cliName().equals(word)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown protocol '" + word + "' (allowed: raft-kv, paxos-kv, paxos)");
        }

        /** The protocol's mutation enum. */
        Class<? extends Enum<?>> mutationType() {
            return switch (this) {
                case RAFT_KV -> Mutation.class;
                case PAXOS_KV -> MultiPaxosNode.Mutation.class;
                case PAXOS -> PaxosNode.Mutation.class;
            };
        }

        /** Every mutation of the protocol but none, in the command line's spelling, in declaration order. */
        public List<String> mutations() {
            List<String> out = new ArrayList<>();
            for (Enum<?> e : mutationType().getEnumConstants()) {
                if (!e.name().equals("NONE")) {
                    out.add(cli(e));
                }
            }
            return out;
        }

        /** The mutation named {@code word} ({@code none} included); unknown names throw with the allowed list. */
        Enum<?> mutation(String word) {
            for (Enum<?> e : mutationType().getEnumConstants()) {
                if (cli(e).equals(word)) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown mutation '" + word + "' for " + cliName() + " (allowed: none, "
                    + String.join(", ", mutations()) + ")");
        }
    }

    /**
     * A bug caught.
     *
     * @param position the seed's position in its stream (1-based): seeds it took
     * @param seed     the seed
     * @param checker  which checker caught it and how (one line)
     * @param window   the evidence: the linearizability checker's shrunk window, or the invariant's message
     * @param shrunk   the smallest operation count (halving from the run's) with which the same seed still
     *                 fails, or the run's own count when halving loses it (0 for paxos, which has no operations)
     * @param replay   the command that replays the run
     */
    public record Finding(int position, long seed, String checker, String window, int shrunk, String replay, Schedule schedule,
                          List<Adversary.Strike> strikes, int strikesBefore, long windowBeforeNs) {
        Finding with(Schedule sch, List<Adversary.Strike> log) {
            return new Finding(position, seed, checker, window, shrunk, replay, sch, List.copyOf(log), strikesBefore, windowBeforeNs);
        }

        /** The fault schedule as shrunk (one line): strikes and window before and after, and the strikes kept. */
        public String scheduleLine() {
            return "fault schedule: " + strikesBefore + " strikes in " + windowBeforeNs / 1_000_000 + " ms -> " + strikes.size() + " in "
                    + Math.min(schedule.windowNs(), windowBeforeNs) / 1_000_000 + " ms" + (strikes.isEmpty() ? "" : ": " + strikes.stream().map(Adversary.Strike::toString)
                    .collect(java.util.stream.Collectors.joining("; ")));
        }
    }

    /**
     * The part of a run's fault schedule a hunt keeps: faults start only in the first {@code windowNs} of the run (all
     * healed then; capped at the protocol's own window), and the adversarial strikes numbered in {@code skip} are
     * left out ({@link Adversary.Shaping}). {@link #FULL} is the run's own schedule.
     */
    public record Schedule(long windowNs, Set<Integer> skip) {
        public static final Schedule FULL = new Schedule(Long.MAX_VALUE, Set.of());

        public Schedule {
            if (windowNs <= 0 || skip == null) {
                throw new IllegalArgumentException("windowNs must be > 0 and skip given, got " + windowNs);
            }
            skip = Set.copyOf(new java.util.TreeSet<>(skip));
        }

        Schedule without(int strike) {
            Set<Integer> more = new java.util.TreeSet<>(skip);
            more.add(strike);
            return new Schedule(windowNs, more);
        }

        /** The replay options ({@code --window-ms W --skip-strikes a,b}) for a schedule that is not the full one. */
        String options() {
            return (windowNs == Long.MAX_VALUE ? "" : " --window-ms " + windowNs / 1_000_000)
                    + (skip.isEmpty() ? "" : " --skip-strikes " + new java.util.TreeSet<>(skip).stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(",")));
        }
    }

    /** The window of faults a protocol's runs use: raft-kv 3 s, paxos-kv 1 s, paxos 200 ms. */
    public static long defaultWindowNs(Protocol protocol) {
        return switch (protocol) {
            case RAFT_KV -> RaftKvRun.FAULTS_UNTIL_NS;
            case PAXOS_KV -> 1_000_000_000L;
            case PAXOS -> 200_000_000L;
        };
    }

    /**
     * The end of a hunt.
     *
     * @param finding   the first bug caught, or null
     * @param seedsRun  seeds run (up to and including the finding)
     * @param cancelled whether the hunt was stopped before its budget
     */
    public record Result(Finding finding, int seedsRun, boolean cancelled) {
    }

    /** Called after every seed: the position just run and whether it found the bug. */
    @FunctionalInterface
    public interface Progress {
        void seedDone(int position, long seed, boolean found);
    }

    private Hunt() {
    }

    static String cli(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The seed at {@code position} (1-based) of {@code stream}. */
    public static long seed(long stream, int position) {
        if (stream < 0 || position < 1 || position > 999_999) {
            throw new IllegalArgumentException("need stream >= 0 and position in 1..999999, got " + stream + ", " + position);
        }
        return Math.addExact(Math.multiplyExact(stream, 1_000_000L), position);
    }

    /**
     * Runs up to {@code seeds} seeds of {@code stream} until one catches {@code mutation}; {@code stop} (checked
     * between seeds) ends the hunt early, as cancelled.
     */
    public static Result hunt(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, int seeds, long stream,
                              Progress progress, BooleanSupplier stop) {
        return hunt(protocol, mutation, plan, bias, seeds, stream, 0, progress, stop);
    }

    /** The operations per run of {@code protocol} when none are given: {@link #RAFT_OPS}, {@link #PAXOS_KV_OPS}, 0 for paxos. */
    public static int defaultOps(Protocol protocol) {
        return protocol == Protocol.PAXOS ? 0 : protocol == Protocol.RAFT_KV ? RAFT_OPS : PAXOS_KV_OPS;
    }

    /**
     * As {@link #hunt(Protocol, String, Adversary.Plan, WorkloadBias, int, long, Progress, BooleanSupplier)} with
     * {@code ops} operations per run ({@code 0}: the protocol's {@link #defaultOps}; ignored by paxos, which has
     * none): replays a shrunk finding with the operation count it printed.
     */
    public static Result hunt(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, int seeds, long stream, int ops,
                              Progress progress, BooleanSupplier stop) {
        return hunt(protocol, mutation, plan, bias, seeds, stream, ops, Schedule.FULL, progress, stop);
    }

    /**
     * As {@link #hunt(Protocol, String, Adversary.Plan, WorkloadBias, int, long, int, Progress, BooleanSupplier)} with every
     * run's fault schedule cut to {@code schedule}: replays a finding whose schedule was shrunk.
     */
    public static Result hunt(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, int seeds, long stream, int ops,
                              Schedule schedule, Progress progress, BooleanSupplier stop) {
        return hunt(protocol, mutation, plan, bias, seeds, stream, ops, schedule, true, progress, stop);
    }

    /** As above; {@code shrink} false reports the finding as it was caught (a table of seeds to detection needs no more). */
    public static Result hunt(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, int seeds, long stream, int ops,
                              Schedule schedule, boolean shrink, Progress progress, BooleanSupplier stop) {
        protocol.mutation(mutation); // fail early on a bad name
        if (ops < 0) {
            throw new IllegalArgumentException("ops must be >= 0 (0: the default), got " + ops);
        }
        int n = protocol == Protocol.PAXOS || ops == 0 ? defaultOps(protocol) : ops;
        for (int k = 1; k <= seeds; k++) {
            if (stop.getAsBoolean()) {
                return new Result(null, k - 1, true);
            }
            long seed = seed(stream, k);
            Finding f = run(protocol, mutation, plan, bias, seed, k, n, schedule);
            progress.seedDone(k, seed, f != null);
            if (f != null) {
                return new Result(shrink ? shrink(protocol, mutation, plan, bias, f) : f, k, false);
            }
        }
        return new Result(null, seeds, false);
    }

    /** One seed: the finding if a checker caught something, else null. */
    public static Finding check(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, long seed, int position) {
        return run(protocol, mutation, plan, bias, seed, position, defaultOps(protocol), Schedule.FULL);
    }

    /** One seed with {@code ops} operations (0: the default) and its fault schedule cut to {@code schedule}. */
    public static Finding check(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, long seed, int position, int ops,
                                Schedule schedule) {
        return run(protocol, mutation, plan, bias, seed, position, protocol == Protocol.PAXOS || ops == 0 ? defaultOps(protocol) : ops, schedule);
    }

    /**
     * Shrinks a finding, re-running its seed: first the operation count (halving while the checker still fails; not
     * for paxos), then the fault schedule: (1) each adversarial strike left out in turn, kept out when the run still
     * fails; (2) the window of faults cut to the shortest that still fails among: the last strike's start plus 1/32,
     * 1/16, 1/8, 1/4, 1/2 of the protocol's window (for a schedule without strikes, those fractions of it). Every step is a deterministic re-run of the same seed, so the
     * printed schedule replays ({@link Schedule#options}); it is never larger than the original (a step is kept only if
     * it removes something and the checker still fails).
     */
    static Finding shrink(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, Finding f) {
        Finding best = f;
        if (protocol != Protocol.PAXOS) {
            for (int ops = f.shrunk() / 2; ops >= 10; ops /= 2) {
                Finding g = run(protocol, mutation, plan, bias, f.seed(), f.position(), ops, best.schedule());
                if (g == null) {
                    break;
                }
                best = g;
            }
        }
        int ops = protocol == Protocol.PAXOS ? 0 : best.shrunk();
        for (int index : best.strikes().stream().map(Adversary.Strike::index).toList()) { // (1) each strike left out in turn
            if (best.strikes().size() <= 1) {
                break;
            }
            if (best.strikes().stream().noneMatch(x -> x.index() == index)) {
                continue; // no longer in the schedule (an earlier removal moved the strikes after it)
            }
            Finding g = run(protocol, mutation, plan, bias, f.seed(), f.position(), ops, best.schedule().without(index));
            if (g != null && g.strikes().size() < best.strikes().size()) {
                best = g;
            }
        }
        long full = Math.min(best.schedule().windowNs(), defaultWindowNs(protocol)); // (2) the shortest window that still fails
        java.util.TreeSet<Long> windows = new java.util.TreeSet<>();
        List<Adversary.Strike> log = best.strikes();
        long last = log.isEmpty() ? 0 : log.get(log.size() - 1).atNs();
        for (int d : new int[] {32, 16, 8, 4, 2}) {
            windows.add((last + full / d) / 1_000_000 * 1_000_000); // whole milliseconds, as --window-ms replays them
        }
        for (long w : windows) {
            if (w <= last || w >= full) {
                continue;
            }
            Finding g = run(protocol, mutation, plan, bias, f.seed(), f.position(), ops, new Schedule(w, best.schedule().skip()));
            if (g != null && g.strikes().size() <= best.strikes().size()) {
                best = g;
                break;
            }
        }
        return new Finding(best.position(), best.seed(), best.checker(), best.window(), best.shrunk(), best.replay(), best.schedule(),
                best.strikes(), f.strikes().size(), Math.min(f.schedule().windowNs(), defaultWindowNs(protocol)));
    }

    private static String replay(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, long seed, int ops, Schedule sch) {
        return "./dsw hunt " + protocol.cliName() + " --mutation " + mutation + " --nemesis " + plan.cliName()
                + (bias == WorkloadBias.NORMAL ? "" : " --workload " + bias.cliName()) + " --seed-stream " + seed / 1_000_000
                + " --seeds " + seed % 1_000_000 + (ops == defaultOps(protocol) ? "" : " --ops " + ops) + sch.options();
    }

    private static Finding run(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, long seed, int position, int ops,
                               Schedule sch) {
        Adversary.Shaping shaping = new Adversary.Shaping(sch.skip());
        Finding f = Adversary.shaped(shaping, () -> runShaped(protocol, mutation, plan, bias, seed, position, ops, sch.windowNs(),
                replay(protocol, mutation, plan, bias, seed, ops, sch)));
        return f == null ? null : f.with(sch, shaping.log());
    }

    private static Finding runShaped(Protocol protocol, String mutation, Adversary.Plan plan, WorkloadBias bias, long seed, int position, int ops,
                                     long windowNs, String replay) {
        try {
            switch (protocol) {
                case RAFT_KV -> {
                    Mutation m = (Mutation) protocol.mutation(mutation);
                    KvService.ReadMode mode = m == Mutation.NO_TICK_CATCH_UP ? KvService.ReadMode.LEASE
                            : m != Mutation.NONE ? KvService.ReadMode.LOG
                            : KvService.ReadMode.values()[(int) Math.floorMod(seed, 3L)];
                    // five servers, four of them voters, for conf-change-before-noop (the raft-dev 2015 bug needs a configuration
                    // of four voters and a fifth server to add: see Adversary.Attack.MEMBERSHIP), and for every other six seeds
                    // without a mutation
                    boolean five = m == Mutation.CONF_CHANGE_BEFORE_NOOP || (m == Mutation.NONE && Math.floorMod(seed / 6, 2L) == 1);
                    RaftKvRun.Settings s = RaftKvRun.Settings.retrying(seed, five ? 5 : 3, 4, ops, plan.random(), mode).withMutation(m)
                            .withTraceLevel(Trace.Level.COUNTS).withFaultsUntilNs(Math.min(RaftKvRun.FAULTS_UNTIL_NS, windowNs));
                    // one entry per AppendEntries for naive-counting (batching sends the new leader's no-op with the older
                    // entry, so a majority never holds the old entry alone), and for every other seed pair without a mutation
                    boolean single = m == Mutation.NAIVE_COUNTING || (m == Mutation.NONE && Math.floorMod(seed / 3, 2L) == 1);
                    java.util.function.UnaryOperator<io.github.dsw.raft.RaftConfig.Builder> tune = c -> {
                        RaftConfig.Builder b = single ? c.maxEntriesPerAppend(1) : c;
                        return five ? b.initialVoters(java.util.Set.of(0, 1, 2, 3)) : b;
                    };
                    RaftKvRun.Outcome o = RaftKvRun.run(s, null, plan.attacks(), bias, tune);
                    return verdict(o.verdict(), position, seed, ops, replay);
                }
                case PAXOS_KV -> {
                    MultiPaxosNode.Mutation m = (MultiPaxosNode.Mutation) protocol.mutation(mutation);
                    PaxosKvRun.Settings s = new PaxosKvRun.Settings(seed, 3, 4, ops, plan.random(), Math.min(1_000_000_000L, windowNs), 4, 2, Trace.Level.COUNTS,
                            false, null, m);
                    PaxosKvRun.Outcome o = PaxosKvRun.run(s, null, plan.attacks(), bias);
                    return verdict(o.verdict(), position, seed, ops, replay);
                }
                case PAXOS -> {
                    PaxosNode.Mutation m = (PaxosNode.Mutation) protocol.mutation(mutation);
                    // 5 acceptors (so 5 proposers) and 5 clients for no-backoff, where dueling shows, and for every other
                    // seed without a mutation; 3 and 3 otherwise
                    int n = m == PaxosNode.Mutation.NO_BACKOFF || (m == PaxosNode.Mutation.NONE && Math.floorMod(seed, 2L) == 1) ? 5 : 3;
                    SingleDecreeRun.Outcome o = SingleDecreeRun.run(new SingleDecreeRun.Settings(seed, Quorums.majority(n), n, plan.random(),
                            Math.min(200_000_000L, windowNs), m), plan.attacks());
                    Long first = null;
                    for (Long d : o.decided()) {
                        if (d != null && first != null && !d.equals(first)) {
                            return new Finding(position, seed, "agreement: clients were told different values", java.util.Arrays.toString(o.decided()),
                                    0, replay, Schedule.FULL, List.of(), 0, 0);
                        }
                        first = first == null ? d : first;
                    }
                    if (!o.completed()) {
                        return new Finding(position, seed, "liveness: not every client was told the decision within 2 s after the faults stopped",
                                "decided per client: " + java.util.Arrays.toString(o.decided()), 0, replay, Schedule.FULL, List.of(), 0, 0);
                    }
                    if (o.chosenAt() != null && o.chosenAt().round() > PAXOS_ROUNDS_BOUND) {
                        return new Finding(position, seed, "liveness: proposers kept preempting each other: the value was chosen only in ballot round "
                                + o.chosenAt().round() + " (bound " + PAXOS_ROUNDS_BOUND + ")",
                                "decided per client: " + java.util.Arrays.toString(o.decided()) + ", chosen at ballot " + o.chosenAt(), 0, replay, Schedule.FULL, List.of(), 0, 0);
                    }
                    return null;
                }
                default -> throw new IllegalStateException("unhandled protocol " + protocol);
            }
        } catch (IllegalStateException e) { // an invariant monitor's verdict (InvariantViolation is one)
            return new Finding(position, seed, "invariant", String.valueOf(e.getMessage()), ops, replay, Schedule.FULL, List.of(), 0, 0);
        }
    }

    private static Finding verdict(LinearizabilityChecker.Result v, int position, long seed, int ops, String replay) {
        return v.outcome() == LinearizabilityChecker.Outcome.NOT_LINEARIZABLE
                ? new Finding(position, seed, "linearizability", v.describe(), ops, replay, Schedule.FULL, List.of(), 0, 0) : null;
    }
}
