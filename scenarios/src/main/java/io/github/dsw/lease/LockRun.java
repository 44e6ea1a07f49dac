package io.github.dsw.lease;

import io.github.dsw.check.HistoryEvent.Type;
import io.github.dsw.check.LockChecker;
import io.github.dsw.check.LockHistory;
import io.github.dsw.check.LockHistory.Event;
import io.github.dsw.check.LockHistory.Fn;
import io.github.dsw.raft.RaftConfig;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Rng;
import io.github.dsw.runtime.SplitMix64;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import io.github.dsw.sim.Trace;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * One simulated run of a distributed lock guarding a resource, the failure of Kleppmann's "How to do
 * distributed locking" (2016) made reproducible: clients take the lock, check their lease, compute for
 * {@link #WORK_NS}, write to the resource with the token of their grant, hold a little, release. A client
 * that pauses (a GC pause, {@link ClientFault#GC}) or whose clock runs slow ({@link ClientFault#SLOW_CLOCK})
 * during that computation wakes after its lease ran out, when another client already holds the lock, and
 * writes anyway: the check came before the pause. The history ({@link LockHistory}) is judged by
 * {@link LockChecker#mutualExclusion} and {@link LockChecker#fencedWrites}.
 *
 * <p>The lock {@link Variant}s:
 * <ul>
 *   <li>{@code naive}: the seeds' Redis lock, {@code SET key value NX PX ttl} and release with a plain
 *       {@code DEL} that does not check the owner: a holder that outlived its lease deletes the next holder's
 *       lock, and a third client gets it while the second still holds it;</li>
 *   <li>{@code cad}: {@code SET NX PX} with a random value and release by compare-and-delete (the Lua script of
 *       the Redis documentation, "Distributed Locks with Redis");</li>
 *   <li>{@code redlock}: the same on 5 independent instances (Redlock as that page describes it): granted when
 *       a majority answered OK within the ttl, for a validity of {@code ttl - elapsed - drift}; released on all.
 *       Simulated instances keep keys in memory (a crash loses them) and expire them by their wall clock
 *       ({@link Context#now()}, which the {@code skew} nemesis jumps), as Redis does;</li>
 *   <li>{@code service}: the project's {@link LockStore} on 3 Raft servers, fencing token = the grant's log
 *       index, and the resource a {@link FencedResource} that rejects lower tokens;</li>
 *   <li>{@code service-unfenced}: the same lock service, and a resource that does not check tokens.</li>
 * </ul>
 * The Redis variants hand out no token; their history records, as {@code token}, the order in which clients
 * learned of their grants (a number the simulation assigns), so that the fenced-writes checker can see which
 * writes came from a stale holder. Their resource does not check it.
 */
public final class LockRun {

    /** The lock's name and the resource's. */
    public static final String LOCK = "L";
    public static final String RESOURCE = "R";

    /** Lease length: a session's ttl (lock service) and the key's expiry (Redis). */
    public static final long TTL_NS = 300_000_000;
    /** How long a holder computes between checking its lease and writing (where a pause hurts). */
    public static final long WORK_NS = 20_000_000;
    /** How long a holder keeps the lock after its write. */
    public static final long HOLD_NS = 10_000_000;
    /** Pause between a release and the next acquire. */
    public static final long THINK_NS = 15_000_000;
    /** A client's wait for a reply before it sends the request again, and its wait after "busy". */
    public static final long ATTEMPT_NS = 100_000_000;
    public static final long BACKOFF_NS = 10_000_000;
    /** The clock-rate error the clients' lease bound allows for (1%: far above the skew nemesis's 0.1%). */
    public static final double MAX_CLOCK_DRIFT = 0.01;
    /** Rate of a slowed client clock ({@link ClientFault#SLOW_CLOCK}): 1/20 of real time, far outside the 1% drift bound. */
    public static final double SLOW_CLOCK_RATE = 0.05;
    /** Length of a client's GC pause ({@link ClientFault#GC}): twice the lease. */
    public static final long GC_PAUSE_NS = 2 * TTL_NS;
    /** No fault starts after this time; runs end when every client is done or at {@link #HORIZON_NS}. */
    public static final long FAULTS_UNTIL_NS = 3_000_000_000L;
    public static final long FAULT_EVERY_NS = 150_000_000;
    public static final long FAULT_LENGTH_NS = 200_000_000;
    public static final long HORIZON_NS = 30_000_000_000L;
    /** Redlock's instances and the lock service's servers. */
    public static final int REDLOCK_INSTANCES = 5;
    public static final int RAFT_SERVERS = 3;

    /** The lock implementations compared. */
    public enum Variant {
        NAIVE, CAD, REDLOCK, SERVICE, SERVICE_UNFENCED;

        /** As on the command line: {@code naive}, {@code cad}, {@code redlock}, {@code service}, {@code service-unfenced}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether the resource checks tokens. */
        public boolean fenced() {
            return this == SERVICE;
        }

        int servers() {
            return switch (this) {
                case NAIVE, CAD -> 1;
                case REDLOCK -> REDLOCK_INSTANCES;
                case SERVICE, SERVICE_UNFENCED -> RAFT_SERVERS;
            };
        }
    }

    /** Faults of the clients (the {@link Nemesis} strikes servers only). */
    public enum ClientFault {
        /** A random client stops for {@link #GC_PAUSE_NS}: a stop-the-world GC pause, or SIGSTOP. */
        GC,
        /**
         * A random client's clock runs at {@link #SLOW_CLOCK_RATE} of real speed for 4 ttl (1.2 s): every timer it sets
         * meanwhile fires 20 times late, so it computes past its lease while its clock says the lease still runs, and
         * (lock service) its keep-alives stop reaching the service in time. A clock at half speed would not do it here:
         * a 20 ms computation and keep-alives every ttl/3 stay well inside the lease even when they take twice as long.
         */
        SLOW_CLOCK;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * @param seed         simulation seed
     * @param variant      the lock
     * @param clients      client processes (each runs {@code cycles} acquire-write-release cycles)
     * @param cycles       cycles per client
     * @param nemesis      server faults ({@link Nemesis.Kind})
     * @param clientFaults client faults
     */
    public record Settings(long seed, Variant variant, int clients, int cycles, Set<Nemesis.Kind> nemesis, Set<ClientFault> clientFaults) {
        public Settings {
            if (variant == null || clients < 1 || cycles < 1 || nemesis == null || clientFaults == null) {
                throw new IllegalArgumentException("need a variant, clients >= 1, cycles >= 1 and fault sets; got " + variant + ", " + clients + ", " + cycles);
            }
            nemesis = nemesis.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(nemesis));
            clientFaults = clientFaults.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(clientFaults));
        }

        /** The fault list as the command line writes it (sorted, "none" if empty). */
        public String nemesisList() {
            List<String> words = new ArrayList<>();
            nemesis.stream().sorted().forEach(k -> words.add(k.name().toLowerCase(Locale.ROOT)));
            clientFaults.stream().sorted().forEach(f -> words.add(f.cliName()));
            return words.isEmpty() ? "none" : String.join(",", words);
        }

        /** The command line that replays this run. */
        public String replayCommand() {
            return "./dsw simulate lock-service --seed " + seed + " --clients " + clients + " --cycles " + cycles + " --nemesis " + nemesisList()
                    + " --variant " + variant.cliName();
        }
    }

    /**
     * What a run produced: the history, both verdicts, and counts: writes the resource accepted and rejected,
     * and {@code staleAccepted}, accepted writes whose token was below the highest the resource had already
     * accepted (the lost updates: each overwrote a newer holder's write).
     */
    public record Outcome(Settings settings, LockHistory history, LockChecker.Result mutualExclusion, LockChecker.Result fencedWrites,
                          boolean completed, long virtualNs, int grants, int accepted, int rejected, int staleAccepted) {
        public String summary() {
            return String.format(Locale.ROOT, "%s: %d clients x %d cycles, nemesis %s%n"
                            + "%d grants, %d writes accepted (%d with a stale token), %d rejected; simulated %.3f s%s%n%s%s",
                    settings.variant().cliName(), settings.clients(), settings.cycles(), settings.nemesisList(), grants, accepted, staleAccepted,
                    rejected, virtualNs / 1e9, completed ? "" : " (stopped at the time limit)", mutualExclusion.describe(), fencedWrites.describe());
        }
    }

    private LockRun() {
    }

    /**
     * Parses a fault list such as {@code crash,gc}: server kinds ({@link Nemesis.Kind}) and client faults
     * ({@code gc}, {@code slow-clock}); "none" or empty for none.
     *
     * @return the two sets, as {@code [Set<Nemesis.Kind>, Set<ClientFault>]}
     */
    public static Object[] parseNemesis(String list) {
        Set<Nemesis.Kind> kinds = EnumSet.noneOf(Nemesis.Kind.class);
        Set<ClientFault> faults = EnumSet.noneOf(ClientFault.class);
        if (list != null && !list.isBlank() && !list.equals("none")) {
            for (String w : list.split(",")) {
                String word = w.trim().toLowerCase(Locale.ROOT);
                switch (word) {
                    case "gc" -> faults.add(ClientFault.GC);
                    case "slow-clock" -> faults.add(ClientFault.SLOW_CLOCK);
                    default -> {
                        try {
                            kinds.addAll(Nemesis.Kind.parse(word));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException("unknown nemesis '" + word
                                    + "' (allowed: partition, crash, pause, loss, duplicate, reorder, skew for the servers; gc, slow-clock for the clients; none)");
                        }
                    }
                }
            }
        }
        return new Object[] {kinds, faults};
    }

    /** Runs one simulation and judges its history. */
    public static Outcome run(Settings s) {
        return run(s, null);
    }

    /** As {@link #run(Settings)}, streaming the trace's lines to {@code lines} if it is not null. */
    public static Outcome run(Settings s, Trace.Sink lines) {
        return run(s, lines, null);
    }

    /**
     * As {@link #run(Settings, Trace.Sink)}, with the lock service's servers replicating the state machine {@code store}
     * makes (called for every server incarnation: a restarted server starts empty and re-applies the log) instead of
     * {@link LockStore}; null for {@link LockStore} without lock-delay. For the service variants only (the lab grader).
     */
    public static Outcome run(Settings s, Trace.Sink lines, java.util.function.Supplier<? extends io.github.dsw.raft.StateMachine> store) {
        Variant v = s.variant();
        SimConfig config = SimConfig.defaults(s.seed(), v.servers()).withTrace(lines == null ? Trace.Level.HASH : Trace.Level.LINES, false);
        Simulator<Object> sim = new Simulator<>(config, id -> server(v, id, store), lines);
        Recorder rec = new Recorder(sim::now);
        int resource = sim.addClient(new ResourceNode(v.fenced(), rec));
        List<Integer> clientIds = new ArrayList<>();
        List<LockClient> clients = new ArrayList<>();
        for (int i = 0; i < s.clients(); i++) {
            LockClient c = new LockClient(i, v, s.cycles(), resource, rec);
            clients.add(c);
            clientIds.add(sim.addClient(c));
        }
        Nemesis.random(sim, s.nemesis(), 0, FAULTS_UNTIL_NS, FAULT_EVERY_NS, FAULT_LENGTH_NS);
        if (!s.clientFaults().isEmpty()) {
            scheduleClientFaults(sim, new SplitMix64(s.seed() * 0x9E3779B97F4A7C15L + 1), List.copyOf(new java.util.TreeSet<>(s.clientFaults())),
                    clientIds, FAULT_EVERY_NS);
        }
        sim.runUntil(HORIZON_NS, () -> clients.stream().allMatch(LockClient::done));
        LockHistory h = new LockHistory(rec.events);
        boolean completed = clients.stream().allMatch(LockClient::done);
        return new Outcome(s, h, LockChecker.mutualExclusion(h), LockChecker.fencedWrites(h), completed, sim.now(), rec.grants,
                rec.accepted, rec.rejected, rec.staleAccepted);
    }

    private static Node<Object> server(Variant v, int id, java.util.function.Supplier<? extends io.github.dsw.raft.StateMachine> store) {
        if (v != Variant.SERVICE && v != Variant.SERVICE_UNFENCED) {
            return new RedisNode();
        }
        RaftConfig config = RaftConfig.builder(id, RAFT_SERVERS).electionTicks(10, 19).heartbeatTicks(2).build();
        if (store == null) {
            return new Typed<>(LockService.server(config, 10_000_000, 5, 0));
        }
        return new Typed<>(LockService.server(config, 10_000_000, 5, store.get()));
    }

    /**
     * Every other {@code everyNs} until the faults end, one client fault on a random client, drawn from {@code r}
     * (an RNG of its own, seeded from the run's seed, so the server nemesis draws the same faults with or without it).
     */
    private static void scheduleClientFaults(Simulator<Object> sim, Rng r, List<ClientFault> faults, List<Integer> clients, long everyNs) {
        for (long t = everyNs; t <= FAULTS_UNTIL_NS; t += 2 * everyNs) {
            sim.schedule(t, () -> {
                ClientFault f = faults.get(r.nextInt(faults.size()));
                int victim = clients.get(r.nextInt(clients.size()));
                switch (f) {
                    case GC -> sim.pause(victim, GC_PAUSE_NS);
                    case SLOW_CLOCK -> {
                        sim.setClock(victim, 0, (SLOW_CLOCK_RATE - 1) * 1e6); // 1/20 of real speed
                        sim.schedule(sim.now() + 4 * TTL_NS, () -> sim.setClock(victim, 0, 0));
                    }
                }
            });
        }
    }

    // ---------------------------------------------------------------- the history

    /** Records events at the simulation's (real, virtual) time, and counts the resource's decisions. */
    static final class Recorder {
        final LongSupplier now;
        final List<Event> events = new ArrayList<>();
        int grants;
        int accepted;
        int rejected;
        int staleAccepted;
        long highestAccepted = -1;
        long grantOrder; // the Redis variants' stand-in token: order in which clients learned of their grants

        Recorder(LongSupplier now) {
            this.now = now;
        }

        void record(int process, Type type, Fn f, String key, Long token, String value) {
            events.add(new Event(process, type, f, key, token, value, now.getAsLong()));
        }
    }

    // ---------------------------------------------------------------- messages of the Redis variants and the resource

    record SetNx(long requestId, String key, String value, long ttlNs) {
    }

    record Del(long requestId, String key) {
    }

    record CompareDel(long requestId, String key, String value) {
    }

    record RedisReply(long requestId, boolean ok) {
    }

    record Write(long requestId, String key, long token, String value) {
    }

    record WriteReply(long requestId, boolean accepted) {
    }

    /** One Redis instance, as far as locks use it: keys with an expiry by the wall clock, lost in a crash. */
    static final class RedisNode implements Node<Object> {
        private record Entry(String value, long expiresAtNs) {
        }

        private final TreeMap<String, Entry> keys = new TreeMap<>();

        @Override
        public void start(Context<Object> ctx) {
        }

        @Override
        public void receive(Context<Object> ctx, int from, Object message) {
            long now = ctx.now();
            keys.values().removeIf(e -> e.expiresAtNs() <= now);
            switch (message) {
                case SetNx s -> {
                    boolean ok = !keys.containsKey(s.key());
                    if (ok) {
                        keys.put(s.key(), new Entry(s.value(), now + s.ttlNs()));
                    }
                    ctx.send(from, new RedisReply(s.requestId(), ok));
                }
                case Del d -> ctx.send(from, new RedisReply(d.requestId(), keys.remove(d.key()) != null));
                case CompareDel c -> {
                    Entry e = keys.get(c.key());
                    boolean ok = e != null && e.value().equals(c.value());
                    if (ok) {
                        keys.remove(c.key());
                    }
                    ctx.send(from, new RedisReply(c.requestId(), ok));
                }
                default -> throw new IllegalStateException("unexpected message " + message);
            }
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
        }
    }

    /** The resource: a {@link FencedResource} (fenced) or a plain register that accepts every write. */
    static final class ResourceNode implements Node<Object> {
        private final boolean fenced;
        private final Recorder rec;
        private final FencedResource store = new FencedResource();

        ResourceNode(boolean fenced, Recorder rec) {
            this.fenced = fenced;
            this.rec = rec;
        }

        @Override
        public void start(Context<Object> ctx) {
        }

        @Override
        public void receive(Context<Object> ctx, int from, Object message) {
            if (!(message instanceof Write w)) {
                throw new IllegalStateException("unexpected message " + message);
            }
            boolean accepted = fenced ? store.write(w.key(), w.token(), w.value()) : true;
            if (accepted) {
                rec.accepted++;
                if (w.token() < rec.highestAccepted) {
                    rec.staleAccepted++;
                }
                rec.highestAccepted = Math.max(rec.highestAccepted, w.token());
            } else {
                rec.rejected++;
            }
            ctx.send(from, new WriteReply(w.requestId(), accepted));
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
        }
    }

    // ---------------------------------------------------------------- the clients

    /** Send the outstanding request again: {@code timedOut} if no answer came (then to the next server). */
    private record Retry(long requestId, int attempt, boolean timedOut) {
    }

    private record Step(String what, long cycle) {
    }

    private record LeaseCheck(long cycle) {
    }

    private record KeepAliveDue() {
    }

    /**
     * One client: a closed loop of acquire, check the lease, compute, write with the token, hold, release.
     * It honours its lease: if the lease ran out before the write it does not write, and when its lease timer
     * fires while it holds the lock it releases at once; a pause between the check and the write is what it
     * cannot see.
     */
    static final class LockClient implements Node<Object> {
        enum Phase { START, OPENING, ACQUIRING, WORKING, WRITING, HOLDING, RELEASING, THINKING, DONE }

        private final int process;
        private final Variant v;
        private final int cycles;
        private final int resource;
        private final Recorder rec;
        private Phase phase = Phase.START;
        private int cycle;
        private long requestId;
        private long sentMono;
        private int server;
        private int attempt; // the current send of the outstanding request: older Retry timers are stale
        private LockStore.Op outstanding; // the lock service request in flight (resent as is)
        // lock service
        private long session = -1;
        private long kaRequest; // the keep-alive in flight (0: none); numbered apart from the main requests
        private long kaCounter;
        private long kaSentMono;
        private long ackedMono; // when the last acknowledged keep-alive (or the open) was sent: the lease runs from there
        // Redlock
        private int votes;
        private int answers;
        // the grant
        private long token = -1;
        private long leaseEndMono;

        LockClient(int process, Variant v, int cycles, int resource, Recorder rec) {
            this.process = process;
            this.v = v;
            this.cycles = cycles;
            this.resource = resource;
            this.rec = rec;
        }

        boolean done() {
            return phase == Phase.DONE;
        }

        private boolean service() {
            return v == Variant.SERVICE || v == Variant.SERVICE_UNFENCED;
        }

        /** The lease a grant or keep-alive sent at {@code sentMono} gives, by this client's clock. */
        private static long leaseEnd(long sentMono, long ttlNs) {
            return sentMono + (long) (ttlNs * (1 - MAX_CLOCK_DRIFT) / (1 + MAX_CLOCK_DRIFT));
        }

        @Override
        public void start(Context<Object> ctx) {
            if (service()) {
                open(ctx);
                ctx.setTimer(TTL_NS / 3, new KeepAliveDue());
            } else {
                acquire(ctx);
            }
        }

        private void open(Context<Object> ctx) {
            phase = Phase.OPENING;
            session = -1;
            sendService(ctx, ++requestId, new LockStore.Open(requestId, TTL_NS));
        }

        private void sendService(Context<Object> ctx, long id, LockStore.Op op) {
            outstanding = op;
            sentMono = ctx.monotonicNow();
            ctx.send(server, new LockMessage.Request(id, op));
            ctx.setTimer(ATTEMPT_NS, new Retry(id, ++attempt, true));
        }

        private void acquire(Context<Object> ctx) {
            if (cycle >= cycles) {
                phase = Phase.DONE;
                return;
            }
            phase = Phase.ACQUIRING;
            rec.record(process, Type.INVOKE, Fn.ACQUIRE, LOCK, null, null);
            attemptAcquire(ctx);
        }

        private String myValue() {
            return "c" + process + "-" + cycle;
        }

        private void attemptAcquire(Context<Object> ctx) {
            long id = ++requestId;
            sentMono = ctx.monotonicNow();
            switch (v) {
                case NAIVE, CAD -> ctx.send(0, new SetNx(id, LOCK, myValue(), TTL_NS));
                case REDLOCK -> {
                    votes = 0;
                    answers = 0;
                    for (int i = 0; i < REDLOCK_INSTANCES; i++) {
                        ctx.send(i, new SetNx(id, LOCK, myValue(), TTL_NS));
                    }
                }
                case SERVICE, SERVICE_UNFENCED -> {
                    sendService(ctx, id, new LockStore.Acquire(session, LOCK));
                    return;
                }
            }
            ctx.setTimer(ATTEMPT_NS / 2, new Retry(id, ++attempt, true));
        }

        /** The lock is ours with {@code t}, valid until {@code leaseEnd}: check the lease, then compute. */
        private void granted(Context<Object> ctx, long t, long leaseEnd) {
            token = t;
            leaseEndMono = leaseEnd;
            rec.grants++;
            rec.record(process, Type.OK, Fn.ACQUIRE, LOCK, t, null);
            if (ctx.monotonicNow() >= leaseEndMono) {
                release(ctx); // already expired: do not use it
                return;
            }
            phase = Phase.WORKING;
            ctx.setTimer(WORK_NS, new Step("work", cycle));
            ctx.setTimer(Math.max(0, leaseEndMono - ctx.monotonicNow()), new LeaseCheck(cycle));
        }

        private void release(Context<Object> ctx) {
            phase = Phase.RELEASING;
            rec.record(process, Type.INVOKE, Fn.RELEASE, LOCK, token, null);
            long id = ++requestId;
            sentMono = ctx.monotonicNow();
            switch (v) {
                case NAIVE -> ctx.send(0, new Del(id, LOCK));
                case CAD -> ctx.send(0, new CompareDel(id, LOCK, myValue()));
                case REDLOCK -> {
                    for (int i = 0; i < REDLOCK_INSTANCES; i++) {
                        ctx.send(i, new CompareDel(id, LOCK, myValue()));
                    }
                    answers = 0;
                    votes = 0;
                }
                case SERVICE, SERVICE_UNFENCED -> {
                    sendService(ctx, id, new LockStore.Release(session, LOCK, token));
                    return;
                }
            }
            ctx.setTimer(ATTEMPT_NS, new Retry(id, ++attempt, true));
        }

        private void released(Context<Object> ctx, boolean ok) {
            rec.record(process, ok ? Type.OK : Type.FAIL, Fn.RELEASE, LOCK, token, null);
            token = -1;
            cycle++;
            phase = Phase.THINKING;
            ctx.setTimer(THINK_NS, new Step("think", cycle));
        }

        @Override
        public void receive(Context<Object> ctx, int from, Object message) {
            switch (message) {
                case RedisReply r -> onRedis(ctx, r);
                case WriteReply w -> {
                    if (phase == Phase.WRITING && w.requestId() == requestId) {
                        rec.record(process, w.accepted() ? Type.OK : Type.FAIL, Fn.WRITE, RESOURCE, token, myValue());
                        if (ctx.monotonicNow() >= leaseEndMono) {
                            release(ctx);
                        } else {
                            phase = Phase.HOLDING;
                            ctx.setTimer(HOLD_NS, new Step("hold", cycle));
                        }
                    }
                }
                case LockMessage.Reply r -> onServiceReply(ctx, r);
                case LockMessage.Granted g -> {
                    if (phase == Phase.ACQUIRING && g.grant().session() == session) {
                        granted(ctx, g.grant().token(), leaseEnd(ackedMono, TTL_NS));
                    }
                }
                default -> throw new IllegalStateException("unexpected message " + message);
            }
        }

        private void onRedis(Context<Object> ctx, RedisReply r) {
            if (r.requestId() != requestId) {
                return;
            }
            if (phase == Phase.ACQUIRING) {
                if (v != Variant.REDLOCK) {
                    if (r.ok()) {
                        granted(ctx, ++rec.grantOrder, leaseEnd(sentMono, TTL_NS));
                    } else {
                        requestId++; // forget this attempt; try again after a back-off
                        ctx.setTimer(BACKOFF_NS, new Step("retry-acquire", cycle));
                    }
                    return;
                }
                answers++;
                votes += r.ok() ? 1 : 0;
                if (answers == REDLOCK_INSTANCES) {
                    redlockDecide(ctx);
                }
            } else if (phase == Phase.RELEASING) {
                if (v != Variant.REDLOCK) {
                    released(ctx, r.ok());
                    return;
                }
                answers++;
                votes += r.ok() ? 1 : 0;
                if (answers == REDLOCK_INSTANCES) {
                    released(ctx, votes > REDLOCK_INSTANCES / 2);
                }
            }
        }

        /** Redlock's rule: a majority, within the ttl; validity = ttl - elapsed - drift (the Redis page's 1% + 2 ms). */
        private void redlockDecide(Context<Object> ctx) {
            long elapsed = ctx.monotonicNow() - sentMono;
            long validity = TTL_NS - elapsed - (TTL_NS / 100 + 2_000_000);
            long id = requestId;
            requestId++; // late answers to this round are ignored
            if (votes > REDLOCK_INSTANCES / 2 && validity > 0) {
                granted(ctx, ++rec.grantOrder, ctx.monotonicNow() + validity);
            } else {
                for (int i = 0; i < REDLOCK_INSTANCES; i++) {
                    ctx.send(i, new CompareDel(id, LOCK, myValue()));
                }
                ctx.setTimer(BACKOFF_NS, new Step("retry-acquire", cycle));
            }
        }

        private void onServiceReply(Context<Object> ctx, LockMessage.Reply r) {
            if (r.requestId() == kaRequest && kaRequest != 0) {
                kaRequest = 0;
                if (!r.retry() && r.result().ok() && r.result().session() == session) {
                    ackedMono = kaSentMono;
                    if (token >= 0) {
                        leaseEndMono = Math.max(leaseEndMono, leaseEnd(ackedMono, TTL_NS));
                    }
                } else if (!r.retry() && r.result().error() != null) {
                    session = -2; // expired: reopen once the current step allows
                }
                return;
            }
            if (r.requestId() != requestId) {
                return;
            }
            if (r.retry()) {
                // to the leader it names at once; with none known, to the next server after a back-off
                server = r.redirect() >= 0 ? r.redirect() : (server + 1) % RAFT_SERVERS;
                ctx.setTimer(r.redirect() >= 0 ? 0 : BACKOFF_NS, new Retry(requestId, ++attempt, false));
                return;
            }
            LockStore.Result res = r.result();
            switch (phase) {
                case OPENING -> {
                    session = res.session();
                    ackedMono = sentMono;
                    acquire(ctx);
                }
                case ACQUIRING -> {
                    if (!res.ok()) {
                        rec.record(process, Type.FAIL, Fn.ACQUIRE, LOCK, null, null); // refused: the session expired
                        open(ctx); // a new session, then the acquire again
                    } else if (!res.queued()) {
                        granted(ctx, res.token(), leaseEnd(ackedMono, TTL_NS));
                    }
                    // queued: wait for the Granted notice (the Retry timer asks again if it is lost)
                }
                case RELEASING -> released(ctx, res.ok());
                default -> {
                }
            }
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
            switch (tag) {
                case Retry r -> {
                    if (r.requestId() != requestId || r.attempt() != attempt || phase == Phase.DONE) {
                        return;
                    }
                    if (!service()) {
                        if (phase == Phase.ACQUIRING) {
                            if (v == Variant.REDLOCK) {
                                redlockDecide(ctx); // the per-instance timeout: decide with the answers so far
                            } else {
                                attemptAcquire(ctx);
                            }
                        } else if (phase == Phase.RELEASING) {
                            released(ctx, false); // no answer: the key will expire anyway
                        }
                        return;
                    }
                    if (phase == Phase.OPENING || phase == Phase.ACQUIRING || phase == Phase.RELEASING) {
                        if (r.timedOut()) {
                            server = (server + 1) % RAFT_SERVERS; // no answer from this one: try the next
                        }
                        long keepSent = sentMono;
                        sendService(ctx, requestId, outstanding);
                        if (phase == Phase.OPENING) {
                            sentMono = keepSent; // a session's lease runs from its FIRST open sent (the one that may have been applied)
                        }
                    }
                }
                case KeepAliveDue k -> {
                    if (phase == Phase.DONE) {
                        return;
                    }
                    if (session > 0 && kaRequest == 0) {
                        kaRequest = 1_000_000_000L + ++kaCounter;
                        kaSentMono = ctx.monotonicNow();
                        ctx.send(server, new LockMessage.Request(kaRequest, new LockStore.KeepAlive(session)));
                    } else if (session > 0) {
                        kaRequest = 0; // unanswered: try again now, perhaps at another server
                        server = (server + 1) % RAFT_SERVERS;
                    }
                    ctx.setTimer(TTL_NS / 3, k);
                }
                case Step s -> {
                    if (s.cycle() != cycle) {
                        return;
                    }
                    switch (s.what()) {
                        case "work" -> {
                            if (phase != Phase.WORKING) {
                                return;
                            }
                            // No lease check here: the check was made before the computation (as real code does), and
                            // a pause in between is invisible to the client.
                            phase = Phase.WRITING;
                            long id = ++requestId;
                            rec.record(process, Type.INVOKE, Fn.WRITE, RESOURCE, token, myValue());
                            ctx.send(resource, new Write(id, RESOURCE, token, myValue()));
                        }
                        case "hold" -> {
                            if (phase == Phase.HOLDING) {
                                release(ctx);
                            }
                        }
                        case "think" -> {
                            if (phase == Phase.THINKING) {
                                if (service() && session < 0) {
                                    open(ctx);
                                } else {
                                    acquire(ctx);
                                }
                            }
                        }
                        case "retry-acquire" -> {
                            if (phase == Phase.ACQUIRING) {
                                attemptAcquire(ctx);
                            }
                        }
                        default -> throw new IllegalStateException("unknown step " + s.what());
                    }
                }
                case LeaseCheck l -> {
                    if (l.cycle() != cycle || (phase != Phase.WORKING && phase != Phase.HOLDING)) {
                        return;
                    }
                    long left = leaseEndMono - ctx.monotonicNow();
                    if (left > 0) {
                        ctx.setTimer(left, l); // extended by a keep-alive meanwhile
                    } else {
                        release(ctx); // the lease ran out while holding: stop now
                    }
                }
                default -> throw new IllegalStateException("unknown timer " + tag);
            }
        }
    }

    // ---------------------------------------------------------------- adapter

    /** Runs a {@code Node<M>} in a simulator of Objects: the messages it receives are its own type. */
    static final class Typed<M> implements Node<Object> {
        private final Node<M> node;

        Typed(Node<M> node) {
            this.node = node;
        }

        Node<M> node() {
            return node;
        }

        @Override
        public void start(Context<Object> ctx) {
            node.start(narrow(ctx));
        }

        @Override
        @SuppressWarnings("unchecked")
        public void receive(Context<Object> ctx, int from, Object message) {
            node.receive(narrow(ctx), from, (M) message);
        }

        @Override
        public void timer(Context<Object> ctx, Object tag) {
            node.timer(narrow(ctx), tag);
        }

        private Context<M> narrow(Context<Object> ctx) {
            return new Context<>() {
                @Override
                public int self() {
                    return ctx.self();
                }

                @Override
                public int servers() {
                    return ctx.servers();
                }

                @Override
                public long now() {
                    return ctx.now();
                }

                @Override
                public long monotonicNow() {
                    return ctx.monotonicNow();
                }

                @Override
                public Rng random() {
                    return ctx.random();
                }

                @Override
                public void send(int to, M message) {
                    ctx.send(to, message);
                }

                @Override
                public long setTimer(long delayNs, Object tag) {
                    return ctx.setTimer(delayNs, tag);
                }

                @Override
                public void cancelTimer(long timerId) {
                    ctx.cancelTimer(timerId);
                }

                @Override
                public Object read(String key) {
                    return ctx.read(key);
                }

                @Override
                public void write(String key, Object value) {
                    ctx.write(key, value);
                }

                @Override
                public void fsync() {
                    ctx.fsync();
                }

                @Override
                public void output(Object event) {
                    ctx.output(event);
                }
            };
        }
    }

    static String kinds(Set<Nemesis.Kind> k) {
        return k.stream().sorted().map(x -> x.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
    }
}
