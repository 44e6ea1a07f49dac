package io.github.dsw.raft;

import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.RequestVote;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The scenario of Figure 8 of the Raft paper (extended version, section 5.4.2), scripted message by
 * message on five {@link RaftNode}s with no simulator: this class is the network, delivering or dropping
 * each message, and the disk, keeping what each {@link Ready} asked to persist. Servers S1..S5 of the
 * figure are 0..4 here. Every server's log starts with the no-op of term 1 (the figure's index 1), and
 * each new leader's no-op plays the role of the figure's new entries:
 * <ol>
 *   <li>{@link #start()}: S1 leads term 1; its no-op commits everywhere (index 1);</li>
 *   <li>{@link #stepA()} (a): S1 replicates X at index 2 to S2 only;</li>
 *   <li>{@link #stepB()} (b): S1 crashes; S5 wins an election with votes from S3, S4 and puts its own no-op
 *       (a different entry, of a later term) at index 2, then crashes before sending it;</li>
 *   <li>{@link #stepC(boolean)} (c): S1 restarts and wins a later term; it brings X to S3 and S4, so X is on
 *       a majority, while its own no-op of the current term stays on S1 alone (or, for (e), reaches the
 *       majority too). The naive rule commits X now; Raft's does not;</li>
 *   <li>{@link #stepD()} (d): S1 crashes; S5 restarts and campaigns among S2..S5; if it wins (its last log
 *       term is higher than theirs) it overwrites index 2.</li>
 * </ol>
 * After each step a {@link Snapshot} of every server (up or down) is recorded ({@link #snapshots()}).
 * This class only drives the scenario and reports what happened; it asserts nothing about the
 * outcome (the tests in {@code Figure8Test} compare it with the paper). With {@code checkInvariants}
 * a {@link RaftInvariants} checker runs after every handled message and throws
 * {@link IllegalStateException} on a violation (the naive rule breaks Leader Completeness in (d)).
 *
 * <p>Settings: no PreVote or CheckQuorum (the figure is about the basic algorithm), one entry per
 * AppendEntries (so the script decides which entries travel), and a fixed election timeout (the random
 * source always returns 0).
 */
public final class Figure8Scenario {

    /** The command the figure's S1 replicates in (a): the entry at index 2, term 2 in the figure. */
    public static final Object X = "X";

    /** Every server. */
    public static final Set<Integer> ALL = Set.of(0, 1, 2, 3, 4);

    /**
     * One server at the end of a step.
     *
     * @param id          0..4 (S1..S5)
     * @param up          false if crashed; its term and log are then the durable ones
     * @param role        its role, null when down
     * @param term        currentTerm (durable term when down)
     * @param log         its log, index 1 first
     * @param commitIndex its commitIndex; -1 when down (commitIndex is volatile)
     */
    public record ServerState(int id, boolean up, RaftNode.Role role, long term, List<LogEntry> log, long commitIndex) {
    }

    /**
     * The cluster after one step.
     *
     * @param label       "start", "(a)", "(b)", "(c)", "(e)" (c with the current-term entry on a majority) or "(d)"
     * @param description what happened in the step
     * @param servers     S1..S5
     */
    public record Snapshot(String label, String description, List<ServerState> servers) {
    }

    /**
     * A whole run of {@link #run}.
     *
     * @param mutation            {@link Mutation#NAIVE_COUNTING} for the unsafe commit rule, else {@link Mutation#NONE}
     * @param currentTermEntry    whether S1's current-term entry reached a majority in (c), i.e. (e)
     * @param snapshots           start, (a), (b), (c) or (e), (d)
     * @param s5WonInD            whether S5 won the election of step (d)
     * @param appliedAtTwo        per server 0..4, the entry it applied at index 2 in any incarnation (null if none)
     */
    public record Outcome(Mutation mutation, boolean currentTermEntry, List<Snapshot> snapshots, boolean s5WonInD,
                          List<LogEntry> appliedAtTwo) {
    }

    private final int n = 5;
    private final RaftConfig[] configs = new RaftConfig[n];
    private final RaftNode[] nodes = new RaftNode[n];
    private final HardState[] hard = new HardState[n];
    private final List<List<LogEntry>> disk = new ArrayList<>();
    private final Deque<Object[]> wire = new ArrayDeque<>(); // {from, to, message}
    private final RaftInvariants invariants;
    private final Map<Long, Map<Integer, LogEntry>> appliedAt = new HashMap<>();
    private final List<Snapshot> snapshots = new ArrayList<>();

    /**
     * Five fresh servers.
     *
     * @param mutation        {@link Mutation#NAIVE_COUNTING} to give every server the unsafe commit rule, else {@link Mutation#NONE}
     * @param checkInvariants run {@link RaftInvariants} after every handled message
     */
    public Figure8Scenario(Mutation mutation, boolean checkInvariants) {
        if (mutation == null) {
            throw new IllegalArgumentException("mutation must not be null (Mutation.NONE for Raft's rule)");
        }
        invariants = checkInvariants ? new RaftInvariants() : null;
        for (int i = 0; i < n; i++) {
            configs[i] = RaftConfig.builder(i, n).preVote(false).checkQuorum(false).maxEntriesPerAppend(1).mutation(mutation).build();
            hard[i] = new HardState(0, RaftNode.NONE);
            disk.add(new ArrayList<>());
            nodes[i] = RaftNode.create(configs[i], b -> 0);
        }
    }

    /**
     * Runs the whole script without the invariant checker: start, (a), (b), (c) (or (e) if
     * {@code currentTermEntry}), (d). Each step runs whatever the previous one produced; nothing is
     * asserted (a step whose election fails simply leaves the cluster as it is).
     */
    public static Outcome run(Mutation mutation, boolean currentTermEntry) {
        Figure8Scenario s = new Figure8Scenario(mutation, false);
        s.start();
        s.stepA();
        s.stepB();
        s.stepC(currentTermEntry);
        boolean won = s.stepD();
        List<LogEntry> atTwo = new ArrayList<>();
        for (int i = 0; i < s.n; i++) {
            atTwo.add(s.applied(i, 2));
        }
        return new Outcome(mutation, currentTermEntry, s.snapshots(), won, atTwo);
    }

    // ------------------------------------------------------------------ the script

    /** S1 wins term 1 among all five; its no-op (index 1) commits everywhere. Returns whether S1 won. */
    public boolean start() {
        boolean won = elect(0, ALL, m -> true);
        deliver(ALL, m -> true);
        snapshot("start", "S1 leads term " + term(0) + "; its no-op at index 1 is on every server and committed");
        return won;
    }

    /** (a) S1 proposes X and it reaches S2 only. Returns X's index (-1 if S1 does not lead). */
    public long stepA() {
        long index = nodes[0].propose(X) instanceof Proposal.Accepted a ? a.index() : -1;
        process(0);
        deliver(Set.of(0, 1), m -> true);
        snapshot("(a)", "S1 (term " + term(0) + ") replicates X at index " + index + " to S2 only");
        return index;
    }

    /**
     * (b) S1 crashes; S5 wins with S3 and S4 (only vote messages pass, so its no-op at index 2 reaches
     * nobody), then crashes. Returns whether S5 won.
     */
    public boolean stepB() {
        crash(0);
        boolean won = elect(4, Set.of(2, 3, 4), Figure8Scenario::votesOnly);
        long t = term(4);
        crash(4);
        snapshot("(b)", "S1 crashes; S5 wins term " + t + " with S3, S4, appends its own entry at index 2, crashes before sending it");
        return won;
    }

    /**
     * (c) S1 restarts and wins a later term with S2, S3, S4; a heartbeat, a rejection and a back-off bring
     * X to S3 and S4. S1's current-term no-op (index 3) reaches them only if {@code currentTermEntry}
     * (the figure's (e)). Returns whether S1 won.
     */
    public boolean stepC(boolean currentTermEntry) {
        restart(0);
        Set<Integer> side = Set.of(0, 1, 2, 3);
        boolean won = elect(0, side, Figure8Scenario::votesOnly);
        long s1term = term(0);
        if (won) {
            nodes[0].tick();
            process(0);
            // a message its receiver will reject anyway may pass: it carries nothing into a log
            deliver(side, (to, m) -> currentTermEntry
                    || !(m instanceof AppendEntries ae) || ae.entries().stream().allMatch(e -> e.term() < s1term)
                    || ae.prevLogIndex() > nodes[to].lastIndex());
        }
        snapshot(currentTermEntry ? "(e)" : "(c)", "S1 restarts, wins term " + s1term + ", brings X to S3 and S4"
                + (currentTermEntry ? "; its own term-" + s1term + " entry at index 3 also reaches a majority" : "; its own term-"
                + s1term + " entry at index 3 stays on S1"));
        return won;
    }

    /**
     * (d) S1 crashes; S5 restarts and campaigns among S2..S5 with every message delivered; if it wins,
     * its replication runs to the end. Returns whether S5 won.
     */
    public boolean stepD() {
        crash(0);
        restart(4);
        Set<Integer> side = Set.of(1, 2, 3, 4);
        boolean won = elect(4, side, m -> true);
        deliver(side, m -> true);
        snapshot("(d)", won ? "S1 crashes; S5 wins term " + term(4) + " with S2, S3, S4 and replicates its log: index 2 overwritten"
                : "S1 crashes; S5 cannot win (S2, S3, S4 hold a later last log term)");
        return won;
    }

    // ------------------------------------------------------------------ the world

    /** Server i's node, null while crashed. */
    public RaftNode node(int i) {
        return nodes[i];
    }

    /** Crashes server i: its volatile state is gone, its durable hard state and log stay. */
    public void crash(int i) {
        nodes[i] = null;
    }

    /** Restarts server i from its durable hard state and log. */
    public void restart(int i) {
        nodes[i] = RaftNode.restart(configs[i], b -> 0, hard[i], List.copyOf(disk.get(i)));
    }

    /** Handles node i's Ready: persist, put messages on the wire, apply committed entries, check invariants. */
    public void process(int i) {
        Ready rd = nodes[i].ready();
        if (rd.hardState() != null) {
            hard[i] = rd.hardState();
        }
        if (!rd.entries().isEmpty()) {
            List<LogEntry> d = disk.get(i);
            d.subList((int) rd.firstEntryIndex() - 1, d.size()).clear();
            d.addAll(rd.entries());
        }
        for (Envelope e : rd.messages()) {
            wire.add(new Object[] {i, e.to(), e.message()});
        }
        long index = rd.firstCommittedIndex();
        for (LogEntry e : rd.committed()) {
            appliedAt.computeIfAbsent(index, k -> new HashMap<>()).put(i, e);
            if (invariants != null) {
                invariants.applied(i, index, e);
            }
            index++;
        }
        if (invariants != null) {
            invariants.check(Arrays.asList(nodes));
        }
    }

    /** Delivers messages among {@code among} that {@code allow} accepts, until none is left; drops the others. */
    public void deliver(Set<Integer> among, Predicate<RaftMessage> allow) {
        deliver(among, (to, m) -> allow.test(m));
    }

    /** As above, with a filter that also sees the receiver. */
    public void deliver(Set<Integer> among, BiPredicate<Integer, RaftMessage> allow) {
        while (!wire.isEmpty()) {
            Object[] m = wire.poll();
            int from = (Integer) m[0];
            int to = (Integer) m[1];
            RaftMessage msg = (RaftMessage) m[2];
            if (among.contains(from) && among.contains(to) && nodes[to] != null && allow.test(to, msg)) {
                nodes[to].step(from, msg);
                process(to);
            }
        }
    }

    /** Times server i out (and only it) until it wins among {@code among}, at most 5 candidacies; returns whether it won. */
    public boolean elect(int i, Set<Integer> among, Predicate<RaftMessage> allow) {
        for (int attempt = 0; attempt < 5; attempt++) {
            for (int t = 0; t < 2 * configs[i].electionTicks() && nodes[i].role() != RaftNode.Role.CANDIDATE; t++) {
                nodes[i].tick();
            }
            process(i);
            deliver(among, allow);
            if (nodes[i].role() == RaftNode.Role.LEADER) {
                return true;
            }
            if (nodes[i].role() == RaftNode.Role.CANDIDATE) {
                // lost or split: time out again in a new term
                for (int t = 0; t < 2 * configs[i].electionTicks() && nodes[i].role() == RaftNode.Role.CANDIDATE
                        && nodes[i].currentTerm() == hard[i].currentTerm(); t++) {
                    nodes[i].tick();
                }
            }
        }
        return false;
    }

    /** The entry server {@code server} applied at {@code index} (in any incarnation), or null. */
    public LogEntry applied(int server, long index) {
        return appliedAt.getOrDefault(index, Map.of()).get(server);
    }

    /** The snapshots recorded so far, in step order. */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** Only RequestVote and its answers pass (an election whose leader's entries reach nobody). */
    public static boolean votesOnly(RaftMessage m) {
        return m instanceof RequestVote || m instanceof VoteResponse;
    }

    private long term(int i) {
        return nodes[i] != null ? nodes[i].currentTerm() : hard[i].currentTerm();
    }

    private void snapshot(String label, String description) {
        List<ServerState> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RaftNode r = nodes[i];
            if (r == null) {
                servers.add(new ServerState(i, false, null, hard[i].currentTerm(), List.copyOf(disk.get(i)), -1));
            } else {
                List<LogEntry> log = new ArrayList<>();
                for (long k = 1; k <= r.lastIndex(); k++) {
                    log.add(r.entry(k));
                }
                servers.add(new ServerState(i, true, r.role(), r.currentTerm(), List.copyOf(log), r.commitIndex()));
            }
        }
        snapshots.add(new Snapshot(label, description, List.copyOf(servers)));
    }
}
