package io.github.dsw.paxos;

import io.github.dsw.sim.InvariantViolation;
import io.github.dsw.sim.Simulator;
import java.util.HashMap;
import java.util.Map;

/**
 * The safety invariant of consensus, checked from outside the protocol: at most one value is chosen.
 * A value is chosen when a phase-2 quorum of acceptors has durably accepted the same ballot ("Paxos Made
 * Simple", section 2.2); the monitor reads every acceptor's durable state after every simulator event
 * ({@link Simulator#afterEachEvent}), so it sees each acceptance (every fsync completes in its own
 * event) and accumulates them even after acceptors move on to higher ballots. It also checks that
 * every value a learner reports ({@link PaxosNode.Learned}) is the chosen one, and that learners agree.
 */
public final class ChosenMonitor {
    private final Simulator<?> sim;
    private final Quorums quorums;
    private final Map<Ballot, Map<Integer, Long>> acceptances = new HashMap<>();
    private final Acceptor.State[] last;
    private Long chosen;
    private Long learned;
    private Ballot chosenAt;
    private long checks;

    private ChosenMonitor(Simulator<?> sim, Quorums quorums) {
        this.sim = sim;
        this.quorums = quorums;
        this.last = new Acceptor.State[sim.config().servers()];
    }

    /** Installs a monitor on {@code sim}; it throws {@link InvariantViolation} (an {@link IllegalStateException}) as soon as safety breaks. */
    public static ChosenMonitor install(Simulator<?> sim, Quorums quorums) {
        return install(sim, quorums, true);
    }

    /**
     * As {@link #install(Simulator, Quorums)}; with {@code strict} false a learner may report a value
     * before the monitor sees it durably chosen (for acceptors that do not persist, see
     * {@link PaxosNode.Mutation#NO_FSYNC}), but learners must still agree with each other.
     */
    public static ChosenMonitor install(Simulator<?> sim, Quorums quorums, boolean strict) {
        if (sim == null || quorums == null) {
            throw new IllegalArgumentException("sim and quorums must not be null");
        }
        if (quorums.acceptors() != sim.config().servers()) {
            throw new IllegalArgumentException("quorums are for " + quorums.acceptors() + " acceptors, the cluster has " + sim.config().servers());
        }
        ChosenMonitor m = new ChosenMonitor(sim, quorums);
        sim.afterEachEvent(m::check);
        sim.onOutput((node, event) -> {
            if (!(event instanceof PaxosNode.Learned l)) {
                return;
            }
            if (m.learned != null && m.learned != l.value()) {
                throw new InvariantViolation("server " + node + " learned " + l.value() + " but another learner learned " + m.learned
                        + " at t=" + sim.now());
            }
            m.learned = l.value();
            if ((strict && m.chosen == null) || (m.chosen != null && m.chosen != l.value())) {
                throw new InvariantViolation("server " + node + " learned " + l.value() + " but the chosen value is " + m.chosen
                        + " at t=" + sim.now());
            }
        });
        return m;
    }

    /** Reads every acceptor's durable state and re-checks the invariant. */
    public void check() {
        checks++;
        for (int i = 0; i < last.length; i++) {
            Object o = sim.durable(i).get(Acceptor.KEY);
            if (!(o instanceof Acceptor.State s) || s.equals(last[i])) {
                continue;
            }
            last[i] = s;
            if (s.acceptedValue() == null) {
                continue;
            }
            Map<Integer, Long> votes = acceptances.computeIfAbsent(s.acceptedBallot(), b -> new HashMap<>());
            Long before = votes.put(i, s.acceptedValue());
            if (before != null && before.longValue() != s.acceptedValue()) {
                throw new InvariantViolation("acceptor " + i + " accepted two values in ballot " + s.acceptedBallot() + ": " + before + " and " + s.acceptedValue());
            }
            for (long v : votes.values()) {
                if (v != s.acceptedValue()) {
                    throw new InvariantViolation("ballot " + s.acceptedBallot() + " carries two values: " + votes);
                }
            }
            if (quorums.isPhase2Quorum(votes.size())) {
                if (chosen != null && chosen != s.acceptedValue().longValue()) {
                    throw new InvariantViolation("two values chosen: " + chosen + " at ballot " + chosenAt + " and " + s.acceptedValue()
                            + " at ballot " + s.acceptedBallot() + ", t=" + sim.now());
                }
                if (chosen == null) {
                    chosen = s.acceptedValue();
                    chosenAt = s.acceptedBallot();
                }
            }
        }
    }

    /** The chosen value, or null if none yet. */
    public Long chosen() {
        return chosen;
    }

    /** The ballot at which the value was first chosen, or null. */
    public Ballot chosenAt() {
        return chosenAt;
    }

    /** How many times the invariant was checked (once per simulator event). */
    public long checks() {
        return checks;
    }
}
