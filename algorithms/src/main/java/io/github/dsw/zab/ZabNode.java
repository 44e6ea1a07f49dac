package io.github.dsw.zab;

import io.github.dsw.runtime.Context;
import io.github.dsw.zab.ZabMessage.Ack;
import io.github.dsw.zab.ZabMessage.AckEpoch;
import io.github.dsw.zab.ZabMessage.AckNewLeader;
import io.github.dsw.zab.ZabMessage.CEpoch;
import io.github.dsw.zab.ZabMessage.Commit;
import io.github.dsw.zab.ZabMessage.Forward;
import io.github.dsw.zab.ZabMessage.NewEpoch;
import io.github.dsw.zab.ZabMessage.NewLeader;
import io.github.dsw.zab.ZabMessage.Notification;
import io.github.dsw.zab.ZabMessage.Ping;
import io.github.dsw.zab.ZabMessage.PingAck;
import io.github.dsw.zab.ZabMessage.Proposal;
import io.github.dsw.zab.ZabMessage.ProposalBatch;
import io.github.dsw.zab.ZabMessage.ServerState;
import io.github.dsw.zab.ZabMessage.SyncMode;
import io.github.dsw.zab.ZabMessage.UpToDate;
import io.github.dsw.zab.ZabMessage.Vote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One Zab server (Junqueira, Reed and Serafini, "Zab: High-performance broadcast for primary-backup systems",
 * DSN 2011) as a pure state machine, in the phases of ZooKeeper's implementation (the paper's section V):
 * <ol>
 *   <li><b>Fast leader election</b> ({@link #lookForLeader}): LOOKING servers exchange votes for the server with the
 *       most recent history, ordered by (current epoch, last zxid, id), and settle when a quorum agrees.</li>
 *   <li><b>Discovery</b> (section IV, phase 1): followers send CEPOCH with the last epoch they accepted; the
 *       prospective leader proposes e' above all of a quorum's ({@link #onCEpoch}); each follower promises e'
 *       durably and answers ACK-E with its current epoch and last zxid ({@link #onNewEpoch}). A leader that
 *       learns a follower is more recent than itself gives up (ZooKeeper's "follower is ahead of the leader").</li>
 *   <li><b>Synchronisation</b> (phase 2): NEWLEADER brings each follower's history to the leader's with a DIFF, a
 *       TRUNC or a SNAP ({@link #syncFor}); the follower adopts e' as its current epoch durably and acknowledges;
 *       when a quorum has, the initial history is committed ({@link #onAckNewLeader}).</li>
 *   <li><b>Broadcast</b> (phase 3): the leader gives each change the next zxid ⟨e', c⟩, logs it and sends
 *       PROPOSAL; followers log it in zxid order and ACK; a transaction a quorum has logged is committed, in
 *       order, and COMMIT tells the followers ({@link #maybeCommit}).</li>
 * </ol>
 * Who chooses the history: the election picks the server with the most recent history, and the leader's own
 * history becomes the new epoch's initial history; followers are made to match it, never the reverse. (The
 * paper's protocol lets the leader pick the most recent history of its quorum in discovery; ZooKeeper instead
 * elects the most recent server, which this class follows.)
 *
 * <p>Durable state (the paper's f.p, f.a and h_f), written through {@link Context#write} and made durable with
 * {@link Context#fsync} before any message that depends on it leaves, as Raft's storage does:
 * {@code zab.accepted} (an {@link AcceptedEpoch}: the last NEWEPOCH promised, and to whom),
 * {@code zab.current} (Long, the epoch of the last NEWLEADER acknowledged) and the history,
 * {@code zab.h/<i>} (a {@link Txn}) for 1 <= i <= {@code zab.length}. A restarted server reloads these in
 * {@link #ZabNode(Context, Mutation, int)}, delivers nothing until a leader synchronises it, and starts LOOKING.
 * Everything else (election round, roles, the commit point) is volatile.
 *
 * <p>Time comes from the host's ticks ({@link #tick}): a follower that hears nothing from its leader for
 * {@link #SYNC_LIMIT_TICKS} looks for a new one, and so does a leader that has not heard from a quorum in that
 * time (ZooKeeper's syncLimit), or that has not established its epoch within {@link #INIT_LIMIT_TICKS} (initLimit).
 *
 * <p>The links of the simulator may lose, duplicate and reorder messages, where ZooKeeper relies on TCP's FIFO
 * order. So a follower takes a PROPOSAL only if its zxid is the next one after its last, and on a gap it registers
 * with its leader again (CEPOCH) and is synchronised anew, as a ZooKeeper follower does after its connection breaks.
 */
public final class ZabNode {

    /** Ticks without a message from the leader (or, for a leader, from a quorum) before looking for a new one. */
    public static final int SYNC_LIMIT_TICKS = 10;
    /** Ticks a leader has to establish its epoch (discovery and synchronisation with a quorum). */
    public static final int INIT_LIMIT_TICKS = 30;
    /** Ticks a LOOKING server waits for a better vote once a quorum agrees (ZooKeeper's finalizeWait). */
    public static final int FINALIZE_TICKS = 2;
    /** Ticks a follower waits for a missing proposal (overtaken, or lost) before asking to be synchronised again. */
    public static final int GAP_TICKS = 3;
    /** A LOOKING server sends its notification again every this many ticks. */
    public static final int RESEND_TICKS = 5;
    /** Batches a batching leader keeps in flight at most unless told otherwise ({@link #ZabNode(Context, Mutation, int)}). */
    public static final int DEFAULT_WINDOW = 8;

    /** The last NEWEPOCH this server promised ({@code epoch}, the paper's f.p) and the leader that sent it. */
    public record AcceptedEpoch(long epoch, int leader) {
    }

    /** Reported for the monitors when this server delivers the {@code index}-th transaction (1-based) of its history. */
    public record Delivered(long index, Txn txn) {
    }

    /**
     * Reported when the leader of {@code epoch} proposes {@code txn}; {@code history} is its whole history then for the
     * epoch's first proposal (counter 1), when the primary-integrity check needs it, and empty for the others (a
     * leader never cuts its own history, so the first proposal's history already holds what the check looks for).
     */
    public record Proposed(long epoch, Txn txn, List<Txn> history) {
    }

    /** Reported when a leader has synchronised a quorum: epoch {@code epoch} is established. */
    public record Established(long epoch, Zxid lastZxid) {
    }

    /** Reported at the start of every incarnation: delivery starts again from the first transaction. */
    public record Booted() {
    }

    /**
     * Reported when this server's snapshot or log base changes (it took a snapshot and compacted its log, installed a
     * snapshot a leader sent, or booted from one): its state holds the first {@code snapshotIndex} transactions, the
     * last being {@code snapshotZxid} (its deliveries go on from there), and its history now starts after transaction
     * {@code base} ({@code base} <= {@code snapshotIndex}: the log since the snapshot before is kept for DIFFs).
     */
    public record Compacted(long snapshotIndex, Zxid snapshotZxid, long base) {
    }

    /** The durable start of the history: the transactions after the {@code index}-th, whose zxid is {@code zxid}, are kept. */
    public record LogBase(long index, Zxid zxid) {
    }

    /** Where a server is in the protocol. */
    public enum Phase { ELECTION, DISCOVERY, SYNCHRONISATION, BROADCAST }

    /** What a node tells its host: deliveries and whether it may serve clients. */
    public interface Listener {
        void delivered(Context<ZabMessage> ctx, long index, Txn txn);

        /** A leader's SNAP replaced this server's state by {@code snapshot}: deliveries go on after its index. */
        default void installed(Context<ZabMessage> ctx, ZabSnapshot snapshot) {
            throw new UnsupportedOperationException("this host cannot install a snapshot");
        }

        /** The node stopped serving (left the broadcast phase): answers the host promised cannot come from here. */
        void stoppedServing(Context<ZabMessage> ctx);
    }

    /** A leader's view of one follower (ZooKeeper's LearnerHandler). */
    private static final class Learner {
        boolean synced;      // acknowledged NEWLEADER of this epoch: its ACKs count
        boolean receiving;   // sent NEWLEADER: gets every PROPOSAL and COMMIT from then on
        Zxid acked = Zxid.ZERO;
        int lastHeardTick;
    }

    private final int self;
    private final int servers;
    private final Mutation mutation;
    private final int batch;
    private final int window;
    private Listener listener;

    // durable (cached; every change written through the context)
    private AcceptedEpoch accepted;
    private long currentEpoch;
    private final List<Txn> history = new ArrayList<>(); // transactions base+1, base+2, ...
    private ZabSnapshot snapshot;                         // null until the first
    private long base;                                    // transactions before the history (compacted)
    private Zxid baseZxid = Zxid.ZERO;                    // the zxid of transaction base (ZERO for 0)

    // volatile
    private ServerState state = ServerState.LOOKING;
    private Phase phase = Phase.ELECTION;
    private int tick;
    private long delivered;          // transactions of the history delivered so far
    private long fsyncs;             // fsyncs asked for in this incarnation
    private Zxid commitZxid = Zxid.ZERO;

    // election
    private long logicalClock;
    private Vote proposed;
    private final Map<Integer, Vote> recvSet = new TreeMap<>();
    private final Map<Integer, Notification> outOfElection = new TreeMap<>();
    private int finalizeAt = -1;
    private Vote currentVote;
    private long electedRound;

    // follower
    private int leader = -1;
    private int lastHeardTick;
    private boolean upToDate;
    private final TreeMap<Zxid, Txn> early = new TreeMap<>(); // proposals that overtook an earlier one
    private int gapSinceTick = -1;                             // since when the follower misses a proposal, -1 if not

    // leader
    private int leadingSinceTick;
    private long newEpoch = -1;
    private Vote leaderSummary;                            // (currentEpoch, lastZxid) when discovery started
    private final Map<Integer, Long> cepochs = new TreeMap<>();
    private final Map<Integer, Zxid> pendingSync = new TreeMap<>(); // discovery: followers whose ACK-E came, their last zxid
    private final Map<Integer, Learner> learners = new TreeMap<>();   // from synchronisation on
    private final List<Object> pending = new ArrayList<>();           // batching: changes waiting for room in the window
    private final java.util.ArrayDeque<Zxid> inFlight = new java.util.ArrayDeque<>(); // batching: last zxid of each uncommitted batch
    private boolean filling;                                          // batching: fillWindow is on the stack

    /**
     * Loads the durable state of this incarnation and reports {@link Booted}; call {@link #start} next.
     *
     * @param mutation a deliberate bug, {@link Mutation#NONE} for Zab as specified
     */
    public ZabNode(Context<ZabMessage> ctx, Mutation mutation) {
        this(ctx, mutation, 1);
    }

    /**
     * As {@link #ZabNode(Context, Mutation)}, with batching: {@code batch} 1 proposes every change at once in its own
     * PROPOSAL with its own fsync (the default); {@code batch} > 1 makes the leader group changes: while
     * {@link #DEFAULT_WINDOW} batches await their quorum, new changes queue, and when one commits the queue (up to
     * {@code batch} changes) goes out as one {@link ProposalBatch}, logged with one fsync by the leader and by each
     * follower and acknowledged with one ACK. This is group commit as ZooKeeper's {@code SyncRequestProcessor} does it (the
     * transactions that queue while a flush runs are flushed together), moved to the point the model can see: a
     * proposal in flight instead of a flush in progress.
     */
    public ZabNode(Context<ZabMessage> ctx, Mutation mutation, int batch) {
        this(ctx, mutation, batch, DEFAULT_WINDOW);
    }

    /**
     * As {@link #ZabNode(Context, Mutation, int)}, with the leader keeping up to {@code window} batches in flight
     * (proposed, not yet committed) when {@code batch} > 1: a change is proposed at once while the window has room,
     * and changes queue only while it is full; each commit frees room and the queue goes out in batches of up to
     * {@code batch}. This is ZooKeeper's pipelining of proposals (a leader does not wait for one proposal's quorum
     * before sending the next; commits still go in zxid order), bounded. {@code window} 1 is a single batch in
     * flight (the leader waits for each batch's quorum). Unbatched ({@code batch} 1), every change is proposed at once.
     */
    public ZabNode(Context<ZabMessage> ctx, Mutation mutation, int batch, int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, got " + window);
        }
        this.window = window;
        if (mutation == null) {
            throw new IllegalArgumentException("mutation must not be null (Mutation.NONE for none)");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.batch = batch;
        this.self = ctx.self();
        this.servers = ctx.servers();
        this.mutation = mutation;
        AcceptedEpoch a = (AcceptedEpoch) ctx.read("zab.accepted");
        accepted = a == null ? new AcceptedEpoch(0, -1) : a;
        Long c = (Long) ctx.read("zab.current");
        currentEpoch = c == null ? 0 : c;
        snapshot = (ZabSnapshot) ctx.read("zab.snap");
        LogBase lb = (LogBase) ctx.read("zab.base");
        if (lb != null) {
            base = lb.index();
            baseZxid = lb.zxid();
        }
        Long length = (Long) ctx.read("zab.length");
        for (long i = base + 1; length != null && i <= length; i++) {
            history.add((Txn) ctx.read("zab.h/" + i));
        }
        ctx.output(new Booted());
        if (snapshot != null) { // the host restores its state from it; delivery goes on after it
            delivered = snapshot.index();
            commitZxid = snapshot.zxid();
            ctx.output(new Compacted(snapshot.index(), snapshot.zxid(), base));
        }
    }

    /** Sets who hears of deliveries, then starts looking for a leader. */
    public void start(Context<ZabMessage> ctx, Listener l) {
        this.listener = l;
        lookForLeader(ctx);
    }

    // ---------------------------------------------------------------- what the host and monitors read

    public ServerState state() {
        return state;
    }

    public Phase phase() {
        return phase;
    }

    /** True when this server may answer clients: a leader with an established epoch, or a follower it made up to date. */
    public boolean serving() {
        return phase == Phase.BROADCAST && (state == ServerState.LEADING || upToDate);
    }

    /** The leader this server follows or is, -1 while looking. */
    public int leader() {
        return state == ServerState.LOOKING ? -1 : leader;
    }

    public long currentEpoch() {
        return currentEpoch;
    }

    public long acceptedEpoch() {
        return accepted.epoch();
    }

    /** The history this server holds (read-only view): transactions {@link #logBase()} + 1 onwards. */
    public List<Txn> history() {
        return Collections.unmodifiableList(history);
    }

    /** Transactions compacted away before {@link #history()} (0 until a snapshot let the log be truncated). */
    public long logBase() {
        return base;
    }

    /** The latest snapshot, null if none. */
    public ZabSnapshot snapshot() {
        return snapshot;
    }

    /** Transactions in the history, counting the compacted ones. */
    public long length() {
        return base + history.size();
    }

    public Zxid lastZxid() {
        return history.isEmpty() ? baseZxid : history.get(history.size() - 1).zxid();
    }

    /**
     * Host: takes a snapshot of the state after every delivered transaction ({@code state}, the host's encoding) and
     * compacts the log: transactions up to the previous snapshot are dropped (ZooKeeper keeps the logs back to its
     * oldest retained snapshot too, so a follower a little behind still gets a DIFF). Durable with the next fsync;
     * the snapshot covers only delivered, hence committed, transactions.
     */
    public void compact(Context<ZabMessage> ctx, byte[] state) {
        if (delivered == 0 || (snapshot != null && snapshot.index() >= delivered)) {
            return;
        }
        ZabSnapshot previous = snapshot;
        snapshot = new ZabSnapshot(delivered, txnAt(delivered).zxid(), state);
        ctx.write("zab.snap", snapshot);
        if (previous != null && previous.index() > base) {
            setBase(ctx, previous.index(), previous.zxid());
        } else {
            ctx.output(new Compacted(snapshot.index(), snapshot.zxid(), base));
        }
        // no fsync of its own: the snapshot and the new base become durable together with the next step that forces
        // (a crash before leaves the previous snapshot and the longer log, which are as good); forcing here would hold
        // this step's deliveries behind the force while a later step's overtook them
    }

    /** Drops the history up to transaction {@code index} (whose zxid is {@code zxid}), durably at the next fsync. */
    private void setBase(Context<ZabMessage> ctx, long index, Zxid zxid) {
        if (index > base) {
            history.subList(0, (int) Math.min(history.size(), index - base)).clear();
        }
        base = index;
        baseZxid = zxid;
        ctx.write("zab.base", new LogBase(index, zxid));
        ctx.output(new Compacted(snapshot == null ? 0 : snapshot.index(), snapshot == null ? Zxid.ZERO : snapshot.zxid(), base));
    }

    /** Transaction {@code index} (1-based, absolute), which must be held. */
    private Txn txnAt(long index) {
        return history.get((int) (index - base - 1));
    }

    public long deliveredCount() {
        return delivered;
    }

    /** How many fsyncs this incarnation asked for (for the batching experiment's fsyncs per transaction). */
    public long fsyncCount() {
        return fsyncs;
    }

    // ---------------------------------------------------------------- inputs

    /** One tick of the host's clock. */
    public void tick(Context<ZabMessage> ctx) {
        tick++;
        switch (state) {
            case LOOKING -> {
                if (finalizeAt >= 0 && tick >= finalizeAt) {
                    decide(ctx, proposed, logicalClock);
                } else if (tick % RESEND_TICKS == 0) {
                    sendNotifications(ctx);
                }
            }
            case FOLLOWING -> {
                if (tick - lastHeardTick > SYNC_LIMIT_TICKS) {
                    lookForLeader(ctx); // the leader is gone or cut off
                } else if (gapSinceTick >= 0 && tick - gapSinceTick > GAP_TICKS) {
                    register(ctx); // a proposal was lost
                } else if (phase == Phase.DISCOVERY) {
                    ctx.send(leader, new CEpoch(accepted.epoch())); // resent until NEWEPOCH comes
                }
            }
            case LEADING -> leaderTick(ctx);
        }
    }

    /** A message from server {@code from}. */
    public void receive(Context<ZabMessage> ctx, int from, ZabMessage m) {
        switch (m) {
            case Notification n -> onNotification(ctx, from, n);
            case CEpoch c -> onCEpoch(ctx, from, c);
            case NewEpoch n -> onNewEpoch(ctx, from, n);
            case AckEpoch a -> onAckEpoch(ctx, from, a);
            case NewLeader n -> onNewLeader(ctx, from, n);
            case ZabMessage.NewLeaderSnapshot n -> onNewLeaderSnapshot(ctx, from, n);
            case AckNewLeader a -> onAckNewLeader(ctx, from, a);
            case UpToDate u -> onUpToDate(ctx, from, u);
            case Proposal p -> onProposal(ctx, from, p.epoch(), List.of(p.txn()));
            case ProposalBatch p -> onProposal(ctx, from, p.epoch(), p.txns());
            case Ack a -> onAck(ctx, from, a);
            case Commit c -> onCommit(ctx, from, c.epoch(), c.zxid());
            case Ping p -> onPing(ctx, from, p);
            case PingAck p -> heardFrom(from, p.epoch());
            case Forward f -> {
                if (state == ServerState.LEADING && phase == Phase.BROADCAST) {
                    propose(ctx, f.value());
                }
            }
            case ZabMessage.Request r -> throw new IllegalArgumentException("client requests go to the host, not to ZabNode: " + r);
            case ZabMessage.Reply r -> throw new IllegalArgumentException("replies go to clients, not to ZabNode: " + r);
        }
    }

    /**
     * Submits a state change: the leader proposes it, a serving follower forwards it to its leader. Returns false
     * (and does nothing) if this server is not serving.
     */
    public boolean submit(Context<ZabMessage> ctx, Object value) {
        if (!serving()) {
            return false;
        }
        if (state == ServerState.LEADING) {
            propose(ctx, value);
        } else {
            ctx.send(leader, new Forward(value));
        }
        return true;
    }

    // ---------------------------------------------------------------- phase 0: fast leader election

    private Vote myVote() {
        return new Vote(self, lastZxid(), currentEpoch);
    }

    /** Starts a new election round (ZooKeeper's {@code lookForLeader}), leaving whatever role this server had. */
    private void lookForLeader(Context<ZabMessage> ctx) {
        boolean wasServing = serving();
        state = ServerState.LOOKING;
        phase = Phase.ELECTION;
        leader = -1;
        upToDate = false;
        learners.clear();
        cepochs.clear();
        pendingSync.clear();
        pending.clear(); // the hosts that submitted them hear stoppedServing and answer "retry"
        inFlight.clear();
        newEpoch = -1;
        if (wasServing && listener != null) {
            listener.stoppedServing(ctx);
        }
        logicalClock++;
        proposed = myVote();
        recvSet.clear();
        outOfElection.clear();
        recvSet.put(self, proposed);
        finalizeAt = -1;
        sendNotifications(ctx);
        checkQuorumForProposed();
    }

    private void sendNotifications(Context<ZabMessage> ctx) {
        for (int s = 0; s < servers; s++) {
            if (s != self) {
                ctx.send(s, new Notification(proposed, logicalClock, ServerState.LOOKING));
            }
        }
    }

    private void onNotification(Context<ZabMessage> ctx, int from, Notification n) {
        if (state != ServerState.LOOKING) {
            if (n.state() == ServerState.LOOKING) { // tell a looking server who leads (ZooKeeper's WorkerReceiver)
                ctx.send(from, new Notification(currentVote, electedRound, state));
            }
            return;
        }
        if (n.state() == ServerState.LOOKING) {
            if (n.electionEpoch() > logicalClock) { // a later round: join it, starting from the better of the two votes
                logicalClock = n.electionEpoch();
                recvSet.clear();
                proposed = n.vote().beats(myVote()) ? n.vote() : myVote();
                recvSet.put(self, proposed);
                finalizeAt = -1;
                sendNotifications(ctx);
            } else if (n.electionEpoch() < logicalClock) {
                ctx.send(from, new Notification(proposed, logicalClock, ServerState.LOOKING)); // bring it to our round
                return;
            } else if (n.vote().beats(proposed)) {
                proposed = n.vote();
                recvSet.put(self, proposed);
                finalizeAt = -1;
                sendNotifications(ctx);
            }
            recvSet.put(from, n.vote());
            checkQuorumForProposed();
            return;
        }
        // from a server that follows or leads: join an established leader if a quorum says so and it says it leads
        outOfElection.put(from, n);
        int agree = 0;
        for (Notification o : outOfElection.values()) {
            if (o.vote().equals(n.vote())) {
                agree++;
            }
        }
        Notification fromLeader = outOfElection.get(n.vote().leader());
        if (agree >= quorum() && fromLeader != null && fromLeader.state() == ServerState.LEADING && n.vote().leader() != self) {
            logicalClock = Math.max(logicalClock, n.electionEpoch());
            decide(ctx, n.vote(), n.electionEpoch());
        }
    }

    /** If a quorum of this round's votes agrees with ours, decide after {@link #FINALIZE_TICKS} unless a better vote comes. */
    private void checkQuorumForProposed() {
        int agree = 0;
        for (Vote v : recvSet.values()) {
            if (v.equals(proposed)) {
                agree++;
            }
        }
        if (agree >= quorum()) {
            if (finalizeAt < 0) {
                finalizeAt = tick + FINALIZE_TICKS;
            }
        } else {
            finalizeAt = -1;
        }
    }

    private void decide(Context<ZabMessage> ctx, Vote vote, long round) {
        currentVote = vote;
        electedRound = round;
        finalizeAt = -1;
        leader = vote.leader();
        if (leader == self) {
            lead(ctx);
        } else {
            follow(ctx);
        }
    }

    // ---------------------------------------------------------------- phase 1: discovery

    private void follow(Context<ZabMessage> ctx) {
        state = ServerState.FOLLOWING;
        phase = Phase.DISCOVERY;
        early.clear();
        gapSinceTick = -1;
        lastHeardTick = tick;
        ctx.send(leader, new CEpoch(accepted.epoch()));
    }

    private void lead(Context<ZabMessage> ctx) {
        state = ServerState.LEADING;
        phase = Phase.DISCOVERY;
        leadingSinceTick = tick;
        leaderSummary = myVote();
        cepochs.clear();
        cepochs.put(self, accepted.epoch());
        learners.clear();
        pendingSync.clear();
        newEpoch = -1;
        if (cepochs.size() >= quorum()) {
            proposeEpoch(ctx); // a single server is its own quorum
        }
    }

    /** Leader: CEPOCH from a follower. Before e' is chosen it is counted; afterwards it gets NEWEPOCH(e') (a late joiner). */
    private void onCEpoch(Context<ZabMessage> ctx, int from, CEpoch c) {
        if (state != ServerState.LEADING) {
            return;
        }
        if (newEpoch < 0) {
            cepochs.put(from, c.acceptedEpoch());
            if (cepochs.size() >= quorum()) {
                proposeEpoch(ctx);
            }
        } else {
            Learner l = learners.get(from);
            if (l != null) { // a follower that registers again is synchronised from scratch; it still counts as alive
                l.synced = false;
                l.receiving = false;
                l.lastHeardTick = tick;
            }
            ctx.send(from, new NewEpoch(newEpoch));
        }
    }

    /** e' = 1 + the highest epoch a quorum has accepted (the paper's step l.1.1), promised by the leader itself first. */
    private void proposeEpoch(Context<ZabMessage> ctx) {
        long max = 0;
        for (long e : cepochs.values()) {
            max = Math.max(max, e);
        }
        newEpoch = max + 1;
        accepted = new AcceptedEpoch(newEpoch, self);
        ctx.write("zab.accepted", accepted);
        sync(ctx);
        for (int f : cepochs.keySet()) {
            if (f != self) {
                ctx.send(f, new NewEpoch(newEpoch));
            }
        }
        if (pendingSync.size() + 1 >= quorum()) {
            establishEpoch(ctx);
        }
    }

    /**
     * Follower: NEWEPOCH(e') from its prospective leader. It promises e' durably if e' is above every epoch it
     * promised (step f.1.2), or is the epoch it already promised to this same leader (a re-registration); it
     * answers ACK-E with its current epoch and last zxid. A lower epoch means the leader is stale: look again.
     */
    private void onNewEpoch(Context<ZabMessage> ctx, int from, NewEpoch n) {
        if (state != ServerState.FOLLOWING || from != leader || phase != Phase.DISCOVERY) {
            return;
        }
        lastHeardTick = tick;
        boolean again = n.epoch() == accepted.epoch() && accepted.leader() == from;
        if (n.epoch() > accepted.epoch()) {
            accepted = new AcceptedEpoch(n.epoch(), from);
            ctx.write("zab.accepted", accepted);
            sync(ctx);
        } else if (!again) {
            lookForLeader(ctx);
            return;
        }
        phase = Phase.SYNCHRONISATION;
        upToDate = false;
        ctx.send(from, new AckEpoch(n.epoch(), currentEpoch, lastZxid()));
    }

    /** Leader: ACK-E. A follower more recent than the leader means the election went wrong: give up. */
    private void onAckEpoch(Context<ZabMessage> ctx, int from, AckEpoch a) {
        if (state != ServerState.LEADING || a.epoch() != newEpoch) {
            return;
        }
        Vote theirs = new Vote(self, a.lastZxid(), a.currentEpoch()); // same id: compares (epoch, zxid) only
        Vote ours = new Vote(self, leaderSummary.zxid(), leaderSummary.peerEpoch());
        if (theirs.beats(ours)) {
            lookForLeader(ctx); // ZooKeeper: "Follower is ahead of the leader"
            return;
        }
        if (phase == Phase.DISCOVERY) {
            pendingSync.put(from, a.lastZxid());
            if (pendingSync.size() + 1 >= quorum()) {
                establishEpoch(ctx);
            }
        } else if (!learners.containsKey(from) || !learners.get(from).receiving) { // a late joiner, or one registering again
            sendNewLeader(ctx, from, a.lastZxid());
        }
    }

    /** A quorum promised e': the leader adopts it as its current epoch and synchronises those followers. */
    private void establishEpoch(Context<ZabMessage> ctx) {
        currentEpoch = newEpoch;
        ctx.write("zab.current", currentEpoch);
        sync(ctx);
        phase = Phase.SYNCHRONISATION;
        for (Map.Entry<Integer, Zxid> e : pendingSync.entrySet()) {
            sendNewLeader(ctx, e.getKey(), e.getValue());
        }
        pendingSync.clear();
        maybeEstablished(ctx);
    }

    // ---------------------------------------------------------------- phase 2: synchronisation

    /** Sends NEWLEADER with the difference that brings a follower whose history ends at {@code theirs} to ours. */
    private void sendNewLeader(Context<ZabMessage> ctx, int follower, Zxid theirs) {
        Learner l = new Learner();
        learners.put(follower, l);
        l.receiving = true;
        l.synced = false;
        l.lastHeardTick = tick;
        ZabMessage m = syncFor(theirs);
        if (m instanceof ZabMessage.NewLeaderSnapshot) {
            ctx.fsync(); // behind any step still forcing: the snapshot's deliveries are reported before it leaves
        }
        ctx.send(follower, m);
    }

    /**
     * The NEWLEADER for a follower whose last zxid is {@code theirs}. Two histories that hold the same zxid agree
     * up to it (one primary per epoch, and a follower's history is always its leader's initial history followed by
     * that leader's proposals in order). So: if we hold {@code theirs}, send what follows it (DIFF); if we hold an
     * earlier zxid of the same epoch, the follower agrees with us up to the last such one, so cut it there and send
     * what follows (TRUNC, ZooKeeper's case of a follower with proposals that were never committed); otherwise
     * send the whole history (SNAP), or, once the log was compacted past the follower, the snapshot and the log after
     * it ({@link ZabMessage.NewLeaderSnapshot}).
     */
    ZabMessage syncFor(Zxid theirs) {
        if (mutation == Mutation.SKIP_SYNC) {
            return new NewLeader(currentEpoch, SyncMode.DIFF, theirs, List.of(), lastZxid());
        }
        long at = positionOf(theirs);
        if (at >= base) {
            return new NewLeader(currentEpoch, SyncMode.DIFF, theirs, history.subList((int) (at - base), history.size()), lastZxid());
        }
        long cut = -1;
        Zxid cutZxid = null;
        if (base > 0 && baseZxid.epoch() == theirs.epoch() && baseZxid.compareTo(theirs) < 0) {
            cut = base;
            cutZxid = baseZxid;
        }
        for (int i = 0; i < history.size(); i++) {
            Zxid z = history.get(i).zxid();
            if (z.epoch() == theirs.epoch() && z.compareTo(theirs) < 0) {
                cut = base + i + 1;
                cutZxid = z;
            }
        }
        if (cut >= 0) {
            return new NewLeader(currentEpoch, SyncMode.TRUNC, cutZxid, history.subList((int) (cut - base), history.size()), lastZxid());
        }
        if (base == 0) {
            return new NewLeader(currentEpoch, SyncMode.SNAP, Zxid.ZERO, history, lastZxid());
        }
        // the log no longer reaches back to the follower: SNAP from the snapshot, then the log after it
        return new ZabMessage.NewLeaderSnapshot(currentEpoch, snapshot, history.subList((int) (snapshot.index() - base), history.size()), lastZxid());
    }

    /**
     * Position (1-based, absolute) of {@code z} in the history: 0 for {@link Zxid#ZERO} (before the first),
     * {@code base} for the last compacted transaction, -1 if not held.
     */
    private long positionOf(Zxid z) {
        if (z.equals(Zxid.ZERO)) {
            return 0;
        }
        if (base > 0 && z.equals(baseZxid)) {
            return base;
        }
        int at = indexOf(z);
        return at < 0 ? -1 : base + at + 1;
    }

    /** Position of {@code z} in {@link #history} (0-based, after the base), -1 if absent. */
    private int indexOf(Zxid z) {
        int lo = 0;
        int hi = history.size() - 1;
        while (lo <= hi) { // zxids increase along a history
            int mid = (lo + hi) >>> 1;
            int c = history.get(mid).zxid().compareTo(z);
            if (c == 0) {
                return mid;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return -1;
    }

    /**
     * Follower: NEWLEADER(e', I). Only for the epoch it promised to this leader (step f.2.1); it makes its history
     * the leader's, then adopts e' as its current epoch, durably, before acknowledging: a follower that acknowledged
     * and then forgot would let a later leader miss the initial history it vouched for.
     */
    private void onNewLeader(Context<ZabMessage> ctx, int from, NewLeader n) {
        if (state != ServerState.FOLLOWING || from != leader || phase != Phase.SYNCHRONISATION
                || n.epoch() != accepted.epoch() || accepted.leader() != from) {
            return;
        }
        lastHeardTick = tick;
        boolean skip = mutation == Mutation.SKIP_SYNC;
        switch (n.mode()) {
            case DIFF -> {
                if (!skip && !lastZxid().equals(n.base())) {
                    return; // sent for an older state of ours; the leader will be asked again
                }
            }
            case TRUNC -> {
                long at = positionOf(n.base());
                if (at < base) {
                    return; // not held (or compacted): the leader will be asked again
                }
                truncateTo(ctx, at);
            }
            case SNAP -> truncateTo(ctx, 0);
        }
        for (Txn t : n.txns()) {
            append(ctx, t);
        }
        if (!skip && !lastZxid().equals(n.lastZxid())) {
            throw new IllegalStateException("server " + self + ": after " + n.mode() + " the history ends at " + lastZxid()
                    + ", the leader's at " + n.lastZxid());
        }
        currentEpoch = n.epoch();
        ctx.write("zab.current", currentEpoch);
        sync(ctx);
        phase = Phase.BROADCAST;
        ctx.send(from, new AckNewLeader(n.epoch(), lastZxid()));
    }

    /**
     * Follower: NEWLEADER with SNAP from the leader's snapshot. As {@link #onNewLeader}, except that the follower's
     * state becomes the snapshot (the host installs it) and its history the transactions after it; the snapshot holds
     * committed transactions only, so they count as delivered.
     */
    private void onNewLeaderSnapshot(Context<ZabMessage> ctx, int from, ZabMessage.NewLeaderSnapshot n) {
        if (state != ServerState.FOLLOWING || from != leader || phase != Phase.SYNCHRONISATION
                || n.epoch() != accepted.epoch() || accepted.leader() != from) {
            return;
        }
        lastHeardTick = tick;
        ZabSnapshot snap = n.snapshot();
        history.clear();
        snapshot = snap;
        ctx.write("zab.snap", snap);
        ctx.write("zab.length", snap.index());
        setBase(ctx, snap.index(), snap.zxid());
        delivered = snap.index();
        commitZxid = snap.zxid();
        listener.installed(ctx, snap);
        for (Txn t : n.txns()) {
            append(ctx, t);
        }
        if (!lastZxid().equals(n.lastZxid())) {
            throw new IllegalStateException("server " + self + ": after SNAP the history ends at " + lastZxid() + ", the leader's at " + n.lastZxid());
        }
        currentEpoch = n.epoch();
        ctx.write("zab.current", currentEpoch);
        sync(ctx);
        phase = Phase.BROADCAST;
        ctx.send(from, new AckNewLeader(n.epoch(), lastZxid()));
    }

    /** Leader: ACK-LD. When a quorum (with the leader) holds the initial history, the epoch is established. */
    private void onAckNewLeader(Context<ZabMessage> ctx, int from, AckNewLeader a) {
        Learner l = learners.get(from);
        if (state != ServerState.LEADING || a.epoch() != currentEpoch || l == null || !l.receiving || l.synced) {
            return;
        }
        l.synced = true;
        l.acked = a.lastZxid();
        l.lastHeardTick = tick;
        if (phase == Phase.BROADCAST) {
            ctx.send(from, new UpToDate(currentEpoch, commitZxid));
            maybeCommit(ctx);
        } else {
            maybeEstablished(ctx);
        }
    }

    private void maybeEstablished(Context<ZabMessage> ctx) {
        if (phase != Phase.SYNCHRONISATION || syncedCount() + 1 < quorum()) {
            return;
        }
        phase = Phase.BROADCAST;
        ctx.output(new Established(currentEpoch, lastZxid()));
        commitTo(ctx, lastZxid()); // the initial history is committed (step l.2.2)
        for (Map.Entry<Integer, Learner> e : learners.entrySet()) {
            if (e.getValue().synced) {
                ctx.send(e.getKey(), new UpToDate(currentEpoch, commitZxid));
            }
        }
    }

    /** Follower: UPTODATE, the end of synchronisation; it commits the initial history and may serve clients. */
    private void onUpToDate(Context<ZabMessage> ctx, int from, UpToDate u) {
        if (!followingInBroadcast(from, u.epoch())) {
            return;
        }
        lastHeardTick = tick;
        upToDate = true;
        commitTo(ctx, u.commitZxid());
    }

    // ---------------------------------------------------------------- phase 3: broadcast

    private boolean followingInBroadcast(int from, long epoch) {
        return state == ServerState.FOLLOWING && from == leader && phase == Phase.BROADCAST && epoch == currentEpoch;
    }

    /** Leader: the next zxid ⟨e', c+1⟩ for {@code value}, logged durably, then sent to every follower being synchronised. */
    private void propose(Context<ZabMessage> ctx, Object value) {
        if (batch > 1) {
            pending.add(value);
            fillWindow(ctx); // goes now if the window has room; otherwise a commit makes room
            return;
        }
        Zxid last = lastZxid();
        Zxid z = new Zxid(currentEpoch, last.epoch() == currentEpoch ? last.counter() + 1 : 1);
        Txn t = new Txn(z, value);
        append(ctx, t);
        sync(ctx);
        ctx.output(new Proposed(currentEpoch, t, z.counter() == 1 ? List.copyOf(history) : List.of()));
        for (Map.Entry<Integer, Learner> e : learners.entrySet()) {
            if (e.getValue().receiving) {
                ctx.send(e.getKey(), new Proposal(currentEpoch, t));
            }
        }
        maybeCommit(ctx);
    }

    /**
     * Leader, batching: forgets the batches that committed, then sends queued changes, up to {@code batch} per
     * PROPOSAL, while fewer than {@code window} batches are in flight. Not re-entered (a batch that commits at once,
     * as in a single-server ensemble, lets the loop go on rather than recurse).
     */
    private void fillWindow(Context<ZabMessage> ctx) {
        if (filling) {
            return;
        }
        filling = true;
        try {
            while (state == ServerState.LEADING && phase == Phase.BROADCAST && !pending.isEmpty()) {
                while (!inFlight.isEmpty() && !inFlight.peekFirst().after(commitZxid)) {
                    inFlight.pollFirst();
                }
                if (inFlight.size() >= window) {
                    return;
                }
                flush(ctx);
            }
        } finally {
            filling = false;
        }
    }

    /** Leader, batching: the first {@code batch} queued changes as one PROPOSAL, with one fsync. */
    private void flush(Context<ZabMessage> ctx) {
        if (pending.isEmpty()) {
            return;
        }
        List<Object> values = new ArrayList<>(pending.subList(0, Math.min(batch, pending.size())));
        pending.subList(0, values.size()).clear();
        List<Txn> txns = new ArrayList<>(values.size());
        for (Object value : values) {
            Zxid last = lastZxid();
            Txn t = new Txn(new Zxid(currentEpoch, last.epoch() == currentEpoch ? last.counter() + 1 : 1), value);
            append(ctx, t);
            txns.add(t);
            ctx.output(new Proposed(currentEpoch, t, t.zxid().counter() == 1 ? List.copyOf(history) : List.of()));
        }
        sync(ctx);
        inFlight.addLast(lastZxid());
        ZabMessage m = txns.size() == 1 ? new Proposal(currentEpoch, txns.get(0)) : new ProposalBatch(currentEpoch, txns);
        for (Map.Entry<Integer, Learner> e : learners.entrySet()) {
            if (e.getValue().receiving) {
                ctx.send(e.getKey(), m);
            }
        }
        maybeCommit(ctx);
    }

    /**
     * Follower: PROPOSAL (or a batch of them, taken as consecutive PROPOSALs with one fsync and one ACK). Logged only
     * if it comes from its leader in its current epoch and in zxid order, so the history stays the leader's initial
     * history followed by its proposals in order: one that overtook an earlier one waits in {@link #early} until the
     * gap fills (TCP would have kept the order); a gap that stays open for
     * {@link #GAP_TICKS} means a lost message, and the follower registers again (as after a broken connection). The
     * ACK leaves after the fsync, so an acknowledged transaction survives a crash.
     */
    private void onProposal(Context<ZabMessage> ctx, int from, long epoch, List<Txn> txns) {
        if (mutation == Mutation.ACCEPT_OLD_EPOCH && state == ServerState.FOLLOWING && phase == Phase.BROADCAST
                && (from != leader || epoch < currentEpoch) && epoch <= currentEpoch) {
            for (Txn t : txns) {
                append(ctx, t); // from a primary of an earlier epoch, taken as it is
            }
            sync(ctx);
            ctx.send(from, new Ack(epoch, txns.get(txns.size() - 1).zxid()));
            return;
        }
        if (!followingInBroadcast(from, epoch)) {
            return;
        }
        lastHeardTick = tick;
        boolean fresh = false;
        for (Txn t : txns) {
            if (t.zxid().after(lastZxid()) && t.zxid().epoch() == currentEpoch) {
                early.put(t.zxid(), t);
                fresh = true;
            }
        }
        if (!fresh) {
            return; // duplicates
        }
        Zxid before = lastZxid();
        while (!early.isEmpty()) {
            Zxid last = lastZxid();
            Zxid z = early.firstKey();
            boolean next = last.epoch() == currentEpoch ? z.counter() == last.counter() + 1 : z.counter() == 1;
            if (!next) {
                break;
            }
            append(ctx, early.remove(z));
        }
        if (lastZxid().after(before)) {
            sync(ctx);
            ctx.send(from, new Ack(epoch, lastZxid()));
        }
        if (early.isEmpty()) {
            gapSinceTick = -1;
        } else if (gapSinceTick < 0) {
            gapSinceTick = tick;
        }
    }

    /** Follower: after lost messages, ask the same leader to synchronise it again (as after a reconnection). */
    private void register(Context<ZabMessage> ctx) {
        boolean wasServing = serving();
        phase = Phase.DISCOVERY;
        upToDate = false;
        early.clear();
        gapSinceTick = -1;
        if (wasServing) {
            listener.stoppedServing(ctx);
        }
        ctx.send(leader, new CEpoch(accepted.epoch()));
    }

    /** Leader: ACK(e', z) from a synchronised follower, which holds every transaction up to z. */
    private void onAck(Context<ZabMessage> ctx, int from, Ack a) {
        Learner l = learners.get(from);
        if (state != ServerState.LEADING || a.epoch() != currentEpoch || l == null || !l.synced) {
            return;
        }
        l.lastHeardTick = tick;
        if (a.zxid().after(l.acked)) {
            l.acked = a.zxid();
        }
        maybeCommit(ctx);
    }

    /**
     * Leader: commits, in zxid order, every proposal of this epoch that a quorum (the leader included) has logged:
     * the quorum-th highest acknowledged zxid (step l.3.3). Only this epoch's proposals are counted; earlier ones
     * were committed with the initial history.
     */
    private void maybeCommit(Context<ZabMessage> ctx) {
        if (phase != Phase.BROADCAST) {
            return;
        }
        Zxid q;
        if (mutation == Mutation.COMMIT_BEFORE_QUORUM) {
            q = lastZxid();
        } else {
            List<Zxid> acks = new ArrayList<>();
            acks.add(lastZxid());
            for (Learner l : learners.values()) {
                if (l.synced) {
                    acks.add(l.acked);
                }
            }
            if (acks.size() < quorum()) {
                return;
            }
            acks.sort(Collections.reverseOrder());
            q = acks.get(quorum() - 1);
        }
        if (q.epoch() != currentEpoch || !q.after(commitZxid)) {
            return;
        }
        commitTo(ctx, q);
        for (Map.Entry<Integer, Learner> e : learners.entrySet()) {
            if (e.getValue().receiving) {
                ctx.send(e.getKey(), new Commit(currentEpoch, q));
            }
        }
        if (batch > 1 && state == ServerState.LEADING) {
            // Pipelined batches: an earlier step's batch may still be waiting for its log force, holding that step's
            // deliveries and COMMITs; this step's must not overtake them. Nothing to write: the fsync only orders this
            // step's effects after the forces in progress (ZooKeeper's CommitProcessor hands commits on in order).
            ctx.fsync();
        }
        if (state == ServerState.LEADING) {
            fillWindow(ctx); // batching: committed batches made room in the window for the queue
        }
    }

    /** Follower: COMMIT(e', z) from its leader: deliver every transaction up to z that it holds. */
    private void onCommit(Context<ZabMessage> ctx, int from, long epoch, Zxid z) {
        if (mutation == Mutation.ACCEPT_OLD_EPOCH && state == ServerState.FOLLOWING && phase == Phase.BROADCAST
                && (from != leader || epoch < currentEpoch) && epoch <= currentEpoch) {
            commitTo(ctx, z); // from a primary of an earlier epoch, taken as it is
            return;
        }
        if (!followingInBroadcast(from, epoch)) {
            return;
        }
        lastHeardTick = tick;
        commitTo(ctx, z);
    }

    private void onPing(Context<ZabMessage> ctx, int from, Ping p) {
        if (state != ServerState.FOLLOWING || from != leader) {
            return;
        }
        lastHeardTick = tick;
        ctx.send(from, new PingAck(p.epoch()));
        if (phase == Phase.SYNCHRONISATION && p.epoch() == accepted.epoch()) {
            register(ctx); // the leader broadcasts, so our NEWLEADER was lost: ask again
        } else if (followingInBroadcast(from, p.epoch())) {
            upToDate = true; // an established leader's PING stands for a lost UPTODATE
            commitTo(ctx, p.commitZxid());
        }
    }

    private void heardFrom(int from, long epoch) {
        Learner l = learners.get(from);
        if (state == ServerState.LEADING && l != null && epoch == currentEpoch) {
            l.lastHeardTick = tick;
        }
    }

    /** Leader's tick: give up an epoch not established in time, or a quorum not heard from; otherwise PING. */
    private void leaderTick(Context<ZabMessage> ctx) {
        if (phase != Phase.BROADCAST) {
            if (tick - leadingSinceTick > INIT_LIMIT_TICKS) {
                lookForLeader(ctx);
            }
            return;
        }
        int alive = 1;
        for (Learner l : learners.values()) {
            if (tick - l.lastHeardTick <= SYNC_LIMIT_TICKS) {
                alive++; // synchronised, or being synchronised again
            }
        }
        if (alive < quorum()) {
            lookForLeader(ctx); // ZooKeeper: "Not sufficient followers synced"
            return;
        }
        for (Map.Entry<Integer, Learner> e : learners.entrySet()) {
            if (e.getValue().receiving) {
                ctx.send(e.getKey(), new Ping(currentEpoch, commitZxid));
            }
        }
    }

    // ---------------------------------------------------------------- history and delivery

    /** Delivers, in order, every transaction of the history up to {@code z} not delivered yet. */
    private void commitTo(Context<ZabMessage> ctx, Zxid z) {
        if (state == ServerState.FOLLOWING && z.after(lastZxid()) && gapSinceTick < 0) {
            gapSinceTick = tick; // committed beyond what we hold: a proposal is missing (or still on its way)
        }
        while (delivered < length() && !txnAt(delivered + 1).zxid().after(z)) {
            Txn t = txnAt(delivered + 1);
            delivered++;
            commitZxid = t.zxid();
            ctx.output(new Delivered(delivered, t));
            listener.delivered(ctx, delivered, t);
        }
    }

    /** Makes this step's writes durable before its messages leave (counted for the batching experiment). */
    private void sync(Context<ZabMessage> ctx) {
        fsyncs++;
        ctx.fsync();
    }

    private void append(Context<ZabMessage> ctx, Txn t) {
        history.add(t);
        ctx.write("zab.h/" + length(), t);
        ctx.write("zab.length", length());
    }

    /**
     * Cuts the history to its first {@code length} transactions (keys above are garbage, ignored on reload). Below
     * the compacted base only to 0, for a SNAP of a whole history: the log then starts again at the first transaction.
     */
    private void truncateTo(Context<ZabMessage> ctx, long length) {
        if (length < base) {
            if (length != 0) {
                throw new IllegalStateException("server " + self + ": cannot cut the history to " + length + ", compacted up to " + base);
            }
            history.clear();
            setBase(ctx, 0, Zxid.ZERO);
        }
        while (length() > length) {
            history.remove(history.size() - 1);
        }
        ctx.write("zab.length", length);
        if (delivered > length) { // only a broken protocol cuts what it delivered; the monitors see what follows
            delivered = length;
        }
    }

    private int syncedCount() {
        int n = 0;
        for (Learner l : learners.values()) {
            if (l.synced) {
                n++;
            }
        }
        return n;
    }

    private int quorum() {
        return servers / 2 + 1;
    }

    @Override
    public String toString() {
        return "ZabNode[" + self + " " + state + "/" + phase + " epoch " + currentEpoch + " accepted " + accepted.epoch()
                + " last " + lastZxid() + " delivered " + delivered + "]";
    }
}
