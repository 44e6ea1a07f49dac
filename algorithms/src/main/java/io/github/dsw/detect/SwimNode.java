package io.github.dsw.detect;

import io.github.dsw.detect.SwimMessage.Ack;
import io.github.dsw.detect.SwimMessage.Kind;
import io.github.dsw.detect.SwimMessage.Ping;
import io.github.dsw.detect.SwimMessage.PingReq;
import io.github.dsw.detect.SwimMessage.Update;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One member of SWIM, the "Scalable Weakly-consistent Infection-style process group Membership"
 * protocol (Abhinandan Das, Indranil Gupta and Ashish Motivala, DSN 2002), over a fixed group of
 * {@code ctx.servers()} members. Where all-to-all heartbeats cost every member n − 1 messages per
 * period, SWIM's failure detector costs each member a constant expected load:
 * <ol>
 *   <li>every protocol period T' a member pings one other member (§3.1), chosen round-robin over a
 *       random permutation reshuffled at the end of each pass (§4.3: every member is probed within
 *       2n − 1 periods), or uniformly at random (the basic protocol the §3.1 analysis assumes);</li>
 *   <li>no ack within {@code pingTimeoutNs}: it asks {@code k} other members with ping-req to ping the
 *       target on its behalf and to forward the ack (so one lossy link does not condemn a member);</li>
 *   <li>no ack, direct or indirect, by the end of the period: the target is <em>suspected</em> (§4.2), not
 *       yet declared faulty. A suspected member that hears of it refutes by incrementing its
 *       <em>incarnation number</em> and spreading ALIVE; a suspicion not refuted within
 *       {@code suspicionPeriods} periods is <em>confirmed</em>.</li>
 * </ol>
 * Updates (ALIVE, SUSPECT, CONFIRM with an incarnation) are not multicast: they ride on pings, ping-reqs
 * and acks (infection-style dissemination, §4.1), each retransmitted λ·⌈log₂(n+1)⌉ times, the least-sent
 * first. Override rules (§4.2): ALIVE(i) beats SUSPECT(j) and ALIVE(j) for i > j; SUSPECT(i) beats
 * SUSPECT(j) for i > j and ALIVE(j) for i ≥ j; CONFIRM beats both. Unlike the paper, a member that
 * learns it was confirmed faulty refutes too (as HashiCorp's memberlist does): it comes back with a higher
 * incarnation instead of having to rejoin, so a false confirmation is a mistake that ends.
 *
 * <p>The detector's binary output is "confirmed faulty": {@link Suspicion} events report changes of it.
 */
public final class SwimNode implements Node<SwimMessage> {

    /**
     * @param periodNs         protocol period T'
     * @param pingTimeoutNs    wait for a direct ack before sending ping-reqs (< periodNs)
     * @param indirectChecks   k, members asked to ping on our behalf
     * @param suspicionPeriods protocol periods a suspicion waits to be refuted before it is confirmed
     * @param retransmitMult   λ: each update is piggybacked λ·⌈log₂(n+1)⌉ times
     * @param maxPiggyback     most updates per message
     * @param roundRobin       probe targets round-robin over a random permutation (§4.3), else uniform
     */
    public record Config(long periodNs, long pingTimeoutNs, int indirectChecks, int suspicionPeriods, int retransmitMult,
                         int maxPiggyback, boolean roundRobin) {
        public Config {
            if (periodNs <= 0 || pingTimeoutNs <= 0 || pingTimeoutNs >= periodNs) {
                throw new IllegalArgumentException("need 0 < pingTimeoutNs < periodNs, got pingTimeoutNs=" + pingTimeoutNs
                        + " periodNs=" + periodNs);
            }
            if (indirectChecks < 0 || suspicionPeriods < 0 || retransmitMult < 1 || maxPiggyback < 1) {
                throw new IllegalArgumentException("need indirectChecks >= 0, suspicionPeriods >= 0, retransmitMult >= 1,"
                        + " maxPiggyback >= 1, got " + indirectChecks + ", " + suspicionPeriods + ", " + retransmitMult + ", "
                        + maxPiggyback);
            }
        }

        /** T' = 1 s, ping timeout 200 ms, k = 3, suspicion 3 periods, λ = 3, 8 updates per message, round-robin. */
        public static Config defaults() {
            return new Config(1_000_000_000L, 200_000_000L, 3, 3, 3, 8, true);
        }

        public Config withSuspicionPeriods(int p) {
            return new Config(periodNs, pingTimeoutNs, indirectChecks, p, retransmitMult, maxPiggyback, roundRobin);
        }

        public Config withRoundRobin(boolean rr) {
            return new Config(periodNs, pingTimeoutNs, indirectChecks, suspicionPeriods, retransmitMult, maxPiggyback, rr);
        }

        public Config withIndirectChecks(int k) {
            return new Config(periodNs, pingTimeoutNs, k, suspicionPeriods, retransmitMult, maxPiggyback, roundRobin);
        }
    }

    /** A member's state as this member sees it. */
    public enum Status { ALIVE, SUSPECT, FAULTY }

    private static final class Member {
        Status status = Status.ALIVE;
        long incarnation;
        long suspicionTimer = -1;
    }

    /** An update waiting in the dissemination buffer, with how often it was piggybacked so far. */
    private static final class Gossip {
        final Update update;
        int sent;

        Gossip(Update update) {
            this.update = update;
        }
    }

    /** A ping sent for another member's ping-req: forward the ack to {@code requester} with its {@code seq}. */
    private record Relay(int requester, long seq, long expiresNs) {
    }

    private record Tick() {
    }

    private record PingTimeout(long seq) {
    }

    private record SuspicionTimeout(int member, long incarnation) {
    }

    private final Config config;
    private Member[] members;
    private long incarnation;
    private int self;
    private int n;
    private final List<Gossip> buffer = new ArrayList<>(); // in insertion order
    private final Map<Long, Relay> relays = new LinkedHashMap<>();
    private int[] order;
    private int orderPos;
    private long nextSeq;
    private long probeSeq = -1;
    private int probeTarget = -1;
    private boolean probeAcked;

    public SwimNode(Config config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        this.config = config;
    }

    @Override
    public void start(Context<SwimMessage> ctx) {
        self = ctx.self();
        n = ctx.servers();
        members = new Member[n];
        for (int i = 0; i < n; i++) {
            members[i] = new Member();
        }
        order = new int[Math.max(0, n - 1)];
        orderPos = order.length;
        // A restarted member comes back with a fresh incarnation above any it may have been suspected at.
        Object inc = ctx.read("incarnation");
        incarnation = inc == null ? 0 : (Long) inc + 1;
        ctx.write("incarnation", incarnation);
        ctx.fsync(); // persist before announcing it, or a second restart could reuse it
        if (incarnation > 0) {
            enqueue(new Update(self, Kind.ALIVE, incarnation));
        }
        // Stagger the first period so that members do not probe in lock step.
        ctx.setTimer(1 + ctx.random().nextLong(config.periodNs()), new Tick());
    }

    // ---------------------------------------------------------------- failure detection (§3.1)

    private void tick(Context<SwimMessage> ctx) {
        if (probeTarget >= 0 && !probeAcked) {
            Member m = members[probeTarget];
            if (m.status == Status.ALIVE) {
                apply(ctx, new Update(probeTarget, Kind.SUSPECT, m.incarnation));
            }
        }
        long now = ctx.monotonicNow();
        relays.values().removeIf(r -> r.expiresNs() <= now);
        probeTarget = nextTarget(ctx);
        if (probeTarget >= 0) {
            probeSeq = nextSeq++;
            probeAcked = false;
            ctx.send(probeTarget, new Ping(probeSeq, piggyback()));
            ctx.setTimer(config.pingTimeoutNs(), new PingTimeout(probeSeq));
        }
        ctx.setTimer(config.periodNs(), new Tick());
    }

    /** The next member to probe, skipping those confirmed faulty; -1 if there is none. */
    private int nextTarget(Context<SwimMessage> ctx) {
        if (!config.roundRobin()) {
            List<Integer> candidates = others(-1);
            return candidates.isEmpty() ? -1 : candidates.get(ctx.random().nextInt(candidates.size()));
        }
        for (int tries = 0; tries <= 2 * order.length; tries++) {
            if (orderPos == order.length) {
                reshuffle(ctx);
                if (order.length == 0) {
                    return -1;
                }
            }
            int t = order[orderPos++];
            if (members[t].status != Status.FAULTY) {
                return t;
            }
        }
        return -1;
    }

    private void reshuffle(Context<SwimMessage> ctx) {
        for (int i = 0, j = 0; i < n; i++) {
            if (i != self) {
                order[j++] = i;
            }
        }
        for (int i = order.length - 1; i > 0; i--) { // Fisher–Yates
            int j = ctx.random().nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        orderPos = 0;
    }

    /** Members other than this one, {@code excluded} and those confirmed faulty, in id order. */
    private List<Integer> others(int excluded) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i != self && i != excluded && members[i].status != Status.FAULTY) {
                out.add(i);
            }
        }
        return out;
    }

    private void pingTimeout(Context<SwimMessage> ctx, long seq) {
        if (seq != probeSeq || probeAcked) {
            return;
        }
        List<Integer> helpers = others(probeTarget);
        for (int i = 0; i < config.indirectChecks() && !helpers.isEmpty(); i++) {
            int helper = helpers.remove(ctx.random().nextInt(helpers.size()));
            ctx.send(helper, new PingReq(seq, probeTarget, piggyback()));
        }
    }

    @Override
    public void receive(Context<SwimMessage> ctx, int from, SwimMessage message) {
        for (Update u : message.updates()) {
            apply(ctx, u);
        }
        switch (message) {
            case Ping p -> ctx.send(from, new Ack(p.seq(), piggyback()));
            case PingReq r -> {
                long seq = nextSeq++;
                relays.put(seq, new Relay(from, r.seq(), ctx.monotonicNow() + config.periodNs()));
                ctx.send(r.target(), new Ping(seq, piggyback()));
            }
            case Ack a -> {
                Relay relay = relays.remove(a.seq());
                if (relay != null) {
                    ctx.send(relay.requester(), new Ack(relay.seq(), piggyback()));
                } else if (a.seq() == probeSeq) {
                    probeAcked = true;
                }
            }
        }
    }

    @Override
    public void timer(Context<SwimMessage> ctx, Object tag) {
        switch (tag) {
            case Tick t -> tick(ctx);
            case PingTimeout p -> pingTimeout(ctx, p.seq());
            case SuspicionTimeout s -> {
                Member m = members[s.member()];
                if (m.status == Status.SUSPECT && m.incarnation == s.incarnation()) {
                    m.suspicionTimer = -1;
                    apply(ctx, new Update(s.member(), Kind.CONFIRM, s.incarnation()));
                }
            }
            default -> throw new IllegalStateException("unknown timer " + tag);
        }
    }

    // ---------------------------------------------------------------- suspicion and incarnations (§4.2)

    /** Applies an update by the override rules; a change is re-disseminated. */
    private void apply(Context<SwimMessage> ctx, Update u) {
        if (u.member() == self) {
            if (u.kind() != Kind.ALIVE && u.incarnation() >= incarnation) {
                incarnation = u.incarnation() + 1; // refute: "I am alive, at a newer incarnation"
                ctx.write("incarnation", incarnation);
                ctx.fsync();
                enqueue(new Update(self, Kind.ALIVE, incarnation));
            }
            return;
        }
        Member m = members[u.member()];
        boolean accept = switch (u.kind()) {
            case ALIVE -> u.incarnation() > m.incarnation;
            case SUSPECT -> m.status != Status.FAULTY
                    && (u.incarnation() > m.incarnation || (m.status == Status.ALIVE && u.incarnation() == m.incarnation));
            case CONFIRM -> m.status != Status.FAULTY && u.incarnation() >= m.incarnation;
        };
        if (!accept) {
            return;
        }
        Status before = m.status;
        m.incarnation = u.incarnation();
        if (m.suspicionTimer >= 0) {
            ctx.cancelTimer(m.suspicionTimer);
            m.suspicionTimer = -1;
        }
        switch (u.kind()) {
            case ALIVE -> m.status = Status.ALIVE;
            case SUSPECT -> {
                m.status = Status.SUSPECT;
                m.suspicionTimer = ctx.setTimer(config.suspicionPeriods() * config.periodNs(),
                        new SuspicionTimeout(u.member(), u.incarnation()));
            }
            case CONFIRM -> m.status = Status.FAULTY;
        }
        if (before != Status.FAULTY && m.status == Status.FAULTY) {
            ctx.output(new Suspicion(u.member(), true));
        } else if (before == Status.FAULTY && m.status != Status.FAULTY) {
            ctx.output(new Suspicion(u.member(), false));
        }
        enqueue(u);
    }

    // ---------------------------------------------------------------- dissemination (§4.1)

    private void enqueue(Update u) {
        buffer.removeIf(g -> g.update.member() == u.member()); // the newer news about a member replaces the older
        buffer.add(new Gossip(u));
    }

    /** Up to maxPiggyback updates, least-sent first (ties: oldest first); each counts one transmission. */
    private List<Update> piggyback() {
        if (buffer.isEmpty()) {
            return List.of();
        }
        int limit = config.retransmitMult() * (32 - Integer.numberOfLeadingZeros(n)); // λ·⌈log₂(n+1)⌉
        List<Gossip> chosen = new ArrayList<>(buffer);
        chosen.sort((a, b) -> Integer.compare(a.sent, b.sent)); // stable: ties keep insertion order
        List<Update> out = new ArrayList<>();
        for (Gossip g : chosen) {
            if (out.size() == config.maxPiggyback()) {
                break;
            }
            out.add(g.update);
            g.sent++;
        }
        for (Iterator<Gossip> it = buffer.iterator(); it.hasNext(); ) {
            if (it.next().sent >= limit) {
                it.remove();
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- inspection

    /** How this member sees {@code member} now. */
    public Status status(int member) {
        return members[member].status;
    }

    /** The incarnation this member knows for {@code member} (its own for itself). */
    public long incarnation(int member) {
        return member == self ? incarnation : members[member].incarnation;
    }
}
