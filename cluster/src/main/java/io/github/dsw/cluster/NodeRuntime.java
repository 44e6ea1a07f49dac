package io.github.dsw.cluster;

import io.github.dsw.runtime.Codec;
import io.github.dsw.runtime.CodecException;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.runtime.Rng;
import io.github.dsw.runtime.SplitMix64;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One pure {@link Node} run as a real process: TCP to its peers and clients, a {@link Storage} on disk,
 * timers on {@link System#nanoTime}. The node's code is exactly the one the simulator runs; this class is
 * its environment, as {@code io.github.dsw.sim.Simulator} is in the simulation.
 *
 * <p><b>Threads.</b> One event-loop thread owns the node, its timers, its storage and its sockets' reads: it takes
 * one input at a time (a message, a timer, an admin command) and runs the node's step on it, so the node never sees
 * two threads. A turn of the loop takes the timers that are due, the events other threads queued (up to
 * {@value #BATCH}), and everything the ready connections sent (a {@link Selector} over every inbound connection,
 * peers' and clients': {@link LoopIo}), steps them, and at the turn's end writes each peer's and each client's
 * messages of the turn in one non-blocking write; when there is nothing to do it waits in the selector until a
 * socket, a timer or another thread's event (an admin command, an in-process client) needs it. No message changes
 * threads on its way in or out, which on a machine with few cores costs more than the I/O itself (chapter 8,
 * section 8.8). Around it, {@link IoThreads} do only the blocking work: one acceptor (and a short-lived thread per
 * new connection for its hellos, and per admin connection), and one thread per peer that dials it, again with
 * backoff after a failure, and writes what the socket did not take at once when it takes more (a bounded queue per
 * peer: when it is full a message is dropped and counted, as a congested network drops; Raft retransmits). A slow
 * or stopped peer or client never blocks the loop: what a client's socket does not take waits for the selector.
 *
 * <p><b>The step contract</b> ({@link Context}): at the end of each step the storage appends the step's
 * writes; if the step called {@code fsync}, its messages leave only after the writes are forced
 * ({@link FsyncPolicy#EVERY}: now; {@link FsyncPolicy#GROUP}: after the batch of steps already waiting,
 * with one force for all of them). {@link FsyncPolicy#NONE} sends at once (unsafe).
 *
 * <p><b>Peers.</b> A message a node sends to itself goes through its own event queue (no socket). Each node dials every other node and uses that connection only to send; what it
 * receives comes on the connections its peers dialled. A link that loses its connection discards what
 * it holds (counted), backs off (10 ms doubling to 500 ms) and dials again. The first frame names the
 * protocol, the role and the sender ({@link Frames.Hello}); a node refuses, with one line in its log, a
 * connection that speaks another protocol or claims an impossible id.
 *
 * <p><b>Faults for the harness.</b> An admin connection can set drop rules ({@code block 2,3}: every
 * message to or from those servers is dropped, counted; {@code unblock}), which is how the fault harness
 * partitions a cluster without root privileges; clients are never blocked. {@code clock JUMP_NS RATE} moves the
 * node's own clock (its monotonic time jumps forward by JUMP_NS, then runs at RATE; timers follow it): the
 * harness's clock-jump fault, without root.
 *
 * @param <M> the protocol's message type
 */
public final class NodeRuntime<M> implements AutoCloseable {

    /** Where and how this node runs. {@code id} is 0-based (the CLI's {@code --id 1} is 0 here). */
    public record Settings(String protocol, int id, List<InetSocketAddress> peers, FsyncPolicy policy, long seed, int queueCapacity) {
        public Settings {
            if (peers == null || id < 0 || id >= peers.size()) {
                throw new IllegalArgumentException("id must be in 0.." + (peers == null ? "?" : peers.size() - 1) + ", got " + id);
            }
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be >= 1, got " + queueCapacity);
            }
            peers = List.copyOf(peers);
        }
    }

    /** Counters of what the transport did, for status lines and tests. */
    public static final class Counters {
        public final AtomicLong framesIn = new AtomicLong();
        public final AtomicLong framesOut = new AtomicLong();
        public final AtomicLong corruptFrames = new AtomicLong();
        public final AtomicLong brokenStreams = new AtomicLong();
        public final AtomicLong undecodable = new AtomicLong();
        public final AtomicLong queueDrops = new AtomicLong();
        public final AtomicLong disconnectDrops = new AtomicLong();
        public final AtomicLong partitionDrops = new AtomicLong();
        public final AtomicLong connects = new AtomicLong();
        public final AtomicLong rejected = new AtomicLong();
        public final AtomicLong steps = new AtomicLong();

        @Override
        public String toString() {
            return "frames in " + framesIn + ", out " + framesOut + "; dropped: corrupt " + corruptFrames + ", undecodable " + undecodable
                    + ", queue full " + queueDrops + ", disconnected " + disconnectDrops + ", partitioned " + partitionDrops
                    + "; broken streams " + brokenStreams + ", refused connections " + rejected + ", connects " + connects
                    + ", steps " + steps;
        }
    }

    private sealed interface Event {
    }

    private record Deliver(int from, Object message) implements Event {
    }

    private record AdminCall(String command, CompletableFuture<String> reply) implements Event {
    }

    private record TimerEntry(long deadline, long id, Object tag) {
    }

    private record Out(int to, Object message) {
    }

    /** A message to client {@code to} on a connection that carries several clients ({@link Frames#MUX}). */
    private record MuxOut(int to, Object message) {
    }

    private static final long MAX_BACKOFF_NS = 500_000_000L;
    private static final int BATCH = 64;

    private final Settings settings;
    private final Node<M> node;
    private final Codec<M> codec;
    private final Storage storage;
    private final Function<Node<M>, String> status;
    private final Consumer<String> log;
    private final Consumer<Throwable> onFatal;
    private final Counters counters = new Counters();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>(100_000);
    private final Map<Integer, InboundConn> clients = new ConcurrentHashMap<>();
    private final Map<Integer, Consumer<Object>> localClients = new ConcurrentHashMap<>();
    private final List<Outbound> peerLinks = new ArrayList<>();
    /** Owned by the loop thread: the peer links sent to in this turn, written at its end ({@link Outbound#flushFromLoop}). */
    private final List<Outbound> peerTurn = new ArrayList<>();
    private final List<Socket> inbound = new ArrayList<>();
    private volatile Set<Integer> blocked = Set.of();
    private volatile boolean running;
    private ServerSocket server;
    private Thread loop;
    private LoopIo loopIo;

    // owned by the loop thread
    private final PriorityQueue<TimerEntry> timers = new PriorityQueue<>((a, b) -> a.deadline() != b.deadline()
            ? Long.compare(a.deadline(), b.deadline()) : Long.compare(a.id(), b.id()));
    private final Set<Long> liveTimers = new java.util.HashSet<>();
    private long timerSeq;
    private final StepContext ctx;
    private final List<Out> held = new ArrayList<>();
    private boolean groupSync;
    /** A client connection got output in this turn of the loop: write them all at its end ({@link LoopIo#writeTurn}). */
    private boolean clientOutput;

    /**
     * @param status  a one-line description of the node's state (run on the loop thread, for {@code status})
     * @param log     where log lines go (stderr in a node process)
     * @param onFatal called if the node throws (an invariant broken): the process should stop
     */
    public NodeRuntime(Settings settings, Node<M> node, Codec<M> codec, Storage storage, Function<Node<M>, String> status, Consumer<String> log,
                       Consumer<Throwable> onFatal) {
        this.settings = settings;
        this.node = node;
        this.codec = codec;
        this.storage = storage;
        this.status = status;
        this.log = log;
        this.onFatal = onFatal;
        this.ctx = new StepContext(new SplitMix64(settings.seed()));
    }

    /**
     * Binds this node's address and starts its threads.
     *
     * @throws java.net.BindException the port is in use or the address is not local
     */
    public void start() throws IOException {
        InetSocketAddress me = settings.peers().get(settings.id());
        ServerSocket s = ServerSocketChannel.open().socket(); // accepted sockets have channels: clients go to the selector
        s.setReuseAddress(true);
        try {
            s.bind(me, 128);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        server = s;
        running = true;
        loopIo = new LoopIo(Selector.open());
        for (int i = 0; i < settings.peers().size(); i++) {
            Outbound link = i == settings.id() ? null : Outbound.dialling(this, i, settings.peers().get(i));
            peerLinks.add(link);
        }
        loop = Thread.ofPlatform().name("node-" + (settings.id() + 1) + "-loop").start(this::runLoop);
        IoThreads.start("node-" + (settings.id() + 1) + "-accept", this::acceptLoop);
    }

    /**
     * An in-process client (an application embedded in this server's process, as jgroups-raft's clients call
     * {@code RaftHandle} on the leader): {@code message} is queued for the node as if it had come from client
     * {@code clientId} (at least the number of servers, unique) on a connection, and the node's messages to that
     * client go to {@code answers}, called on the event-loop thread (it must not block). No socket, frame or
     * codec on the client's side: what such a client saves is exactly the client's TCP round trip.
     */
    @SuppressWarnings("unchecked")
    public void submitLocal(int clientId, M message, Consumer<? super M> answers) {
        if (clientId < settings.peers().size()) {
            throw new IllegalArgumentException("client id " + clientId + " must be >= " + settings.peers().size());
        }
        localClients.put(clientId, (Consumer<Object>) answers);
        if (!events.offer(new Deliver(clientId, message))) {
            counters.queueDrops.incrementAndGet();
        }
        loopIo.wake();
    }

    /** The address this node listens on. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public Counters counters() {
        return counters;
    }

    /** Stops the threads, closes the sockets and the storage (a clean stop: everything appended is forced). */
    @Override
    public void close() {
        running = false;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        for (Outbound o : peerLinks) {
            if (o != null) {
                o.close();
            }
        }
        clients.values().forEach(InboundConn::close);
        if (loopIo != null) {
            loopIo.close();
        }
        synchronized (inbound) {
            for (Socket s : inbound) {
                closeQuietly(s);
            }
        }
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        storage.close();
    }

    // ---------------------------------------------------------------- event loop

    private void runLoop() {
        try {
            step(() -> node.start(ctx));
            flushGroup();
            flushPeers();
            while (running) {
                int batch = 0;
                long now = System.nanoTime();
                TimerEntry t;
                while (batch < BATCH && (t = timers.peek()) != null && t.deadline() <= now) {
                    timers.poll();
                    if (liveTimers.remove(t.id())) {
                        Object tag = t.tag();
                        step(() -> node.timer(ctx, tag));
                        batch++;
                    }
                }
                Event e;
                while (batch < BATCH && (e = events.poll()) != null) {
                    handle(e);
                    batch++;
                }
                // the sockets: waits for them (or a timer, or an event from another thread) only when idle
                long wait = batch > 0 ? 0 : timers.isEmpty() ? 100_000_000L : Math.max(0, timers.peek().deadline() - now);
                loopIo.poll(wait);
                flushGroup();
                flushPeers();
                if (clientOutput) {
                    clientOutput = false;
                    loopIo.writeTurn(); // this turn's replies, each connection's in one non-blocking write
                }
            }
        } catch (Throwable t) {
            if (running) {
                log.accept("node " + (settings.id() + 1) + " stopped by an error in its step: " + t);
                onFatal.accept(t);
            }
        } finally {
            loopIo.closeAll();
        }
    }

    @SuppressWarnings("unchecked")
    private void handle(Event e) {
        switch (e) {
            case Deliver d -> deliver(d.from(), (M) d.message());
            case AdminCall a -> {
                try {
                    a.reply().complete(admin(a.command()));
                } catch (RuntimeException ex) {
                    a.reply().complete("error: " + ex.getMessage());
                }
            }
        }
    }

    /** Steps message {@code m} from {@code from} (a server's: dropped and counted if a partition rule blocks it). */
    private void deliver(int from, M m) {
        if (from < settings.peers().size() && blocked.contains(from)) {
            counters.partitionDrops.incrementAndGet();
            return;
        }
        step(() -> node.receive(ctx, from, m));
    }

    private String admin(String command) {
        String c = command.trim();
        if (c.equals("status")) {
            return status.apply(node) + "\nstorage: " + storage.describe() + "\ntransport: " + counters + "\nblocked: " + blockedNames();
        }
        if (c.startsWith("clock ")) {
            return setClock(c.substring(6));
        }
        if (c.equals("unblock")) {
            blocked = Set.of();
            return "ok";
        }
        if (c.startsWith("block ")) {
            Set<Integer> set = new TreeSet<>();
            for (String part : c.substring(6).split(",")) {
                int n = Integer.parseInt(part.trim());
                if (n < 1 || n > settings.peers().size()) {
                    throw new IllegalArgumentException("no node " + n);
                }
                set.add(n - 1);
            }
            blocked = Set.copyOf(set);
            return "ok";
        }
        throw new IllegalArgumentException("unknown admin command '" + c + "' (status, block N,M, unblock, clock JUMP_NS RATE)");
    }

    // ---------------------------------------------------------------- injectable clock (fault harness, clock-jump)
    // The node's clock is System.nanoTime() moved by an offset and run at a rate, set by the admin command
    // "clock JUMP_NS RATE" (jump forward by JUMP_NS >= 0, then run at RATE > 0): its monotonicNow/now and its timers'
    // delays follow it. Only the event-loop thread reads and sets these (admin calls run on it).
    private long clockBase;
    private long clockOffset;
    private double clockRate = 1.0;

    /** The node's monotonic clock: real time, jumped and run at its rate since the last "clock" command. */
    private long clock() {
        long real = System.nanoTime();
        return clockRate == 1.0 ? real + clockOffset : real + clockOffset + (long) ((real - clockBase) * (clockRate - 1.0));
    }

    /** How long in real time a delay of {@code localNs} on the node's clock takes. */
    private long realDelay(long localNs) {
        return clockRate == 1.0 ? localNs : (long) (localNs / clockRate);
    }

    private String setClock(String args) {
        String[] w = args.trim().split("\\s+");
        if (w.length != 2) {
            throw new IllegalArgumentException("usage: clock JUMP_NS RATE");
        }
        long jump = Long.parseLong(w[0]);
        double rate = Double.parseDouble(w[1]);
        if (jump < 0 || !(rate > 0) || rate > 100) {
            throw new IllegalArgumentException("clock: JUMP_NS must be >= 0 and RATE in (0, 100], got " + args.trim());
        }
        long now = clock();
        long real = System.nanoTime();
        clockBase = real;
        clockRate = rate;
        clockOffset = now + jump - real;
        return "ok";
    }

    private String blockedNames() {
        return blocked.isEmpty() ? "none" : new TreeSet<>(blocked).stream().map(i -> String.valueOf(i + 1)).toList().toString();
    }

    private void step(Runnable input) {
        ctx.outbox.clear();
        ctx.fsync = false;
        input.run();
        counters.steps.incrementAndGet();
        storage.commit();
        switch (settings.policy()) {
            case EVERY -> {
                if (ctx.fsync) {
                    storage.sync();
                }
                sendAll(ctx.outbox);
            }
            case GROUP -> {
                if (ctx.fsync || !held.isEmpty()) {
                    held.addAll(ctx.outbox); // keeps this step's messages behind the ones waiting for the force
                    groupSync |= ctx.fsync;
                } else {
                    sendAll(ctx.outbox);
                }
            }
            case NONE -> sendAll(ctx.outbox);
        }
    }

    /** This turn's messages to peers, each peer's in one non-blocking write from this thread. */
    private void flushPeers() {
        for (int i = 0; i < peerTurn.size(); i++) {
            peerTurn.get(i).flushFromLoop();
        }
        peerTurn.clear();
    }

    private void flushGroup() {
        if (groupSync) {
            storage.sync();
            groupSync = false;
        }
        if (!held.isEmpty()) {
            sendAll(held);
            held.clear();
        }
    }

    private void sendAll(List<Out> outs) {
        for (Out o : outs) {
            int to = o.to();
            if (to < settings.peers().size()) {
                if (to == settings.id()) {
                    // to itself (Multi-Paxos's and ABD's leader is also an acceptor or replica): through the
                    // event queue, after this step, as the simulator delivers it; never blocked
                    if (!events.offer(new Deliver(to, o.message()))) {
                        counters.queueDrops.incrementAndGet();
                    }
                    continue;
                }
                if (blocked.contains(to)) {
                    counters.partitionDrops.incrementAndGet();
                    continue;
                }
                peerLinks.get(to).offer(o.message());
            } else {
                Consumer<Object> local = localClients.get(to);
                if (local != null) {
                    local.accept(o.message());
                    continue;
                }
                InboundConn c = clients.get(to);
                if (c != null) {
                    clientOutput |= c.offer(c.id == to ? o.message() : new MuxOut(to, o.message()));
                } else {
                    counters.disconnectDrops.incrementAndGet();
                }
            }
        }
    }

    /** The node's view of its environment during one step. */
    private final class StepContext implements Context<M> {
        final List<Out> outbox = new ArrayList<>();
        final Rng rng;
        final long wallOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        boolean fsync;

        StepContext(Rng rng) {
            this.rng = rng;
        }

        @Override
        public int self() {
            return settings.id();
        }

        @Override
        public int servers() {
            return settings.peers().size();
        }

        /** Wall-clock time at start plus the node's monotonic time since (moved only by the harness's clock command). */
        @Override
        public long now() {
            return wallOffset + clock();
        }

        @Override
        public long monotonicNow() {
            return clock();
        }

        @Override
        public Rng random() {
            return rng;
        }

        @Override
        public void send(int to, M message) {
            outbox.add(new Out(to, message));
        }

        @Override
        public long setTimer(long delayNs, Object tag) {
            long id = ++timerSeq;
            timers.add(new TimerEntry(System.nanoTime() + realDelay(Math.max(0, delayNs)), id, tag));
            liveTimers.add(id);
            return id;
        }

        @Override
        public void cancelTimer(long timerId) {
            liveTimers.remove(timerId);
        }

        @Override
        public Object read(String key) {
            return storage.get(key);
        }

        @Override
        public void write(String key, Object value) {
            storage.put(key, value);
        }

        @Override
        public void fsync() {
            fsync = true;
        }

        @Override
        public void output(Object event) {
            // observations are for the simulator's invariant monitors; a real process has none attached
        }
    }

    // ---------------------------------------------------------------- transport

    private void acceptLoop() {
        while (running) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                synchronized (inbound) {
                    inbound.add(s);
                }
                IoThreads.start("node-" + (settings.id() + 1) + "-in", () -> serve(s));
            } catch (IOException e) {
                if (running) {
                    log.accept("accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket s) {
        String who = String.valueOf(s.getRemoteSocketAddress());
        boolean handedOver = false;
        try {
            // the hello unbuffered: nothing after it may be read here when a client's connection moves to the selector
            Frames.Frame f = Frames.read(new DataInputStream(s.getInputStream()));
            if (f == null) {
                return;
            }
            counters.framesIn.incrementAndGet();
            if (f.corrupt() || f.kind() != Frames.HELLO) {
                counters.corruptFrames.incrementAndGet();
                refuse(s, who, f.corrupt() ? "first frame fails its checksum" : "first frame is not a hello (kind " + f.kind() + ")");
                return;
            }
            Frames.Hello h;
            try {
                h = Frames.parseHello(f.body());
            } catch (CodecException e) {
                refuse(s, who, "malformed hello: " + e.getMessage());
                return;
            }
            if (!h.protocol().equals(settings.protocol())) {
                refuse(s, who, "speaks protocol " + h.protocol() + ", this node runs " + settings.protocol());
                return;
            }
            int n = settings.peers().size();
            switch (h.role()) {
                case PEER -> {
                    if (h.id() < 0 || h.id() >= n || h.id() == settings.id()) {
                        refuse(s, who, "claims to be server " + (h.id() + 1) + ", not another server of this " + n + "-server cluster");
                        return;
                    }
                    loopIo.join(new InboundConn(h.id(), s.getChannel(), who, true)); // read by the loop itself
                    handedOver = true;
                }
                case CLIENT -> {
                    if (h.id() < n) {
                        refuse(s, who, "client id " + h.id() + " must be >= " + n);
                        return;
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(Frames.hello(new Frames.Hello(settings.protocol(), Frames.Role.PEER, settings.id())));
                    out.flush();
                    loopIo.join(new InboundConn(h.id(), s.getChannel(), who, false));
                    handedOver = true;
                }
                case ADMIN -> {
                    OutputStream out = new BufferedOutputStream(s.getOutputStream());
                    out.write(Frames.hello(new Frames.Hello(settings.protocol(), Frames.Role.PEER, settings.id())));
                    out.flush();
                    serveAdmin(new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16)), out);
                }
            }
        } catch (Frames.BrokenStreamException e) {
            counters.brokenStreams.incrementAndGet();
            log.accept("closed a connection from " + who + ": " + e.getMessage());
        } catch (IOException e) {
            // the peer went away (killed, restarted, closed): nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (inbound) {
                inbound.remove(s);
            }
            if (!handedOver) {
                closeQuietly(s);
            }
        }
    }

    private void refuse(Socket s, String who, String why) {
        counters.rejected.incrementAndGet();
        log.accept("refused a connection from " + who + ": " + why);
        try {
            OutputStream out = s.getOutputStream();
            out.write(Frames.text(Frames.ERROR, "node " + (settings.id() + 1) + " refused the connection: " + why));
            out.flush();
        } catch (IOException ignored) {
            // it is going away anyway
        }
    }

    private void serveAdmin(DataInputStream in, OutputStream out) throws IOException, InterruptedException {
        while (running) {
            Frames.Frame f = Frames.read(in);
            if (f == null) {
                return;
            }
            if (f.corrupt() || f.kind() != Frames.ADMIN) {
                counters.corruptFrames.incrementAndGet();
                continue;
            }
            String command;
            try {
                command = Frames.parseText(f.body());
            } catch (CodecException e) {
                counters.undecodable.incrementAndGet();
                continue;
            }
            CompletableFuture<String> reply = new CompletableFuture<>();
            events.put(new AdminCall(command, reply));
            loopIo.wake();
            String answer;
            try {
                answer = reply.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                answer = "error: " + e;
            }
            out.write(Frames.text(Frames.TEXT, answer));
            out.flush();
        }
    }

    private static void closeQuietly(java.io.Closeable s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /**
     * One inbound connection after the hellos, a client's or a peer's: non-blocking, registered with the loop's
     * selector. The loop thread reads, checks, decodes and steps its frames ({@link LoopIo#read}); to a client it
     * also writes: it queues the node's messages ({@link #offer}, bounded as a peer's queue) and writes them at the
     * end of its turn, one non-blocking write, and what the socket does not take when the selector says it can
     * ({@code OP_WRITE}). A peer's connection only carries what the peer sends (this node sends on its own dial).
     */
    private final class InboundConn {
        final int id;
        final SocketChannel channel;
        final String who;
        /** A peer's connection (frames from server {@link #id}), not a client's. */
        final boolean peer;
        final ArrayBlockingQueue<Object> queue;
        /** Owned by the loop thread: the connection is in this turn's list to write (once however many messages). */
        boolean listed;
        volatile boolean closed;
        /** Set by the loop once registered with its selector; until then nobody writes (the registration writes). */
        SelectionKey key;
        // owned by the loop thread
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        ByteBuffer pending;
        long undecodableLogged;

        InboundConn(int id, SocketChannel channel, String who, boolean peer) {
            this.id = id;
            this.channel = channel;
            this.who = who;
            this.peer = peer;
            this.queue = peer ? null : new ArrayBlockingQueue<>(settings.queueCapacity());
        }

        /** On the loop thread; true when it is the connection's first message of the turn (written at its end). */
        boolean offer(Object m) {
            if (closed) {
                counters.disconnectDrops.incrementAndGet();
                return false;
            }
            if (!queue.offer(m)) {
                counters.queueDrops.incrementAndGet();
                return false;
            }
            if (!listed) {
                listed = true;
                loopIo.turn.add(this);
                return true;
            }
            return false;
        }

        void close() {
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * The event loop's sockets: every inbound connection of this node, clients' and peers', on the loop's own
     * {@link Selector}. The loop waits in it when it has nothing to do (another thread's event, an admin command or
     * an in-process client's request, wakes it: {@link #wake}), reads whatever all the ready connections sent in one
     * pass and steps it at once, and writes a turn's replies at the turn's end, each connection's waiting replies in
     * one non-blocking write ({@link #writeTurn}). No thread hands a message to another on the way in or out: on a
     * machine with few cores a hand-off between threads costs more than the read or the write (chapter 8, section
     * 8.8). The only blocking socket work left to other threads is accepting and the hellos, and a peer's dialling.
     */
    private final class LoopIo {
        final Selector selector;
        final ConcurrentLinkedQueue<InboundConn> joining = new ConcurrentLinkedQueue<>();
        /** Owned by the loop thread: the client connections with replies queued in this turn. */
        final List<InboundConn> turn = new ArrayList<>();
        /** The loop waits in {@link Selector#select}: another thread that gives it work must wake it. */
        volatile boolean sleeping;
        /** The loop has ended and closed its connections: one that joins now is closed at once. */
        volatile boolean stopped;

        LoopIo(Selector selector) {
            this.selector = selector;
        }

        /**
         * A connection, its hellos exchanged, joins the loop (a client's replaces an earlier connection of the same
         * client).
         */
        void join(InboundConn c) throws IOException {
            c.channel.configureBlocking(false);
            if (!c.peer) {
                InboundConn old = clients.put(c.id, c);
                if (old != null) {
                    old.close();
                }
            }
            joining.add(c);
            if (stopped) {
                closeJoining(); // the loop has ended: nobody else will
            }
            selector.wakeup();
        }

        private void closeJoining() {
            for (InboundConn c; (c = joining.poll()) != null; ) {
                c.close();
            }
        }

        /** After giving the loop an event from another thread: wakes it if it waits (no system call otherwise). */
        void wake() {
            if (sleeping) {
                selector.wakeup();
            }
        }

        void close() {
            selector.wakeup();
        }

        /**
         * On the loop: waits up to {@code waitNs} (0: not at all; rounded up to whole milliseconds, so a timer fires
         * at its deadline or after it) for a socket, an event or a joining connection, then registers what joined
         * and reads and steps every ready connection, and writes what a client's socket can take again.
         */
        void poll(long waitNs) throws IOException {
            if (waitNs > 0) {
                sleeping = true;
                try {
                    if (events.isEmpty() && joining.isEmpty() && running) {
                        selector.select(Math.max(1, (waitNs + 999_999) / 1_000_000));
                    } else {
                        selector.selectNow();
                    }
                } finally {
                    sleeping = false;
                }
            } else {
                selector.selectNow();
            }
            InboundConn c;
            while ((c = joining.poll()) != null) {
                if (c.closed) {
                    continue;
                }
                try {
                    c.key = c.channel.register(selector, SelectionKey.OP_READ, c);
                } catch (IOException | RuntimeException e) {
                    drop(c);
                    continue;
                }
                if (!c.peer && !c.queue.isEmpty()) {
                    write(c); // answers queued before it was registered
                }
            }
            var keys = selector.selectedKeys();
            if (keys.isEmpty()) {
                return;
            }
            for (SelectionKey k : keys) {
                c = (InboundConn) k.attachment();
                if (k.isValid() && k.isReadable()) {
                    read(c);
                }
                if (k.isValid() && k.isWritable()) {
                    write(c);
                }
            }
            keys.clear();
        }

        /** On the loop when it stops: closes every connection and the selector. */
        void closeAll() {
            for (InboundConn c : clients.values()) {
                c.close();
            }
            for (SelectionKey k : selector.keys()) {
                try {
                    k.channel().close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            stopped = true;
            closeJoining();
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing
            }
        }

        private void drop(InboundConn c) {
            if (c.key != null) {
                c.key.cancel();
            }
            c.close();
            if (c.peer) {
                return;
            }
            clients.values().removeIf(v -> v == c); // its own id and the ids it carried
            int lost = c.queue.size();
            c.queue.clear();
            counters.disconnectDrops.addAndGet(lost);
        }

        /** Reads what the connection sent; steps every complete, intact, decodable frame. */
        @SuppressWarnings("unchecked")
        private void read(InboundConn c) {
            try {
                if (c.channel.read(c.in) < 0) {
                    drop(c); // the other side closed: between frames or not, nothing more will come
                    return;
                }
            } catch (IOException e) {
                drop(c);
                return;
            }
            ByteBuffer b = c.in;
            byte[] a = b.array();
            int end = b.position();
            try {
                int p = Frames.scan(a, 0, end, (f, payload, len, intact) -> frame(c, f, payload, len, intact)); // Frames.read's checks
                byte[] next = Frames.keepUnfinished(a, p, end); // the unfinished frame at the start, in a buffer it fits in
                if (next != a) {
                    c.in = ByteBuffer.wrap(next).position(end - p);
                } else if (p > 0) {
                    b.position(end - p);
                }
            } catch (Frames.BrokenStreamException e) {
                counters.brokenStreams.incrementAndGet();
                log.accept("closed a connection from " + c.who + ": " + e.getMessage());
                drop(c);
            }
        }

        /** One complete frame from {@code c}, its payload at {@code a[payload, payload + len)}: decoded and stepped. */
        private void frame(InboundConn c, byte[] a, int payload, int len, boolean intact) {
            counters.framesIn.incrementAndGet();
            if (!intact) {
                counters.corruptFrames.incrementAndGet();
                return;
            }
            int from = c.id;
            int start = payload + 1;
            if (a[payload] == Frames.MUX && len >= 5 && !c.peer) {
                from = LogRecords.getInt(a, start);
                start += 4;
                if (from < settings.peers().size()) {
                    counters.undecodable.incrementAndGet(); // a client claiming a server's id: never delivered
                    return;
                }
                if (clients.get(from) != c) {
                    clients.put(from, c); // this client's answers go back on this connection
                }
            } else if (a[payload] != Frames.MESSAGE) {
                counters.undecodable.incrementAndGet();
                return;
            }
            M m;
            try {
                m = codec.decode(java.util.Arrays.copyOfRange(a, start, payload + len));
            } catch (CodecException e) {
                counters.undecodable.incrementAndGet();
                if (c.undecodableLogged++ < 3) {
                    log.accept("dropped an undecodable message from " + c.who + ": " + e.getMessage());
                }
                return;
            }
            deliver(from, m);
        }

        /** On the loop at the end of a turn: writes the replies queued in it (a remainder waits for OP_WRITE). */
        void writeTurn() {
            for (InboundConn c : turn) {
                c.listed = false;
                if (c.key != null) {
                    write(c);
                }
            }
            turn.clear();
        }

        @SuppressWarnings("unchecked")
        private byte[] frame(Object m) {
            Codec<Object> c = (Codec<Object>) (Codec<?>) codec;
            return m instanceof MuxOut x ? Frames.mux(x.to(), c.encode(x.message())) : Frames.frame(Frames.MESSAGE, c.encode(m));
        }

        /**
         * Writes what is waiting for the client: the unfinished write first, then every queued message in one write;
         * what the socket does not take waits for {@code OP_WRITE} (set here: this is the selector's thread).
         */
        private void write(InboundConn c) {
            if (c.closed) {
                drop(c);
                return;
            }
            try {
                while (true) {
                    if (c.pending == null) {
                        Object m = c.queue.poll();
                        if (m == null) {
                            break;
                        }
                        byte[] first = frame(m);
                        counters.framesOut.incrementAndGet();
                        m = c.queue.poll();
                        if (m == null) {
                            c.pending = ByteBuffer.wrap(first);
                        } else {
                            java.io.ByteArrayOutputStream batch = new java.io.ByteArrayOutputStream(first.length * 4);
                            batch.writeBytes(first);
                            do {
                                batch.writeBytes(frame(m));
                                counters.framesOut.incrementAndGet();
                            } while (batch.size() < (1 << 18) && (m = c.queue.poll()) != null);
                            c.pending = ByteBuffer.wrap(batch.toByteArray());
                        }
                    }
                    c.channel.write(c.pending);
                    if (c.pending.hasRemaining()) {
                        if ((c.key.interestOps() & SelectionKey.OP_WRITE) == 0) {
                            c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE); // the client reads slowly: wait
                        }
                        return;
                    }
                    c.pending = null;
                }
                if (c.key.isValid() && c.key.interestOps() != SelectionKey.OP_READ) {
                    c.key.interestOps(SelectionKey.OP_READ);
                }
            } catch (IOException | java.nio.channels.CancelledKeyException e) {
                drop(c);
            }
        }
    }

    /** A message to a peer, encoded by its codec. */
    private record Body(byte[] bytes) {
    }

    /**
     * A bounded queue of messages to one peer, written by the event loop at the end of its turn (one non-blocking
     * write for everything the turn sent to that peer: no thread wakes up to send it), and one I/O thread that dials
     * the peer (and again with backoff after a failure) and writes only what the socket did not take at once, when
     * it takes more (a slow or paused peer never blocks the loop: its queue fills, and then drops are counted, as a
     * congested network drops; Raft retransmits). {@link #writing} keeps the two writers apart and the bytes in order.
     */
    private static final class Outbound {
        private final NodeRuntime<?> rt;
        private final BlockingQueue<Object> queue;
        private final InetSocketAddress dial;
        private final int peer;
        private final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();
        private final Thread writer;
        /** Connected (hello sent) and non-blocking; null while (re)connecting. */
        private volatile SocketChannel channel;
        private volatile boolean closed;
        /** A write failed: the writer backs off before it dials again. */
        private volatile boolean failed;
        /** Owned by the loop thread: this link is in the turn's list to write. */
        private boolean listed;
        // guarded by writing
        private ByteBuffer pending;
        private final Batch batch = new Batch();

        private Outbound(NodeRuntime<?> rt, InetSocketAddress dial, int peer) {
            this.rt = rt;
            this.dial = dial;
            this.peer = peer;
            this.queue = new ArrayBlockingQueue<>(rt.settings.queueCapacity());
            this.writer = IoThreads.start("node-" + (rt.settings.id() + 1) + "-out" + (peer >= 0 ? "-" + (peer + 1) : ""), this::run);
        }

        static Outbound dialling(NodeRuntime<?> rt, int peer, InetSocketAddress address) {
            return new Outbound(rt, address, peer);
        }

        /**
         * On the loop: queues {@code m}, already encoded (the loop sends one step's messages to every follower one
         * after the other, so a codec that remembers what it just encoded, Raft's log entries in {@code RaftCodec},
         * encodes what they share once), for {@link #flushFromLoop} at the end of the turn.
         */
        void offer(Object m) {
            if (closed) {
                rt.counters.disconnectDrops.incrementAndGet();
                return;
            }
            if (!queue.offer(encoded(m))) {
                rt.counters.queueDrops.incrementAndGet();
                return;
            }
            if (!listed) {
                listed = true;
                rt.peerTurn.add(this);
            }
        }

        /** The codec's bytes of {@code m}; {@code m} itself if it cannot be encoded (the writer meets the error, as before). */
        private Object encoded(Object m) {
            try {
                return new Body(encode(m));
            } catch (RuntimeException e) {
                return m;
            }
        }

        /**
         * On the loop at the end of its turn: writes what is queued, without blocking. Not connected: the writer
         * thread sends it once it is. The writer busy: it looks at the queue again after it lets go of the lock. A
         * remainder the socket did not take: the writer thread waits until it does.
         */
        void flushFromLoop() {
            listed = false;
            while (channel != null && !queue.isEmpty() && writing.tryLock()) {
                boolean rest;
                try {
                    rest = writeLocked();
                } finally {
                    writing.unlock();
                }
                if (rest) {
                    LockSupport.unpark(writer);
                    return;
                }
            }
        }

        /**
         * Writes the unfinished write, then everything queued in one write (up to 256 KiB at a time), while the socket
         * takes it. True when a remainder waits for the socket. A failed write closes the connection and discards
         * what was queued (counted); the writer dials again.
         */
        private boolean writeLocked() {
            SocketChannel ch = channel;
            if (ch == null) {
                return false;
            }
            try {
                while (true) {
                    if (pending == null) {
                        Object m = queue.poll();
                        if (m == null) {
                            return false;
                        }
                        batch.reset();
                        do {
                            Frames.write(batch, Frames.MESSAGE, m instanceof Body b ? b.bytes() : encode(m));
                            rt.counters.framesOut.incrementAndGet();
                        } while (batch.size() < (1 << 18) && (m = queue.poll()) != null);
                        pending = batch.view();
                    }
                    ch.write(pending);
                    if (pending.hasRemaining()) {
                        return true;
                    }
                    pending = null;
                }
            } catch (IOException | RuntimeException e) {
                if (channel == ch) {
                    channel = null;
                }
                closeQuietly(ch);
                pending = null;
                int lost = queue.size();
                queue.clear();
                rt.counters.disconnectDrops.addAndGet(lost);
                failed = true;
                LockSupport.unpark(writer);
                return false;
            }
        }

        void close() {
            closed = true;
            SocketChannel ch = channel;
            if (ch != null) {
                closeQuietly(ch);
            }
            LockSupport.unpark(writer);
        }

        private void run() {
            long backoff = 10_000_000L;
            Selector writable = null;
            try {
                while (!closed && rt.running) {
                    if (channel == null) {
                        if (failed) {
                            long until = System.nanoTime() + backoff; // the whole backoff, whatever unparks it early
                            for (long left = backoff; left > 0 && !closed && rt.running; left = until - System.nanoTime()) {
                                LockSupport.parkNanos(left);
                            }
                            backoff = Math.min(MAX_BACKOFF_NS, backoff * 2);
                            failed = false;
                            continue; // closed meanwhile?
                        }
                        if (writable != null) {
                            closeQuietly(writable);
                            writable = null;
                        }
                        SocketChannel ch = SocketChannel.open();
                        try {
                            ch.socket().setTcpNoDelay(true);
                            ch.socket().connect(dial, 1000);
                            ByteBuffer hello = ByteBuffer.wrap(Frames.hello(new Frames.Hello(rt.settings.protocol(), Frames.Role.PEER, rt.settings.id())));
                            while (hello.hasRemaining()) {
                                ch.write(hello);
                            }
                            ch.configureBlocking(false);
                            writable = Selector.open();
                            ch.register(writable, SelectionKey.OP_WRITE);
                        } catch (IOException | RuntimeException e) {
                            closeQuietly(ch);
                            failed = true;
                            continue;
                        }
                        rt.counters.connects.incrementAndGet();
                        backoff = 10_000_000L;
                        channel = ch;
                        if (closed) {
                            closeQuietly(ch);
                            break;
                        }
                    } else if (queue.isEmpty()) {
                        LockSupport.parkNanos(200_000_000L); // until the loop leaves a remainder, a write fails or close
                    }
                    // what the loop left: a remainder, or what was queued while connecting
                    while (channel != null && !closed) {
                        boolean rest;
                        writing.lock();
                        try {
                            rest = writeLocked();
                        } finally {
                            writing.unlock();
                        }
                        if (rest) {
                            writable.select(200);
                            writable.selectedKeys().clear();
                        } else if (queue.isEmpty()) {
                            break;
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (rt.running && !closed) {
                    rt.log.accept("writer to node " + (peer + 1) + " failed: " + e);
                }
            } finally {
                SocketChannel ch = channel;
                if (ch != null) {
                    closeQuietly(ch);
                }
                if (writable != null) {
                    closeQuietly(writable);
                }
            }
        }

        @SuppressWarnings("unchecked")
        private byte[] encode(Object m) {
            return ((Codec<Object>) (Codec<?>) rt.codec).encode(m);
        }
    }

    /** A reusable buffer of frames: its bytes as a buffer without a copy. */
    private static final class Batch extends java.io.ByteArrayOutputStream {
        Batch() {
            super(1 << 12);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
