package io.github.dsw.commit;

import io.github.dsw.check.AtomicCommitChecker;
import io.github.dsw.check.AtomicCommitChecker.Violation;
import io.github.dsw.check.Timeline;
import io.github.dsw.commit.CommitMessage.Begin;
import io.github.dsw.commit.CommitMessage.Work;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Fault;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Partition;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One simulated run of an atomic-commit protocol: a client runs {@code transactions} transactions one
 * after another ({@link #TX_GAP_NS} apart: Work to every RM and the coordinator, then Begin to RM 0), a
 * fault schedule strikes, and the {@link AtomicCommitChecker} judges agreement and validity after every
 * event and termination at the end. The fault schedule is a list of {@link Episode}s drawn from the
 * seed (or given), so that a violating schedule can be shrunk to the episodes it needs ({@link #shrink}).
 *
 * <p>Counting mode (no faults, constant 1 ms links, fsync 0): the run also yields the numbers of Gray
 * and Lamport's table, counted by the simulator: messages sent between processes (client messages
 * excluded), forced writes, and message delays = (time the last RM decides - time RM 0 got Begin) / 1 ms.
 */
public final class CommitRun {

    /** The protocols, by command-line name. */
    public enum Protocol {
        TWO_PC("2pc"), THREE_PC("3pc"), PAXOS_COMMIT("paxos-commit"), FASTER_PAXOS_COMMIT("faster-paxos-commit");

        public final String cliName;

        Protocol(String cliName) {
            this.cliName = cliName;
        }

        public static Protocol parse(String name) {
            for (Protocol p : values()) {
                if (p.cliName.equals(name)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown protocol '" + name + "' (allowed: 2pc, 3pc, paxos-commit, faster-paxos-commit)");
        }

        boolean paxos() {
            return this == PAXOS_COMMIT || this == FASTER_PAXOS_COMMIT;
        }
    }

    /** Time between the starts of two transactions. */
    public static final long TX_GAP_NS = 10_000_000;

    /** The client's Begin follows its Work messages by this long (client links: 0.5 ms constant). */
    static final long BEGIN_AFTER_NS = 1_000_000;

    /** A fault schedule strikes every this long ... */
    public static final long FAULT_EVERY_NS = 15_000_000;

    /** ... and each fault lasts this long. */
    public static final long FAULT_LENGTH_NS = 40_000_000;

    /**
     * A run ends early once every RM has decided, but not before this long after the schedule's last step: enough for
     * a restarted, in-doubt RM to time out and run a recovery ballot (Paxos Commit's RM timeout, 40-60 ms, plus one or
     * two ballots), whose outcome the checker must see.
     */
    static final long AFTER_LAST_FAULT_NS = 150_000_000;

    /** After the faults are healed, the run gives the protocol this long to terminate. */
    public static final long SETTLE_NS = 3_000_000_000L;

    /** One fault and, unless it is permanent, the step that undoes it. */
    public record Episode(Nemesis.Step start, Nemesis.Step end) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.3f ms %s%s", start.atNs() / 1e6, describe(start.fault()),
                    end == null ? " (for good)" : String.format(Locale.ROOT, " until %.3f ms", end.atNs() / 1e6));
        }

        static String describe(Fault f) {
            return switch (f) {
                case Fault.Crash c -> "crash process " + c.node();
                case Fault.Cut c -> "partition " + c.partition();
                case Fault.Pause p -> "pause process " + p.node();
                case Fault.Links l -> "links " + l.model();
                case Fault.Clock c -> "clock of process " + c.node() + " " + c.offsetNs() + " ns " + c.driftPpm() + " ppm";
                default -> f.toString();
            };
        }
    }

    /**
     * Run settings.
     *
     * @param protocol      the protocol
     * @param participants  N
     * @param faults        F (Paxos Commit's acceptor faults; 0 otherwise)
     * @param colocated     coordinator and acceptors on RMs' processes
     * @param transactions  number of transactions
     * @param nemesis       fault kinds for the random schedule
     * @param seed          seed of the network, the schedule and the votes
     * @param latency       one-way delay of server links
     * @param fsyncNs       time of one fsync
     * @param noPerMillion  probability, in millionths, that an RM wants to abort a transaction
     * @param crashStop     crashed processes never restart (3PC's failure model)
     * @param script        a given fault schedule (null: draw one from {@code nemesis} and the seed)
     * @param traceLevel    what the trace keeps
     * @param flights       record every message's flight (space-time diagrams)
     * @param concurrentPrepare RM 0 sends BeginCommit before forcing its prepared record, so that it prepares
     *                      concurrently with the other RMs (2PC, Paxos Commit, Faster Paxos Commit; ignored by 3PC)
     * @param only          the transactions the client runs, each at its usual start time (null: all of 0..transactions-1);
     *                      {@link #minimal} drops the ones a violation does not need
     */
    public record Settings(Protocol protocol, int participants, int faults, boolean colocated, int transactions,
                           Set<Nemesis.Kind> nemesis, long seed, Latency latency, long fsyncNs, int noPerMillion,
                           boolean crashStop, List<Episode> script, Trace.Level traceLevel, boolean flights,
                           boolean concurrentPrepare, List<Long> only) {
        /** Settings with RM 0 preparing before it sends BeginCommit (the paper's normal case). */
        public Settings(Protocol protocol, int participants, int faults, boolean colocated, int transactions, Set<Nemesis.Kind> nemesis,
                        long seed, Latency latency, long fsyncNs, int noPerMillion, boolean crashStop, List<Episode> script,
                        Trace.Level traceLevel, boolean flights) {
            this(protocol, participants, faults, colocated, transactions, nemesis, seed, latency, fsyncNs, noPerMillion, crashStop, script,
                    traceLevel, flights, false, null);
        }

        public Settings {
            if (protocol == null || nemesis == null || latency == null || traceLevel == null) {
                throw new IllegalArgumentException("protocol, nemesis, latency and traceLevel must not be null");
            }
            if (transactions < 1 || transactions > 100_000) {
                throw new IllegalArgumentException("transactions must be in 1..100000, got " + transactions);
            }
            if (!protocol.paxos() && faults != 0) {
                throw new IllegalArgumentException(protocol.cliName + " has no acceptors: faults must be 0, got " + faults);
            }
            nemesis = Set.copyOf(nemesis);
            script = script == null ? null : List.copyOf(script);
            if (only != null) {
                if (only.isEmpty()) {
                    throw new IllegalArgumentException("only: at least one transaction, got none");
                }
                for (long t : only) {
                    if (t < 0 || t >= transactions) {
                        throw new IllegalArgumentException("only: transaction " + t + " is not in 0.." + (transactions - 1));
                    }
                }
                only = List.copyOf(new java.util.TreeSet<>(only));
            }
        }

        /** A failure-free single transaction for the counts: constant 1 ms links, fsync 0, every RM votes yes. */
        public static Settings counting(Protocol protocol, int participants, int faults, boolean colocated) {
            return new Settings(protocol, participants, faults, colocated, 1, Set.of(), 1, new Latency.Constant(1_000_000), 0, 0,
                    false, null, Trace.Level.COUNTS, false, false, null);
        }

        /** A randomised run: log-normal links (median 1 ms), fsync 0.1 ms, 10% of RMs want to abort each transaction. */
        public static Settings random(Protocol protocol, int participants, int faults, int transactions, Set<Nemesis.Kind> nemesis,
                                      long seed) {
            return new Settings(protocol, participants, faults, false, transactions, nemesis, seed,
                    new Latency.LogNormal(1_000_000, 0.3), 100_000, 100_000, protocol == Protocol.THREE_PC, null, Trace.Level.COUNTS,
                    false, false, null);
        }

        public Settings withScript(List<Episode> episodes) {
            return new Settings(protocol, participants, faults, colocated, transactions, nemesis, seed, latency, fsyncNs, noPerMillion,
                    crashStop, episodes, traceLevel, flights, concurrentPrepare, only);
        }

        public Settings withColocated(boolean c) {
            return new Settings(protocol, participants, faults, c, transactions, nemesis, seed, latency, fsyncNs, noPerMillion,
                    crashStop, script, traceLevel, flights, concurrentPrepare, only);
        }

        public Settings withLatency(Latency l, long fsync) {
            return new Settings(protocol, participants, faults, colocated, transactions, nemesis, seed, l, fsync, noPerMillion,
                    crashStop, script, traceLevel, flights, concurrentPrepare, only);
        }

        public Settings withVotes(int noPerMillionRms) {
            return new Settings(protocol, participants, faults, colocated, transactions, nemesis, seed, latency, fsyncNs, noPerMillionRms,
                    crashStop, script, traceLevel, flights, concurrentPrepare, only);
        }

        public Settings withCrashStop(boolean cs) {
            return new Settings(protocol, participants, faults, colocated, transactions, nemesis, seed, latency, fsyncNs, noPerMillion,
                    cs, script, traceLevel, flights, concurrentPrepare, only);
        }

        public Settings withTrace(Trace.Level level, boolean recordFlights) {
            return new Settings(protocol, participants, faults, colocated, transactions, nemesis, seed, latency, fsyncNs, noPerMillion,
                    crashStop, script, level, recordFlights, concurrentPrepare, only);
        }

        public Settings withConcurrentPrepare(boolean c) {
            return new Settings(protocol, participants, faults, colocated, transactions, nemesis, seed, latency, fsyncNs, noPerMillion,
                    crashStop, script, traceLevel, flights, c, only);
        }

        /** Only transactions {@code txs} run (each at its usual start time). */
        public Settings withOnly(List<Long> txs) {
            return new Settings(protocol, participants, faults, colocated, transactions, nemesis, seed, latency, fsyncNs, noPerMillion,
                    crashStop, script, traceLevel, flights, concurrentPrepare, txs);
        }

        /** The transactions the client runs. */
        public List<Long> transactionsRun() {
            if (only != null) {
                return only;
            }
            List<Long> all = new ArrayList<>();
            for (long t = 0; t < transactions; t++) {
                all.add(t);
            }
            return all;
        }

        /** Where the roles live. */
        public Layout layout() {
            return protocol.paxos() ? Layout.paxos(participants, faults, colocated) : Layout.coordinated(participants, colocated);
        }

        /** The end of the fault period: faults start while transactions run and stop after the last one. */
        public long faultsUntilNs() {
            return transactions * TX_GAP_NS + 2 * FAULT_LENGTH_NS;
        }
    }

    /**
     * What a run produced.
     *
     * @param violations     agreement, validity and termination violations (empty: the run is correct)
     * @param messages       messages sent between processes (client messages excluded), all transactions
     * @param forcedWrites   forced (stable-storage) writes, all transactions
     * @param lastDecisionNs per transaction, when its last RM decided (-1 if not every RM did)
     * @param beganNs        per transaction, when RM 0 received Begin
     * @param commits        transactions committed
     * @param aborts         transactions aborted
     * @param schedule       the fault schedule that ran
     * @param trace          the simulator's trace
     * @param checker        the checker, for per-RM decision times
     * @param endNs          virtual time at the end
     * @param votedNs        per transaction and RM, when the RM reported its vote (-1 if it never voted)
     * @param layout         where the roles lived
     */
    public record Outcome(List<Violation> violations, long messages, long forcedWrites, long[] lastDecisionNs, long[] beganNs,
                          int commits, int aborts, List<Episode> schedule, Trace trace, AtomicCommitChecker checker, long endNs,
                          long[][] votedNs, Layout layout) {

        public boolean ok() {
            return violations.isEmpty();
        }

        /** Message delays of transaction {@code tx}, in units of {@code linkNs}: a whole number with constant links. */
        public double messageDelays(int tx, long linkNs) {
            return (lastDecisionNs[tx] - beganNs[tx]) / (double) linkNs;
        }
    }

    private CommitRun() {
    }

    /** Runs once. */
    public static Outcome run(Settings s) {
        Layout layout = s.layout();
        VotePlan plan = new VotePlan(s.seed(), s.noPerMillion());
        long[] writes = new long[1];
        IntFunction<Node<CommitMessage>> factory = id -> new ForcedWrites<>(switch (s.protocol()) {
            case TWO_PC -> new TwoPhaseCommitNode(layout, plan, s.concurrentPrepare(), id);
            case THREE_PC -> new ThreePhaseCommitNode(layout, plan, id);
            case PAXOS_COMMIT -> new PaxosCommitNode(layout, plan, false, s.concurrentPrepare(), id);
            case FASTER_PAXOS_COMMIT -> new PaxosCommitNode(layout, plan, true, s.concurrentPrepare(), id);
        }, writes);
        SimConfig config = new SimConfig(s.seed(), layout.processes(), LinkModel.reliable(s.latency()),
                LinkModel.reliable(new Latency.Constant(500_000)), s.fsyncNs(), s.traceLevel(), s.flights());
        Simulator<CommitMessage> sim = new Simulator<>(config, factory);
        AtomicCommitChecker checker = new AtomicCommitChecker(s.participants());
        long[][] voted = new long[s.transactions()][s.participants()];
        for (long[] row : voted) {
            java.util.Arrays.fill(row, -1);
        }
        sim.onOutput((node, event) -> {
            switch (event) {
                case CommitEvent.Voted v -> {
                    if (v.tx() >= 0 && v.tx() < voted.length && v.rm() >= 0 && v.rm() < s.participants() && voted[(int) v.tx()][v.rm()] < 0) {
                        voted[(int) v.tx()][v.rm()] = sim.now();
                    }
                    checker.vote(v.tx(), v.rm(), v.yes());
                }
                case CommitEvent.Decided d -> checker.decide(d.tx(), d.rm(), d.commit(), sim.now());
                default -> {
                }
            }
        });
        long[] began = new long[s.transactions()];
        List<Long> txs = s.transactionsRun();
        sim.addClient(new Client(layout, txs, began));
        List<Episode> schedule = s.script() != null ? s.script() : schedule(s, layout);
        List<Nemesis.Step> steps = new ArrayList<>();
        for (Episode e : schedule) {
            steps.add(e.start());
            if (e.end() != null) {
                steps.add(e.end());
            }
        }
        Nemesis.scripted(sim, steps); // every episode undoes itself, except crash-stop crashes: no global heal needed
        long horizon = s.faultsUntilNs() + SETTLE_NS;
        long lastFault = 0; // every RM decided is not the end while a fault may still undo a decision: a restarted RM in
        for (Nemesis.Step st : steps) { // doubt recovers, and a lost vote shows only in what that recovery chooses
            long end = st.fault() instanceof Fault.Pause p ? st.atNs() + p.durationNs() : st.atNs();
            lastFault = Math.max(lastFault, end);
        }
        long[] nextCheck = {Math.max(txs.get(txs.size() - 1) * TX_GAP_NS, schedule.isEmpty() ? 0 : lastFault + AFTER_LAST_FAULT_NS)};
        sim.runUntil(horizon, () -> {
            if (!checker.violations().isEmpty()) {
                return true;
            }
            if (sim.now() < nextCheck[0]) {
                return false;
            }
            nextCheck[0] = sim.now() + 1_000_000; // everyone decided? asked once per simulated millisecond
            return checker.allDecided(txs, rm -> sim.isUp(layout.rm(rm)));
        });
        List<Violation> violations = new ArrayList<>(checker.violations());
        if (violations.isEmpty()) {
            // termination: crash-recovery runs are healed, so every RM must decide; crash-stop runs, every live RM
            violations.addAll(checker.termination(txs, rm -> sim.isUp(layout.rm(rm))));
        }
        long[] last = new long[s.transactions()];
        int commits = 0;
        int aborts = 0;
        for (int t = 0; t < s.transactions(); t++) {
            long max = -1;
            for (int rm = 0; rm < s.participants(); rm++) {
                long d = checker.decidedNs(t, rm);
                if (d < 0) {
                    max = -1;
                    break;
                }
                max = Math.max(max, d);
            }
            last[t] = max;
            Boolean o = checker.outcome(t);
            if (o != null) {
                if (o) {
                    commits++;
                } else {
                    aborts++;
                }
            }
        }
        long messages = 0;
        for (Map.Entry<String, Trace.Counts> e : sim.trace().messageCounts().entrySet()) {
            if (!e.getKey().equals("Work") && !e.getKey().equals("Begin")) {
                messages += e.getValue().sent();
            }
        }
        return new Outcome(violations, messages, writes[0], last, began, commits, aborts, schedule, sim.trace(), checker, sim.now(), voted,
                layout);
    }

    /** A random fault schedule from the settings' kinds and seed (a stream of its own: the network's is untouched). */
    static List<Episode> schedule(Settings s, Layout layout) {
        List<Episode> out = new ArrayList<>();
        if (s.nemesis().isEmpty()) {
            return out;
        }
        List<Nemesis.Kind> kinds = new ArrayList<>(s.nemesis());
        kinds.sort(null);
        SplitMix64 r = new SplitMix64(s.seed() * 0x9E3779B97F4A7C15L + 0x5DEECE66DL);
        int n = layout.processes();
        LinkModel base = LinkModel.reliable(s.latency());
        int crashedForGood = 0;
        for (long t = FAULT_EVERY_NS / 2 + r.nextLong(FAULT_EVERY_NS); t + FAULT_LENGTH_NS < s.faultsUntilNs(); t += FAULT_EVERY_NS) {
            Nemesis.Kind kind = kinds.get(r.nextInt(kinds.size()));
            long end = t + FAULT_LENGTH_NS;
            switch (kind) {
                case CRASH -> {
                    int victim = r.nextInt(n);
                    if (s.crashStop()) {
                        if (crashedForGood + 1 < layout.participants()) { // leave one RM to decide
                            crashedForGood++;
                            out.add(new Episode(new Nemesis.Step(t, new Fault.Crash(victim)), null));
                        }
                    } else {
                        out.add(new Episode(new Nemesis.Step(t, new Fault.Crash(victim)), new Nemesis.Step(end, new Fault.Restart(victim))));
                    }
                }
                case PARTITION -> {
                    List<Integer> a = new ArrayList<>();
                    List<Integer> b = new ArrayList<>();
                    for (int p = 0; p < n; p++) {
                        (r.nextInt(2) == 0 ? a : b).add(p);
                    }
                    out.add(new Episode(new Nemesis.Step(t, new Fault.Cut(Partition.split(n, List.of(a, b)))),
                            new Nemesis.Step(end, new Fault.Heal())));
                }
                case PAUSE -> out.add(new Episode(new Nemesis.Step(t, new Fault.Pause(r.nextInt(n), FAULT_LENGTH_NS)), null));
                case LOSS -> out.add(new Episode(new Nemesis.Step(t, new Fault.Links(base.withLoss(0.2))),
                        new Nemesis.Step(end, new Fault.Links(base))));
                case DUPLICATE -> out.add(new Episode(new Nemesis.Step(t, new Fault.Links(base.withDuplicate(0.2))),
                        new Nemesis.Step(end, new Fault.Links(base))));
                case REORDER -> out.add(new Episode(new Nemesis.Step(t, new Fault.Links(base.withReorder(0.3, 10_000_000))),
                        new Nemesis.Step(end, new Fault.Links(base))));
                case SKEW -> {
                    int node = r.nextInt(n);
                    out.add(new Episode(new Nemesis.Step(t, new Fault.Clock(node, r.nextLong(2 * FAULT_LENGTH_NS + 1) - FAULT_LENGTH_NS,
                            r.nextInt(2001) - 1000)), new Nemesis.Step(end, new Fault.Clock(node, 0, 0))));
                }
                default -> throw new IllegalStateException("unhandled kind " + kind);
            }
        }
        return out;
    }

    /**
     * Shrinks a violating run's schedule: drops one episode at a time, keeping the drop whenever the run with the same
     * seed still violates a safety property (agreement or validity), or the same property. The result is a locally
     * minimal schedule: removing any one remaining episode makes the violation disappear.
     */
    public static List<Episode> shrink(Settings s, Outcome violating) {
        String property = violating.violations().get(0).property();
        List<Episode> current = new ArrayList<>(violating.schedule());
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = current.size() - 1; i >= 0; i--) {
                List<Episode> fewer = new ArrayList<>(current);
                fewer.remove(i);
                Outcome o = run(s.withScript(fewer));
                if (!o.ok() && o.violations().get(0).property().equals(property)) {
                    current = fewer;
                    progress = true;
                }
            }
        }
        return current;
    }

    /**
     * Shrinks a violating run to a locally minimal window: alternately drops fault episodes ({@link #shrink}) and
     * transactions, one at a time, each deletion re-run with the same seed and kept only if the run still violates the
     * same property, until neither kind of deletion succeeds. The kept transactions keep their start times (the schedule
     * refers to times), so removing any one more episode or transaction of the result makes the violation disappear.
     * Returns the settings of the shrunk run ({@code script} and {@code only} set).
     */
    public static Settings minimal(Settings s, Outcome violating) {
        String property = violating.violations().get(0).property();
        Settings current = s.withScript(violating.schedule()).withOnly(s.transactionsRun());
        boolean progress = true;
        while (progress) {
            progress = false;
            Outcome now = run(current);
            if (now.ok() || !now.violations().get(0).property().equals(property)) {
                throw new IllegalStateException("the shrunk run no longer violates " + property + ": " + current);
            }
            List<Episode> fewer = shrink(current, now);
            if (fewer.size() < current.script().size()) {
                current = current.withScript(fewer);
                progress = true;
            }
            List<Long> txs = new ArrayList<>(current.transactionsRun());
            for (int i = txs.size() - 1; i >= 0 && txs.size() > 1; i--) {
                List<Long> less = new ArrayList<>(txs);
                less.remove(i);
                Outcome o = run(current.withOnly(less));
                if (!o.ok() && o.violations().get(0).property().equals(property)) {
                    txs = less;
                    current = current.withOnly(less);
                    progress = true;
                }
            }
        }
        return current;
    }

    /**
     * The window of a violation drawn as chapter 5 draws a non-linearizable window ({@link Timeline}): one row per
     * fault episode of the run's schedule (give it a shrunk run, so that every row is needed), the violating
     * transaction's Begin at RM 0, and one row per RM from its vote to its decision (an arrow if it never decided),
     * labelled with the vote and the decision, so that the commit and the abort that disagree stand side by side.
     */
    public static String window(Outcome o, Violation v) {
        return window(o, v, List.of());
    }

    /**
     * As {@link #window(Outcome, Violation)}, with one more bar per transaction of {@code others} (the other transactions
     * a {@link #minimal} run kept: those the violation needs), from its Begin to its last RM's decision.
     */
    public static String window(Outcome o, Violation v, List<Long> others) {
        int tx = (int) v.tx();
        Layout layout = o.layout();
        List<Timeline.Bar> bars = new ArrayList<>();
        for (Episode e : o.schedule()) {
            Fault f = e.start().fault();
            String label = switch (f) {
                case Fault.Crash c -> "crash " + role(layout, c.node()) + (e.end() == null ? " (for good)" : "");
                case Fault.Pause p -> "pause " + role(layout, p.node());
                case Fault.Cut c -> "partition " + sides(layout, c.partition());
                case Fault.Clock c -> "clock skew at " + role(layout, c.node());
                default -> Episode.describe(f);
            };
            long end = e.end() != null ? e.end().atNs() : f instanceof Fault.Pause p ? e.start().atNs() + p.durationNs() : -1;
            bars.add(new Timeline.Bar(label, e.start().atNs(), end, end < 0));
        }
        for (long k : others) {
            if (k != tx && k >= 0 && k < o.beganNs().length) {
                Boolean d = o.checker().outcome(k);
                long last = o.lastDecisionNs()[(int) k];
                String label = "tx " + k + ": Begin to " + (d == null || last < 0 ? "undecided" : d ? "all COMMIT" : "all ABORT");
                bars.add(last < 0 ? new Timeline.Bar(label, o.beganNs()[(int) k], o.beganNs()[(int) k], true)
                        : new Timeline.Bar(label, o.beganNs()[(int) k], last, false));
            }
        }
        if (tx >= 0 && tx < o.beganNs().length) {
            bars.add(new Timeline.Bar("tx " + tx + ": Begin at RM 0", o.beganNs()[tx], o.beganNs()[tx], false));
        }
        for (int rm = 0; rm < layout.participants(); rm++) {
            long votedAt = tx < o.votedNs().length ? o.votedNs()[tx][rm] : -1;
            Boolean d = o.checker().decision(tx, rm);
            String vote = votedAt < 0 ? "did not vote" : o.checker().votedYes(tx, rm) ? "voted yes" : "voted no";
            String label = "RM " + rm + " " + vote + ", " + (d == null ? "undecided" : d ? "COMMIT" : "ABORT");
            long from = votedAt >= 0 ? votedAt : o.beganNs()[tx];
            bars.add(d == null ? new Timeline.Bar(label, from, from, true) : new Timeline.Bar(label, from, o.checker().decidedNs(tx, rm), false));
        }
        return Timeline.renderBars(bars);
    }

    /** Process {@code p} named by the roles it hosts: {@code RM 1}, {@code TM}, {@code RM 0+TM}, {@code acceptor 2}. */
    static String role(Layout layout, int p) {
        List<String> roles = new ArrayList<>();
        if (layout.rmAt(p) >= 0) {
            roles.add("RM " + layout.rmAt(p));
        }
        if (layout.isCoordinator(p)) {
            roles.add(layout.acceptors() ? "leader" : "TM");
        }
        if (layout.acceptorAt(p) >= 0) {
            roles.add("acceptor " + layout.acceptorAt(p));
        }
        return roles.isEmpty() ? "process " + p : String.join("+", roles);
    }

    private static String sides(Layout layout, Partition cut) {
        List<List<String>> groups = new ArrayList<>();
        List<Integer> reps = new ArrayList<>();
        for (int p = 0; p < layout.processes(); p++) {
            int g = -1;
            for (int i = 0; i < reps.size() && g < 0; i++) {
                if (cut.connected(reps.get(i), p) && cut.connected(p, reps.get(i))) {
                    g = i;
                }
            }
            if (g < 0) {
                reps.add(p);
                groups.add(new ArrayList<>());
                g = reps.size() - 1;
            }
            groups.get(g).add(role(layout, p));
        }
        return groups.stream().map(l -> "{" + String.join(", ", l) + "}").reduce((a, b) -> a + " | " + b).orElse("");
    }

    /** The client: transaction k starts at k * TX_GAP_NS with Work everywhere, then Begin to RM 0. */
    private static final class Client implements Node<CommitMessage> {
        private record StartTx(long tx) {
        }

        private record BeginTx(long tx) {
        }

        private final Layout layout;
        private final List<Long> transactions;
        private final long[] began;

        Client(Layout layout, List<Long> transactions, long[] began) {
            this.layout = layout;
            this.transactions = transactions;
            this.began = began;
        }

        @Override
        public void start(Context<CommitMessage> ctx) {
            for (long t : transactions) {
                ctx.setTimer(t * TX_GAP_NS, new StartTx(t));
            }
        }

        @Override
        public void receive(Context<CommitMessage> ctx, int from, CommitMessage message) {
            // RMs report through outputs, not to the client
        }

        @Override
        public void timer(Context<CommitMessage> ctx, Object tag) {
            switch (tag) {
                case StartTx s -> {
                    for (int r = 0; r < layout.participants(); r++) {
                        ctx.send(layout.rm(r), new Work(s.tx()));
                    }
                    if (layout.rmAt(layout.coordinator()) < 0) {
                        ctx.send(layout.coordinator(), new Work(s.tx()));
                    }
                    ctx.setTimer(BEGIN_AFTER_NS, new BeginTx(s.tx()));
                }
                case BeginTx b -> {
                    began[(int) b.tx()] = ctx.now() + 500_000; // arrival at RM 0 over the constant 0.5 ms client link
                    ctx.send(layout.rm(0), new Begin(b.tx()));
                }
                default -> throw new IllegalStateException("unknown timer " + tag);
            }
        }
    }
}
