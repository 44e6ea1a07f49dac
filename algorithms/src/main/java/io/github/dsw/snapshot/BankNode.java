package io.github.dsw.snapshot;

import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A bank branch that moves money to the other branches, and Chandy and Lamport's snapshot algorithm
 * ("Distributed Snapshots: Determining Global States of Distributed Systems", ACM TOCS 3(1), 1985,
 * section 3) recording a consistent global state while transfers fly. The total of all balances plus the
 * money in flight never changes, so a consistent cut must add up to it.
 *
 * <p>Marker rules (section 3.2): the initiator records its state and sends a marker on every outgoing
 * channel before any other message; a process receiving a marker on channel c records its state if it has
 * not yet (c's state is then empty) and sends markers on all its outgoing channels; otherwise c's state is
 * the transfers received on c after it recorded and before that marker. When markers arrived on all incoming
 * channels the process reports its part ({@link LocalSnapshot}).
 *
 * <p>The algorithm assumes FIFO channels. The simulator's links may reorder, so with {@code fifo} this node
 * delivers each channel's messages in sequence order (holding back early ones, as TCP does); without it,
 * messages are taken as they come, and the checker shows the cut break.
 */
public final class BankNode implements Node<BankMessage> {

    /** What one process recorded: its balance, and per channel what was sent, received and caught in flight. */
    public record LocalSnapshot(int process, long balance, Map<Integer, Integer> sentUpTo, Map<Integer, List<Integer>> receivedBefore,
                                Map<Integer, List<Long>> channel, Map<Integer, List<Integer>> channelSeqs) {
    }

    private record Tick() {
    }

    private record StartSnapshot() {
    }

    private final long initialBalance;
    private final boolean fifo;
    private final long snapshotAtNs; // the initiator (process 0) starts the snapshot then; others: -1
    private final long periodNs;
    private long balance;
    private final Map<Integer, Integer> sent = new TreeMap<>();
    private final Map<Integer, Integer> nextExpected = new HashMap<>();
    private final Map<Integer, TreeMap<Integer, BankMessage>> heldBack = new HashMap<>();
    private final Map<Integer, TreeSet<Integer>> received = new TreeMap<>();
    // snapshot state
    private boolean recorded;
    private LocalSnapshot mine;
    private final Map<Integer, List<Long>> recording = new TreeMap<>();
    private final Map<Integer, List<Integer>> recordingSeqs = new TreeMap<>();
    private final Map<Integer, Boolean> markerIn = new TreeMap<>();

    /**
     * @param initialBalance each branch's opening balance
     * @param fifo           deliver each channel in order (the algorithm's assumption) or as messages come
     * @param snapshotAtNs   when process 0 starts the snapshot (ignored elsewhere)
     * @param periodNs       mean time between two transfers of a branch
     */
    public BankNode(long initialBalance, boolean fifo, long snapshotAtNs, long periodNs) {
        this.initialBalance = initialBalance;
        this.fifo = fifo;
        this.snapshotAtNs = snapshotAtNs;
        this.periodNs = periodNs;
    }

    @Override
    public void start(Context<BankMessage> ctx) {
        balance = initialBalance;
        ctx.setTimer((long) ctx.random().nextExponential(periodNs), new Tick());
        if (ctx.self() == 0) {
            ctx.setTimer(snapshotAtNs, new StartSnapshot());
        }
    }

    private void sendTo(Context<BankMessage> ctx, int to, boolean marker, long amount) {
        int seq = sent.merge(to, 1, Integer::sum);
        ctx.send(to, marker ? new BankMessage.Marker(seq) : new BankMessage.Transfer(seq, amount));
    }

    @Override
    public void timer(Context<BankMessage> ctx, Object tag) {
        switch (tag) {
            case Tick t -> {
                int n = ctx.servers();
                if (n > 1 && balance > 0) {
                    int to = (ctx.self() + 1 + ctx.random().nextInt(n - 1)) % n;
                    long amount = 1 + ctx.random().nextLong(Math.min(balance, 100));
                    balance -= amount;
                    sendTo(ctx, to, false, amount);
                }
                ctx.setTimer((long) ctx.random().nextExponential(periodNs), t);
            }
            case StartSnapshot s -> record(ctx);
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }

    @Override
    public void receive(Context<BankMessage> ctx, int from, BankMessage m) {
        if (!fifo) {
            deliver(ctx, from, m);
            return;
        }
        TreeMap<Integer, BankMessage> held = heldBack.computeIfAbsent(from, k -> new TreeMap<>());
        held.put(m.seq(), m);
        int next = nextExpected.getOrDefault(from, 1);
        while (held.containsKey(next)) {
            deliver(ctx, from, held.remove(next));
            next++;
        }
        nextExpected.put(from, next);
    }

    private void deliver(Context<BankMessage> ctx, int from, BankMessage m) {
        switch (m) {
            case BankMessage.Transfer t -> {
                balance += t.amount();
                received.computeIfAbsent(from, k -> new TreeSet<>()).add(t.seq());
                if (recorded && !markerIn.getOrDefault(from, false)) {
                    recording.get(from).add(t.amount());
                    recordingSeqs.get(from).add(t.seq());
                }
            }
            case BankMessage.Marker mk -> {
                if (!recorded) {
                    record(ctx);
                }
                markerIn.put(from, true);
                maybeDone(ctx);
            }
        }
    }

    /** Records this process's state and sends a marker on every outgoing channel, before anything else. */
    private void record(Context<BankMessage> ctx) {
        if (recorded) {
            return;
        }
        recorded = true;
        Map<Integer, Integer> upTo = new TreeMap<>();
        Map<Integer, List<Integer>> before = new TreeMap<>();
        for (int p = 0; p < ctx.servers(); p++) {
            if (p == ctx.self()) {
                continue;
            }
            upTo.put(p, sent.getOrDefault(p, 0)); // the markers are not counted: they are not part of the state
            before.put(p, List.copyOf(received.getOrDefault(p, new TreeSet<>())));
            recording.put(p, new ArrayList<>());
            recordingSeqs.put(p, new ArrayList<>());
            markerIn.put(p, false);
        }
        mine = new LocalSnapshot(ctx.self(), balance, upTo, before, null, null);
        for (int p = 0; p < ctx.servers(); p++) {
            if (p != ctx.self()) {
                sendTo(ctx, p, true, 0);
            }
        }
        maybeDone(ctx);
    }

    private void maybeDone(Context<BankMessage> ctx) {
        if (mine == null || mine.channel() != null || markerIn.containsValue(false)) {
            return;
        }
        Map<Integer, List<Long>> ch = new TreeMap<>();
        Map<Integer, List<Integer>> seqs = new TreeMap<>();
        recording.forEach((k, v) -> ch.put(k, List.copyOf(v)));
        recordingSeqs.forEach((k, v) -> seqs.put(k, List.copyOf(v)));
        mine = new LocalSnapshot(mine.process(), mine.balance(), mine.sentUpTo(), mine.receivedBefore(), ch, seqs);
        ctx.output(mine);
    }

    /** This branch's balance now. */
    public long balance() {
        return balance;
    }
}
