package io.github.dsw.raft;

import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import io.github.dsw.raft.RaftMessage.InstallSnapshot;
import io.github.dsw.raft.RaftMessage.InstallSnapshotResponse;
import io.github.dsw.raft.RaftMessage.RequestVote;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;

/**
 * Raft's core as a pure state machine, in the shape of etcd's {@code raft} package: it never touches a
 * clock, a disk or a socket. Inputs are {@link #tick()} (one unit of logical time), {@link #step}
 * (a message from a peer) and {@link #propose} (a client command at the leader); every effect is
 * collected and handed out by {@link #ready()}: the hard state, log entries and snapshot to persist, the
 * messages to send (only after persisting them), and the snapshot to restore and newly committed entries
 * to apply.
 *
 * <p>What is implemented, rule by rule with the paper's and the dissertation's section numbers, is listed in
 * the package overview ({@code package-info.java}); each rule also has a golden scenario that states it as a
 * script (scenarios: {@code src/test/resources/raft-golden/}).
 *
 * <p>Cost: a step is O(1) plus the entries it carries, except the back-off searches, which scan the log
 * back over one term, and the commit search, which scans matchIndex for each candidate index (O(n) per
 * index, n servers).
 */
public final class RaftNode {

    /** "Nobody", for votedFor and the leader id. */
    public static final int NONE = -1;

    /** A server's role; PRE_CANDIDATE is the PreVote phase before a real candidacy. */
    public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }

    private final RaftConfig config;
    private final IntUnaryOperator random;
    private int quorum; // a majority of membership's voters

    // configuration (dissertation chapter 4): the latest ConfChange in the log is in effect, committed or not
    private Membership membership;
    private long confIndex; // index of the last ConfChange entry in the log, 0 if none

    // persistent state (Figure 2)
    private long currentTerm;
    private int votedFor = NONE;
    private final RaftLog log; // the entries after the snapshot, and the snapshot (the log's base)

    // volatile state
    private long commitIndex;
    private long lastApplied;
    private Role role = Role.FOLLOWER;
    private int leaderId = NONE;
    private int electionElapsed;
    private int heartbeatElapsed;
    private int randomizedElectionTimeout;
    private final Map<Integer, Boolean> votes = new HashMap<>(); // candidate: the answers so far (granted or not)

    // leader state: one Progress per server id (its own entry tracks the leader's log), replaced by a fresh
    // one at each election and for each server that joins
    private final Progress[] progress;
    private final ReadOnly readOnly; // ReadIndex requests waiting for confirmation, and the contexts that date leases
    private int leadTransferee = NONE; // leadership transfer in progress (dissertation 3.10)
    private int transferElapsed;
    private boolean timeoutNowSent;
    private boolean transferredThisTerm; // no lease reads for the rest of a term in which a transfer began

    // follower state: the snapshot being received (volatile, as the partial file of Figure 13 would be after a crash)
    private final RaftRules.SnapshotAssembler incoming;
    private final RaftRules.FollowerLog followerLog = new FollowerLogView(); // what the AppendEntries rule sees

    // local time: ticks of this incarnation; a restarted server keeps CheckQuorum's promise for its first election timeout
    private long ticks;
    private boolean bootLease;

    // what ready() has not handed out yet
    private HardState persisted;
    private final List<Envelope> outbox = new ArrayList<>();
    private final List<ReadState> readStates = new ArrayList<>();
    private Snapshot unsavedSnapshot;

    // counters of this incarnation, for status()
    private long rejectionsReceived;
    private long snapshotsInstalled;
    private long leaseReads;

    private RaftNode(RaftConfig config, IntUnaryOperator random, HardState hard, Snapshot snap, List<LogEntry> entries) {
        if (config == null || random == null || hard == null || snap == null || entries == null) {
            throw new IllegalArgumentException("config, random, hard state, snapshot and entries must not be null");
        }
        if (snap.term() > hard.currentTerm()) {
            throw new IllegalArgumentException("snapshot term " + snap.term() + " must be <= currentTerm " + hard.currentTerm());
        }
        if (hard.currentTerm() < 0 || hard.votedFor() < NONE || hard.votedFor() >= config.servers()) {
            throw new IllegalArgumentException("invalid hard state " + hard);
        }
        this.config = config;
        this.random = random;
        this.incoming = config.rules().snapshots().newAssembler();
        int n = config.servers();
        this.progress = new Progress[n];
        for (int p = 0; p < n; p++) {
            progress[p] = new Progress(0, config.maxInflight()); // replaced when this server is elected
        }
        this.readOnly = new ReadOnly(n, config.id());
        this.currentTerm = hard.currentTerm();
        this.votedFor = hard.votedFor();
        this.log = new RaftLog(snap, entries);
        this.persisted = hard;
        this.commitIndex = snap.index(); // a snapshot only ever covers committed entries; lastApplied stays 0 until ready() restores it
        // A server that restarts may have acknowledged a leader just before it crashed: it keeps the
        // CheckQuorum promise (no vote for another server within an election timeout) as if it had heard
        // from a leader at boot, so a crash cannot shorten the leader's lease (dissertation 6.4.1).
        recomputeMembership();
        resetTimers();
        this.bootLease = !entries.isEmpty() || hard.currentTerm() > 0;
    }

    /**
     * A server booting with an empty log.
     *
     * @param random source of randomness: {@code random.applyAsInt(b)} is uniform in [0, b)
     */
    public static RaftNode create(RaftConfig config, IntUnaryOperator random) {
        return new RaftNode(config, random, new HardState(0, NONE), Snapshot.NONE, List.of());
    }

    /** A server restarting from its durable hard state and log (volatile state starts over). */
    public static RaftNode restart(RaftConfig config, IntUnaryOperator random, HardState hard, List<LogEntry> entries) {
        return new RaftNode(config, random, hard, Snapshot.NONE, entries);
    }

    /**
     * A server restarting from its durable hard state, snapshot and the log after it ({@code entries}
     * are indexes {@code snapshot.index() + 1, ...}). commitIndex starts at the snapshot's index (it covers
     * only committed entries), and the first {@link #ready()} hands the snapshot out as {@code restore},
     * so the application rebuilds its state machine from it before applying anything else.
     */
    public static RaftNode restart(RaftConfig config, IntUnaryOperator random, HardState hard, Snapshot snapshot, List<LogEntry> entries) {
        return new RaftNode(config, random, hard, snapshot, entries);
    }

    // ------------------------------------------------------------------ inputs

    /** One unit of logical time: election timeout for followers and candidates, heartbeats for a leader. */
    public void tick() {
        ticks++;
        if (role == Role.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    /**
     * Appends {@code command} to the leader's log and starts replicating it: {@link Proposal.Accepted}
     * with its index, or {@link Proposal.Refused} if this server does not believe it is the leader (the
     * caller should redirect to {@link #leaderId()}) or is transferring its leadership. A
     * {@link ConfChange} must go through {@link #proposeConfChange}. An accepted entry is not a promise:
     * it commits only if this leader keeps its majority.
     */
    public Proposal propose(Object command) {
        if (command instanceof ConfChange) {
            throw new IllegalArgumentException("command must not be a ConfChange: use proposeConfChange, got " + command);
        }
        if (role != Role.LEADER) {
            return new Proposal.Refused("not the leader");
        }
        if (leadTransferee != NONE) {
            return new Proposal.Refused("transferring leadership to " + leadTransferee); // section 3.10: no new proposals
        }
        return appendAndReplicate(command);
    }

    private Proposal.Accepted appendAndReplicate(Object command) {
        appendEntry(new LogEntry(currentTerm, command));
        long index = lastIndex();
        broadcastAppend(false);
        maybeCommit();
        return new Proposal.Accepted(index);
    }

    /**
     * Log compaction (extended paper section 7; dissertation section 5.1): the application has a snapshot
     * {@code data} of its state machine after applying every entry through {@code index}; the log drops
     * those entries and keeps the snapshot (index, the entry's term, data), which the next
     * {@link #ready()} hands out to persist (not to restore: the application already has that state).
     * Every server compacts on its own, at any applied index; a leader sends this snapshot to a follower
     * that needs a discarded entry. Cost: O(entries kept) to shift the log.
     *
     * @return false, changing nothing, if {@code index} is not above the current snapshot (e.g. a
     *         snapshot from the leader was installed meanwhile)
     * @throws IllegalArgumentException if {@code index} is negative or above lastApplied, or data is null
     */
    public boolean compact(long index, byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("data must not be null");
        }
        if (index < 0 || index > lastApplied) {
            throw new IllegalArgumentException("index must be in 0..lastApplied (" + lastApplied + "), got " + index);
        }
        if (index <= log.snapshotIndex()) {
            return false;
        }
        Membership covered = log.configurationThrough(index, config.initialVoters()).membership(); // before its entries go
        log.restoreTo(new Snapshot(new SnapshotMeta(index, termAt(index), covered), data), true); // a prefix of our own log
        unsavedSnapshot = log.snapshot();
        return true;
    }

    /**
     * Proposes a single-server membership change (dissertation 4.1-4.3): {@link Proposal.Accepted} with
     * its log index, or {@link Proposal.Refused} with the reason. Like every entry it is replicated and committed
     * by the Raft rules, but it takes effect on each server as soon as it is in that server's log (4.1),
     * here at once on the leader, so a majority of the new voters commits it.
     *
     * <p>Refused unless all of these hold:
     * <ul>
     *   <li>this server leads and is not transferring its leadership;</li>
     *   <li>it has committed an entry of its own term (the no-op of section 8). This is the fix Ongaro gave
     *       on raft-dev in 2015 for a bug in single-server changes: without it, a configuration appended
     *       by a new leader and one left uncommitted by an earlier leader can each differ by one server
     *       from their common parent but by two from each other, so their majorities need not overlap and
     *       a committed entry can be lost ("Leaders should reject join requests prior to committing
     *       entries from previous terms", atomix/copycat issue #23, citing
     *       groups.google.com/forum/#!topic/raft-dev/t4xj6dJTP6E; the same thread is quoted in
     *       baidu/braft issue #182). Once an entry of its term is committed, no older uncommitted
     *       configuration can commit any more (the servers holding the leader's entry will not vote for
     *       a server that lacks it), so the leader's configuration is the latest that can be;</li>
     *   <li>no earlier configuration entry is uncommitted (one change at a time: section 4.1);</li>
     *   <li>the change makes sense for the current configuration ({@link Membership#refusal}), and a
     *       PROMOTE names a learner that has caught up: a replication round (all entries up to the leader's
     *       last index when the round began) took less than an election timeout (section 4.2.1; see
     *       {@link PeerStatus#learnerCaughtUp}), and this leader has heard from it within the last election timeout
     *       (a learner that went silent after catching up must catch up again).</li>
     * </ul>
     */
    public Proposal proposeConfChange(ConfChange change) {
        if (change == null) {
            throw new IllegalArgumentException("change must not be null");
        }
        if (change.node() >= config.servers()) {
            throw new IllegalArgumentException("change.node must be in 0.." + (config.servers() - 1) + ", got " + change.node());
        }
        String why = null;
        if (role != Role.LEADER) {
            why = "not the leader";
        } else if (leadTransferee != NONE) {
            why = "transferring leadership to " + leadTransferee;
        } else if (config.mutation() != Mutation.CONF_CHANGE_BEFORE_NOOP && termAt(commitIndex) != currentTerm) {
            why = "no entry of term " + currentTerm + " committed yet (raft-dev 2015 fix)";
        } else if (confIndex > commitIndex) {
            why = "configuration entry " + confIndex + " not committed yet";
        } else {
            why = membership.refusal(change);
            if (why == null && change.type() == ConfChange.Type.PROMOTE) {
                Progress pr = progress[change.node()];
                if (pr.caughtUp && pr.heardTick < ticks - config.electionTicks()) {
                    // it caught up once but has been silent for an election timeout since (crashed, cut
                    // off, or slow): promoting it now would add a voter that cannot help form a majority.
                    // It must catch up again, with a fresh round (section 4.2.1).
                    pr.caughtUp = false;
                    pr.startRound(ticks, lastIndex());
                }
                if (!pr.caughtUp) {
                    why = "learner " + change.node() + " has not caught up";
                }
            }
        }
        return why != null ? new Proposal.Refused(why) : appendAndReplicate(change);
    }

    /**
     * Starts a leadership transfer to voter {@code target} (dissertation 3.10): the leader stops
     * accepting proposals, brings the target's log up to date, then sends it {@link RaftMessage.TimeoutNow};
     * the target campaigns at once, without PreVote, with a RequestVote marked so voters ignore their
     * CheckQuorum lease. The transfer aborts after an election timeout (then proposals resume); it ends
     * when this server stops leading. Refused (and nothing changes) if this server does not lead, is
     * already transferring, or {@code target} is itself or not a voter.
     */
    public Transfer transferLeadership(int target) {
        if (target < 0 || target >= config.servers()) {
            throw new IllegalArgumentException("target must be in 0.." + (config.servers() - 1) + ", got " + target);
        }
        String why = role != Role.LEADER ? "not the leader"
                : leadTransferee != NONE ? "already transferring to " + leadTransferee
                : target == config.id() ? "the target is this leader"
                : !membership.isVoter(target) ? "server " + target + " is not a voter" : null;
        if (why != null) {
            return new Transfer.Refused(why);
        }
        leadTransferee = target;
        transferElapsed = 0;
        timeoutNowSent = false;
        transferredThisTerm = true;
        if (progress[target].match == lastIndex()) {
            sendTimeoutNow();
        } else {
            sendAppend(target, false);
        }
        return new Transfer.Started(target);
    }

    private void sendTimeoutNow() {
        timeoutNowSent = true;
        send(leadTransferee, new RaftMessage.TimeoutNow(currentTerm));
    }

    /**
     * Lease read (dissertation 6.4.1): if this leader's lease holds, hands out at once (through
     * {@link #ready()}) a {@link ReadState} at its commitIndex, with no message exchanged, and returns
     * true; otherwise returns false and the caller falls back to {@link #readIndex} or redirects.
     *
     * <p>Why it is safe: a follower that accepted an AppendEntries from this leader ignores every vote
     * request for {@code electionTicks} of its own ticks (CheckQuorum's lease, {@code inLease}). So if a
     * majority of the voters acknowledged messages this leader sent at tick {@code s} or later, no other
     * server can be elected before each of them has counted an election timeout after receiving them,
     * i.e. not within electionTicks - 1 full ticks of theirs after {@code s}. The leader measures the lease
     * on its own clock: it holds while {@code (ticks - s + 1) * (1 + maxClockDrift) <= electionTicks - 1}
     * (the lease length electionTicks / (1 + maxClockDrift), minus one tick on each side for the unknown
     * phase of the two clocks' ticks).
     *
     * <p>The clock-drift bound this relies on: during a lease, one tick of the leader lasts at most
     * (1 + maxClockDrift) ticks of any follower in real time. A leader whose clock runs slower than
     * that (or jumps back, or a follower's forward) can serve a stale read: lease reads trade ReadIndex's
     * heartbeat round for this timing assumption (a test shows both sides). Ticks must also keep pace
     * with real time: a process pause that swallows ticks (a timer-driven tick fires once, late, after
     * the pause) is a clock that stops, beyond any bound; etcd's {@code ReadOnlyLeaseBased} warns of the
     * same ("clock can move backward/pause without any bound", etcd-io/raft raft.go). So the environment
     * must call {@link #tick()} once per elapsed tick of a monotonic clock before handing over any input;
     * the host {@link RaftHost} does ({@link TickClock}, on
     * {@link io.github.dsw.runtime.Context#monotonicNow}): a leader resumed after a pause first counts the
     * pause's ticks, and its lease has run out before it sees a read (RaftLeaseReadTest shows it both with
     * and without that catch-up). The catch-up follows the local clock's RATE, so it does not help a
     * clock that runs slow beyond maxClockDrift: that still breaks lease reads, as it must. Also required: CheckQuorum on every server (a restarted
     * server keeps its promise for its first election timeout); an entry of this term committed (as
     * for ReadIndex).
     *
     * <p>Leadership transfer breaks the followers' promise on purpose (the transfer's RequestVote
     * ignores the lease), so a leader that has started a transfer serves no lease read for the rest of
     * its term. That is enough: only the leader of term T sends TimeoutNow in T, the target campaigns
     * in T + 1 where it can only compete with elections that honour the lease, and a later term's
     * leader holds its own lease from its own heartbeats.
     */
    public boolean leaseRead(Object context) {
        if (!leaseValid()) {
            return false;
        }
        readStates.add(new ReadState(context, commitIndex));
        leaseReads++;
        return true;
    }

    /** Whether {@link #leaseRead} would serve a read now. */
    private boolean leaseValid() {
        if (role != Role.LEADER || !config.checkQuorum() || transferredThisTerm || termAt(commitIndex) != currentTerm) {
            return false;
        }
        long[] acked = new long[membership.voters().size()];
        int k = 0;
        for (int v : membership.voters()) {
            acked[k++] = v == config.id() ? ticks : progress[v].ackTick;
        }
        Arrays.sort(acked);
        long start = acked[acked.length - quorum]; // the latest tick acknowledged by a majority
        return (ticks - start + 1) * (1 + config.maxClockDrift()) <= config.electionTicks() - 1;
    }

    /**
     * ReadIndex (dissertation section 6.4): asks for a linearizable read point. The leader records its
     * commitIndex as the read index and confirms it still leads by a heartbeat round acknowledged by a
     * majority; then {@link #ready()} hands out a {@link ReadState}. Returns false if this server is not
     * the leader, or has not yet committed an entry of its term (its commitIndex may still be behind the
     * cluster's; the no-op of section 8 fixes that shortly).
     */
    public boolean readIndex(Object context) {
        if (role != Role.LEADER || termAt(commitIndex) != currentTerm) {
            return false;
        }
        readOnly.addRequest(context, commitIndex, ticks);
        readOnly.release(membership, readStates);
        if (readOnly.hasPending()) {
            sendReadRound();
        }
        return true;
    }

    /**
     * A round of messages carrying the newest read context to every member, for ReadIndex. A follower in
     * probe state gets an empty AppendEntries at the index known to match (its matchIndex), which it
     * accepts, rather than another probe with entries: etcd likewise confirms reads with heartbeats, so a
     * burst of reads does not turn into a burst of full probes. The others get what a heartbeat sends.
     */
    private void sendReadRound() {
        for (int peer = 0; peer < config.servers(); peer++) {
            if (peer == config.id() || !membership.isMember(peer)) {
                continue;
            }
            long m = progress[peer].match;
            if (progress[peer].state == Progress.State.PROBE && m >= log.snapshotIndex()) {
                send(peer, AppendEntries.heartbeat(currentTerm, m, termAt(m), commitIndex, readOnly.lastContext()));
            } else {
                sendAppend(peer, true);
            }
        }
    }

    /** Handles a message from server {@code from}: the term rules first, then the role's handler. */
    public void step(int from, RaftMessage m) {
        if (from < 0 || from >= config.servers() || from == config.id()) {
            throw new IllegalArgumentException("from must be another server id in 0.." + (config.servers() - 1) + ", got " + from);
        }
        if (m.term() > currentTerm) {
            if (m instanceof RequestVote rv && !rv.leaderTransfer() && inLease()) {
                return; // CheckQuorum: we heard from a leader less than an election timeout ago
            }
            boolean futureTermOnly = (m instanceof RequestVote rv && rv.preVote())
                    || (m instanceof VoteResponse vr && vr.preVote() && vr.granted());
            if (!futureTermOnly) {
                boolean keepTimer = !config.timerResetOnNewTerm() && role != Role.LEADER;
                int elapsed = electionElapsed;
                int timeout = randomizedElectionTimeout;
                becomeFollower(m.term(), m instanceof AppendEntries || m instanceof InstallSnapshot || m instanceof RaftMessage.TimeoutNow
                        ? from : NONE);
                if (keepTimer) { // Figure 2 / LogCabin: a new term alone does not restart the election timer
                    electionElapsed = elapsed;
                    randomizedElectionTimeout = timeout;
                }
            }
        } else if (m.term() < currentTerm) {
            if ((config.checkQuorum() || config.preVote()) && (m instanceof AppendEntries || m instanceof InstallSnapshot)) {
                // A stale leader (e.g. cut off by CheckQuorum peers that ignore its term) learns it is deposed.
                send(from, AppendResponse.staleTerm(currentTerm));
            } else if (m instanceof RequestVote rv && rv.preVote()) {
                send(from, VoteResponse.reject(currentTerm, true));
            }
            return;
        }
        switch (m) {
            case RequestVote rv -> handleRequestVote(from, rv);
            default -> {
                switch (role) {
                    case FOLLOWER -> stepFollower(from, m);
                    case PRE_CANDIDATE, CANDIDATE -> stepCandidate(from, m);
                    case LEADER -> stepLeader(from, m);
                    default -> throw new IllegalStateException("unknown role " + role);
                }
            }
        }
    }

    /** Hands out and forgets everything produced since the last call (see {@link Ready}). */
    public Ready ready() {
        HardState hard = new HardState(currentTerm, votedFor);
        HardState changed = hard.equals(persisted) ? null : hard;
        persisted = hard;
        long first = log.firstUnstableIndex();
        List<LogEntry> unstable = log.takeUnstable();
        Snapshot toPersist = unsavedSnapshot;
        unsavedSnapshot = null;
        List<Envelope> messages = List.copyOf(outbox);
        outbox.clear();
        Snapshot restore = null;
        if (lastApplied < log.snapshotIndex()) {
            restore = log.snapshot(); // installed from the leader, or loaded at restart: the state machine starts over from it
            lastApplied = log.snapshotIndex();
        }
        long firstCommitted = lastApplied + 1;
        List<LogEntry> committed = log.slice(lastApplied + 1, commitIndex + 1);
        lastApplied = commitIndex;
        List<ReadState> reads = List.copyOf(readStates);
        readStates.clear();
        return new Ready(changed, first, unstable, messages, firstCommitted, committed, reads, toPersist, restore);
    }

    // ------------------------------------------------------------------ role handlers

    private void stepFollower(int from, RaftMessage m) {
        switch (m) {
            case AppendEntries ae -> {
                electionElapsed = 0;
                leaderId = from;
                handleAppendEntries(from, ae);
            }
            case VoteResponse vr -> {
                // a late answer to an abandoned candidacy
            }
            case AppendResponse ar -> {
                // a late answer to a term in which we led
            }
            case InstallSnapshot is -> {
                electionElapsed = 0; // each chunk is a sign of life (dissertation Figure 5.3)
                leaderId = from;
                handleInstallSnapshot(from, is);
            }
            case InstallSnapshotResponse r -> {
            }
            case RaftMessage.TimeoutNow tn -> {
                if (membership.isVoter(config.id())) {
                    becomeCandidate(true); // section 3.10: campaign at once, no PreVote, past the voters' lease
                }
            }
            case RequestVote rv -> throw new IllegalStateException("handled in step");
        }
    }

    private void stepCandidate(int from, RaftMessage m) {
        switch (m) {
            case AppendEntries ae -> {
                // a leader exists in our term (same term: Election Safety says it is the only one)
                becomeFollower(currentTerm, from);
                handleAppendEntries(from, ae);
            }
            case VoteResponse vr -> {
                if (vr.preVote() == (role == Role.PRE_CANDIDATE)) {
                    votes.put(from, vr.granted());
                    tallyVotes();
                }
            }
            case AppendResponse ar -> {
            }
            case InstallSnapshot is -> {
                becomeFollower(currentTerm, from);
                handleInstallSnapshot(from, is);
            }
            case InstallSnapshotResponse r -> {
            }
            case RaftMessage.TimeoutNow tn -> {
                // only a follower of the transferring leader acts on it
            }
            case RequestVote rv -> throw new IllegalStateException("handled in step");
        }
    }

    private void stepLeader(int from, RaftMessage m) {
        switch (m) {
            case AppendResponse ar -> handleAppendResponse(from, ar);
            case AppendEntries ae -> throw new IllegalStateException(
                    "Election Safety broken: server " + config.id() + " and " + from + " both lead term " + currentTerm);
            case InstallSnapshot is -> throw new IllegalStateException(
                    "Election Safety broken: server " + config.id() + " and " + from + " both lead term " + currentTerm);
            case InstallSnapshotResponse r -> handleInstallSnapshotResponse(from, r);
            case VoteResponse vr -> {
            }
            case RaftMessage.TimeoutNow tn -> throw new IllegalStateException(
                    "Election Safety broken: server " + from + " sent TimeoutNow to leader " + config.id() + " of term " + currentTerm);
            case RequestVote rv -> throw new IllegalStateException("handled in step");
        }
    }

    // ------------------------------------------------------------------ election

    private boolean inLease() {
        return config.checkQuorum() && (leaderId != NONE || bootLease) && electionElapsed < config.electionTicks();
    }

    private void tickElection() {
        electionElapsed++;
        if (electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            if (!membership.isVoter(config.id())) {
                // learners and servers outside the configuration never campaign (dissertation 4.2.1, 4.2.3);
                // an election timeout without a leader has passed, so CheckQuorum's promise is kept: forget it
                leaderId = NONE;
                bootLease = false;
                return;
            }
            if (config.preVote()) {
                becomePreCandidate();
            } else {
                becomeCandidate();
            }
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (leadTransferee != NONE && ++transferElapsed >= config.electionTicks()) {
            leadTransferee = NONE; // section 3.10: the target did not win within an election timeout; resume
        }
        if (electionElapsed >= config.electionTicks()) {
            electionElapsed = 0;
            if (config.checkQuorum()) {
                int active = 0;
                for (int i : membership.voters()) {
                    active += (i == config.id() || progress[i].recentActive) ? 1 : 0;
                }
                for (Progress pr : progress) {
                    pr.recentActive = false;
                }
                if (active < quorum) {
                    becomeFollower(currentTerm, NONE);
                    return;
                }
            }
        }
        if (heartbeatElapsed >= config.heartbeatTicks()) {
            heartbeatElapsed = 0;
            for (Progress pr : progress) {
                pr.probeSent = false; // a heartbeat may carry one new probe to each probing follower
                if (pr.chunkInFlight && pr.chunkAge++ > 0) {
                    pr.chunkInFlight = false; // unanswered for a whole heartbeat interval: lost, send it again
                }
            }
            readOnly.startRound(ticks, ticks - 2L * config.electionTicks()); // its answers date the lease
            broadcastAppend(true);
        }
    }

    private void handleRequestVote(int from, RequestVote rv) {
        // the rule (RaftRules.Election; the reference: section 5.4.1 and PreVote) sees the state after the term rules
        boolean grant = config.rules().election().grantVote(new RaftRules.VoteRequest(currentTerm, votedFor, leaderId, from,
                rv.term(), rv.lastLogIndex(), rv.lastLogTerm(), rv.preVote(), lastIndex(), lastTerm()));
        if (grant) {
            if (!rv.preVote()) {
                votedFor = from; // persisted by ready() before the answer leaves
                electionElapsed = 0;
            }
            send(from, VoteResponse.grant(rv.preVote() ? rv.term() : currentTerm, rv.preVote()));
        } else {
            send(from, VoteResponse.reject(currentTerm, rv.preVote()));
        }
    }

    private void becomeFollower(long term, int leader) {
        readOnly.dropPending(); // unconfirmed reads die with the leadership; clients time out and retry
        leadTransferee = NONE;
        if (term != currentTerm) {
            currentTerm = term;
            votedFor = NONE;
        }
        role = Role.FOLLOWER;
        leaderId = leader;
        resetTimers();
    }

    private void becomePreCandidate() {
        role = Role.PRE_CANDIDATE;
        leaderId = NONE;
        resetTimers();
        campaign(currentTerm + 1, true);
    }

    private void becomeCandidate() {
        becomeCandidate(false);
    }

    /** {@code transfer}: the campaign a TimeoutNow asked for (voters ignore their lease for it). */
    private void becomeCandidate(boolean transfer) {
        currentTerm++;
        votedFor = config.id();
        role = Role.CANDIDATE;
        leaderId = NONE;
        resetTimers();
        campaign(currentTerm, false, transfer);
    }

    private void campaign(long term, boolean preVote) {
        campaign(term, preVote, false);
    }

    /** Asks the voters of this server's configuration; only their answers count (dissertation 4.1). */
    private void campaign(long term, boolean preVote, boolean transfer) {
        votes.clear();
        votes.put(config.id(), true);
        for (int peer : membership.voters()) {
            if (peer != config.id()) {
                send(peer, new RequestVote(term, lastIndex(), lastTerm(), preVote, transfer));
            }
        }
        tallyVotes();
    }

    private void tallyVotes() {
        int granted = 0;
        int rejected = 0;
        for (int i : membership.voters()) {
            Boolean vote = votes.get(i);
            if (vote != null) {
                if (vote) {
                    granted++;
                } else {
                    rejected++;
                }
            }
        }
        if (granted >= quorum) {
            if (role == Role.PRE_CANDIDATE) {
                becomeCandidate();
            } else {
                becomeLeader();
            }
        } else if (rejected >= quorum) {
            becomeFollower(currentTerm, NONE);
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leaderId = config.id();
        resetTimers();
        for (int p = 0; p < config.servers(); p++) {
            progress[p] = new Progress(lastIndex() + 1, config.maxInflight()); // before the no-op: the first probe carries it
        }
        for (int l : membership.learners()) {
            progress[l].startRound(ticks, lastIndex());
        }
        leadTransferee = NONE;
        transferredThisTerm = false;
        appendEntry(new LogEntry(currentTerm, null)); // section 8: commit a no-op to learn what is committed
        broadcastAppend(false);
        maybeCommit();
    }

    private void resetTimers() {
        bootLease = false;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        int e = config.electionTicks();
        int max = config.electionTicksMax();
        randomizedElectionTimeout = config.rules().election().electionTimeout(e, max, random);
        if (randomizedElectionTimeout < e || randomizedElectionTimeout > max) {
            throw new IllegalStateException("server " + config.id() + ": electionTimeout(" + e + ", " + max + ") returned "
                    + randomizedElectionTimeout + ", outside [" + e + ", " + max + "]");
        }
    }

    // ------------------------------------------------------------------ replication

    private void appendEntry(LogEntry e) {
        log.append(e);
        long last = log.lastIndex();
        Progress self = progress[config.id()];
        self.match = last;
        self.next = last + 1;
        if (e.command() instanceof ConfChange) {
            recomputeMembership(); // in effect from now on, committed or not (dissertation 4.1)
        }
    }

    /**
     * Derives the configuration from the log: the initial voters, then every ConfChange in log order.
     * Called when a configuration entry is appended or truncated away (a server then falls back to the
     * previous configuration, section 4.1), or a snapshot is installed.
     */
    private void recomputeMembership() {
        Membership before = membership;
        RaftLog.ConfigurationAt f = log.configurationThrough(lastIndex(), config.initialVoters());
        Membership m = f.membership() != null ? f.membership() : Membership.of(config.initialVoters());
        membership = m;
        confIndex = f.index();
        quorum = m.quorum();
        if (role == Role.LEADER && before != null) {
            for (int p = 0; p < config.servers(); p++) {
                if (p != config.id() && m.isMember(p) && !before.isMember(p)) {
                    // a new member: its log is unknown, probe it from our end (as for every follower at election);
                    // a server removed and added again starts from nothing, and must catch up again
                    progress[p] = new Progress(lastIndex(), config.maxInflight());
                    progress[p].startRound(ticks, lastIndex());
                }
            }
        }
    }

    /**
     * Sends an AppendEntries to every follower; {@code heartbeat} (a heartbeat or ReadIndex round) makes
     * it go out even to a follower whose window is full, then without entries.
     */
    private void broadcastAppend(boolean heartbeat) {
        for (int peer = 0; peer < config.servers(); peer++) {
            if (peer != config.id() && membership.isMember(peer)) {
                sendAppend(peer, heartbeat);
            }
        }
    }

    /**
     * Sends the entries from nextIndex (at most maxEntriesPerAppend). A follower in probe state gets one
     * message at a time and nextIndex stays put; one in replicate state gets a pipeline: nextIndex moves
     * past what was sent, and a rejection sends it back to probing. Answering every response with a
     * send, as a naive leader does, lets duplicated messages multiply without bound.
     *
     * <p>Flow control: in replicate state at most {@code maxInflight} messages with entries are
     * unacknowledged. When the window is full nothing is sent, except an empty AppendEntries if
     * {@code heartbeat}: entries proposed meanwhile accumulate and leave in one batch when an answer
     * opens the window (etcd's {@code Inflights}).
     */
    private void sendAppend(int peer, boolean heartbeat) {
        Progress pr = progress[peer];
        if (pr.state == Progress.State.SNAPSHOT || pr.next <= log.snapshotIndex()) {
            sendSnapshotChunk(peer); // the entry before nextIndex is compacted: no consistency check possible
            return;
        }
        if (pr.state == Progress.State.PROBE && pr.probeSent) {
            return;
        }
        long prev = pr.next - 1;
        long last = Math.min(lastIndex(), prev + config.maxEntriesPerAppend());
        if (pr.state == Progress.State.REPLICATE && last > prev && pr.inflights.full()) {
            if (heartbeat) {
                send(peer, AppendEntries.heartbeat(currentTerm, prev, termAt(prev), commitIndex, readOnly.lastContext()));
            }
            return;
        }
        send(peer, new AppendEntries(currentTerm, prev, termAt(prev), log.slice(prev + 1, last + 1), commitIndex, readOnly.lastContext()));
        if (pr.state == Progress.State.PROBE) {
            pr.probeSent = true;
        } else if (last > prev) {
            pr.next = last + 1;
            pr.inflights.add(last);
        }
    }

    /**
     * The AppendEntries receiver: the consistency check, the merge and the commit index are the rule's
     * ({@link RaftRules.Replication#appendEntries}; the reference also answers at once, with commitIndex, an
     * AppendEntries whose prevLogIndex is below commitIndex: everything up to it already matches the leader by
     * Leader Completeness); the answer, with the fast back-off hints of section 5.3, is built here.
     */
    private void handleAppendEntries(int from, AppendEntries ae) {
        long prev = ae.prevLogIndex();
        long match = config.rules().replication().appendEntries(followerLog, prev, ae.prevLogTerm(), ae.entries(), ae.leaderCommit());
        if (match >= 0) {
            if (match > lastIndex()) {
                throw new IllegalStateException("server " + config.id() + ": appendEntries returned match index " + match
                        + " beyond the last index " + lastIndex());
            }
            send(from, AppendResponse.accept(currentTerm, match, ae.readContext()));
        } else if (prev > lastIndex()) {
            send(from, AppendResponse.logTooShort(currentTerm, prev, lastIndex(), ae.readContext()));
        } else if (prev < log.snapshotIndex()) {
            throw new IllegalStateException("server " + config.id() + ": appendEntries rejected prevLogIndex " + prev
                    + ", which is below the snapshot (" + log.snapshotIndex() + ") and so committed: it matches the leader");
        } else {
            send(from, AppendResponse.reject(currentTerm, prev, termAt(prev), log.firstIndexOfTermAt(prev, commitIndex), ae.readContext()));
        }
    }

    /** The follower's log as {@link RaftRules.Replication#appendEntries} sees it. */
    private final class FollowerLogView implements RaftRules.FollowerLog {
        @Override
        public long lastIndex() {
            return RaftNode.this.lastIndex();
        }

        @Override
        public long termAt(long index) {
            return RaftNode.this.termAt(index);
        }

        @Override
        public long commitIndex() {
            return commitIndex;
        }

        @Override
        public void truncateFrom(long index) {
            RaftNode.this.truncateFrom(index);
        }

        @Override
        public void append(LogEntry e) {
            appendEntry(e);
        }

        @Override
        public void commitTo(long index) {
            if (index > RaftNode.this.lastIndex()) {
                throw new IllegalStateException("server " + config.id() + ": commitTo(" + index + ") beyond the last index "
                        + RaftNode.this.lastIndex());
            }
            commitIndex = Math.max(commitIndex, index);
        }

        @Override
        public String toString() {
            return "log of server " + config.id() + " (last index " + RaftNode.this.lastIndex() + ", commit index " + commitIndex + ")";
        }
    }

    private void truncateFrom(long index) {
        if (index <= commitIndex) {
            throw new IllegalStateException("server " + config.id() + " would truncate committed index " + index + " <= " + commitIndex);
        }
        log.truncateFrom(index);
        if (index <= confIndex) {
            recomputeMembership(); // the configuration entry is gone: the previous one is back in effect
        }
    }

    /**
     * What any answer echoing {@code readContext} tells the leader, whatever it answers: {@code from} is
     * alive (CheckQuorum), it followed this leader when it received a message sent at or after the tick
     * that context was issued (lease reads), and after every ReadIndex request with an id up to it.
     */
    private void acknowledged(int from, long readContext) {
        Progress pr = progress[from];
        pr.recentActive = true;
        pr.heardTick = ticks;
        if (readContext > 0) {
            pr.ackTick = Math.max(pr.ackTick, readOnly.issuedAt(readContext)); // it heard from us at or after this tick
            if (readOnly.hasPending()) {
                readOnly.acknowledge(from, readContext);
                readOnly.release(membership, readStates);
            }
        }
    }

    /** Learner catch-up (dissertation 4.2.1): every acknowledgement of a learner may end its round. */
    private void learnerRound(int from) {
        if (membership.isLearner(from)) {
            progress[from].maybeEndRound(ticks, lastIndex(), config.electionTicks());
        }
    }

    private void handleAppendResponse(int from, AppendResponse ar) {
        acknowledged(from, ar.readContext());
        if (!membership.isMember(from)) {
            return; // removed meanwhile: it gets nothing more (its acknowledgements count for nothing either)
        }
        Progress pr = progress[from];
        if (pr.state == Progress.State.SNAPSHOT) {
            if (!ar.success() || ar.matchIndex() < pr.snapshot.index()) {
                return; // an answer to an AppendEntries sent before the snapshot: the snapshot is still needed
            }
            pr.becomeProbe(); // it caught up without the snapshot; continue as after a probe
        }
        if (ar.success()) {
            boolean advanced = pr.maybeUpdate(ar.matchIndex());
            if (advanced && pr.state == Progress.State.PROBE) {
                pr.becomeReplicate(); // we know where its log matches ours: pipeline from here
            }
            learnerRound(from);
            if (advanced) {
                maybeCommit();
                if (role != Role.LEADER) {
                    return; // committed the configuration that removed us, and stepped down
                }
                if (from == leadTransferee && !timeoutNowSent && pr.match == lastIndex()) {
                    sendTimeoutNow(); // the target is up to date: it may campaign
                }
                if (pr.next <= lastIndex()) {
                    sendAppend(from, false);
                }
            } else if (pr.state == Progress.State.PROBE) {
                pr.probeSent = false;
            } else if (pr.inflights.full()) {
                // an answer that acknowledges nothing new while the window is full: an AppendEntries or
                // its answer was probably lost; free one slot so replication cannot stall (etcd does the same)
                pr.inflights.freeFirstOne();
                sendAppend(from, false);
            }
            return;
        }
        if (ar.rejectedIndex() < pr.match || (pr.state == Progress.State.PROBE && ar.rejectedIndex() != pr.next - 1)) {
            return; // stale or duplicate: not the answer to what we last sent
        }
        rejectionsReceived++;
        long next;
        if (ar.conflictTerm() > 0) {
            long last = log.lastIndexOfTerm(ar.conflictTerm());
            next = last > 0 ? last + 1 : ar.conflictIndex();
        } else {
            next = ar.conflictIndex();
        }
        pr.next = Math.max(pr.match + 1, Math.min(next, lastIndex() + 1));
        pr.becomeProbe();
        sendAppend(from, false);
    }

    /** Advances commitIndex to the largest index stored on a quorum that the commit rule allows. */
    private void maybeCommit() {
        long[] voterMatch = new long[membership.voters().size()];
        int i = 0;
        for (int v : membership.voters()) {
            voterMatch[i++] = progress[v].match; // a leader outside the configuration does not count itself
        }
        long n = config.mutation() == Mutation.NAIVE_COUNTING
                ? ReferenceRules.commit(currentTerm, commitIndex, lastIndex(), this::termAt, voterMatch, true)
                : config.rules().replication().commitIndex(currentTerm, commitIndex, lastIndex(), this::termAt, voterMatch);
        if (n <= commitIndex) {
            return;
        }
        if (n > lastIndex()) {
            throw new IllegalStateException("server " + config.id() + ": commitIndex rule returned " + n + " beyond the last index " + lastIndex());
        }
        commitIndex = n;
        broadcastAppend(false); // tell followers now rather than at the next heartbeat
        if (!membership.isVoter(config.id()) && confIndex <= commitIndex) {
            becomeFollower(currentTerm, NONE); // section 4.2.2: the configuration without us is committed
        }
    }

    // ------------------------------------------------------------------ snapshots (extended paper section 7)

    /**
     * Leader: sends the next chunk of the snapshot to {@code peer}, entering snapshot state (with the
     * snapshot of this moment: a later {@link #compact} does not restart a transfer under way) if needed.
     * One chunk is in flight at a time, as the dissertation's Figure 5.3 suggests ("each chunk is sent
     * in order"); the answer to it sends the next one, and a heartbeat resends it if unanswered.
     */
    private void sendSnapshotChunk(int peer) {
        Progress pr = progress[peer];
        if (pr.state != Progress.State.SNAPSHOT) {
            pr.becomeSnapshot(log.snapshot());
        }
        if (pr.chunkInFlight) {
            return;
        }
        Snapshot s = pr.snapshot;
        int offset = (int) pr.chunkOffset;
        int length = Math.min(config.snapshotChunkBytes(), s.size() - offset);
        send(peer, new InstallSnapshot(currentTerm, s.meta(), offset, s.chunk(offset, length), offset + length == s.size(), readOnly.lastContext()));
        pr.chunkInFlight = true;
        pr.chunkAge = 0;
    }

    /**
     * Leader: a follower either holds the snapshot now ({@code installed}: continue with AppendEntries
     * after its matchIndex, in replicate state since the match point is known) or says which offset it
     * expects next. Only progress (a larger offset) or "I hold nothing" (offset 0: it crashed and lost its
     * partial snapshot, or never got the first chunk) moves the transfer; a smaller non-zero offset can
     * only be a stale or duplicated answer, since a follower's buffer never shrinks except to nothing, and
     * acting on it would let duplicates multiply.
     */
    private void handleInstallSnapshotResponse(int from, InstallSnapshotResponse r) {
        acknowledged(from, r.readContext());
        if (!membership.isMember(from)) {
            return; // removed meanwhile: no more chunks
        }
        Progress pr = progress[from];
        Snapshot s = pr.snapshot;
        if (r.installed()) {
            if (pr.maybeUpdate(r.matchIndex())) {
                maybeCommit();
                if (role != Role.LEADER) {
                    return; // committed the configuration that removed us, and stepped down
                }
            }
            learnerRound(from); // a learner that caught up by snapshot finishes its round here
            if (s != null && pr.match >= s.index()) {
                pr.becomeReplicate();
                if (pr.next <= lastIndex()) {
                    sendAppend(from, false);
                }
            }
            return;
        }
        if (s == null || !s.meta().equals(r.meta()) || r.nextOffset() > s.size()) {
            return; // about a transfer that is over, or nonsense
        }
        if (r.nextOffset() > pr.chunkOffset || (r.nextOffset() == 0 && pr.chunkOffset > 0)) {
            pr.chunkOffset = r.nextOffset();
            pr.chunkInFlight = false;
            sendSnapshotChunk(from);
        }
    }

    /**
     * Follower, InstallSnapshot receiver (extended paper Figure 13, steps 2-8). Chunks must arrive in
     * order: one at {@code offset} equal to the bytes held is appended, any other is answered with the
     * offset expected (0 if this server holds nothing of that snapshot from this term's leader, so that
     * bytes of two leaders' encodings are never mixed). A snapshot that covers no more than commitIndex
     * is ignored (everything in it is already committed here) and answered as installed.
     */
    private void handleInstallSnapshot(int from, InstallSnapshot is) {
        SnapshotMeta meta = is.meta();
        if (meta.index() <= commitIndex) {
            send(from, InstallSnapshotResponse.installed(currentTerm, meta, commitIndex, is.readContext()));
            return;
        }
        Snapshot s = incoming.offer(meta, currentTerm, is.offset(), is.data(), is.done()); // steps 2-4
        if (s == null) {
            send(from, InstallSnapshotResponse.expect(currentTerm, meta, incoming.expected(meta, currentTerm), is.readContext()));
            return;
        }
        installSnapshot(s);
        // ready() persists the snapshot before this answer leaves, and hands it to the application to restore
        send(from, InstallSnapshotResponse.installed(currentTerm, meta, commitIndex, is.readContext()));
    }

    /** Figure 13 steps 5-8 on a complete snapshot newer than commitIndex. */
    private void installSnapshot(Snapshot s) {
        long index = s.index();
        // step 6: if the snapshot describes a prefix of our log, the entries after it are still valid;
        // step 7: otherwise the snapshot has entries we lack, and ours after commitIndex may conflict with it
        boolean keep = config.rules().snapshots().keepEntriesAfter(index, s.term(), lastIndex(), log.snapshotIndex(), this::termAt);
        if (keep && (index > lastIndex() || termAt(index) != s.term())) {
            throw new IllegalStateException("server " + config.id() + ": keepEntriesAfter kept the log after a snapshot at (index "
                    + index + ", term " + s.term() + ") that this log does not hold (last index " + lastIndex() + ")");
        }
        log.restoreTo(s, keep);
        unsavedSnapshot = s;
        commitIndex = index; // step 8 happens in ready(): restore, then lastApplied = index
        recomputeMembership(); // the snapshot's configuration, then any configuration entries kept after it
        snapshotsInstalled++;
    }

    private void send(int to, RaftMessage m) {
        outbox.add(new Envelope(to, m));
    }

    // ------------------------------------------------------------------ inspection

    /** This server's state now; O(servers) (see {@link Status}). */
    public Status status() {
        List<PeerStatus> peers = new ArrayList<>();
        if (role == Role.LEADER) {
            for (int p = 0; p < config.servers(); p++) {
                Progress pr = progress[p];
                peers.add(new PeerStatus(pr.state, pr.match, pr.next, pr.inflights.count(), pr.state == Progress.State.SNAPSHOT,
                        membership.isLearner(p) && pr.caughtUp));
            }
        }
        return new Status(config.id(), currentTerm, votedFor, role, leaderId, commitIndex, lastApplied, lastIndex(), lastTerm(),
                log.snapshotIndex(), membership, confIndex, leadTransferee, ticks, log.version(), incoming.held(),
                snapshotsInstalled, rejectionsReceived, leaseReads, leaseValid(), peers);
    }

    public RaftConfig config() {
        return config;
    }

    /**
     * A counter that increases whenever the log changes (append, truncation, compaction, installed
     * snapshot); also in {@link #status()}. O(1), for checkers that run after every event and would
     * otherwise build a whole {@link Status} to learn that nothing changed.
     */
    public long logVersion() {
        return log.version();
    }

    public long currentTerm() {
        return currentTerm;
    }

    public Role role() {
        return role;
    }

    /** The leader this server currently follows (itself if leader), or {@link #NONE}. */
    public int leaderId() {
        return leaderId;
    }

    public long commitIndex() {
        return commitIndex;
    }

    public long lastApplied() {
        return lastApplied;
    }

    public long lastIndex() {
        return log.lastIndex();
    }

    private long lastTerm() {
        return log.lastTerm();
    }

    /**
     * The term of the entry at {@code index}, for snapshotIndex..lastIndex: 0 for index 0, the
     * snapshot's term at its index (entries below it are compacted).
     */
    public long termAt(long index) {
        return log.termAt(index);
    }

    /** The entry at {@code index}, for snapshotIndex + 1 .. lastIndex. */
    public LogEntry entry(long index) {
        return log.entry(index);
    }

    /** The latest snapshot, the log's base ({@link Snapshot#NONE} before any). */
    public Snapshot snapshot() {
        return log.snapshot();
    }

    /** Index of the last entry covered by the snapshot (0 if none): entries up to it are compacted. */
    public long snapshotIndex() {
        return log.snapshotIndex();
    }
}
