package io.github.dsw.raft;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEvent;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.ClientProtocol;
import io.github.dsw.sim.Latency;
import io.github.dsw.sim.LinkModel;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Observations;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import io.github.dsw.sim.Workload;
import io.github.dsw.sim.WorkloadBias;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One simulated run of the Raft key-value store under a workload and a random nemesis, with the
 * Figure 3 invariants checked after every event and the history judged by the
 * {@link LinearizabilityChecker} (key-value model). The shape of {@code sim.register.RegisterRun}.
 *
 * <p>Clients retry (see {@link Workload#withRetries}): an attempt unanswered for
 * {@link #ATTEMPT_NS} goes to the next server, a "not the leader" answer to the leader it names, and an
 * operation gives up (info) only at the {@link #SPEC}'s 500 ms deadline. With
 * {@link Settings#unreliableClients} the client links also lose, duplicate and delay messages
 * ({@link #UNRELIABLE_CLIENT_LINK}), the case that needs the session table's deduplication.
 *
 * <p>With {@link Settings#snapshotEvery} > 0 every server compacts its log (the map and the session
 * table, in the format of {@code KvStore.snapshot}) and lagging servers catch up by InstallSnapshot; each
 * snapshot taken or installed and each state restored from one is compared with
 * {@link KvStore#referenceSnapshot} of the committed prefix ({@link RaftInvariants#checkSnapshotsWith},
 * {@link RaftInvariants#restored}), after every event, in every run that compacts.
 */
public final class RaftKvRun {

    /** Time limit of a run in virtual time (60 s). */
    public static final long HORIZON_NS = 60_000_000_000L;

    /** Default end of the faults: none starts after 3 s of virtual time, and all are healed then. */
    public static final long FAULTS_UNTIL_NS = 3_000_000_000L;

    /** Default fault timing: one starts every 80 ms and lasts 200 ms (so several overlap). */
    public static final long FAULT_EVERY_NS = 80_000_000;
    public static final long FAULT_LENGTH_NS = 200_000_000;

    /** Workload: 3 keys, 50% reads, 30% writes, 20% cas, values 0..4, 500 ms deadline (elections take 100-300 ms), 10 ms think time. */
    public static final Workload.Spec SPEC = new Workload.Spec(0.5, 0.3, 3, 0, 5, 500_000_000, 10_000_000, 0);

    /** A client's attempt timeout (about one election) and its pause when nobody knows a leader (one tick). */
    public static final long ATTEMPT_NS = 100_000_000;
    public static final long BACKOFF_NS = 10_000_000;

    /** Unreliable client links: 0.5 ms, 5% loss, 30% duplicated, 30% held back by up to 300 ms (overtaken by later messages). */
    public static final LinkModel UNRELIABLE_CLIENT_LINK = LinkModel.reliable(new Latency.Constant(500_000))
            .withLoss(0.05).withDuplicate(0.3).withReorder(0.3, 300_000_000);

    /**
     * @param seed              simulation seed
     * @param nodes             servers
     * @param clients           client processes
     * @param ops               operations in total
     * @param nemesis           fault kinds (empty: none)
     * @param readMode          how reads are served
     * @param faultsUntilNs     no fault starts after this virtual time, and all are healed then
     * @param unreliableClients whether client links lose, duplicate and reorder ({@link #UNRELIABLE_CLIENT_LINK})
     * @param retries           whether clients retry the same request id (false: a "not the leader"
     *                          answer is recorded as a failure, the hole the retries close)
     * @param traceLevel        what the trace records
     * @param faultEveryNs      a fault starts every this many nanoseconds of virtual time
     * @param faultLengthNs     and lasts this long
     * @param snapshotEvery     each server compacts its log after this many entries applied since its last
     *                          snapshot (0: never), so lagging servers catch up by InstallSnapshot
     */
    public record Settings(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, KvService.ReadMode readMode,
                           long faultsUntilNs, boolean unreliableClients, boolean retries, Trace.Level traceLevel,
                           long faultEveryNs, long faultLengthNs, int snapshotEvery, Mutation mutation) {
        public Settings {
            if (nodes < 1 || clients < 1 || ops < 0 || nemesis == null || readMode == null) {
                throw new IllegalArgumentException("need nodes >= 1, clients >= 1, ops >= 0, nemesis given; got " + nodes + ", " + clients + ", " + ops);
            }
            if (faultsUntilNs < 0 || traceLevel == null || faultEveryNs <= 0 || faultLengthNs <= 0) {
                throw new IllegalArgumentException("need faultsUntilNs >= 0, a trace level, faultEveryNs > 0 and faultLengthNs > 0, got "
                        + faultsUntilNs + ", " + traceLevel + ", " + faultEveryNs + ", " + faultLengthNs);
            }
            if (snapshotEvery < 0) {
                throw new IllegalArgumentException("snapshotEvery must be >= 0 (0: never), got " + snapshotEvery);
            }
            if (mutation == null) {
                throw new IllegalArgumentException("mutation must not be null (Mutation.NONE for none)");
            }
            nemesis = nemesis.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(nemesis));
        }

        /**
         * The first version's runs: faults for the first 3 s, reliable client links, clients that do NOT
         * retry (a "not the leader" answer is recorded as a failure, which is sound only because reliable
         * client links never deliver a late copy), hashed trace. {@link #retrying} gives the full setting.
         */
        public Settings(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, KvService.ReadMode readMode) {
            this(seed, nodes, clients, ops, nemesis, readMode, FAULTS_UNTIL_NS, false, false, Trace.Level.HASH, FAULT_EVERY_NS, FAULT_LENGTH_NS, 0, Mutation.NONE);
        }

        /** Faults for the first 3 s, reliable client links, clients that retry, hashed trace (the CLI's defaults). */
        public static Settings retrying(long seed, int nodes, int clients, int ops, Set<Nemesis.Kind> nemesis, KvService.ReadMode readMode) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, FAULTS_UNTIL_NS, false, true, Trace.Level.HASH, FAULT_EVERY_NS,
                    FAULT_LENGTH_NS, 0, Mutation.NONE);
        }

        public Settings withFaultsUntilNs(long ns) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, ns, unreliableClients, retries, traceLevel, faultEveryNs,
                    faultLengthNs, snapshotEvery, mutation);
        }

        public Settings withClients(boolean unreliable, boolean retry) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, unreliable, retry, traceLevel, faultEveryNs,
                    faultLengthNs, snapshotEvery, mutation);
        }

        public Settings withTraceLevel(Trace.Level level) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, unreliableClients, retries, level, faultEveryNs,
                    faultLengthNs, snapshotEvery, mutation);
        }

        public Settings withFaultTiming(long everyNs, long lengthNs) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, unreliableClients, retries, traceLevel, everyNs,
                    lengthNs, snapshotEvery, mutation);
        }

        /** The same run with a deliberate bug ({@link Mutation#NONE}: none). */
        public Settings withMutation(Mutation m) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, unreliableClients, retries, traceLevel, faultEveryNs,
                    faultLengthNs, snapshotEvery, m);
        }

        /** The same run with log compaction every {@code every} applied entries (0: never). */
        public Settings withSnapshotEvery(int every) {
            return new Settings(seed, nodes, clients, ops, nemesis, readMode, faultsUntilNs, unreliableClients, retries, traceLevel, faultEveryNs,
                    faultLengthNs, every, mutation);
        }

        /**
         * The command line that replays this run exactly ({@code ./dsw simulate raft-kv ...}), given that
         * its times are whole milliseconds, as the command line's are; the trace level is not part of it.
         */
        public String replayCommand() {
            String kinds = nemesis.isEmpty() ? "none" : nemesis.stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(","));
            return "./dsw simulate raft-kv --seed " + seed + " --nodes " + nodes + " --clients " + clients + " --ops " + ops
                    + " --nemesis " + kinds + " --read-mode " + readMode.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + " --faults-until-ms " + faultsUntilNs / 1_000_000
                    + (faultEveryNs == FAULT_EVERY_NS && faultLengthNs == FAULT_LENGTH_NS ? ""
                            : " --fault-every-ms " + faultEveryNs / 1_000_000 + " --fault-length-ms " + faultLengthNs / 1_000_000)
                    + (unreliableClients ? " --unreliable-clients" : "") + (retries ? "" : " --no-retries")
                    + (snapshotEvery == 0 ? "" : " --snapshot-every " + snapshotEvery)
                    + (mutation == Mutation.NONE ? "" : " --mutation " + mutation.cliName());
        }
    }

    /** What a run produced. */
    public record Outcome(History history, LinearizabilityChecker.Result verdict, boolean completed, long virtualNs,
                          long committed, long traceHash, Trace trace, long[] latenciesNs, long p50Ns, long p99Ns, long maxTerm,
                          long duplicateCommits, long snapshotsInstalled, long snapshotsChecked) {

        /** A summary in the shape of the simulation chapter's (as {@code PaxosKvRun.Outcome#summary}). */
        public String summary() {
            var c = history.counts();
            return String.format(Locale.ROOT, "ops: %d invoked, %d ok, %d fail, %d info%s%n"
                            + "latency (virtual time, ok ops): p50 %.3f ms, p99 %.3f ms%n"
                            + "simulated %.3f s, %d messages delivered, %d entries committed (%d duplicate requests deduplicated), last term %d%n"
                            + "%s"
                            + "verdict: %s%n",
                    c.get(HistoryEvent.Type.INVOKE), c.get(HistoryEvent.Type.OK), c.get(HistoryEvent.Type.FAIL), c.get(HistoryEvent.Type.INFO),
                    completed ? "" : " (stopped at the time limit)", p50Ns / 1e6, p99Ns / 1e6, virtualNs / 1e9, trace.delivered(),
                    committed, duplicateCommits, maxTerm,
                    snapshotsChecked == 0 ? "" : String.format(Locale.ROOT, "snapshots: %d installed from a leader, %d snapshots and restored states checked against the committed prefix%n",
                            snapshotsInstalled, snapshotsChecked),
                    verdict.describe());
        }
    }

    private RaftKvRun() {
    }

    /** Runs the simulation and checks its history; an invariant violation throws IllegalStateException. */
    public static Outcome run(Settings s) {
        return run(s, null);
    }

    /** As {@link #run(Settings)}, streaming the trace's lines to {@code lines} (trace level LINES) as they happen. */
    public static Outcome run(Settings s, Trace.Sink lines) {
        return run(s, lines, Set.of(), WorkloadBias.NORMAL);
    }

    /** The longest election timeout of these runs (19 ticks of 10 ms): what {@link Adversary.Attack#PAUSE_LEADER} outlasts. */
    public static final long ELECTION_TIMEOUT_MAX_NS = 190_000_000;

    /**
     * As {@link #run(Settings, Trace.Sink)}, with leader-aware {@code attacks} ({@link Adversary}) besides the
     * settings' random nemesis, until the settings' {@code faultsUntilNs}, and the workload reshaped by
     * {@code bias}. The attacks see only what the clients see: a server that answers ok claims to lead and
     * has acknowledged; a redirect names the leader. With no attacks and {@link WorkloadBias#NORMAL} this is
     * exactly {@link #run(Settings, Trace.Sink)}.
     */
    public static Outcome run(Settings s, Trace.Sink lines, Set<Adversary.Attack> attacks, WorkloadBias bias) {
        return run(s, lines, attacks, bias, UnaryOperator.identity());
    }

    /**
     * As {@link #run(Settings, Trace.Sink, Set, WorkloadBias)}, with each server's {@link RaftConfig} adjusted by
     * {@code tune} after the run's own settings (a hunt sets {@code maxEntriesPerAppend(1)} for
     * {@link Mutation#NAIVE_COUNTING}: with batching, the leader's no-op always travels with the older entry).
     * Besides client replies, the attacks see each server's leadership claim the moment its status turns to
     * leader (as {@code ./dsw cluster status} shows it on a real cluster) and each entry it outputs as applied.
     */
    public static Outcome run(Settings s, Trace.Sink lines, Set<Adversary.Attack> attacks, WorkloadBias bias, UnaryOperator<RaftConfig.Builder> tune) {
        return run(s, lines, attacks, bias, tune, () -> RaftRules.REFERENCE);
    }

    /**
     * As {@link #run(Settings)} with each server incarnation's {@link RaftRules} from {@code rules} (a student's part
     * in the Raft labs; {@code () -> RaftRules.REFERENCE} is exactly {@link #run(Settings)}).
     */
    public static Outcome runWithRules(Settings s, Supplier<RaftRules> rules) {
        return run(s, null, Set.of(), WorkloadBias.NORMAL, UnaryOperator.identity(), rules);
    }

    private static Outcome run(Settings s, Trace.Sink lines, Set<Adversary.Attack> attacks, WorkloadBias bias,
                               UnaryOperator<RaftConfig.Builder> tune, Supplier<RaftRules> rules) {
        SimConfig config = SimConfig.defaults(s.seed(), s.nodes()).withTrace(s.traceLevel(), false);
        if (s.unreliableClients()) {
            config = config.withClientLink(UNRELIABLE_CLIENT_LINK);
        }
        Simulator<KvMessage> sim = new Simulator<>(config,
                id -> KvService.server(tune.apply(RaftConfig.builder(id, s.nodes()).electionTicks(10, 19).heartbeatTicks(2).mutation(s.mutation()))
                                .rules(rules.get()).build(),
                        10_000_000, s.readMode(),
                        s.snapshotEvery()),
                lines);
        RaftInvariants invariants = watch(sim, s.nodes());
        long[] maxTerm = new long[1];
        Map<RaftNode, Long> installed = new IdentityHashMap<>(); // per incarnation: its count dies with it
        sim.afterEachEvent(() -> {
            for (int i = 0; i < s.nodes(); i++) {
                RaftHost<KvStore, KvMessage> srv = (RaftHost<KvStore, KvMessage>) sim.node(i);
                RaftNode raft = srv == null ? null : srv.raft();
                if (raft != null) {
                    maxTerm[0] = Math.max(maxTerm[0], raft.currentTerm());
                    if (raft.status().snapshotsInstalled() > 0) {
                        installed.put(raft, raft.status().snapshotsInstalled());
                    }
                }
            }
        });
        Workload<KvMessage> workload = new Workload<>(bias.apply(SPEC), new Client(), s.ops());
        if (s.retries()) {
            workload = workload.withRetries(ATTEMPT_NS, BACKOFF_NS);
        }
        workload.attach(sim, s.clients());
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), s.faultEveryNs(), s.faultLengthNs());
        Observations seen = new Observations();
        if (bias == WorkloadBias.LEADER_READS) { // reads right after each observed leader change (not the first election)
            workload.readsAfter(() -> seen.leaderChanges() >= 2 ? seen.leaderSinceNs() : -1,
                    WorkloadBias.LEADER_READS_WINDOW_TIMEOUTS * ELECTION_TIMEOUT_MAX_NS);
        }
        if (!attacks.isEmpty() || bias == WorkloadBias.LEADER_READS) {
            sim.onClientDelivery((server, client, message) -> {
                if (message instanceof KvMessage.Reply r) {
                    if (r.ok()) {
                        seen.leader(server, sim.now());
                        seen.acknowledged(server);
                    } else if (r.redirect() >= 0 && r.redirect() < s.nodes()) {
                        seen.leader(r.redirect(), sim.now());
                    }
                }
            });
            boolean[] leading = new boolean[s.nodes()];
            sim.afterEachEvent(() -> { // status claims: a server whose role just turned to leader says so
                for (int i = 0; i < s.nodes(); i++) {
                    RaftHost<KvStore, KvMessage> srv = (RaftHost<KvStore, KvMessage>) sim.node(i);
                    boolean l = srv != null && sim.isUp(i) && srv.raft() != null && srv.raft().role() == RaftNode.Role.LEADER;
                    if (l && !leading[i]) {
                        seen.claims(i, sim.now());
                    }
                    leading[i] = l;
                }
            });
            sim.onOutput((node, event) -> {
                if (event instanceof RaftHost.Applied) {
                    seen.committed(node);
                }
            });
            Adversary.Admin admin = null;
            if (attacks.contains(Adversary.Attack.MEMBERSHIP) && s.nodes() >= 5) {
                AdminClient a = new AdminClient(Membership.of(tune.apply(RaftConfig.builder(0, s.nodes())).build().initialVoters()));
                sim.addClient(a);
                sim.onOutput(a::output);
                admin = a;
            }
            Adversary.schedule(sim, attacks, seen, Adversary.Timing.forElectionTimeout(ELECTION_TIMEOUT_MAX_NS), 0, s.faultsUntilNs(), admin);
        }
        Workload<KvMessage> w = workload;
        sim.runUntil(HORIZON_NS, w::done);
        History h = w.history();
        return new Outcome(h, new LinearizabilityChecker().checkKv(h), w.done(), sim.now(), invariants.committedCount(),
                sim.trace().hash(), sim.trace(), w.latenciesNs(), w.latencyQuantileNs(0.5), w.latencyQuantileNs(0.99), maxTerm[0],
                duplicateCommits(invariants), installed.values().stream().mapToLong(Long::longValue).sum(), invariants.snapshotsChecked());
    }

    /** Committed entries whose (client, request id) was committed before: copies the session table must ignore. */
    /**
     * Checks the Figure 3 invariants of a simulated cluster of {@code nodes} key-value servers ({@link KvService#server}) after
     * every event, with every entry applied and every state restored from a snapshot, and every snapshot
     * against the encoding of the committed prefix ({@link KvStore#referenceSnapshot}). Returns the
     * checker (committed entries, counts).
     */
    static RaftInvariants watch(Simulator<KvMessage> sim, int nodes) {
        RaftInvariants invariants = new RaftInvariants();
        invariants.checkSnapshotsWith(KvStore::referenceSnapshot);
        sim.afterEachEvent(() -> {
            List<RaftNode> rafts = new ArrayList<>(nodes);
            for (int i = 0; i < nodes; i++) {
                RaftHost<KvStore, KvMessage> srv = (RaftHost<KvStore, KvMessage>) sim.node(i);
                rafts.add(srv == null ? null : srv.raft());
            }
            invariants.check(rafts);
        });
        sim.onOutput((node, event) -> {
            if (event instanceof RaftHost.Applied a) {
                invariants.applied(node, a.index(), a.entry());
            } else if (event instanceof RaftHost.Restored r) {
                invariants.restored(node, r.meta(), r.state());
            }
        });
        return invariants;
    }

    static long duplicateCommits(RaftInvariants invariants) {
        Set<List<Long>> seen = new HashSet<>();
        long duplicates = 0;
        for (long i = 1; i <= invariants.committedCount(); i++) {
            if (invariants.committedAt(i).command() instanceof KvStore.Command c && !seen.add(List.of((long) c.client(), c.requestId()))) {
                duplicates++;
            }
        }
        return duplicates;
    }

    /**
     * The cluster's administrator for {@link Adversary.Attack#MEMBERSHIP}: a client process that sends
     * {@link KvMessage.Admin} requests to the server the nemesis names and learns the committed configuration from the
     * configuration entries the servers output as applied (what an operator of a real cluster sees).
     */
    static final class AdminClient implements io.github.dsw.runtime.Node<KvMessage>, Adversary.Admin {
        private record Send(int to, KvMessage message) {
        }

        private io.github.dsw.runtime.Context<KvMessage> ctx;
        private long nextId = 1;
        private final Map<Long, java.util.function.Consumer<Boolean>> waiting = new java.util.HashMap<>();
        private Membership committed;
        private long committedIndex;

        AdminClient(Membership initial) {
            this.committed = initial;
        }

        void output(int node, Object event) {
            if (event instanceof RaftHost.Applied a && a.index() > committedIndex && a.entry().command() instanceof ConfChange c) {
                committed = committed.apply(c);
                committedIndex = a.index();
            }
        }

        @Override
        public Set<Integer> voters() {
            return committed.voters();
        }

        @Override
        public Set<Integer> learners() {
            return committed.learners();
        }

        @Override
        public void request(int at, Adversary.Admin.Change change, int node, java.util.function.Consumer<Boolean> answer) {
            if (ctx == null) {
                return; // not started yet: no answer
            }
            long id = nextId++;
            waiting.put(id, answer);
            ctx.setTimer(0, new Send(at, new KvMessage.Admin(id, new ConfChange(ConfChange.Type.valueOf(change.name()), node))));
        }

        @Override
        public void start(io.github.dsw.runtime.Context<KvMessage> c) {
            this.ctx = c;
        }

        @Override
        public void receive(io.github.dsw.runtime.Context<KvMessage> c, int from, KvMessage message) {
            if (message instanceof KvMessage.Reply r && !r.retry()) {
                java.util.function.Consumer<Boolean> answer = waiting.remove(r.requestId());
                if (answer != null) {
                    answer.accept(r.ok());
                }
            }
        }

        @Override
        public void timer(io.github.dsw.runtime.Context<KvMessage> c, Object tag) {
            Send send = (Send) tag;
            c.send(send.to(), send.message());
        }
    }

    /** Client side: "not served here" answers become RETRY (with the leader hint), the rest is definite. */
    static final class Client implements ClientProtocol<KvMessage> {
        @Override
        public KvMessage request(long requestId, Fn f, String key, Object value) {
            return new KvMessage.Request(requestId, f, key, value);
        }

        @Override
        public KvMessage request(long requestId, long firstUnansweredId, Fn f, String key, Object value) {
            return new KvMessage.Request(requestId, f, key, value, firstUnansweredId);
        }

        @Override
        public Reply reply(KvMessage message) {
            if (!(message instanceof KvMessage.Reply r)) {
                return null;
            }
            Status status = r.retry() ? Status.RETRY : r.ok() ? Status.OK : Status.FAIL;
            return new Reply(r.requestId(), status, r.value(), r.redirect());
        }
    }
}
