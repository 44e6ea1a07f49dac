package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Flow control of {@link RaftNode} replication (the bounded in-flight window, {@code Config.maxInflight},
 * and batching, {@code Config.maxEntriesPerAppend}), driven message by message with no simulator: the test
 * is the network. Expectations come from the rules the window is meant to follow (etcd's
 * {@code tracker.Inflights}, the "replicate" and "probe" states of etcd's {@code Progress}), not from output:
 * <ul>
 *   <li>in replicate state at most {@code maxInflight} AppendEntries with entries are unacknowledged;</li>
 *   <li>entries proposed while the window is full are sent together, up to {@code maxEntriesPerAppend}
 *       per message, as soon as an answer frees a slot;</li>
 *   <li>in probe state (after a rejection) one AppendEntries at a time, starting at the follower's first
 *       missing index, and one more per heartbeat while it is unanswered;</li>
 *   <li>a success answer that acknowledges nothing new while the window is full frees one slot (a message or
 *       its answer was probably lost), and a rejection sends the follower back to probe state: neither a
 *       lost AppendEntries nor a lost answer stalls replication.</li>
 * </ul>
 */
class RaftFlowControlTest {

    private record Wire(int from, int to, RaftMessage message) {
    }

    /** Three RaftNodes (server 0 the leader) and a network the test controls. */
    private static final class Net {
        final RaftNode[] nodes = new RaftNode[3];
        final List<Wire> queue = new ArrayList<>();
        /** Messages to a server in this set are kept in {@link #held} instead of delivered. */
        final boolean[] silent = new boolean[3];
        final List<Wire> held = new ArrayList<>();
        Predicate<Wire> lose = w -> false;
        Predicate<Wire> hold = w -> false; // also held, like messages to a silent server
        SplittableRandom order; // null: FIFO; else a random message is delivered next (reordering)

        Net(int window, int batch) {
            for (int i = 0; i < 3; i++) {
                // no PreVote / CheckQuorum: only the leader ticks, and it must stay leader whatever is lost
                RaftConfig c = RaftConfig.builder(i, 3).preVote(false).checkQuorum(false).maxInflight(window)
                        .maxEntriesPerAppend(batch).build();
                nodes[i] = RaftNode.create(c, b -> 0);
            }
            for (int t = 0; t < nodes[0].config().electionTicks(); t++) {
                nodes[0].tick();
            }
            run();
            assertEquals(RaftNode.Role.LEADER, leader().role(), "server 0 elected");
            assertEquals(1, leader().commitIndex(), "the leader's no-op is committed, both followers replicate");
        }

        RaftNode leader() {
            return nodes[0];
        }

        void collect() {
            for (int i = 0; i < nodes.length; i++) {
                for (Envelope e : nodes[i].ready().messages()) {
                    queue.add(new Wire(i, e.to(), e.message()));
                }
            }
        }

        void deliver(Wire w) {
            nodes[w.to()].step(w.from(), w.message());
            collect();
        }

        /** Delivers (or loses, or holds) everything until the network is quiet. */
        void run() {
            collect();
            while (!queue.isEmpty()) {
                Wire w = queue.remove(order == null ? 0 : order.nextInt(queue.size()));
                if (silent[w.to()] || hold.test(w)) {
                    held.add(w);
                } else if (!lose.test(w)) {
                    deliver(w);
                }
            }
        }

        void propose(Object command) {
            assertInstanceOf(Proposal.Accepted.class, leader().propose(command), "the leader accepts proposals");
            run();
        }

        void tick() {
            leader().tick();
            run();
        }

        /** Held AppendEntries with entries, in send order. */
        List<AppendEntries> heldAppends() {
            List<AppendEntries> r = new ArrayList<>();
            for (Wire w : held) {
                if (w.message() instanceof AppendEntries ae && !ae.entries().isEmpty()) {
                    r.add(ae);
                }
            }
            return r;
        }

        boolean converged() {
            long last = leader().lastIndex();
            for (RaftNode n : nodes) {
                if (n.lastIndex() != last || n.termAt(last) != leader().termAt(last)) {
                    return false;
                }
            }
            return leader().commitIndex() == last && leader().status().progress().get(1).match() == last && leader().status().progress().get(2).match() == last;
        }
    }

    @Test
    void aFollowerThatNeverAnswersHasAtMostWindowAppendsOutstanding() {
        for (int window : new int[] {1, 2, 4, 8}) {
            Net net = new Net(window, 64);
            net.silent[2] = true;
            for (int i = 0; i < 40; i++) {
                net.propose("c" + i);
                if (i % 5 == 0) {
                    net.tick(); // heartbeats must not carry entries past the window either
                }
            }
            List<AppendEntries> out = net.heldAppends();
            assertEquals(window, out.size(), "window=" + window + ": non-empty AppendEntries to the silent follower");
            for (int i = 0; i < out.size(); i++) {
                // the window was open for the first proposals: each left at once, alone, in order
                assertEquals(1, out.get(i).entries().size(), "window=" + window + ", message " + i);
                assertEquals(1 + i, out.get(i).prevLogIndex(), "window=" + window + ", message " + i);
            }
            for (Wire w : net.held) {
                assertTrue(w.message() instanceof AppendEntries, "only AppendEntries go to a follower");
            }
            // the other follower answers, so the leader keeps committing: the window is per follower
            assertEquals(41, net.leader().commitIndex(), "window=" + window);
            assertEquals(41, net.nodes[1].lastIndex(), "window=" + window);
        }
    }

    @Test
    void proposalsMadeWhileTheWindowIsFullLeaveTogetherWhenAnAnswerArrives() {
        int window = 2;
        int batch = 8;
        Net net = new Net(window, batch);
        net.silent[2] = true;
        net.propose("a");
        net.propose("b"); // indices 2 and 3 fill the window
        for (int i = 0; i < 12; i++) {
            net.propose("w" + i); // indices 4..15 wait
        }
        List<AppendEntries> first = net.heldAppends();
        assertEquals(2, first.size());
        // follower 2 gets the first message, and its answer reaches the leader: one slot opens
        List<Wire> inFlight = new ArrayList<>(net.held);
        net.held.clear();
        net.silent[2] = false;
        Wire firstAppend = inFlight.stream().filter(w -> w.message() instanceof AppendEntries ae && !ae.entries().isEmpty())
                .findFirst().orElseThrow();
        net.nodes[2].step(0, firstAppend.message());
        net.silent[2] = true; // what the leader sends next stays on the wire
        net.run();
        List<AppendEntries> next = net.heldAppends();
        assertEquals(1, next.size(), "one slot freed: one message");
        assertEquals(3, next.get(0).prevLogIndex(), "continues after the second in-flight message");
        assertEquals(batch, next.get(0).entries().size(), "the waiting entries leave together, up to maxEntriesPerAppend");
        assertEquals("w0", next.get(0).entries().get(0).command());
        assertEquals("w7", next.get(0).entries().get(batch - 1).command());
        // the second message's answer frees another slot: the remaining 4 waiting entries leave in one message
        net.held.clear();
        net.nodes[2].step(0, inFlight.stream().filter(w -> w.message() instanceof AppendEntries ae && !ae.entries().isEmpty())
                .skip(1).findFirst().orElseThrow().message());
        net.run();
        List<AppendEntries> last = net.heldAppends();
        assertEquals(1, last.size());
        assertEquals(11, last.get(0).prevLogIndex());
        assertEquals(4, last.get(0).entries().size());
    }

    @Test
    void anAnswerThatAcknowledgesNothingNewFreesOneSlotWhenTheWindowIsFull() {
        Net net = new Net(2, 64);
        net.silent[2] = true;
        for (int i = 0; i < 5; i++) {
            net.propose("c" + i); // 2 in flight (indices 2, 3), indices 4..6 wait
        }
        assertEquals(2, net.heldAppends().size());
        net.held.clear();
        // a duplicate of the answer follower 2 gave to the no-op's probe: success, matchIndex 1, nothing new
        net.leader().step(2, new AppendResponse(net.leader().currentTerm(), true, 1, 0, 0, 0, 0));
        net.run();
        List<AppendEntries> out = net.heldAppends();
        assertEquals(1, out.size(), "one slot freed, one message sent");
        assertEquals(3, out.get(0).prevLogIndex());
        assertEquals(3, out.get(0).entries().size(), "the three waiting entries together");
    }

    @Test
    void aLostAppendEntriesIsRepairedThroughARejectionAndProbe() {
        Net net = new Net(4, 64);
        boolean[] dropped = {false};
        net.lose = w -> {
            if (!dropped[0] && w.to() == 2 && w.message() instanceof AppendEntries ae && !ae.entries().isEmpty()) {
                dropped[0] = true;
                return true;
            }
            return false;
        };
        for (int i = 0; i < 6; i++) {
            net.propose("c" + i);
        }
        assertTrue(dropped[0]);
        // every later message to 2 has a prevLogIndex it does not hold: rejected, the leader probes back
        assertTrue(net.leader().status().rejectionsReceived() >= 1, "rejections " + net.leader().status().rejectionsReceived());
        assertTrue(net.converged(), "replication repaired without waiting for a heartbeat");
    }

    @Test
    void aFollowerInProbeStateGetsOneAppendEntriesAtATime() {
        Net net = new Net(4, 64);
        boolean[] dropped = {false};
        boolean[] rejected = {false};
        net.lose = w -> {
            if (w.from() == 2 && w.message() instanceof AppendResponse ar && !ar.success()) {
                rejected[0] = true; // delivered; from now on the leader's messages to 2 are held
            }
            if (!dropped[0] && w.to() == 2 && w.message() instanceof AppendEntries ae && !ae.entries().isEmpty()) {
                dropped[0] = true;
                return true;
            }
            return false;
        };
        net.hold = w -> w.to() == 2 && rejected[0];
        // index 2 is lost on the way to 2; follower 1's answer commits it, and the leader's commit notice
        // (an empty AppendEntries with prevLogIndex 2) is rejected by 2: the leader probes from index 2
        net.propose("a");
        assertTrue(rejected[0]);
        List<AppendEntries> probes = net.heldAppends();
        assertEquals(1, probes.size(), "one probe");
        assertEquals(1, probes.get(0).prevLogIndex(), "the probe starts at the follower's first missing index");
        assertEquals(List.of("a"), probes.get(0).entries().stream().map(LogEntry::command).toList());
        net.propose("b");
        for (int i = 0; i < 5; i++) {
            net.propose("c" + i);
        }
        assertEquals(1, net.heldAppends().size(), "no second message while the probe is unanswered");
        net.tick();
        List<AppendEntries> after = net.heldAppends();
        assertEquals(2, after.size(), "a heartbeat may carry one new probe");
        assertEquals(1, after.get(1).prevLogIndex());
        assertEquals(7, after.get(1).entries().size(), "the new probe carries everything from the missing index");
        net.hold = w -> false;
        net.deliver(net.held.stream().filter(w -> w.message() == after.get(1)).findFirst().orElseThrow());
        net.run();
        assertTrue(net.converged(), "the probe's answer puts the follower back in replicate state");
    }

    @Test
    void lostAnswersDoNotStallReplication() {
        Net net = new Net(2, 64);
        net.lose = w -> w.from() == 2 && w.message() instanceof AppendResponse; // follower 2 hears the leader, its answers are lost
        for (int i = 0; i < 6; i++) {
            net.propose("c" + i);
        }
        assertEquals(3, net.nodes[2].lastIndex(), "follower 2 received the window's two messages only");
        assertEquals(1, net.leader().status().progress().get(2).match());
        net.lose = w -> false;
        net.tick(); // a heartbeat's answer acknowledges what 2 has; the window opens and the rest follows
        assertTrue(net.converged(), "converged after one heartbeat round");
    }

    @Test
    void randomLossAndReorderingNeverStallReplication() {
        for (long seed = 1; seed <= 30; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int window = 1 + r.nextInt(4);
            int batch = 1 + r.nextInt(4);
            Net net = new Net(window, batch);
            net.order = new SplittableRandom(seed * 31);
            double loss = 0.1 + 0.3 * r.nextDouble();
            net.lose = w -> r.nextDouble() < loss;
            for (int i = 0; i < 60; i++) {
                net.propose("c" + i);
                if (r.nextInt(4) == 0) {
                    net.tick();
                }
            }
            int ticks = 0;
            while (!net.converged() && ticks < 400) {
                net.tick(); // loss goes on: progress must come from heartbeats and the recovery rules
                ticks++;
            }
            assertTrue(net.converged(), "seed=" + seed + " (window " + window + ", batch " + batch + ", loss " + loss
                    + "): not converged after " + ticks + " heartbeats; leader last " + net.leader().lastIndex() + " match "
                    + net.leader().status().progress().get(1).match() + "/" + net.leader().status().progress().get(2).match());
        }
    }
}
