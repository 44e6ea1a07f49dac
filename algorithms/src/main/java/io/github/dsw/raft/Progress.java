package io.github.dsw.raft;

/**
 * What a leader knows of one follower (etcd's {@code tracker.Progress}): Figure 2's nextIndex and
 * matchIndex, the replication state that decides how entries are sent, the snapshot transfer under way,
 * the acknowledgements CheckQuorum and lease reads count, and a learner's catch-up round (dissertation
 * 4.2.1). A leader makes a fresh one for every follower when elected and for a server that joins the
 * configuration, so no field of an earlier term or membership survives (a forgotten reset of one field
 * of the old parallel arrays let a removed and re-added learner be promoted without catching up).
 *
 * <p>The states, and the transitions the leader makes:
 * <ul>
 *   <li>{@link State#PROBE}: nextIndex is a guess; one AppendEntries at a time ({@link #probeSent}),
 *       answered by an acceptance ({@link #becomeReplicate}) or a rejection that moves nextIndex back;</li>
 *   <li>{@link State#REPLICATE}: the match point is known; entries are pipelined, nextIndex advances when
 *       they are sent, at most {@code maxInflight} messages unacknowledged ({@link #inflights}); a
 *       rejection sends the follower back to probe ({@link #becomeProbe});</li>
 *   <li>{@link State#SNAPSHOT}: the entry before nextIndex is compacted, so the leader sends its snapshot
 *       in chunks ({@link #becomeSnapshot}) until the follower holds it (then replicate) or catches up by
 *       AppendEntries anyway (then probe, and at once replicate).</li>
 * </ul>
 * Fields are package-private and mutable: this is RaftNode's bookkeeping, not an API; the class is public
 * only for {@link State}, which {@link PeerStatus} reports.
 */
public final class Progress {

    /** Etcd's three replication states (tracker/state.go). */
    public enum State { PROBE, REPLICATE, SNAPSHOT }

    /** An acknowledgement tick that no lease can use, and no "heard within an election timeout" check passes. */
    static final long NEVER = Long.MIN_VALUE / 4;

    long next;  // index of the next entry to send (Figure 2's nextIndex)
    long match; // highest index known to be replicated on the follower (Figure 2's matchIndex)
    State state = State.PROBE;
    boolean probeSent; // PROBE: an AppendEntries is out; wait for its answer or the next heartbeat
    final Inflights inflights; // REPLICATE: the unacknowledged AppendEntries

    // SNAPSHOT: the snapshot being sent (as of the moment the transfer began), the offset of the chunk in
    // flight (or the next to send), whether one is in flight, and heartbeats since it left
    Snapshot snapshot;
    long chunkOffset;
    boolean chunkInFlight;
    int chunkAge;

    boolean recentActive;   // CheckQuorum: answered since the last check
    long heardTick = NEVER; // leader tick of its latest answer (a learner silent since must catch up again)
    long ackTick = NEVER;   // lease: latest leader tick of a send that this follower acknowledged

    // learner catch-up (dissertation 4.2.1): the round began at roundStart and ends when match reaches
    // roundTarget (the leader's last index then); caughtUp: a round took less than an election timeout
    long roundStart;
    long roundTarget;
    boolean caughtUp;

    /** A follower whose log is unknown: probe it from {@code next}. */
    Progress(long next, int maxInflight) {
        this.next = next;
        this.inflights = new Inflights(maxInflight);
    }

    /**
     * An answer says the follower holds our log through {@code index}: raises matchIndex (and nextIndex
     * past it) and frees the window slots it acknowledges. Returns false, changing nothing, if that is
     * not news (a stale, duplicated or reordered answer).
     */
    boolean maybeUpdate(long index) {
        if (index <= match) {
            return false;
        }
        match = index;
        next = Math.max(next, index + 1);
        inflights.freeTo(index);
        return true;
    }

    /** Starts a learner catch-up round at {@code tick}: it ends when matchIndex reaches {@code target}, the leader's last index now. */
    void startRound(long tick, long target) {
        roundStart = tick;
        roundTarget = target;
    }

    /**
     * On an acknowledgement of a learner (dissertation 4.2.1): when matchIndex reaches the round's target,
     * the round took less than {@code electionTicks} (caught up: it may be promoted) or another round
     * starts, up to the leader's {@code lastIndex} now (one that is already reached takes no time).
     */
    void maybeEndRound(long tick, long lastIndex, int electionTicks) {
        if (!caughtUp && match >= roundTarget) {
            if (tick - roundStart >= electionTicks) {
                startRound(tick, lastIndex); // too slow: another round
            }
            caughtUp = match >= roundTarget;
        }
    }

    /** Back to one AppendEntries at a time from nextIndex (after a rejection, or after a snapshot made moot). */
    void becomeProbe() {
        state = State.PROBE;
        probeSent = false;
        leaveSnapshot();
    }

    /** The match point is known: pipeline from just after it. */
    void becomeReplicate() {
        state = State.REPLICATE;
        next = match + 1;
        leaveSnapshot();
    }

    /** Starts sending {@code s} from its first byte. */
    void becomeSnapshot(Snapshot s) {
        state = State.SNAPSHOT;
        snapshot = s;
        chunkOffset = 0;
        chunkInFlight = false;
        inflights.reset();
    }

    private void leaveSnapshot() {
        snapshot = null;
        chunkInFlight = false;
        inflights.reset();
    }

    @Override
    public String toString() {
        return state + " match=" + match + " next=" + next + (state == State.SNAPSHOT ? " snapshot@" + snapshot.index() + "+" + chunkOffset : "");
    }
}
