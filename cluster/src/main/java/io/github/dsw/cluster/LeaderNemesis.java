package io.github.dsw.cluster;

import io.github.dsw.runtime.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The leader-isolation nemesis on real processes ({@code ./dsw torture --nemesis isolate-leader}), the real
 * counterpart of the simulator's {@code Adversary.Attack.ISOLATE_LEADER}: find the server that claims to
 * lead, cut it off from every other server with the harness's drop rules, wait until another server claims
 * to lead, then cut that one off too. Jepsen aims at the leader the same way (Kingsbury, "Jepsen: etcd and
 * Consul", 2014): most consensus bugs live in a leader that does not know it is deposed.
 *
 * <p>What it observes is only what a node says about itself through its {@code status} admin command (the
 * same line {@code ./dsw cluster status} prints): "raft: node 2 leader term 5 ..." or "multi-paxos: leader,
 * ...". Never a node's memory. When two servers claim to lead (a deposed leader that has not noticed yet),
 * the higher Raft term wins; when nobody claims to lead (ABD has no leader, or an election is under way),
 * the victim is a server drawn with the run's generator. Clients keep their connections to the isolated
 * server: only server-to-server messages are dropped, so a deposed leader still hears its clients.
 */
final class LeaderNemesis {

    /** How often the nemesis asks every server who leads, while waiting for a (new) leader. */
    static final long POLL_NS = 100_000_000L;

    /** Sets a node's drop rules (0-based node, 0-based others; empty: none); how {@link Torture} does it. */
    @FunctionalInterface
    interface Blocker {
        void block(int node, List<Integer> others) throws InterruptedException;
    }

    private LeaderNemesis() {
    }

    /**
     * The term a status line claims leadership in: the Raft term for "raft: node N leader term T ...", 0 for
     * "multi-paxos: leader, ..." (Multi-Paxos says no term), or -1 if the line claims nothing (a follower, a
     * candidate, ABD, no answer).
     */
    static long claimedTerm(String statusLine) {
        if (statusLine == null) {
            return -1;
        }
        String s = statusLine.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("multi-paxos: leader")) {
            return 0;
        }
        if (s.startsWith("raft: ")) {
            String[] w = s.split("\\s+"); // raft: node N ROLE term T leader L ...
            if (w.length >= 6 && w[1].equals("node") && w[3].equals("leader") && w[4].equals("term")) {
                try {
                    return Long.parseLong(w[5]);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /**
     * The server (0-based) that claims to lead with the highest term among {@code status} lines of the
     * servers not in {@code exclude}, or -1 if none claims to.
     */
    static int claimedLeader(int n, IntFunction<String> status, List<Integer> exclude) {
        int best = -1;
        long bestTerm = -1;
        for (int i = 0; i < n; i++) {
            if (exclude.contains(i)) {
                continue;
            }
            long t = claimedTerm(status.apply(i));
            if (t > bestTerm) {
                best = i;
                bestTerm = t;
            }
        }
        return best;
    }

    /** Polls every server's status until one (not in {@code exclude}) claims to lead, for at most {@code waitNs}; -1 if none did. */
    static int awaitLeader(LocalCluster cluster, List<Integer> exclude, long waitNs) throws InterruptedException {
        long until = System.nanoTime() + waitNs;
        while (true) {
            int l = claimedLeader(cluster.size(), cluster::status, exclude);
            if (l >= 0 || System.nanoTime() >= until) {
                return l;
            }
            Thread.sleep(POLL_NS / 1_000_000L);
        }
    }

    /**
     * One strike: isolate the claimed leader for {@code lengthNs}, then (if another server claimed to lead
     * meanwhile, or does within {@code lengthNs} after) that next leader for {@code lengthNs}, then heal.
     * Returns what it did, one line ("isolated node 2 (claimed leader, term 5), then node 3 (term 6)").
     */
    static String strike(LocalCluster cluster, SplitMix64 rng, long lengthNs, Blocker blocker) throws InterruptedException {
        int n = cluster.size();
        if (n < 2) {
            return "isolate-leader: a single server has no one to be cut off from";
        }
        StringBuilder what = new StringBuilder("isolate-leader: ");
        Target target = target(cluster, rng, lengthNs);
        int first = target.node();
        what.append("isolated ").append(target);
        isolate(cluster, first, blocker);
        long cutAt = System.nanoTime();
        int next = -1;
        try {
            // the rest of the cluster elects a new leader: watch for it while the first one is cut off
            next = awaitLeader(cluster, List.of(first), lengthNs);
            long left = lengthNs - (System.nanoTime() - cutAt);
            if (left > 0) {
                Thread.sleep(left / 1_000_000L);
            }
            if (next < 0) {
                next = awaitLeader(cluster, List.of(first), lengthNs);
            }
        } finally {
            heal(cluster, blocker);
        }
        if (next < 0) {
            return what.append("; no other server claimed to lead within ").append(2 * lengthNs / 1_000_000L).append(" ms").toString();
        }
        what.append(", then node ").append(next + 1).append(" (the next claimed leader)");
        isolate(cluster, next, blocker);
        try {
            Thread.sleep(lengthNs / 1_000_000L);
        } finally {
            heal(cluster, blocker);
        }
        return what.toString();
    }

    /** The server a strike aims at: the one whose status claims to lead, or one drawn at random when nobody does. */
    private record Target(int node, boolean claimed) {
        @Override
        public String toString() {
            return "node " + (node + 1) + (claimed ? " (claimed leader)" : " (nobody claimed to lead: drawn at random)");
        }
    }

    /** Waits up to max(lengthNs, 1 s) for a server to claim leadership; draws one with {@code rng} only if none does. */
    private static Target target(LocalCluster cluster, SplitMix64 rng, long lengthNs) throws InterruptedException {
        int leader = awaitLeader(cluster, List.of(), Math.max(lengthNs, 1_000_000_000L));
        return leader >= 0 ? new Target(leader, true) : new Target(rng.nextInt(cluster.size()), false);
    }

    /** The longest election timeout of raft-kv on real processes (19 ticks of {@link RaftKv#TICK_NS}): what pause-leader outlasts. */
    static final long ELECTION_TIMEOUT_NS = 19 * RaftKv.TICK_NS;

    /**
     * One strike of the other leader-aware faults ({@code Torture.Fault}), aimed at the server whose status claims to
     * lead (a random one when nobody does), for about {@code lengthNs}: {@code leader-minority} splits the servers into a
     * minority holding it and a majority without it (with 3 servers the minority is the leader alone); {@code
     * pause-leader} SIGSTOPs it for 1.1 to 2.1 election timeouts ({@link #ELECTION_TIMEOUT_NS}), then SIGCONTs it;
     * {@code flap} takes its links to the other servers down and up every 5-30 ms. Returns one line saying what it did.
     */
    static String strike(String kind, LocalCluster cluster, SplitMix64 rng, long lengthNs, Blocker blocker) throws InterruptedException {
        int n = cluster.size();
        Target target = target(cluster, rng, lengthNs);
        int leader = target.node();
        String who = target.toString();
        switch (kind) {
            case "leader-minority" -> {
                List<Integer> others = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (i != leader) {
                        others.add(i);
                    }
                }
                for (int i = others.size() - 1; i > 0; i--) {
                    java.util.Collections.swap(others, i, rng.nextInt(i + 1));
                }
                List<Integer> minority = new ArrayList<>(List.of(leader));
                minority.addAll(others.subList(0, Math.max(0, (n - 1) / 2 - 1)));
                List<Integer> majority = new ArrayList<>(others.subList(Math.max(0, (n - 1) / 2 - 1), others.size()));
                try {
                    for (int i : minority) {
                        blocker.block(i, majority);
                    }
                    for (int i : majority) {
                        blocker.block(i, minority);
                    }
                    Thread.sleep(lengthNs / 1_000_000L);
                } finally {
                    heal(cluster, blocker);
                }
                return "leader-minority: " + who + " with " + plusOne(minority) + " cut off from " + plusOne(majority);
            }
            case "pause-leader" -> {
                // cut off from the other servers for the pause and half a timeout after, as the simulator's pause-leader: it
                // wakes to its clients' queued requests before any news of the next term (a stalled process's peers have
                // given up on it in practice)
                long pause = ELECTION_TIMEOUT_NS + ELECTION_TIMEOUT_NS / 10 + rng.nextLong(ELECTION_TIMEOUT_NS + 1);
                try {
                    isolate(cluster, leader, blocker);
                    cluster.pause(leader);
                    try {
                        Thread.sleep(pause / 1_000_000L);
                    } finally {
                        cluster.resume(leader);
                    }
                    Thread.sleep(ELECTION_TIMEOUT_NS / 2_000_000L);
                } finally {
                    heal(cluster, blocker);
                }
                return "pause-leader: " + who + " stopped for " + pause / 1_000_000L + " ms, cut off until " + ELECTION_TIMEOUT_NS / 2_000_000L
                        + " ms after";
            }
            case "flap" -> {
                long end = System.nanoTime() + lengthNs;
                int flips = 0;
                try {
                    boolean down = true;
                    while (System.nanoTime() < end) {
                        if (down) {
                            isolate(cluster, leader, blocker);
                        } else {
                            heal(cluster, blocker);
                        }
                        flips++;
                        down = !down;
                        Thread.sleep(5 + rng.nextInt(26));
                    }
                } finally {
                    heal(cluster, blocker);
                }
                return "flap: " + who + "'s links flipped " + flips + " times in " + lengthNs / 1_000_000L + " ms";
            }
            default -> throw new IllegalArgumentException("unknown leader-aware fault " + kind);
        }
    }

    /**
     * One clock strike ({@code Torture.Fault.CLOCK_JUMP}) on the server that claims to lead (a random one when nobody
     * does), through the node runtime's injectable clock ({@code clock JUMP_NS RATE} admin command, {@link NodeRuntime}):
     * drawn with {@code rng}, its clock jumps forward by 1 to 2 election timeouts, or runs at 0.5x (slow: its lease and
     * its timeouts last longer in real time, what a leader lease must not trust) or at 2x for {@code lengthNs}, or runs at
     * 0.2x while it is cut off from the other servers for {@code lengthNs} (the others elect a new leader while its lease,
     * counted on its slow clock, has not run out); then its rate is set back to 1 (a monotonic clock never jumps back).
     * Returns one line saying what it did.
     */
    static String clockStrike(LocalCluster cluster, SplitMix64 rng, long lengthNs, Admin admin, Blocker blocker) throws InterruptedException {
        Target target = target(cluster, rng, lengthNs);
        int leader = target.node();
        String who = target.toString();
        int mode = rng.nextInt(4);
        String what;
        if (mode == 0) {
            long jump = ELECTION_TIMEOUT_NS + rng.nextLong(ELECTION_TIMEOUT_NS + 1);
            what = admin.call(leader, "clock " + jump + " 1") ? "clock of " + who + " jumped " + jump / 1_000_000L + " ms forward" : null;
        } else {
            String rate = mode == 2 ? "2" : mode == 3 ? "0.2" : "0.5";
            what = admin.call(leader, "clock 0 " + rate) ? "clock of " + who + " ran at " + rate + "x for " + lengthNs / 1_000_000L + " ms"
                    + (mode == 3 ? ", cut off from the other servers" : "") : null;
        }
        try {
            if (mode == 3) {
                isolate(cluster, leader, blocker);
            }
            Thread.sleep(lengthNs / 1_000_000L);
        } finally {
            admin.call(leader, "clock 0 1");
            if (mode == 3) {
                heal(cluster, blocker);
            }
        }
        return "clock-jump: " + (what == null ? who + " did not take the clock command (down?)" : what);
    }

    /** Sends an admin command to a node (0-based); false if it did not answer "ok". */
    @FunctionalInterface
    interface Admin {
        boolean call(int node, String command) throws InterruptedException;
    }

    /**
     * One membership strike ({@code Torture.Fault.MEMBERSHIP}, raft-kv only): a server drawn with {@code rng} (the
     * claimed leader included) is removed from the configuration by a {@code KvMessage.Admin} change sent to the server
     * that claims to lead, stays out for {@code lengthNs}, then is added back as a learner and promoted to voter (the
     * single-server steps of the dissertation's section 4.2). A refused change (one at a time, before the leader's no-op
     * commits, a learner not caught up) is sent again for up to 5 s. Returns one line saying what happened.
     */
    static String membershipStrike(LocalCluster cluster, SplitMix64 rng, long lengthNs, int linkId) throws InterruptedException {
        int victim = rng.nextInt(cluster.size());
        String removed = change(cluster, linkId, new io.github.dsw.raft.ConfChange(io.github.dsw.raft.ConfChange.Type.REMOVE, victim));
        Thread.sleep(lengthNs / 1_000_000L);
        String learner = change(cluster, linkId, new io.github.dsw.raft.ConfChange(io.github.dsw.raft.ConfChange.Type.ADD_LEARNER, victim));
        String voter = change(cluster, linkId, new io.github.dsw.raft.ConfChange(io.github.dsw.raft.ConfChange.Type.PROMOTE, victim));
        return "membership: node " + (victim + 1) + " removed (" + removed + "), added back as learner (" + learner + "), promoted (" + voter + ")";
    }

    private static long adminSeq;

    /** Sends one conf change to the claimed leader until it is applied (ok) or 5 s pass; says which. */
    private static String change(LocalCluster cluster, int linkId, io.github.dsw.raft.ConfChange change) throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        String last = "no leader";
        while (System.nanoTime() < until) {
            int leader = awaitLeader(cluster, List.of(), 1_000_000_000L);
            if (leader < 0) {
                continue;
            }
            try (DirectLink<io.github.dsw.raft.KvMessage> link = new DirectLink<>(cluster.peers().get(leader), RaftKv.PROTOCOL, linkId)) {
                long id;
                synchronized (LeaderNemesis.class) {
                    id = ((long) linkId << 32) | ++adminSeq;
                }
                if (link.send(new io.github.dsw.raft.KvMessage.Admin(id, change))) {
                    KvProtocol.Answer a = link.await(id, System.nanoTime() + 2_000_000_000L);
                    if (a != null && a.kind() == KvProtocol.Kind.OK) {
                        return "applied, leader node " + (leader + 1);
                    }
                    last = a == null ? "no answer" : a.kind() == KvProtocol.Kind.FAIL ? "refused" : "not the leader";
                }
            }
            Thread.sleep(100);
        }
        return last + " for 5 s";
    }

    private static List<Integer> plusOne(List<Integer> nodes) {
        return nodes.stream().map(i -> i + 1).sorted().toList();
    }

    private static void isolate(LocalCluster cluster, int victim, Blocker blocker) throws InterruptedException {
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            if (i != victim) {
                others.add(i);
            }
        }
        blocker.block(victim, others);
        for (int i : others) {
            blocker.block(i, List.of(victim));
        }
    }

    private static void heal(LocalCluster cluster, Blocker blocker) throws InterruptedException {
        for (int i = 0; i < cluster.size(); i++) {
            blocker.block(i, List.of());
        }
    }
}
