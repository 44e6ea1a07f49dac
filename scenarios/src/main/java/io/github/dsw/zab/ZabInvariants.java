package io.github.dsw.zab;

import io.github.dsw.sim.InvariantViolation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The properties of Zab (Junqueira, Reed and Serafini, DSN 2011, section III), checked as a simulated run goes, from
 * what the servers report ({@link ZabNode.Proposed}, {@link ZabNode.Delivered}, {@link ZabNode.Established},
 * {@link ZabNode.Booted}) and what their state shows after every event ({@link #check}). Each broken property
 * throws {@link InvariantViolation} naming it:
 * <ul>
 *   <li><b>integrity</b>: a delivered transaction was broadcast by some primary;</li>
 *   <li><b>total order</b> and <b>agreement</b>: every server delivers a prefix of one sequence (kept here,
 *       {@link #delivered()}): the same transactions in the same order. A server that delivers, at position i, a
 *       transaction the sequence holds elsewhere breaks total order; one the sequence does not hold at all breaks
 *       agreement;</li>
 *   <li><b>primary order</b> (local and global): along that sequence zxids increase, and an epoch's transactions
 *       are its primary's counters 1, 2, 3, ... without a gap, so a primary's transactions are delivered in the
 *       order it broadcast them and an earlier primary's before a later one's;</li>
 *   <li><b>primary integrity</b>: when the primary of epoch e broadcasts, its history holds every transaction
 *       of an earlier epoch delivered so far; and one primary per epoch (no two servers establish the same epoch, no zxid proposed twice with
 *       different contents);</li>
 *   <li>each server's history has increasing zxids (checked after every event).</li>
 * </ul>
 * A crashed server's deliveries start again at position 1 in its next incarnation ({@link ZabNode.Booted}), or after
 * its snapshot; a snapshot ({@link ZabNode.Compacted}) must hold a prefix of the sequence, which also covers the
 * compacted part of a primary's history in the primary-integrity check.
 */
public final class ZabInvariants {

    private final List<Txn> sequence = new ArrayList<>();
    private final Map<Zxid, Object> proposed = new HashMap<>(); // lookups only
    private final Map<Long, Integer> primaries = new TreeMap<>();
    private final Map<Integer, Long> bases = new HashMap<>(); // per server: transactions compacted before its history

    /** The sequence every server delivers a prefix of, so far. */
    public List<Txn> delivered() {
        return java.util.Collections.unmodifiableList(sequence);
    }

    /** Transactions delivered by at least one server. */
    public int committedCount() {
        return sequence.size();
    }

    /** One report of server {@code node}. */
    public void output(int node, Object event) {
        switch (event) {
            case ZabNode.Proposed p -> onProposed(node, p);
            case ZabNode.Delivered d -> onDelivered(node, d);
            case ZabNode.Booted b -> bases.remove(node);
            case ZabNode.Compacted c -> onCompacted(node, c);
            case ZabNode.Established e -> {
                Integer before = primaries.putIfAbsent(e.epoch(), node);
                if (before != null && before != node) {
                    throw new InvariantViolation("primary uniqueness: servers " + before + " and " + node + " both established epoch " + e.epoch());
                }
            }
            default -> {
            }
        }
    }

    /**
     * A snapshot holds the first {@code snapshotIndex} transactions of the one sequence (a snapshot of anything else,
     * or of transactions nobody delivered, breaks agreement); the server's history now starts after {@code base}.
     */
    private void onCompacted(int node, ZabNode.Compacted c) {
        bases.put(node, c.base());
        if (c.snapshotIndex() == 0) {
            return;
        }
        if (c.snapshotIndex() > sequence.size()) {
            throw new InvariantViolation("agreement: server " + node + " holds a snapshot of " + c.snapshotIndex() + " transactions, only "
                    + sequence.size() + " were delivered");
        }
        Zxid expected = sequence.get((int) c.snapshotIndex() - 1).zxid();
        if (!expected.equals(c.snapshotZxid())) {
            throw new InvariantViolation("agreement: server " + node + "'s snapshot ends at " + c.snapshotZxid() + " as transaction "
                    + c.snapshotIndex() + ", where " + expected + " was delivered");
        }
    }

    private void onProposed(int node, ZabNode.Proposed p) {
        Object before = proposed.putIfAbsent(p.txn().zxid(), p.txn().value());
        if (before != null && !before.equals(p.txn().value())) {
            throw new InvariantViolation("primary uniqueness: zxid " + p.txn().zxid() + " proposed with two values, " + before + " and "
                    + p.txn().value());
        }
        if (p.txn().zxid().counter() != 1) {
            return; // checked at the epoch's first proposal, whose report carries the history
        }
        List<Txn> h = p.history();
        int base = (int) (long) bases.getOrDefault(node, 0L); // compacted into its snapshot, checked against the sequence then
        // earlier primaries' delivered transactions (a prefix of the sequence, by primary order) must all be in its history
        for (int i = base; i < sequence.size() && sequence.get(i).zxid().epoch() < p.epoch(); i++) {
            if (i - base >= h.size() || !h.get(i - base).equals(sequence.get(i))) {
                throw new InvariantViolation("primary integrity: server " + node + " broadcasts " + p.txn().zxid() + " in epoch " + p.epoch()
                        + " but its history lacks delivered transaction " + (i + 1) + " (" + sequence.get(i).zxid() + ")");
            }
        }
    }

    private void onDelivered(int node, ZabNode.Delivered d) {
        Txn t = d.txn();
        Object value = proposed.get(t.zxid());
        if (value == null || !value.equals(t.value())) {
            throw new InvariantViolation("integrity: server " + node + " delivered " + t + ", which no primary broadcast");
        }
        int i = (int) d.index() - 1;
        if (i < sequence.size()) {
            Txn expected = sequence.get(i);
            if (!expected.equals(t)) {
                boolean elsewhere = sequence.contains(t);
                throw new InvariantViolation((elsewhere ? "total order" : "agreement") + ": server " + node + " delivered " + t.zxid()
                        + " at position " + d.index() + " where " + expected.zxid() + " was delivered"
                        + (elsewhere ? " (it was delivered at position " + (sequence.indexOf(t) + 1) + ")" : ""));
            }
            return;
        }
        if (i > sequence.size()) {
            throw new InvariantViolation("agreement: server " + node + " delivered position " + d.index() + " before anyone delivered "
                    + (sequence.size() + 1));
        }
        Zxid prev = sequence.isEmpty() ? Zxid.ZERO : sequence.get(sequence.size() - 1).zxid();
        Zxid z = t.zxid();
        boolean next = z.epoch() == prev.epoch() ? z.counter() == prev.counter() + 1 : z.epoch() > prev.epoch() && z.counter() == 1;
        if (!next) {
            throw new InvariantViolation("primary order: server " + node + " delivered " + z + " right after " + prev
                    + " (zxids must increase, and a primary's transactions come in its order without a gap)");
        }
        sequence.add(t);
    }

    /** After every event: each live server's history has increasing zxids at its end (where an append lands). */
    public void check(List<ZabNode> nodes) {
        for (int n = 0; n < nodes.size(); n++) {
            ZabNode z = nodes.get(n);
            if (z == null) {
                continue;
            }
            List<Txn> h = z.history();
            int s = h.size();
            if (s >= 2 && !h.get(s - 1).zxid().after(h.get(s - 2).zxid())) {
                throw new InvariantViolation("primary order: server " + n + "'s history holds " + h.get(s - 1).zxid() + " after "
                        + h.get(s - 2).zxid());
            }
        }
    }
}
