package io.github.dsw.paxos;

import io.github.dsw.sim.InvariantViolation;
import io.github.dsw.sim.Simulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safety invariant of Multi-Paxos, checked from outside: at most one batch is chosen per slot,
 * and every server applies, in each slot, the batch chosen there. It collects the acceptors'
 * {@link MultiPaxosNode.AcceptedEvent}s (released only once the acceptance is durable) and the learners'
 * {@link MultiPaxosNode.Applied} events, and checks them after every simulator event
 * ({@link Simulator#afterEachEvent}); a violation throws {@link InvariantViolation} (an {@link IllegalStateException}).
 */
public final class LogMonitor {
    private final Quorums quorums;
    private final Simulator<?> sim;
    private final List<Object> pending = new ArrayList<>();
    private final Map<Long, Map<Ballot, Set<Integer>>> votes = new HashMap<>();
    private final Map<Long, Map<Ballot, List<Command>>> proposals = new HashMap<>();
    private final Map<Long, List<Command>> chosen = new HashMap<>();
    private long checks;
    private long leaderChanges;

    private LogMonitor(Simulator<?> sim, Quorums quorums) {
        this.sim = sim;
        this.quorums = quorums;
    }

    /** Installs a monitor on {@code sim}. */
    public static LogMonitor install(Simulator<?> sim, Quorums quorums) {
        if (sim == null || quorums == null) {
            throw new IllegalArgumentException("sim and quorums must not be null");
        }
        LogMonitor m = new LogMonitor(sim, quorums);
        sim.onOutput((node, event) -> m.pending.add(event));
        sim.afterEachEvent(m::check);
        return m;
    }

    private void check() {
        checks++;
        for (Object e : pending) {
            switch (e) {
                case MultiPaxosNode.AcceptedEvent a -> {
                    List<Command> other = proposals.computeIfAbsent(a.slot(), s -> new HashMap<>()).putIfAbsent(a.ballot(), a.commands());
                    if (other != null && !other.equals(a.commands())) {
                        throw new InvariantViolation("slot " + a.slot() + " ballot " + a.ballot() + " carries two batches: " + other + ", " + a.commands());
                    }
                    Set<Integer> acceptors = votes.computeIfAbsent(a.slot(), s -> new HashMap<>()).computeIfAbsent(a.ballot(), b -> new HashSet<>());
                    acceptors.add(a.node());
                    if (quorums.isPhase2Quorum(acceptors.size())) {
                        List<Command> before = chosen.putIfAbsent(a.slot(), a.commands());
                        if (before != null && !before.equals(a.commands())) {
                            throw new InvariantViolation("two batches chosen in slot " + a.slot() + ": " + before + " and " + a.commands()
                                    + " (ballot " + a.ballot() + "), t=" + sim.now());
                        }
                    }
                }
                case MultiPaxosNode.Applied a -> {
                    List<Command> c = chosen.get(a.slot());
                    if (!a.commands().equals(c)) {
                        throw new InvariantViolation("server " + a.node() + " applied " + a.commands() + " in slot " + a.slot()
                                + " but the chosen batch is " + c + ", t=" + sim.now());
                    }
                }
                case MultiPaxosNode.LeaderElected l -> leaderChanges++;
                default -> {
                }
            }
        }
        pending.clear();
    }

    /** Number of slots known chosen. */
    public int chosenSlots() {
        return chosen.size();
    }

    /** Number of events checked. */
    public long checks() {
        return checks;
    }

    /** Number of elections won. */
    public long leaderChanges() {
        return leaderChanges;
    }
}
