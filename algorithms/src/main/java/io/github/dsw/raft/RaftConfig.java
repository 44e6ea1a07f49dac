package io.github.dsw.raft;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Static settings of one Raft server; build one with {@link #builder} or take {@link #defaults}. Immutable,
 * and valid by construction: {@link Builder#build} checks the settings together.
 *
 * @param id                  this server's id, 0..servers-1
 * @param servers             number of server ids (0..servers-1): the universe, not the voters (see initialVoters)
 * @param electionTicks       each election timeout is drawn uniformly from [electionTicks, electionTicksMax]
 *                            ticks (inclusive; equal bounds give a fixed timeout, as in the 150-150 ms row of the
 *                            paper's Figure 16); electionTicks is also the minimum election timeout that
 *                            CheckQuorum and leases count with
 * @param electionTicksMax    the upper bound of the election timeout, inclusive
 * @param heartbeatTicks      ticks between a leader's heartbeats (below electionTicks)
 * @param preVote             run the PreVote phase before each candidacy (dissertation 9.6)
 * @param checkQuorum         leaders step down without a majority's contact; followers keep a lease (6.2)
 * @param maxEntriesPerAppend bound on entries in one AppendEntries (batching)
 * @param maxInflight         flow control: at most this many unacknowledged non-empty AppendEntries to a follower
 *                            in replicate state (etcd's {@code MaxInflightMsgs}); proposals made while the window
 *                            is full wait and leave together, in one batch, when it opens
 * @param snapshotChunkBytes  largest data chunk of one InstallSnapshot message (extended paper Figure 13)
 * @param timerResetOnNewTerm whether a follower or candidate that learns of a higher term restarts its election
 *                            timer (true, etcd's {@code becomeFollower}); false keeps the running timer, as the
 *                            paper's Figure 2 (reset only on AppendEntries from the current leader or on granting
 *                            a vote) and LogCabin's {@code stepDown} do (used to reproduce the paper's Figure 16)
 * @param initialVoters       the voters of the configuration every server boots with (dissertation 4.1): ids in
 *                            0..servers-1, sorted (never a {@code Set.of}: its iteration order is randomised per
 *                            JVM, and reaches the trace); servers outside it join later with {@link ConfChange}s
 * @param maxClockDrift       bound on the relative rate difference of any two servers' clocks (0.1: one tick of a
 *                            server lasts at most 1.1 ticks of another, in real time), used only by lease reads: a
 *                            lease lasts electionTicks / (1 + maxClockDrift) of the leader's ticks
 *                            ({@link RaftNode#leaseRead})
 * @param mutation            a deliberately wrong variant, {@link Mutation#NONE} except in tests and demonstrations
 * @param rules               the decisions a lab lets a student write ({@link RaftRules}); {@link RaftRules#REFERENCE} otherwise
 */
public record RaftConfig(int id, int servers, int electionTicks, int electionTicksMax, int heartbeatTicks, boolean preVote,
                         boolean checkQuorum, int maxEntriesPerAppend, int maxInflight, int snapshotChunkBytes,
                         boolean timerResetOnNewTerm, SortedSet<Integer> initialVoters, double maxClockDrift,
                         Mutation mutation, RaftRules rules) {

    /** Checks what the builder cannot check one setting at a time. */
    public RaftConfig {
        if (heartbeatTicks >= electionTicks) {
            throw new IllegalArgumentException("heartbeatTicks must be < electionTicks (" + electionTicks + "), got " + heartbeatTicks);
        }
    }

    /**
     * etcd-like defaults: election timeout uniform in [10, 19] ticks, heartbeat 1 tick, PreVote and CheckQuorum
     * on, 64 entries per append, 256 messages in flight, snapshot chunks of 64 KiB, election timer restarted on a
     * new term, every server a voter, clock drift bound 0.1 (10%), no mutation.
     */
    public static RaftConfig defaults(int id, int servers) {
        return builder(id, servers).build();
    }

    /** A builder starting from the {@link #defaults}; {@link Builder#build} checks the settings together. */
    public static Builder builder(int id, int servers) {
        return new Builder(id, servers);
    }

    /** Settings for a {@link RaftConfig}, starting from the defaults; each setter checks its own argument. */
    public static final class Builder {
        private final int id;
        private final int servers;
        private int electionTicks = 10;
        private int electionTicksMax = 19;
        private int heartbeatTicks = 1;
        private boolean preVote = true;
        private boolean checkQuorum = true;
        private int maxEntriesPerAppend = 64;
        private int maxInflight = 256;
        private int snapshotChunkBytes = 64 * 1024;
        private boolean timerResetOnNewTerm = true;
        private SortedSet<Integer> initialVoters;
        private double maxClockDrift = 0.1;
        private Mutation mutation = Mutation.NONE;
        private RaftRules rules = RaftRules.REFERENCE;

        private Builder(int id, int servers) {
            if (servers < 1) {
                throw new IllegalArgumentException("servers must be >= 1, got " + servers);
            }
            if (id < 0 || id >= servers) {
                throw new IllegalArgumentException("id must be in 0.." + (servers - 1) + ", got " + id);
            }
            this.id = id;
            this.servers = servers;
            TreeSet<Integer> all = new TreeSet<>();
            for (int i = 0; i < servers; i++) {
                all.add(i);
            }
            this.initialVoters = Collections.unmodifiableSortedSet(all);
        }

        /** Election timeouts uniform in [min, max] ticks (inclusive); Raft's usual [T, 2T) is (T, 2T - 1). */
        public Builder electionTicks(int min, int max) {
            if (min < 2) {
                throw new IllegalArgumentException("electionTicks min must be >= 2 (above a heartbeat of >= 1 tick), got " + min);
            }
            if (max < min) {
                throw new IllegalArgumentException("electionTicks max must be >= min (" + min + "), got " + max);
            }
            this.electionTicks = min;
            this.electionTicksMax = max;
            return this;
        }

        /** Ticks between a leader's heartbeats; {@link #build} checks that it is below the election timeout. */
        public Builder heartbeatTicks(int ticks) {
            this.heartbeatTicks = atLeastOne("heartbeatTicks", ticks);
            return this;
        }

        public Builder preVote(boolean on) {
            this.preVote = on;
            return this;
        }

        public Builder checkQuorum(boolean on) {
            this.checkQuorum = on;
            return this;
        }

        public Builder maxEntriesPerAppend(int max) {
            this.maxEntriesPerAppend = atLeastOne("maxEntriesPerAppend", max);
            return this;
        }

        public Builder maxInflight(int max) {
            this.maxInflight = atLeastOne("maxInflight", max);
            return this;
        }

        /** InstallSnapshot chunks of at most {@code bytes} bytes (small values make many chunks, for tests). */
        public Builder snapshotChunkBytes(int bytes) {
            this.snapshotChunkBytes = atLeastOne("snapshotChunkBytes", bytes);
            return this;
        }

        /** See {@code timerResetOnNewTerm} in {@link RaftConfig}'s description. */
        public Builder timerResetOnNewTerm(boolean reset) {
            this.timerResetOnNewTerm = reset;
            return this;
        }

        /** The voters every server boots with; the other servers start outside the configuration. */
        public Builder initialVoters(Set<Integer> voters) {
            if (voters == null || voters.isEmpty()) {
                throw new IllegalArgumentException("initialVoters must not be null or empty, got " + voters);
            }
            for (int v : voters) {
                if (v < 0 || v >= servers) {
                    throw new IllegalArgumentException("initialVoters must be ids in 0.." + (servers - 1) + ", got " + voters);
                }
            }
            this.initialVoters = Collections.unmodifiableSortedSet(new TreeSet<>(voters)); // never Set.copyOf: its order is randomised per JVM
            return this;
        }

        /** The clock-drift bound lease reads assume (see {@link RaftNode#leaseRead}). */
        public Builder maxClockDrift(double drift) {
            if (!(drift >= 0) || Double.isInfinite(drift)) {
                throw new IllegalArgumentException("maxClockDrift must be finite and >= 0, got " + drift);
            }
            this.maxClockDrift = drift;
            return this;
        }

        /** A deliberately wrong variant (tests and demonstrations only). */
        public Builder mutation(Mutation m) {
            if (m == null) {
                throw new IllegalArgumentException("mutation must not be null (Mutation.NONE for none)");
            }
            this.mutation = m;
            return this;
        }

        /** The rules of the labs ({@link RaftRules}); {@link RaftRules#REFERENCE} by default. */
        public Builder rules(RaftRules r) {
            if (r == null) {
                throw new IllegalArgumentException("rules must not be null (RaftRules.REFERENCE for the workbench's)");
            }
            this.rules = r;
            return this;
        }

        /** @throws IllegalArgumentException if heartbeatTicks is not below electionTicks */
        public RaftConfig build() {
            return new RaftConfig(id, servers, electionTicks, electionTicksMax, heartbeatTicks, preVote, checkQuorum,
                    maxEntriesPerAppend, maxInflight, snapshotChunkBytes, timerResetOnNewTerm, initialVoters, maxClockDrift,
                    mutation, rules);
        }

        private static int atLeastOne(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be >= 1, got " + v);
            }
            return v;
        }
    }
}
