package io.github.dsw.raft.golden;

import io.github.dsw.raft.ConfChange;
import io.github.dsw.raft.Envelope;
import io.github.dsw.raft.HardState;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.Membership;
import io.github.dsw.raft.Proposal;
import io.github.dsw.raft.RaftMessage;
import io.github.dsw.raft.RaftMessage.AppendEntries;
import io.github.dsw.raft.RaftMessage.AppendResponse;
import io.github.dsw.raft.RaftMessage.InstallSnapshot;
import io.github.dsw.raft.RaftMessage.InstallSnapshotResponse;
import io.github.dsw.raft.RaftMessage.RequestVote;
import io.github.dsw.raft.RaftMessage.TimeoutNow;
import io.github.dsw.raft.RaftMessage.VoteResponse;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.raft.ReadState;
import io.github.dsw.raft.Ready;
import io.github.dsw.raft.Snapshot;
import io.github.dsw.raft.Transfer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A cluster of {@link RaftNode}s driven by the commands of a golden scenario file, one command at a
 * time; {@link #run} returns what the command caused, as text. The cluster is the nodes' environment,
 * as etcd's {@code rafttest} interaction environment is: it ticks them, carries their messages through
 * a network that only moves when told ({@code deliver}, {@code stabilize}), and persists each node's
 * {@link Ready} in the order the Ready contract states (hard state, snapshot and entries;
 * then send; then restore and apply), immediately after every input, so the durable state is always
 * exactly what the node last handed out and {@code crash} loses nothing but volatile state.
 *
 * <p>Everything printed is deterministic: nodes, peers and messages are visited in id or queue order,
 * never in a hash order. The command language is described in {@code raft-golden/README.md}.
 */
final class ScenarioCluster {

    /** A message in flight. */
    private record Flight(int from, int to, RaftMessage message) {
    }

    /** One server: the live node (null while crashed) and what it persisted. */
    private static final class Server {
        final int id;
        RaftNode node;
        HardState hard = new HardState(0, RaftNode.NONE);
        Snapshot snapshot = Snapshot.NONE;
        final TreeMap<Long, LogEntry> stored = new TreeMap<>(); // durable log entries by index, all after the snapshot

        Server(int id) {
            this.id = id;
        }
    }

    private RaftSurface.Options options;
    private final TreeMap<Integer, Server> servers = new TreeMap<>();
    private final List<Flight> network = new ArrayList<>();
    private Map<Integer, Integer> partition; // id -> group, null when the network is whole
    private List<String> out;

    /** Runs one command line and returns its output lines. Script errors throw IllegalArgumentException. */
    List<String> run(String line) {
        out = new ArrayList<>();
        String[] t = line.trim().split("\\s+");
        if (!t[0].equals("nodes") && options == null) {
            throw new IllegalArgumentException("the first command must be 'nodes N ...', got: " + line);
        }
        switch (t[0]) {
            case "nodes" -> nodes(t);
            case "tick" -> tick(t, 1);
            case "tick-election" -> tick(t, options.electionTicks());
            case "tick-heartbeat" -> tick(t, options.heartbeatTicks());
            case "campaign" -> campaign(id(t, 1));
            case "deliver" -> deliver(t.length > 1 ? route(t[1]) : f -> true);
            case "drop" -> drop(t.length > 1 ? route(t[1]) : f -> true);
            case "stabilize" -> stabilize();
            case "pending" -> network.forEach(f -> out.add(f.from() + "->" + f.to() + " " + format(f.message())));
            case "propose" -> propose(id(t, 1), arg(t, 2));
            case "partition" -> partition(t);
            case "heal" -> {
                partition = null;
                out.add("network healed");
            }
            case "crash" -> crash(id(t, 1));
            case "restart" -> restart(id(t, 1));
            case "compact" -> compact(id(t, 1), Long.parseLong(arg(t, 2)));
            case "conf-change" -> confChange(id(t, 1), arg(t, 2), id(t, 3));
            case "transfer" -> {
                int target = id(t, 2);
                input(id(t, 1), "transfer " + t[1] + " -> " + target, n -> {
                    if (n.transferLeadership(target) instanceof Transfer.Refused r) {
                        out.add("  refused: " + r.reason());
                    }
                });
            }
            case "read-index" -> read(id(t, 1), arg(t, 2), false);
            case "lease-read" -> read(id(t, 1), arg(t, 2), true);
            case "status" -> each(t, this::status);
            case "log" -> each(t, this::log);
            default -> throw new IllegalArgumentException("unknown command '" + t[0] + "'");
        }
        if (out.isEmpty()) {
            out.add("ok");
        }
        return out;
    }

    // ------------------------------------------------------------------ commands

    private void nodes(String[] t) {
        int n = Integer.parseInt(arg(t, 1));
        TreeSet<Integer> voters = new TreeSet<>();
        for (int i = 1; i <= n; i++) {
            voters.add(i);
        }
        int election = 10;
        int heartbeat = 1;
        boolean preVote = false;
        boolean checkQuorum = false;
        int maxEntries = 64;
        int maxInflight = 256;
        int chunk = 64 * 1024;
        double drift = 0.1;
        for (int i = 2; i < t.length; i++) {
            switch (t[i]) {
                case "pre-vote" -> preVote = true;
                case "check-quorum" -> checkQuorum = true;
                case "election-ticks" -> election = Integer.parseInt(arg(t, ++i));
                case "heartbeat-ticks" -> heartbeat = Integer.parseInt(arg(t, ++i));
                case "max-entries" -> maxEntries = Integer.parseInt(arg(t, ++i));
                case "max-inflight" -> maxInflight = Integer.parseInt(arg(t, ++i));
                case "snapshot-chunk" -> chunk = Integer.parseInt(arg(t, ++i));
                case "clock-drift" -> drift = Double.parseDouble(arg(t, ++i));
                case "voters" -> {
                    voters.clear();
                    for (String v : arg(t, ++i).split(",")) {
                        voters.add(Integer.parseInt(v));
                    }
                }
                default -> throw new IllegalArgumentException("unknown nodes option '" + t[i] + "'");
            }
        }
        options = new RaftSurface.Options(n, voters, election, heartbeat, preVote, checkQuorum, maxEntries, maxInflight, chunk, drift);
        servers.clear();
        network.clear();
        partition = null;
        for (int i = 1; i <= n; i++) {
            Server s = new Server(i);
            s.node = RaftSurface.create(options, i);
            servers.put(i, s);
        }
        out.add(n + " servers " + "voters " + voters + " election-ticks " + election + " heartbeat-ticks " + heartbeat
                + (preVote ? " pre-vote" : "") + (checkQuorum ? " check-quorum" : ""));
    }

    /** {@code tick IDS [xK]}: K rounds; in each, every listed live node ticks once, in id order. */
    private void tick(String[] t, int perRound) {
        List<Integer> ids = ids(arg(t, 1));
        int rounds = perRound;
        if (t.length > 2) {
            if (!t[2].startsWith("x")) {
                throw new IllegalArgumentException("expected xK after the ids, got '" + t[2] + "'");
            }
            rounds *= Integer.parseInt(t[2].substring(1));
        }
        for (int r = 0; r < rounds; r++) {
            for (int id : ids) {
                tickOnce(id);
            }
        }
    }

    private void tickOnce(int id) {
        Server s = live(id);
        long tick = RaftSurface.view(s.node).ticks() + 1; // the node's local clock, only to label the output
        input(id, id + " tick " + tick, RaftNode::tick, false);
    }

    /** Fires {@code id}'s election timer: ticks it until it leaves the follower role (at most one timeout). */
    private void campaign(int id) {
        RaftNode.Role role = RaftSurface.view(live(id).node).role();
        if (role != RaftNode.Role.FOLLOWER) {
            out.add("refused: " + id + " is " + role);
            return;
        }
        for (int i = 0; i < options.electionTicks() && RaftSurface.view(live(id).node).role() == RaftNode.Role.FOLLOWER; i++) {
            tickOnce(id);
        }
        if (RaftSurface.view(live(id).node).role() == RaftNode.Role.FOLLOWER) {
            out.add(id + " did not campaign within an election timeout");
        }
    }

    /** Delivers, in queue order, the messages in flight now that {@code which} selects; their answers wait. */
    private void deliver(Predicate<Flight> which) {
        List<Flight> now = new ArrayList<>();
        for (Iterator<Flight> it = network.iterator(); it.hasNext(); ) {
            Flight f = it.next();
            if (which.test(f)) {
                now.add(f);
                it.remove();
            }
        }
        for (Flight f : now) {
            String header = f.from() + "->" + f.to() + " " + format(f.message());
            Server to = servers.get(f.to());
            if (to == null || to.node == null) {
                out.add(header + " DROPPED (" + f.to() + " is down)");
            } else if (partition != null && !partition.get(f.from()).equals(partition.get(f.to()))) {
                out.add(header + " DROPPED (partition)");
            } else {
                input(f.to(), header, n -> n.step(f.from(), f.message()));
            }
        }
    }

    private void drop(Predicate<Flight> which) {
        for (Iterator<Flight> it = network.iterator(); it.hasNext(); ) {
            Flight f = it.next();
            if (which.test(f)) {
                out.add("dropped " + f.from() + "->" + f.to() + " " + format(f.message()));
                it.remove();
            }
        }
    }

    private void stabilize() {
        for (int round = 0; !network.isEmpty(); round++) {
            if (round == 100) {
                throw new IllegalStateException("stabilize: messages still flowing after 100 rounds");
            }
            deliver(f -> true);
        }
    }

    private void propose(int id, String command) {
        input(id, "propose " + id + " " + command, n -> {
            out.add(n.propose(command) instanceof Proposal.Accepted(long index) ? "  index " + index : "  refused");
        });
    }

    /** {@code partition 1 | 2 3}: groups separated by '|'; a server not listed is alone in its group. */
    private void partition(String[] t) {
        partition = new TreeMap<>();
        int group = 0;
        for (int i = 1; i < t.length; i++) {
            if (t[i].equals("|")) {
                group++;
            } else {
                for (int id : ids(t[i])) {
                    partition.put(id, group);
                }
            }
        }
        for (int id : servers.keySet()) {
            partition.putIfAbsent(id, ++group);
        }
        TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
        partition.forEach((id, g) -> groups.computeIfAbsent(g, k -> new ArrayList<>()).add(id));
        StringJoiner j = new StringJoiner(" | ", "network partitioned: ", "");
        groups.values().forEach(g -> j.add(g.toString()));
        out.add(j.toString());
    }

    private void crash(int id) {
        live(id).node = null;
        out.add(id + " crashed (volatile state lost)");
    }

    private void restart(int id) {
        Server s = servers.get(id);
        if (s == null || s.node != null) {
            throw new IllegalArgumentException("restart: " + id + " is not a crashed server");
        }
        List<LogEntry> entries = new ArrayList<>();
        long expected = s.snapshot.index() + 1;
        for (Map.Entry<Long, LogEntry> e : s.stored.entrySet()) {
            if (e.getKey() != expected++) {
                throw new IllegalStateException("stored log of " + id + " has a hole at " + (expected - 1) + ": " + s.stored.keySet());
            }
            entries.add(e.getValue());
        }
        String header = id + " restarted from term=" + s.hard.currentTerm() + " vote=" + who(s.hard.votedFor()) + " snapshot="
                + s.snapshot.index() + "/" + s.snapshot.term() + " entries=" + range(s.snapshot.index() + 1, entries.size());
        s.node = RaftSurface.restart(options, id, s.hard, s.snapshot, entries);
        input(id, header, n -> {
        });
    }

    private void compact(int id, long index) {
        input(id, "compact " + id + " " + index, n -> {
            try {
                if (!n.compact(index, ("snap@" + index).getBytes(StandardCharsets.UTF_8))) {
                    out.add("  refused: not above the current snapshot");
                }
            } catch (IllegalArgumentException e) {
                out.add("  refused: " + e.getMessage());
            }
        });
    }

    private void confChange(int id, String type, int node) {
        ConfChange.Type ty = switch (type) {
            case "add-learner" -> ConfChange.Type.ADD_LEARNER;
            case "promote" -> ConfChange.Type.PROMOTE;
            case "remove" -> ConfChange.Type.REMOVE;
            default -> throw new IllegalArgumentException("conf-change type must be add-learner, promote or remove, got " + type);
        };
        input(id, "conf-change " + id + " " + type + " " + node, n -> {
            RaftSurface.ConfResult r = RaftSurface.proposeConfChange(n, new ConfChange(ty, node));
            out.add(r.refusal() != null ? "  refused: " + r.refusal() : "  index " + r.index());
        });
    }

    private void read(int id, String context, boolean lease) {
        input(id, (lease ? "lease-read " : "read-index ") + id + " " + context, n -> {
            if (!(lease ? n.leaseRead(context) : n.readIndex(context))) {
                out.add("  refused");
            }
        });
    }

    private void status(int id) {
        Server s = servers.get(id);
        if (s.node == null) {
            out.add(id + ": down; persisted term=" + s.hard.currentTerm() + " vote=" + who(s.hard.votedFor()));
            return;
        }
        RaftSurface.View v = RaftSurface.view(s.node);
        out.add(id + ": " + v.role() + " term=" + v.term() + " vote=" + who(v.votedFor()) + " leader=" + who(v.leader()) + " commit="
                + v.commit() + " applied=" + v.applied() + " last=" + v.lastIndex() + "/" + v.lastTerm() + " snapshot="
                + v.snapshotIndex() + "/" + v.snapshotTerm());
        out.add("   config " + format(v.membership()) + (v.leadTransferee() != RaftNode.NONE ? " transferring to " + v.leadTransferee() : ""));
        for (RaftSurface.Progress p : RaftSurface.progress(s.node)) {
            out.add("   progress " + p.peer() + ": match=" + p.match() + " next=" + p.next() + (p.sendingSnapshot() ? " sending-snapshot" : "")
                    + (p.learnerCaughtUp() ? " caught-up" : ""));
        }
    }

    private void log(int id) {
        Server s = servers.get(id);
        if (s.node == null) {
            out.add(id + ": down; persisted snapshot " + s.snapshot.index() + "/" + s.snapshot.term() + ", entries "
                    + range(s.snapshot.index() + 1, s.stored.size()));
            return;
        }
        RaftNode n = s.node;
        RaftSurface.View v = RaftSurface.view(n);
        List<LogEntry> entries = RaftSurface.entries(n);
        out.add(id + ": snapshot " + v.snapshotIndex() + "/" + v.snapshotTerm() + ", " + entries.size() + " entries, commit " + v.commit());
        long i = v.snapshotIndex();
        for (LogEntry e : entries) {
            out.add("   " + format(++i, e));
        }
    }

    // ------------------------------------------------------------------ one input and its Ready

    private interface Input {
        void apply(RaftNode node);
    }

    /**
     * Gives node {@code id} one input, then handles its Ready. Prints {@code header} followed by the
     * reaction (indented); a tick that changed nothing visible prints nothing at all.
     */
    private void input(int id, String header, Input action) {
        input(id, header, action, true);
    }

    private void input(int id, String header, Input action, boolean always) {
        Server s = live(id);
        int mark = out.size();
        RaftSurface.View before = RaftSurface.view(s.node);
        action.apply(s.node);
        RaftSurface.View after = RaftSurface.view(s.node);
        if (before.role() != after.role() || before.term() != after.term() || before.leader() != after.leader()) {
            out.add("  " + after.role() + " term=" + after.term() + " leader=" + who(after.leader()) + " (was " + before.role() + " term="
                    + before.term() + " leader=" + who(before.leader()) + ")");
        }
        if (!before.membership().equals(after.membership())) {
            out.add("  config " + format(after.membership()));
        }
        if (before.leadTransferee() != after.leadTransferee()) {
            out.add(after.leadTransferee() == RaftNode.NONE ? "  transfer ended" : "  transferring to " + after.leadTransferee());
        }
        handleReady(s);
        if (always || out.size() > mark) {
            out.add(mark, header);
        }
    }

    /** The Ready contract: persist (hard state, snapshot, entries), then send, then restore and apply. */
    private void handleReady(Server s) {
        Ready r = s.node.ready();
        if (r.hardState() != null) {
            s.hard = r.hardState();
            out.add("  persist term=" + s.hard.currentTerm() + " vote=" + who(s.hard.votedFor()));
        }
        if (r.snapshot() != null) {
            s.snapshot = r.snapshot();
            s.stored.headMap(s.snapshot.index(), true).clear();
            out.add("  persist snapshot " + s.snapshot.index() + "/" + s.snapshot.term());
        }
        if (!r.entries().isEmpty() || r.snapshot() != null) {
            long first = r.firstEntryIndex();
            var dropped = s.stored.tailMap(first, true);
            if (!dropped.isEmpty() && !r.entries().isEmpty()) {
                out.add("  truncate stored " + range(dropped.firstKey(), dropped.size()));
            }
            dropped.clear();
            for (int i = 0; i < r.entries().size(); i++) {
                s.stored.put(first + i, r.entries().get(i));
            }
            if (!r.entries().isEmpty()) {
                out.add("  persist " + formatEntries(first, r.entries()));
            }
        }
        for (Envelope e : r.messages()) {
            network.add(new Flight(s.id, e.to(), e.message()));
            out.add("  send " + s.id + "->" + e.to() + " " + format(e.message()));
        }
        if (r.restore() != null) {
            out.add("  restore snapshot " + r.restore().index() + "/" + r.restore().term() + " (" + new String(r.restore().data(),
                    StandardCharsets.UTF_8) + ")");
        }
        long index = r.firstCommittedIndex();
        for (LogEntry e : r.committed()) {
            out.add("  apply " + format(index++, e));
        }
        for (ReadState rs : r.readStates()) {
            out.add("  read " + rs.context() + " at index " + rs.index());
        }
    }

    // ------------------------------------------------------------------ formatting

    /** One message, etcd-like: {@code MsgApp term=2 prev=3/1 commit=2 entries=[4/2 x]}; positions are index/term. */
    static String format(RaftMessage m) {
        return switch (m) {
            case RequestVote rv -> (rv.preVote() ? "MsgPreVote" : "MsgVote") + " term=" + rv.term() + " last=" + rv.lastLogIndex() + "/"
                    + rv.lastLogTerm() + (rv.leaderTransfer() ? " transfer" : "");
            case VoteResponse vr -> (vr.preVote() ? "MsgPreVoteResp" : "MsgVoteResp") + " term=" + vr.term()
                    + (vr.granted() ? " granted" : " rejected");
            case AppendEntries ae -> "MsgApp term=" + ae.term() + " prev=" + ae.prevLogIndex() + "/" + ae.prevLogTerm() + " commit="
                    + ae.leaderCommit() + (ae.entries().isEmpty() ? "" : " " + formatEntries(ae.prevLogIndex() + 1, ae.entries()))
                    + (ae.readContext() > 0 ? " ctx=" + ae.readContext() : "");
            case AppendResponse ar -> "MsgAppResp term=" + ar.term() + (ar.success() ? " ok match=" + ar.matchIndex()
                    : " reject index=" + ar.rejectedIndex() + " hint=" + ar.conflictIndex() + "/" + ar.conflictTerm())
                    + (ar.readContext() > 0 ? " ctx=" + ar.readContext() : "");
            case InstallSnapshot is -> "MsgSnap term=" + is.term() + " snapshot=" + is.meta().index() + "/" + is.meta().term()
                    + " offset=" + is.offset() + " bytes=" + is.length() + (is.done() ? " done" : "")
                    + (is.readContext() > 0 ? " ctx=" + is.readContext() : "");
            case InstallSnapshotResponse r -> "MsgSnapResp term=" + r.term() + " snapshot=" + r.meta().index() + "/" + r.meta().term()
                    + (r.installed() ? " installed match=" + r.matchIndex() : " next-offset=" + r.nextOffset())
                    + (r.readContext() > 0 ? " ctx=" + r.readContext() : "");
            case TimeoutNow tn -> "MsgTimeoutNow term=" + tn.term();
        };
    }

    private static String formatEntries(long first, List<LogEntry> entries) {
        StringJoiner j = new StringJoiner(", ", "entries " + range(first, entries.size()) + " [", "]");
        long i = first;
        for (LogEntry e : entries) {
            j.add(format(i++, e));
        }
        return j.toString();
    }

    private static String format(long index, LogEntry e) {
        Object c = e.command();
        String cmd = c == null ? "noop" : c instanceof ConfChange cc ? "conf(" + cc.type().name().toLowerCase().replace('_', '-') + " "
                + cc.node() + ")" : c.toString();
        return index + "/" + e.term() + " " + cmd;
    }

    private static String format(Membership m) {
        return "voters=" + m.voters() + " learners=" + m.learners();
    }

    private static String range(long first, long count) {
        return count == 0 ? "none" : count == 1 ? String.valueOf(first) : first + ".." + (first + count - 1);
    }

    private static String who(int id) {
        return id == RaftNode.NONE ? "-" : String.valueOf(id);
    }

    // ------------------------------------------------------------------ arguments

    private static String arg(String[] t, int i) {
        if (i >= t.length) {
            throw new IllegalArgumentException("missing argument " + i + " of '" + String.join(" ", t) + "'");
        }
        return t[i];
    }

    private int id(String[] t, int i) {
        int id = Integer.parseInt(arg(t, i));
        if (!servers.containsKey(id)) {
            throw new IllegalArgumentException("no server " + id + " (servers are 1.." + servers.size() + ")");
        }
        return id;
    }

    /** {@code 1}, {@code 1,3} or {@code all} (every live server). */
    private List<Integer> ids(String s) {
        List<Integer> ids = new ArrayList<>();
        if (s.equals("all")) {
            servers.values().stream().filter(v -> v.node != null).forEach(v -> ids.add(v.id));
            return ids;
        }
        for (String p : s.split(",")) {
            int id = Integer.parseInt(p);
            if (!servers.containsKey(id)) {
                throw new IllegalArgumentException("no server " + id);
            }
            ids.add(id);
        }
        return ids;
    }

    /** {@code 1->2}, with {@code *} for any side. */
    private static Predicate<Flight> route(String s) {
        String[] p = s.split("->");
        if (p.length != 2) {
            throw new IllegalArgumentException("expected FROM->TO (either may be *), got '" + s + "'");
        }
        return f -> (p[0].equals("*") || Integer.parseInt(p[0]) == f.from()) && (p[1].equals("*") || Integer.parseInt(p[1]) == f.to());
    }

    private Server live(int id) {
        Server s = servers.get(id);
        if (s == null || s.node == null) {
            throw new IllegalArgumentException("server " + id + " is " + (s == null ? "unknown" : "down"));
        }
        return s;
    }

    private void each(String[] t, java.util.function.IntConsumer f) {
        if (arg(t, 1).equals("all")) {
            servers.keySet().forEach(f::accept);
        } else {
            ids(t[1]).forEach(f::accept);
        }
    }
}
