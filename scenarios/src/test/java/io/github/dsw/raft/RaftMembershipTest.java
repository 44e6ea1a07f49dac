package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.ConfChange.Type;
import io.github.dsw.sim.Nemesis;
import io.github.dsw.sim.Partition;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Single-server membership changes (Ongaro's dissertation, chapter 4) on the simulator, with the four
 * invariants of the paper's Figure 3 checked after every event. Expected outcomes come from the
 * dissertation's rules: quorums are majorities of the current configuration's voters (4.1), a learner
 * neither votes nor counts until promoted (4.2.1), a removed leader steps down once the configuration
 * without it commits (4.2.2), a removed server cannot disrupt a cluster whose servers keep CheckQuorum's
 * lease (4.2.3), a configuration is in effect as soon as it is in a log and reverts when truncated (4.1),
 * and a new leader changes nothing before its no-op commits (Ongaro, raft-dev 2015).
 */
class RaftMembershipTest {
    private static final boolean SOAK = Boolean.getBoolean("dsw.soak");
    private static final long MS = RaftCluster.MS;

    /** Five server ids, the first {@code voters} of them voters at boot, the rest spare (outside the configuration). */
    private static RaftCluster cluster(long seed, int voters, boolean preVote, boolean checkQuorum) {
        return cluster(seed, voters, preVote, checkQuorum, Mutation.NONE);
    }

    private static RaftCluster cluster(long seed, int voters, boolean preVote, boolean checkQuorum, Mutation mutation) {
        Set<Integer> initial = new java.util.HashSet<>();
        for (int i = 0; i < voters; i++) {
            initial.add(i);
        }
        return new RaftCluster(seed, 5, id -> RaftConfig.builder(id, 5).electionTicks(10, 19).heartbeatTicks(2).preVote(preVote).checkQuorum(checkQuorum)
                .initialVoters(initial).mutation(mutation).build());
    }

    private static RaftCluster cluster(long seed, int voters) {
        return cluster(seed, voters, true, true);
    }

    /** Commits {@code cmd} through the current leader; waits for {@code expected} servers to apply it. */
    private static void commit(RaftCluster c, int expected) {
        c.one(c.freshCommand(), expected, true);
    }

    @Test
    void spareServersStayOutsideTheConfiguration() {
        RaftCluster c = cluster(11, 3);
        int leader = c.checkLeaderOfItsVoters();
        assertTrue(leader < 3, "only a voter can lead, got " + leader);
        commit(c, 3);
        c.run(1_000);
        for (int spare = 3; spare < 5; spare++) {
            RaftNode r = c.server(spare).raft();
            assertEquals(0, r.lastIndex(), "spare " + spare + " receives no entries");
            assertEquals(0, r.currentTerm(), "spare " + spare + " never campaigns");
        }
    }

    @Test
    void addServerAsLearnerCatchUpThenPromote() {
        RaftCluster c = cluster(12, 3);
        c.checkLeaderOfItsVoters();
        for (int i = 0; i < 20; i++) {
            commit(c, 3);
        }
        // the new server is cut off: it joins as a learner but cannot catch up, so it cannot be promoted
        c.isolate(3);
        c.changeMembership(new ConfChange(Type.ADD_LEARNER, 3));
        int leader = c.currentLeader();
        RaftNode lr = c.server(leader).raft();
        assertEquals(Set.of(3), lr.status().configuration().learners());
        c.run(500);
        String why = refusal(lr.proposeConfChange(new ConfChange(Type.PROMOTE, 3)));
        assertTrue(why.contains("not caught up"), why);
        // a learner does not count: 2 of the 3 voters still commit while it is away
        commit(c, 3);
        c.heal();
        c.run(300);
        assertTrue(lr.status().progress().get(3).learnerCaughtUp(), "caught up within a round shorter than an election timeout");
        assertEquals(lr.lastIndex(), c.server(3).raft().lastIndex(), "the learner received the whole log");
        c.changeMembership(new ConfChange(Type.PROMOTE, 3));
        assertEquals(Set.of(0, 1, 2, 3), lr.status().configuration().voters());
        assertEquals(3, lr.status().configuration().quorum(), "a majority of 4 voters is 3");
        commit(c, 4);
        // with 4 voters, two voters away leave 2 of 4: nothing commits (with 3 voters, 2 did)
        int a = (leader + 1) % 4;
        int b = (leader + 2) % 4;
        c.split(List.of(List.of(a, b), List.of(leader, (leader + 3) % 4, 4)));
        long index = accepted(lr.propose(c.freshCommand()));
        assertTrue(index > 0);
        c.run(1_000);
        assertTrue(lr.commitIndex() < index, "2 of 4 voters cannot commit");
        c.heal();
        commit(c, 4);
    }

    @Test
    void aLearnerThatWentSilentAfterCatchingUpMustCatchUpAgain() {
        RaftCluster c = cluster(14, 3);
        c.checkLeaderOfItsVoters();
        c.changeMembership(new ConfChange(Type.ADD_LEARNER, 3));
        c.run(300);
        int leader = c.currentLeader();
        RaftNode lr = c.server(leader).raft();
        assertTrue(lr.status().progress().get(3).learnerCaughtUp(), "caught up while connected");
        // then it is cut off for several election timeouts while the others go on
        c.isolate(3);
        for (int i = 0; i < 10; i++) {
            commit(c, 3);
        }
        c.run(1_000);
        assertEquals(leader, c.currentLeader(), "same leader (the learner's absence does not matter to it)");
        String why = refusal(lr.proposeConfChange(new ConfChange(Type.PROMOTE, 3))); // a silent learner is not promoted
        assertTrue(why.contains("not caught up"), why);
        assertFalse(lr.status().progress().get(3).learnerCaughtUp(), "it must catch up again");
        c.heal();
        c.run(300);
        assertTrue(lr.status().progress().get(3).learnerCaughtUp(), "caught up again after the partition healed");
        c.changeMembership(new ConfChange(Type.PROMOTE, 3));
        assertEquals(Set.of(0, 1, 2, 3), lr.status().configuration().voters());
    }

    @Test
    void aLearnerNeverCampaigns() {
        RaftCluster c = cluster(13, 3);
        c.checkLeaderOfItsVoters();
        c.changeMembership(new ConfChange(Type.ADD_LEARNER, 4));
        commit(c, 4); // 3 voters + the learner apply it
        long term = c.server(4).raft().currentTerm();
        for (int v = 0; v < 3; v++) {
            c.sim.crash(v);
        }
        c.run(3_000);
        assertEquals(RaftNode.Role.FOLLOWER, c.server(4).raft().role());
        assertEquals(term, c.server(4).raft().currentTerm(), "the learner never started an election");
    }

    @Test
    void removeAFollower() {
        RaftCluster c = cluster(14, 5);
        int leader = c.checkLeaderOfItsVoters();
        int victim = (leader + 1) % 5;
        c.changeMembership(new ConfChange(Type.REMOVE, victim));
        c.run(100);
        long frozen = c.server(victim).raft().lastIndex();
        for (int i = 0; i < 5; i++) {
            commit(c, 4);
        }
        assertEquals(frozen, c.server(victim).raft().lastIndex(), "a removed server receives nothing more");
        assertEquals(3, c.server(leader).raft().status().configuration().quorum(), "a majority of 4 voters is 3");
    }

    @Test
    void removeTheLeader() {
        RaftCluster c = cluster(15, 3);
        int old = c.checkLeaderOfItsVoters();
        commit(c, 3);
        long index = c.changeMembership(new ConfChange(Type.REMOVE, old));
        RaftNode o = c.server(old).raft();
        // 4.2.2: it led until the configuration without it was committed (by the 2 others), then stepped down
        assertTrue(o.commitIndex() >= index);
        assertEquals(RaftNode.Role.FOLLOWER, o.role(), "the removed leader stepped down");
        int leader = c.checkLeaderOfItsVoters();
        assertNotEquals(old, leader);
        RaftNode nl = c.server(leader).raft();
        assertEquals(Set.of(0, 1, 2).stream().filter(i -> i != old).collect(java.util.stream.Collectors.toSet()), nl.status().configuration().voters());
        commit(c, 2);
        c.run(2_000);
        assertEquals(RaftNode.Role.FOLLOWER, o.role(), "a server outside the configuration never campaigns");
        assertEquals(nl.currentTerm(), c.server(leader).raft().currentTerm(), "no disruption");
    }

    @Test
    void configurationTakesEffectWhenAppendedAndRevertsWhenTruncated() {
        RaftCluster c = cluster(16, 5);
        int leader = c.checkLeaderOfItsVoters();
        commit(c, 5);
        int a = (leader + 1) % 5;
        List<Integer> minority = List.of(leader, a);
        List<Integer> majority = List.of((leader + 2) % 5, (leader + 3) % 5, (leader + 4) % 5);
        c.split(List.of(minority, majority));
        RaftNode lr = c.server(leader).raft();
        int victim = majority.get(0);
        long index = accepted(lr.proposeConfChange(new ConfChange(Type.REMOVE, victim)));
        assertFalse(lr.status().configuration().isMember(victim), "in effect on the leader at once, uncommitted");
        c.run(50);
        assertFalse(c.server(a).raft().status().configuration().isMember(victim), "in effect on the follower that stored it");
        String why = refusal(lr.proposeConfChange(new ConfChange(Type.ADD_LEARNER, victim))); // one uncommitted change at a time
        assertTrue(why.contains("not committed"), why);
        // the majority side elects a leader and commits; on healing the minority's entry is truncated
        c.run(1_000);
        c.heal();
        commit(c, 5);
        for (int i = 0; i < 5; i++) {
            RaftNode r = c.server(i).raft();
            assertEquals(Set.of(0, 1, 2, 3, 4), r.status().configuration().voters(), "server " + i + " reverted to the 5 voters");
        }
    }

    @Test
    void membershipChangeUnderFailure() {
        // the lab's "membership change under failure": a follower crashed during both changes, then a partition
        RaftCluster c = cluster(17, 3);
        int leader = c.checkLeaderOfItsVoters();
        int down = (leader + 1) % 3;
        c.sim.crash(down);
        commit(c, 2);
        c.addVoter(3); // 4 voters: the leader, one follower and the new server make the 3 needed
        c.changeMembership(new ConfChange(Type.REMOVE, down));
        commit(c, 3);
        c.sim.restart(down); // it missed its removal: its log still names it a voter
        c.run(2_000);
        int now = c.checkLeaderOfItsVoters();
        assertNotEquals(down, now);
        // a partition that leaves the leader with one voter of three: the other two go on and add server 4
        List<Integer> voters = List.copyOf(c.server(now).raft().status().configuration().voters());
        int buddy = voters.get(0) == now ? voters.get(1) : voters.get(0);
        c.split(List.of(List.of(now, down), List.of(3, buddy, 4).stream().filter(i -> i != now).toList()));
        c.run(1_000);
        int side = c.checkLeaderOfItsVoters();
        assertNotEquals(now, side);
        c.addVoter(4);
        c.heal();
        commit(c, 4);
        Membership m = c.server(c.checkLeaderOfItsVoters()).raft().status().configuration();
        assertEquals(4, m.voters().size(), m.toString());
        assertFalse(m.isMember(down));
    }

    @Test
    void removedServerCannotDisruptWithCheckQuorum() {
        // 4.2.3 with PreVote off, so that only CheckQuorum's lease protects the cluster
        assertEquals(0, disruptions(true), "the lease made the voters ignore the removed server");
        assertTrue(disruptions(false) > 0, "without CheckQuorum the removed server deposes leaders");
    }

    /** Leader changes after a server that missed its own removal comes back (PreVote off). */
    private static int disruptions(boolean checkQuorum) {
        RaftCluster c = cluster(18, 4, false, checkQuorum);
        int leader = c.checkLeaderOfItsVoters();
        int removed = (leader + 1) % 4;
        c.isolate(removed);
        c.changeMembership(new ConfChange(Type.REMOVE, removed));
        commit(c, 3);
        assertTrue(c.server(removed).raft().status().configuration().isVoter(removed), "it did not learn of its removal");
        c.heal();
        long term = c.server(leader).raft().currentTerm();
        int changes = 0;
        int last = leader;
        for (int i = 0; i < 20; i++) {
            c.run(100);
            c.proposeAnywhere(c.freshCommand());
            int l = c.currentLeader();
            if (l != last || (l >= 0 && c.server(l).raft().currentTerm() != term)) {
                changes++;
                last = l;
                term = l >= 0 ? c.server(l).raft().currentTerm() : term;
            }
        }
        assertTrue(c.server(removed).raft().currentTerm() > 1, "the removed server did campaign");
        return changes;
    }

    @Test
    void newLeaderChangesNothingBeforeItsNoopCommits() {
        RaftCluster c = cluster(19, 3);
        c.checkLeaderOfItsVoters();
        commit(c, 3);
        int old = c.currentLeader();
        c.isolate(old);
        // run event by event until another server wins; then cut it off before its no-op can commit
        while (c.currentLeader() == old || c.currentLeader() < 0) {
            c.sim.step();
        }
        int leader = c.currentLeader();
        c.sim.setPartition(Partition.split(5, List.of(List.of(leader), List.of(old), List.of(0, 1, 2, 3, 4).stream()
                .filter(i -> i != leader && i != old).toList())));
        RaftNode r = c.server(leader).raft();
        assertTrue(r.commitIndex() < r.lastIndex(), "no-op not committed yet");
        String why = refusal(r.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 3)));
        assertTrue(why.contains("committed yet"), why);
        c.heal();
        c.run(200);
        if (c.currentLeader() == leader) {
            accepted(r.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 3))); // allowed once the no-op committed
        }
    }

    /**
     * The bug Ongaro reported on raft-dev in 2015 ("one add, one remove"), scripted: C0 = voters {A, B,
     * C, D} and a caught-up learner. (1) Leader A appends C1 = C0 + learner promoted, which reaches only
     * the learner. (2) B wins the next term with C and D; without the fix it appends C2 = C0 - A at once,
     * before its no-op commits, and commits both with C (2 of the 3 voters of C2). (3) A, D and the
     * learner, a majority of C1, elect A or the learner, who commits C1 at the index where B's no-op was
     * committed. C1 and C2 each differ from C0 by one server, but from each other by two: their majorities
     * {A, D, learner} and {B, C} do not meet. With the fix B appends nothing before its no-op commits,
     * which needs 3 of the 4 voters of C0, so the same schedule commits nothing that is later lost.
     */
    private static void raftDev2015Schedule(boolean fixed) {
        RaftCluster c = cluster(20, 4, true, true, fixed ? Mutation.NONE : Mutation.CONF_CHANGE_BEFORE_NOOP);
        int a = c.checkLeaderOfItsVoters();
        c.changeMembership(new ConfChange(Type.ADD_LEARNER, 4));
        commit(c, 5);
        RaftNode ra = c.server(a).raft();
        List<Integer> others = List.of(0, 1, 2, 3).stream().filter(i -> i != a).toList();
        // (1) A appends C1 (learner 4 promoted); only 4 receives it
        c.split(List.of(List.of(a, 4), others));
        long c1 = accepted(ra.proposeConfChange(new ConfChange(Type.PROMOTE, 4)));
        c.run(5);
        // (2) the others elect a leader B; at that instant B is left with one partner
        long until = c.sim.now() + 3_000 * MS;
        int b = -1;
        while (b < 0 && c.sim.now() < until) {
            c.sim.step();
            for (int i : others) {
                if (c.server(i).raft().role() == RaftNode.Role.LEADER) {
                    b = i;
                }
            }
        }
        assertTrue(b >= 0, "the three others elected a leader");
        int bb = b;
        List<Integer> rest = others.stream().filter(i -> i != bb).toList();
        int partner = rest.get(0);
        int d = rest.get(1);
        c.split(List.of(List.of(b, partner), List.of(d), List.of(a, 4)));
        RaftNode rb = c.server(b).raft();
        ConfChange removeA = new ConfChange(Type.REMOVE, a);
        Proposal p2 = rb.proposeConfChange(removeA); // without the fix: the mutation CONF_CHANGE_BEFORE_NOOP
        long c2 = p2 instanceof Proposal.Accepted a2 ? a2.index() : -1;
        if (fixed) {
            assertInstanceOf(Proposal.Refused.class, p2, "the fix: nothing before the no-op commits");
        } else {
            assertEquals(c1 + 1, c2, "C2 right after B's no-op");
        }
        c.run(300);
        if (!fixed) {
            assertTrue(rb.commitIndex() >= c2, "B committed its no-op and C2 with its partner");
        }
        // (3) A, D and the learner: a majority of C1
        c.split(List.of(List.of(a, d, 4), List.of(b, partner)));
        c.run(3_000);
        c.heal();
        c.run(1_000);
    }

    @Test
    void raftDev2015BugLosesACommittedEntryWithoutTheFix() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> raftDev2015Schedule(false));
        System.out.println("RaftMembershipTest: without the raft-dev 2015 fix (seed 20): " + e.getMessage());
        assertTrue(e.getMessage().contains("State Machine Safety") || e.getMessage().contains("Leader Completeness"), e.getMessage());
    }

    @Test
    void raftDev2015ScheduleIsSafeWithTheFix() {
        raftDev2015Schedule(true); // the invariants hold after every event
    }

    /** Every subset of {@code voters} (as bit masks over ids) that holds at least {@code quorum} of them. */
    private static List<Integer> majorities(Membership m) {
        List<Integer> out = new java.util.ArrayList<>();
        int all = 0;
        for (int v : m.voters()) {
            all |= 1 << v;
        }
        for (int sub = all; sub > 0; sub = (sub - 1) & all) {
            if (Integer.bitCount(sub) >= m.quorum()) {
                out.add(sub);
            }
        }
        return out;
    }

    private static boolean everyPairMeets(Membership x, Membership y) {
        for (int p : majorities(x)) {
            for (int q : majorities(y)) {
                if ((p & q) == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void singleServerChangesKeepMajoritiesOverlapping() {
        // dissertation 4.1, by brute force over every majority: one server added or removed keeps every
        // majority of the old voters meeting every majority of the new; the raft-dev 2015 configurations
        // C1 = C0 + 1 server and C2 = C0 - 1 server, two changes apart, need not meet
        for (int n = 1; n <= 7; n++) {
            Set<Integer> ids = new java.util.HashSet<>();
            for (int i = 0; i < n; i++) {
                ids.add(i);
            }
            Membership c0 = Membership.of(ids).apply(new ConfChange(Type.ADD_LEARNER, n));
            Membership added = c0.apply(new ConfChange(Type.PROMOTE, n));
            assertTrue(everyPairMeets(c0, added), "add to " + n);
            if (n > 1) {
                Membership removed = c0.apply(new ConfChange(Type.REMOVE, 0));
                assertTrue(everyPairMeets(c0, removed), "remove from " + n);
                // disjoint majorities need (floor((n+1)/2) + 1) + (floor((n-1)/2) + 1) <= n + 1, i.e. n even
                // (the raft-dev example has 4 voters in C0)
                assertEquals(n % 2 == 0, !everyPairMeets(added, removed), "C0+1 vs C0-1 with " + n + " voters in C0");
            }
        }
    }

    @Test
    void argumentChecks() {
        RaftNode r = RaftNode.create(RaftConfig.defaults(0, 3), b -> 0);
        assertThrowsIae(() -> r.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 3)));
        assertThrowsIae(() -> r.propose(new ConfChange(Type.REMOVE, 1)));
        assertThrowsIae(() -> new ConfChange(Type.REMOVE, -1));
        assertThrowsIae(() -> RaftConfig.builder(0, 3).initialVoters(Set.of(3)).build());
        assertThrowsIae(() -> RaftConfig.builder(0, 3).initialVoters(Set.of()).build());
        assertThrowsIae(() -> Membership.of(Set.of(1)).apply(new ConfChange(Type.REMOVE, 1)));
        assertThrowsIae(() -> Membership.of(Set.of(1)).apply(new ConfChange(Type.PROMOTE, 2)));
        assertEquals(new Proposal.Refused("not the leader"), r.proposeConfChange(new ConfChange(Type.ADD_LEARNER, 2)));
    }

    /** The index of an accepted proposal; fails with the refusal's reason otherwise. */
    private static long accepted(Proposal p) {
        if (p instanceof Proposal.Refused(String why)) {
            throw new AssertionError("refused: " + why);
        }
        return ((Proposal.Accepted) p).index();
    }

    /** The reason of a refused proposal; fails if it was accepted. */
    private static String refusal(Proposal p) {
        return assertInstanceOf(Proposal.Refused.class, p).reason();
    }

    private static void assertThrowsIae(Runnable r) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
    }

    /**
     * Random membership changes (add a learner, promote a caught-up learner, remove a member) and
     * leadership transfers under the simulator's random nemesis with every fault kind, invariants checked
     * after every event; then,
     * healed, a fresh command must commit on every voter of the final configuration.
     */
    @Test
    void randomMembershipChangesUnderEveryNemesis() {
        int seeds = SOAK ? 2_000 : Integer.getInteger("dsw.raft.memberseeds", 150);
        long first = Long.getLong("dsw.raft.memberfirst", 1);
        Set<Nemesis.Kind> all = EnumSet.allOf(Nemesis.Kind.class);
        long changes = 0;
        long[] transfers = new long[1];
        for (long seed = first; seed < first + seeds; seed++) {
            RaftCluster c = cluster(5000 + seed, 3);
            try {
                changes += randomRun(c, new Random(seed), all, transfers);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + (5000 + seed) + " (RaftMembershipTest.randomRun): " + e.getMessage(), e);
            }
        }
        assertTrue(changes > seeds, "configuration changes committed over " + seeds + " runs: " + changes);
        assertTrue(transfers[0] > seeds, "leadership transfers started: " + transfers[0]);
    }

    private static long randomRun(RaftCluster c, Random r, Set<Nemesis.Kind> kinds, long[] transfers) {
        Nemesis.random(c.sim, kinds, 200 * MS, 3_000 * MS, 150 * MS, 300 * MS);
        for (int k = 0; k < 150; k++) {
            c.run(20);
            c.proposeAnywhere(c.seed * 10_000 + k);
            int leader = c.currentLeader();
            if (k % 5 == 0 && leader >= 0) {
                RaftNode l = c.server(leader).raft();
                Membership m = l.status().configuration();
                int node = r.nextInt(5);
                Type t = m.isLearner(node) ? Type.PROMOTE : m.isVoter(node) ? (m.voters().size() > 2 ? Type.REMOVE : null) : Type.ADD_LEARNER;
                if (t == null) {
                    continue;
                }
                if (t == Type.PROMOTE && r.nextInt(4) == 0) {
                    t = Type.REMOVE;
                }
                l.proposeConfChange(new ConfChange(t, node));
            } else if (k % 13 == 7 && leader >= 0) {
                transfers[0] += c.server(leader).raft().transferLeadership(r.nextInt(5)).started() ? 1 : 0; // false unless another voter
            }
        }
        c.run(300); // the nemesis heals everything at 3 s
        c.heal();
        c.links(io.github.dsw.sim.LinkModel.reliable(new io.github.dsw.sim.Latency.LogNormal(1_000_000, 0.3)));
        for (int i = 0; i < c.n; i++) {
            c.sim.restart(i);
        }
        int leader = c.checkLeaderOfItsVoters();
        Membership m = c.server(leader).raft().status().configuration();
        Long last = -c.seed - 1;
        long index = -1;
        for (int attempt = 0; attempt < 50 && index < 0; attempt++) {
            index = c.server(c.checkLeaderOfItsVoters()).raft().propose(last) instanceof Proposal.Accepted a ? a.index() : -1;
            c.run(300);
        }
        int leaderNow = c.checkLeaderOfItsVoters();
        m = c.server(leaderNow).raft().status().configuration();
        c.run(500);
        for (int v : m.voters()) {
            RaftHost<AppliedLog, RaftMessage> s = c.server(v);
            assertTrue(s.stateMachine().applied().stream().anyMatch(e -> last.equals(e.command())), "voter " + v + " of " + m + " applied the final command");
        }
        long committedChanges = 0;
        for (long i = 1; i <= c.server(leaderNow).raft().commitIndex(); i++) {
            committedChanges += c.server(leaderNow).raft().entry(i).command() instanceof ConfChange ? 1 : 0;
        }
        return committedChanges;
    }
}
