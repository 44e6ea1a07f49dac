package io.github.dsw.paxos;

import io.github.dsw.paxos.PaxosMessage.Decided;
import io.github.dsw.paxos.PaxosMessage.Propose;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import io.github.dsw.sim.Adversary;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Observations;
import io.github.dsw.sim.SimConfig;
import io.github.dsw.sim.Simulator;
import java.util.Arrays;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * One simulated run of single-decree Paxos: {@code clients} clients each want their own value
 * ({@code 100 + client index}) chosen, send {@link Propose} to a random server after a random delay and
 * retry every {@link #CLIENT_RETRY_NS} until one answers {@link Decided}. Each client starts at a random
 * time in the first half of the fault period and sends its request to every server, so that every
 * server becomes a proposer and they compete. A random nemesis strikes every 5 ms (faults last 15 ms,
 * so they overlap) until {@code faultsUntilNs}, then heals
 * everything; a {@link ChosenMonitor} checks after every event that at most one value is chosen.
 */
public final class SingleDecreeRun {

    /** Client retry period. */
    static final long CLIENT_RETRY_NS = 30_000_000;

    /** The end of a run: give up if clients are still waiting this long after the faults stop. */
    static final long LIVENESS_BOUND_NS = 2_000_000_000L;

    /**
     * Run settings.
     *
     * @param seed          seed of the simulation
     * @param quorums       quorum sizes (its acceptor count is the cluster size)
     * @param clients       number of proposing clients
     * @param nemesis       fault kinds
     * @param faultsUntilNs virtual time at which faults stop
     * @param mutation      {@link PaxosNode.Mutation#NONE}, or a deliberate bug to show that the checks catch it
     */
    public record Settings(long seed, Quorums quorums, int clients, Set<Nemesis.Kind> nemesis, long faultsUntilNs,
                           PaxosNode.Mutation mutation) {
        public Settings {
            if (quorums == null || nemesis == null || mutation == null) {
                throw new IllegalArgumentException("quorums and nemesis must not be null");
            }
            if (clients < 1 || clients > 1000 || faultsUntilNs < 0) {
                throw new IllegalArgumentException("need clients in 1..1000 and faultsUntilNs >= 0, got " + clients + ", " + faultsUntilNs);
            }
        }

        /** Correct Paxos. */
        public Settings(long seed, Quorums quorums, int clients, Set<Nemesis.Kind> nemesis, long faultsUntilNs) {
            this(seed, quorums, clients, nemesis, faultsUntilNs, PaxosNode.Mutation.NONE);
        }
    }

    /**
     * What happened.
     *
     * @param chosen     the value chosen according to the monitor (null if none)
     * @param chosenAt   the ballot at which it was first chosen (null if none)
     * @param decided    per client, the value it was told (null if it got no answer)
     * @param learned    per server, the value its learner knows at the end (null if unknown)
     * @param doneNs     virtual time at which the last client got its answer (or the time limit)
     * @param completed  whether every client got an answer within the bound after the faults stopped
     * @param checks     how many events the monitor checked
     */
    public record Outcome(Long chosen, Ballot chosenAt, Long[] decided, Long[] learned, long doneNs, boolean completed, long checks) {
    }

    private SingleDecreeRun() {
    }

    /** Runs one simulation; a safety violation surfaces as an {@link IllegalStateException}. */
    public static Outcome run(Settings s) {
        return run(s, Set.of());
    }

    /**
     * As {@link #run(Settings)}, with leader-aware {@code attacks} ({@link Adversary}) until the settings'
     * {@code faultsUntilNs}, besides its random nemesis: a strike every 10 ms, each lasting 15 ms (as the random
     * one's), a pause of just over two of a proposer's first retry periods (20 ms each). The attacks see which server told a
     * client the decision (it leads, and it acknowledged). With no attacks this is exactly {@link #run(Settings)}.
     */
    public static Outcome run(Settings s, Set<Adversary.Attack> attacks) {
        return run(s, attacks, id -> new PaxosNode(s.quorums(), s.mutation()));
    }

    /**
     * As {@link #run(Settings, Set)} with the servers made by {@code servers} (a student's node in the {@code paxos}
     * lab): they must keep their acceptor state under {@link Acceptor#KEY} as an {@link Acceptor.State}, which the
     * {@link ChosenMonitor} reads, and report {@link PaxosNode.Learned}. {@code learned} in the outcome is null for
     * servers that are not {@link PaxosNode}s.
     */
    public static Outcome run(Settings s, Set<Adversary.Attack> attacks, IntFunction<Node<PaxosMessage>> servers) {
        int n = s.quorums().acceptors();
        Simulator<PaxosMessage> sim = new Simulator<>(SimConfig.defaults(s.seed(), n), servers);
        ChosenMonitor monitor = ChosenMonitor.install(sim, s.quorums(), s.mutation() != PaxosNode.Mutation.NO_FSYNC);
        Long[] decided = new Long[s.clients()];
        for (int c = 0; c < s.clients(); c++) {
            sim.addClient(new Client(c, decided, s.faultsUntilNs() / 2));
        }
        Nemesis.random(sim, s.nemesis(), 0, s.faultsUntilNs(), 5_000_000, 15_000_000);
        if (!attacks.isEmpty()) {
            Observations seen = new Observations();
            sim.onClientDelivery((server, client, message) -> {
                if (message instanceof Decided) {
                    seen.leader(server, sim.now());
                    seen.acknowledged(server);
                }
            });
            Adversary.schedule(sim, attacks, seen, new Adversary.Timing(40_000_000, 10_000_000, 15_000_000), 0, s.faultsUntilNs());
        }
        sim.runUntil(s.faultsUntilNs() + LIVENESS_BOUND_NS, () -> Arrays.stream(decided).allMatch(v -> v != null));
        boolean completed = Arrays.stream(decided).allMatch(v -> v != null);
        Long[] learned = new Long[n];
        for (int i = 0; i < n; i++) {
            learned[i] = sim.node(i) instanceof PaxosNode p ? p.chosen() : null;
        }
        return new Outcome(monitor.chosen(), monitor.chosenAt(), decided, learned, sim.now(), completed, monitor.checks());
    }

    private record Resend() {
    }

    /** A client that wants {@code 100 + index} chosen and retries until told the decision. */
    private static final class Client implements Node<PaxosMessage> {
        private final int index;
        private final Long[] decided;
        private final long startWithinNs;

        Client(int index, Long[] decided, long startWithinNs) {
            this.index = index;
            this.decided = decided;
            this.startWithinNs = startWithinNs;
        }

        @Override
        public void start(Context<PaxosMessage> ctx) {
            ctx.setTimer(ctx.random().nextLong(startWithinNs + 1), new Resend());
        }

        @Override
        public void receive(Context<PaxosMessage> ctx, int from, PaxosMessage message) {
            if (message instanceof Decided d) {
                if (decided[index] != null && decided[index] != d.value()) {
                    throw new IllegalStateException("client " + index + " was told " + decided[index] + " and then " + d.value());
                }
                decided[index] = d.value();
            }
        }

        @Override
        public void timer(Context<PaxosMessage> ctx, Object tag) {
            if (decided[index] == null) {
                // to every server: each becomes a proposer, so the proposers duel (section 2.4)
                for (int server = 0; server < ctx.servers(); server++) {
                    ctx.send(server, new Propose(100 + index));
                }
                ctx.setTimer(CLIENT_RETRY_NS, tag);
            }
        }
    }
}
