package io.github.dsw.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What a leader-aware nemesis ({@link Adversary}) knows of a run: only what the protocol shows the outside
 * world, fed by the run's driver from the protocol's outputs ({@link Simulator#onOutput}) and from what its
 * clients receive ({@link Simulator#onClientDelivery}): which server claims to lead (it answered a client as
 * the leader, another server's redirect named it, or it announced its election), and which server just
 * acknowledged a client's operation. Never a node's internal state: a nemesis built on this works the same
 * against a real cluster, whose processes it cannot look into (Jepsen learns the leader the same way, from
 * the clients' view; Kingsbury, "Jepsen: etcd and Consul", 2014).
 *
 * <p>The view may be stale or wrong (a deposed leader still answering, an old redirect): a nemesis aimed at
 * "the leader" sometimes hits a follower, which is still a valid fault.
 */
public final class Observations {

    private int leader = -1;
    private long leaderSinceNs;
    private int changes;
    private int lastAck = -1;
    private final List<IntConsumer> ackListeners = new ArrayList<>();
    private final List<IntConsumer> claimListeners = new ArrayList<>();
    private final List<IntConsumer> commitListeners = new ArrayList<>();

    /** Server {@code node} claims to lead at virtual time {@code nowNs} (or another server named it the leader). */
    public void leader(int node, long nowNs) {
        if (node < 0) {
            return;
        }
        if (node != leader) {
            leader = node;
            leaderSinceNs = nowNs;
            changes++;
        }
    }

    /**
     * Server {@code node} says it has just become the leader (its status turned to leader, as {@code ./dsw cluster
     * status} shows it on a real cluster): the observed leader becomes {@code node}, and every
     * {@link #onLeaderClaim} listener hears of it, at once.
     */
    public void claims(int node, long nowNs) {
        if (node < 0) {
            return;
        }
        leader(node, nowNs);
        for (IntConsumer l : List.copyOf(claimListeners)) {
            l.accept(node);
        }
    }

    /** Calls {@code listener(node)} on every later {@link #claims} (for "cut off the new leader at once"). */
    public void onLeaderClaim(IntConsumer listener) {
        claimListeners.add(listener);
    }

    /** Stops calling {@code listener}. */
    public void removeClaimListener(IntConsumer listener) {
        claimListeners.remove(listener);
    }

    /** Server {@code node} output that it committed (applied) an entry: the protocol's "what was committed". */
    public void committed(int node) {
        for (IntConsumer l : List.copyOf(commitListeners)) {
            l.accept(node);
        }
    }

    /** Calls {@code listener(node)} on every later {@link #committed}. */
    public void onCommitted(IntConsumer listener) {
        commitListeners.add(listener);
    }

    /** Stops calling {@code listener}. */
    public void removeCommitListener(IntConsumer listener) {
        commitListeners.remove(listener);
    }

    /** Server {@code node} acknowledged a client's operation (an ok answer: committed, decided or read). */
    public void acknowledged(int node) {
        lastAck = node;
        for (IntConsumer l : List.copyOf(ackListeners)) {
            l.accept(node);
        }
    }

    /** The last server seen claiming to lead, or -1 if none yet. */
    public int leader() {
        return leader;
    }

    /** Virtual time at which {@link #leader()} was first seen leading. */
    public long leaderSinceNs() {
        return leaderSinceNs;
    }

    /** How many times the observed leader changed. */
    public int leaderChanges() {
        return changes;
    }

    /** The last server that acknowledged an operation, or -1. */
    public int lastAcknowledged() {
        return lastAck;
    }

    /** Calls {@code listener(node)} on every later acknowledgement (for "crash it right after it acknowledged"). */
    public void onAcknowledged(IntConsumer listener) {
        ackListeners.add(listener);
    }

    /** Stops calling {@code listener}. */
    public void removeAckListener(IntConsumer listener) {
        ackListeners.remove(listener);
    }
}
