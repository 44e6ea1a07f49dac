package io.github.dsw.sim;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.SplitMix64;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;

/**
 * A discrete-event simulator for message-passing protocols, in the style of FoundationDB's and
 * TigerBeetle's deterministic simulation: one thread, a virtual clock in nanoseconds, one seeded RNG
 * ({@link SplitMix64}) for every random choice, and an event queue ordered by (time, insertion order).
 * Given the same seed, the same nodes and the same calls, a run is identical event for event, which
 * {@link Trace#hash()} makes checkable.
 *
 * <p>The environment it simulates: a network of {@link LinkModel}s (delay distribution, loss,
 * duplication, reordering) with {@link Partition}s checked at send and at delivery; servers that
 * {@link #crash} (volatile state, unsynced writes, timers and held messages lost) and {@link #restart}
 * (a fresh node object rebuilt from durable storage); {@link #pause} (a GC-like stall: inputs wait,
 * then arrive in a burst); per-node clock offset and drift ({@link #setClock}). Nemeses and workloads
 * drive these through {@link #schedule}.
 *
 * <p>Cost: O(log E) per event for E queued events, plus the node's own work; trace lines are built
 * only when the trace level asks for them.
 *
 * @param <M> the protocol's message type
 */
public final class Simulator<M> {

    // ---------------------------------------------------------------- events

    /** What can happen at a point of virtual time: one record per kind, dispatched by {@link #dispatch}. */
    private sealed interface Event permits Start, Delivery, TimerFire, Synced, Action {
    }

    /** Process {@code node} starts (at time 0, on {@link #addClient}, or after a restart) if still incarnation {@code incarnation}. */
    private record Start(int node, int incarnation) implements Event {
    }

    /** {@code message}, sent by {@code from} at {@code sentNs}, arrives at {@code to}. */
    private record Delivery<M>(int from, int to, M message, long sentNs) implements Event {
    }

    /** Timer {@code timerId} of {@code node}'s incarnation {@code incarnation} fires, unless cancelled. */
    private record TimerFire(int node, long timerId, Object tag, int incarnation) implements Event {
    }

    /** The fsync {@code node} asked for completes: its held writes, messages and outputs are released. */
    private record Synced<M>(int node, Held<M> held, int incarnation) implements Event {
    }

    /** An environment action ({@link #schedule}): a nemesis or workload step. */
    private record Action(Runnable action) implements Event {
    }

    /** An event in the queue, ordered by (time, insertion order). */
    private record Scheduled(long time, long seq, Event event) {
    }

    /** A write that waits for the next fsync. */
    private record Write(String key, Object value) {
    }

    /** A message that waits for the end of its step (and for its fsync, if the step asked for one). */
    private record Send<M>(int to, M message) {
    }

    /** Writes and messages of one step that wait for its fsync. */
    private record Held<M>(List<Write> writes, List<Send<M>> sends, List<Object> outputs) {
    }

    /** Everything the simulator knows about one process. */
    private final class Proc implements Context<M> {
        final int id;
        final boolean server;
        Node<M> node;
        boolean up = true;
        int incarnation;
        long pausedUntil;
        long clockOffsetNs;
        double drift;
        long monoBaseNs; // the monotonic clock's reading at monoBaseAt (virtual time of the last rate change)
        long monoBaseAt;
        final Map<String, Object> durable = new HashMap<>();
        Map<String, Object> view = new HashMap<>();
        List<Write> unsynced = new ArrayList<>();
        final Set<Long> timers = new HashSet<>();
        // effects of the step in progress
        final List<Send<M>> sends = new ArrayList<>();
        final List<Object> outputs = new ArrayList<>();
        boolean syncRequested;
        boolean barrierRequested;
        long durableAt; // when the last fsync this process started completes (virtual time)

        Proc(int id, boolean server, Node<M> node) {
            this.id = id;
            this.server = server;
            this.node = node;
        }

        @Override
        public int self() {
            return id;
        }

        @Override
        public int servers() {
            return config.servers();
        }

        @Override
        public long now() {
            return clockOffsetNs + now + (long) (now * drift);
        }

        @Override
        public long monotonicNow() {
            long elapsed = now - monoBaseAt;
            return monoBaseNs + elapsed + (long) (elapsed * drift);
        }

        @Override
        public SplitMix64 random() {
            return random;
        }

        @Override
        public void send(int to, M message) {
            if (to < 0 || to >= procs.size()) {
                throw new IllegalArgumentException("to must be a process id in 0.." + (procs.size() - 1) + ", got " + to);
            }
            sends.add(new Send<>(to, message));
        }

        @Override
        public long setTimer(long delayNs, Object tag) {
            if (delayNs < 0) {
                throw new IllegalArgumentException("delayNs must be >= 0, got " + delayNs);
            }
            long timerId = ++timerIds;
            timers.add(timerId);
            long realDelay = drift == 0 ? delayNs : (long) (delayNs / (1 + drift));
            push(now + realDelay, new TimerFire(id, timerId, tag, incarnation));
            return timerId;
        }

        @Override
        public void cancelTimer(long timerId) {
            timers.remove(timerId);
        }

        @Override
        public Object read(String key) {
            return view.get(key);
        }

        @Override
        public void write(String key, Object value) {
            if (key == null) {
                throw new IllegalArgumentException("key must not be null");
            }
            view.put(key, value);
            unsynced.add(new Write(key, value));
        }

        @Override
        public void fsync() {
            syncRequested = true;
        }

        @Override
        public void awaitDurable() {
            barrierRequested = true;
        }

        @Override
        public void output(Object event) {
            outputs.add(event);
        }
    }

    private final SimConfig config;
    private final IntFunction<Node<M>> factory;
    private final SplitMix64 random;
    private final Trace trace;
    private final List<Proc> procs = new ArrayList<>();
    private final PriorityQueue<Scheduled> queue = new PriorityQueue<>((a, b) ->
            a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
    private final List<BiConsumer<Integer, Object>> outputListeners = new ArrayList<>();
    private final List<Runnable> afterEvent = new ArrayList<>();
    private final List<ClientDeliveryListener<M>> clientDeliveries = new ArrayList<>();
    private final LinkModel[] serverLinks;
    private Partition partition;
    private long now;
    private long seq;
    private long timerIds;

    /**
     * Creates servers {@code 0 .. config.servers()-1} with {@code factory} (called again on every
     * restart) and queues their start at time 0.
     */
    public Simulator(SimConfig config, IntFunction<Node<M>> factory) {
        this(config, factory, null);
    }

    /**
     * As {@link #Simulator(SimConfig, IntFunction)}, with the trace's lines streamed to {@code lines} as they
     * happen (config's trace level must then be {@link Trace.Level#LINES}); null keeps them in memory.
     */
    public Simulator(SimConfig config, IntFunction<Node<M>> factory, Trace.Sink lines) {
        if (config == null || factory == null) {
            throw new IllegalArgumentException("config and factory must not be null");
        }
        this.config = config;
        this.factory = factory;
        this.random = new SplitMix64(config.seed());
        this.trace = new Trace(config.traceLevel(), config.flights(), lines);
        this.partition = Partition.none(config.servers());
        int n = config.servers();
        this.serverLinks = new LinkModel[n * n];
        java.util.Arrays.fill(serverLinks, config.serverLink());
        for (int i = 0; i < n; i++) {
            procs.add(new Proc(i, true, factory.apply(i)));
            push(0, new Start(i, 0));
        }
    }

    /** Adds a client process (never crashed by nemeses, never partitioned) and returns its id. */
    public int addClient(Node<M> client) {
        if (client == null) {
            throw new IllegalArgumentException("client must not be null");
        }
        int id = procs.size();
        procs.add(new Proc(id, false, client));
        push(now, new Start(id, 0));
        return id;
    }

    /** Calls {@code listener(node, event)} for every {@link Context#output} once it is released. */
    public void onOutput(BiConsumer<Integer, Object> listener) {
        outputListeners.add(listener);
    }

    /** Sees a message a server sent to a client, as the client receives it. */
    @FunctionalInterface
    public interface ClientDeliveryListener<M> {
        void delivered(int server, int client, M message);
    }

    /**
     * Calls {@code listener} for every message from a server that a client receives, just before the client
     * handles it: what a system's users can see of it (answers, redirects), the only view of a run that the
     * leader-aware nemeses of {@link Adversary} get ({@link Observations}). Listening changes nothing in the run.
     */
    public void onClientDelivery(ClientDeliveryListener<M> listener) {
        clientDeliveries.add(listener);
    }

    /**
     * Runs {@code check} after every event: the place for invariants that must hold continuously
     * (TigerBeetle style); it should throw {@link InvariantViolation} (an {@link IllegalStateException}) when one
     * breaks, which the CLI reports as a violated property rather than as a crash.
     */
    public void afterEachEvent(Runnable check) {
        afterEvent.add(check);
    }

    // ---------------------------------------------------------------- running

    /** Current virtual time in nanoseconds. */
    public long now() {
        return now;
    }

    /** Processes the next event; false when the queue is empty. */
    public boolean step() {
        Scheduled s = queue.poll();
        if (s == null) {
            return false;
        }
        now = s.time();
        dispatch(s.event());
        for (Runnable check : afterEvent) {
            check.run();
        }
        return true;
    }

    /** Runs every event up to and including virtual time {@code untilNs}, then sets the clock to it. */
    public void runUntil(long untilNs) {
        runUntil(untilNs, () -> false);
    }

    /** Runs until {@code untilNs}, the queue empties, or {@code stop} (checked after each event) is true. */
    public void runUntil(long untilNs, BooleanSupplier stop) {
        while (!queue.isEmpty() && queue.peek().time() <= untilNs) {
            step();
            if (stop.getAsBoolean()) {
                return;
            }
        }
        // Nothing left before untilNs: let the clock reach it, so that schedule(untilNs + ...) is not in the past.
        if (untilNs > now && (queue.isEmpty() || queue.peek().time() > untilNs)) {
            now = untilNs;
        }
    }

    /** Runs {@code action} at virtual time {@code atNs} (not in the past): the hook for nemeses and workloads. */
    public void schedule(long atNs, Runnable action) {
        if (atNs < now) {
            throw new IllegalArgumentException("atNs must not be in the past: " + atNs + " < now " + now);
        }
        push(atNs, new Action(action));
    }

    // ---------------------------------------------------------------- faults

    /** Crashes server {@code node}: its object, volatile state, unsynced writes and timers are gone. */
    public void crash(int node) {
        Proc p = server(node);
        if (!p.up) {
            return;
        }
        p.up = false;
        p.node = null;
        p.incarnation++;
        p.unsynced = new ArrayList<>();
        p.view = new HashMap<>();
        p.timers.clear();
        p.pausedUntil = 0;
        traceLine("C", node, -1, "");
    }

    /** Restarts a crashed server: a fresh node from the factory, started on its durable state. */
    public void restart(int node) {
        Proc p = server(node);
        if (p.up) {
            return;
        }
        p.up = true;
        p.node = factory.apply(node);
        p.view = new HashMap<>(p.durable);
        traceLine("R", node, -1, "");
        push(now, new Start(node, p.incarnation));
    }

    /**
     * Stalls process {@code node} (a server, or a client: a client's GC pause) for {@code durationNs}: its inputs
     * queue up and arrive when it resumes.
     */
    public void pause(int node, long durationNs) {
        Proc p = process(node);
        if (durationNs < 0) {
            throw new IllegalArgumentException("durationNs must be >= 0, got " + durationNs);
        }
        p.pausedUntil = Math.max(p.pausedUntil, now + durationNs);
        traceLine("F", node, -1, "pause " + durationNs);
    }

    /**
     * Sets process {@code node}'s clock (a server's or a client's) to read {@code virtual * (1 + driftPpm / 1e6) + offsetNs}. Its monotonic clock
     * ({@link Context#monotonicNow}) does not jump: from now on it runs at the new rate.
     */
    public void setClock(int node, long offsetNs, double driftPpm) {
        Proc p = process(node);
        if (!(driftPpm > -1e6) || Double.isInfinite(driftPpm)) {
            throw new IllegalArgumentException("driftPpm must be finite and > -1e6, got " + driftPpm);
        }
        p.monoBaseNs = p.monotonicNow();
        p.monoBaseAt = now;
        p.clockOffsetNs = offsetNs;
        p.drift = driftPpm / 1e6;
        traceLine("F", node, -1, "clock " + offsetNs + " " + driftPpm);
    }

    /** Replaces the current partition ({@link Partition#none} heals). */
    public void setPartition(Partition p) {
        if (p == null || p.nodes() != config.servers()) {
            throw new IllegalArgumentException("partition must cover " + config.servers() + " servers, got " + p);
        }
        partition = p;
        traceLine("F", -1, -1, "partition " + p);
    }

    /** Sets the model of every server-to-server link. */
    public void setServerLinks(LinkModel model) {
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        java.util.Arrays.fill(serverLinks, model);
        traceLine("F", -1, -1, "links " + model);
    }

    /** Sets the model of the directed link {@code from -> to} between two servers. */
    public void setLink(int from, int to, LinkModel model) {
        server(from);
        server(to);
        if (model == null) {
            throw new IllegalArgumentException("model must not be null");
        }
        serverLinks[from * config.servers() + to] = model;
        traceLine("F", from, to, "link " + model);
    }

    // ---------------------------------------------------------------- inspection

    /** The run's RNG, for environment code in this package (nemeses, workloads draw from the same stream). */
    SplitMix64 random() {
        return random;
    }

    public SimConfig config() {
        return config;
    }

    public Trace trace() {
        return trace;
    }

    public Partition partition() {
        return partition;
    }

    public boolean isUp(int node) {
        return server(node).up;
    }

    /** The live node object of a server (null while crashed), for assertions in tests. */
    public Node<M> node(int id) {
        if (id < 0 || id >= procs.size()) {
            throw new IllegalArgumentException("id must be in 0.." + (procs.size() - 1) + ", got " + id);
        }
        return procs.get(id).node;
    }

    /** A copy of what server {@code node} has made durable. */
    public Map<String, Object> durable(int node) {
        return Map.copyOf(server(node).durable);
    }

    /** Number of events still queued. */
    public int pending() {
        return queue.size();
    }

    // ---------------------------------------------------------------- internals

    private Proc process(int node) {
        if (node < 0 || node >= procs.size()) {
            throw new IllegalArgumentException("node must be a process id in 0.." + (procs.size() - 1) + ", got " + node);
        }
        return procs.get(node);
    }

    private Proc server(int node) {
        if (node < 0 || node >= config.servers()) {
            throw new IllegalArgumentException("node must be a server id in 0.." + (config.servers() - 1) + ", got " + node);
        }
        return procs.get(node);
    }

    private void push(long time, Event event) {
        queue.add(new Scheduled(time, seq++, event));
    }

    @SuppressWarnings("unchecked")
    private void dispatch(Event event) {
        switch (event) {
            case Action a -> a.action().run();
            case Start s -> {
                Proc p = procs.get(s.node());
                if (p.up && p.incarnation == s.incarnation()) {
                    traceLine("S", s.node(), -1, "");
                    p.node.start(p);
                    finishStep(p);
                }
            }
            case Delivery<?> d -> deliver((Delivery<M>) d);
            case TimerFire t -> fire(t);
            case Synced<?> s -> {
                Proc p = procs.get(s.node());
                if (p.up && p.incarnation == s.incarnation()) {
                    release(p, (Held<M>) s.held());
                }
            }
        }
    }

    private void fire(TimerFire t) {
        Proc p = procs.get(t.node());
        if (!p.up || p.incarnation != t.incarnation() || !p.timers.contains(t.timerId())) {
            return;
        }
        if (p.pausedUntil > now) {
            push(p.pausedUntil, t);
            return;
        }
        p.timers.remove(t.timerId());
        if (trace.wantsLines()) {
            traceLine("T", t.node(), -1, String.valueOf(t.tag()));
        }
        p.node.timer(p, t.tag());
        finishStep(p);
    }

    private void deliver(Delivery<M> d) {
        Proc p = procs.get(d.to());
        M msg = d.message();
        if (!p.up) {
            drop(d, "down");
            return;
        }
        if (!partition.connected(d.from(), d.to())) {
            drop(d, "partition");
            return;
        }
        if (p.pausedUntil > now) {
            push(p.pausedUntil, d);
            return;
        }
        trace.tally(msg.getClass()).delivered++;
        if (!p.server && d.from() < config.servers()) {
            for (ClientDeliveryListener<M> l : clientDeliveries) {
                l.delivered(d.from(), d.to(), msg);
            }
        }
        if (trace.wantsLines()) {
            traceLine("D", d.from(), d.to(), msg.toString());
        }
        if (trace.wantsFlights()) {
            trace.flight(new Trace.Flight(d.from(), d.to(), d.sentNs(), now, msg.getClass().getSimpleName()));
        }
        p.node.receive(p, d.from(), msg);
        finishStep(p);
    }

    private void drop(Delivery<M> d, String reason) {
        trace.tally(d.message().getClass()).dropped++;
        if (trace.wantsLines()) {
            traceLine("X", d.from(), d.to(), reason + " " + d.message());
        }
        if (trace.wantsFlights()) {
            trace.flight(new Trace.Flight(d.from(), d.to(), d.sentNs(), -1, d.message().getClass().getSimpleName()));
        }
    }

    /** Applies the effects a node produced in one step (see {@link Context} for the order). */
    private void finishStep(Proc p) {
        boolean barrier = p.barrierRequested;
        p.barrierRequested = false;
        if (!p.syncRequested && barrier && p.durableAt > now && (!p.sends.isEmpty() || !p.outputs.isEmpty())) {
            // released by a Synced event at the time the last pending fsync completes (queued after it: same time, later seq)
            Held<M> held = new Held<>(List.of(), new ArrayList<>(p.sends), new ArrayList<>(p.outputs));
            p.sends.clear();
            p.outputs.clear();
            push(p.durableAt, new Synced<>(p.id, held, p.incarnation));
            return;
        }
        if (!p.syncRequested) {
            if (!p.sends.isEmpty() || !p.outputs.isEmpty()) {
                List<Send<M>> sends = new ArrayList<>(p.sends);
                List<Object> outputs = new ArrayList<>(p.outputs);
                p.sends.clear();
                p.outputs.clear();
                release(p, new Held<>(List.of(), sends, outputs));
            }
            return;
        }
        Held<M> held = new Held<>(p.unsynced, new ArrayList<>(p.sends), new ArrayList<>(p.outputs));
        p.unsynced = new ArrayList<>();
        p.sends.clear();
        p.outputs.clear();
        p.syncRequested = false;
        if (config.fsyncNs() == 0) {
            release(p, held);
        } else {
            p.durableAt = now + config.fsyncNs();
            push(p.durableAt, new Synced<>(p.id, held, p.incarnation));
        }
    }

    private void release(Proc p, Held<M> held) {
        for (Write w : held.writes()) {
            p.durable.put(w.key(), w.value());
        }
        for (Send<M> s : held.sends()) {
            transmit(p.id, s.to(), s.message());
        }
        for (Object o : held.outputs()) {
            if (trace.wantsLines()) {
                traceLine("O", p.id, -1, String.valueOf(o));
            }
            for (BiConsumer<Integer, Object> l : outputListeners) {
                l.accept(p.id, o);
            }
        }
    }

    private void transmit(int from, int to, M msg) {
        Trace.Tally tally = trace.tally(msg.getClass());
        tally.sent++;
        int n = config.servers();
        boolean serverLink = from < n && to < n;
        LinkModel link = serverLink ? serverLinks[from * n + to] : config.clientLink();
        if (serverLink && !partition.connected(from, to)) {
            drop(new Delivery<>(from, to, msg, now), "partition");
            return;
        }
        if (random.chance(link.loss())) {
            drop(new Delivery<>(from, to, msg, now), "loss");
            return;
        }
        Delivery<M> delivery = new Delivery<>(from, to, msg, now);
        push(now + delay(link), delivery);
        if (random.chance(link.duplicate())) {
            tally.duplicated++;
            push(now + delay(link), delivery);
        }
    }

    private long delay(LinkModel link) {
        long d = link.latency().sampleNs(random);
        if (link.reorder() > 0 && random.chance(link.reorder())) {
            d += random.nextLong(link.reorderDelayNs() + 1);
        }
        return d;
    }

    private void traceLine(String kind, int a, int b, String text) {
        if (!trace.wantsLines()) {
            return;
        }
        StringBuilder sb = new StringBuilder(32 + text.length());
        sb.append(now).append(' ').append(kind);
        if (a >= 0) {
            sb.append(' ').append(a);
        }
        if (b >= 0) {
            sb.append('>').append(b);
        }
        if (!text.isEmpty()) {
            sb.append(' ').append(text);
        }
        trace.line(sb.toString());
    }
}
