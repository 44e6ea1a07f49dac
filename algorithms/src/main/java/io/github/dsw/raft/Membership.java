package io.github.dsw.raft;

import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A cluster configuration: the voters, whose majorities elect leaders and commit entries, and the
 * learners, non-voting members that receive the log (Ongaro's dissertation, sections 4.1 and 4.2.1).
 * Servers in neither set are outside the configuration. Immutable; {@link #apply} gives the next one.
 *
 * <p>Every single-server change keeps this property: a majority of the voters before and a majority
 * after the change share at least one server (section 4.1: with n voters, a majority of n and a
 * majority of n + 1 add up to more than n + 1; a majority of n and of n - 1 add up to more than n).
 *
 * @param voters   voting members (at least one)
 * @param learners non-voting members (disjoint from voters)
 */
public record Membership(SortedSet<Integer> voters, SortedSet<Integer> learners) {

    public Membership {
        if (voters == null || learners == null) {
            throw new IllegalArgumentException("voters and learners must not be null");
        }
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("voters must not be empty");
        }
        for (int v : voters) {
            if (v < 0 || learners.contains(v)) {
                throw new IllegalArgumentException("voters must be ids >= 0 and not learners, got voters " + voters + ", learners " + learners);
            }
        }
        for (int l : learners) {
            if (l < 0) {
                throw new IllegalArgumentException("learners must be ids >= 0, got " + learners);
            }
        }
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
    }

    /** A configuration of {@code voters} and no learners. */
    public static Membership of(Set<Integer> voters) {
        return new Membership(new TreeSet<>(voters), new TreeSet<>());
    }

    public boolean isVoter(int id) {
        return voters.contains(id);
    }

    public boolean isLearner(int id) {
        return learners.contains(id);
    }

    /** A voter or a learner: a server the leader replicates to. */
    public boolean isMember(int id) {
        return voters.contains(id) || learners.contains(id);
    }

    /** Votes or acknowledgements needed: a majority of the voters. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    /** Why {@code change} cannot be applied to this configuration, or null if it can. */
    public String refusal(ConfChange change) {
        int node = change.node();
        return switch (change.type()) {
            case ADD_LEARNER -> isMember(node) ? "server " + node + " is already a member of " + this : null;
            case PROMOTE -> isLearner(node) ? null : "server " + node + " is not a learner of " + this;
            case REMOVE -> !isMember(node) ? "server " + node + " is not a member of " + this
                    : voters.size() == 1 && isVoter(node) ? "cannot remove the last voter " + node : null;
        };
    }

    /** The configuration after {@code change}; throws IllegalArgumentException if {@link #refusal} is not null. */
    public Membership apply(ConfChange change) {
        String why = refusal(change);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        TreeSet<Integer> v = new TreeSet<>(voters);
        TreeSet<Integer> l = new TreeSet<>(learners);
        switch (change.type()) {
            case ADD_LEARNER -> l.add(change.node());
            case PROMOTE -> {
                l.remove(change.node());
                v.add(change.node());
            }
            case REMOVE -> {
                v.remove(change.node());
                l.remove(change.node());
            }
        }
        return new Membership(v, l);
    }

    @Override
    public String toString() {
        return "voters " + voters + " learners " + learners;
    }
}
