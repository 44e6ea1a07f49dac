package io.github.dsw.consistency.cops;

import io.github.dsw.consistency.cops.CopsMessage.Dep;
import io.github.dsw.consistency.cops.CopsMessage.DepCheck;
import io.github.dsw.consistency.cops.CopsMessage.DepOk;
import io.github.dsw.consistency.cops.CopsMessage.Get;
import io.github.dsw.consistency.cops.CopsMessage.GetReply;
import io.github.dsw.consistency.cops.CopsMessage.Put;
import io.github.dsw.consistency.cops.CopsMessage.PutReply;
import io.github.dsw.consistency.cops.CopsMessage.Replicate;
import io.github.dsw.consistency.cops.CopsMessage.ReplicateAck;
import io.github.dsw.consistency.cops.CopsMessage.Version;
import io.github.dsw.runtime.Context;
import io.github.dsw.runtime.Node;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One storage node of a COPS-style causal+ store (Lloyd, Freedman, Kaminsky and Andersen, "Don't Settle for
 * Eventual: Scalable Causal Consistency for Wide-Area Storage with COPS", SOSP 2011). Servers form {@code dcs}
 * datacenters of {@code partitions} nodes each (server {@code d * partitions + p} is partition {@code p} of
 * datacenter {@code d}); every datacenter holds every key, each key on one node of it (its owner, by hash). Clients
 * talk to one datacenter; any node of it forwards a request to the key's owner.
 * <ul>
 *   <li><b>get</b> returns the owner's latest visible version and its version number; the client library adds
 *       {@code <key, version>} to its context.</li>
 *   <li><b>put_after(key, value, deps)</b> (deps = the client's nearest dependencies: what it read since its last
 *       put, and that put) is applied at once in the local datacenter with a new version, a Lamport timestamp larger
 *       than every dependency's (section 4.1), then replicated asynchronously to the key's owner in every other
 *       datacenter (resent until acknowledged: the network loses messages).</li>
 *   <li>A remote owner that receives a replicated write issues a <b>dep_check</b> for each nearest dependency to the
 *       dependency's owner in its own datacenter, which answers once that version is committed there; only then is
 *       the write committed (made visible, unless a higher version of its key already is) (section 4.3). Checking
 *       the nearest dependencies suffices because each of them was itself committed only after its own. Here
 *       dep_check asks for the exact version, not "it or a higher one": see {@link #visible}.</li>
 *   <li>Versions are totally ordered (Lamport clock, node); a node keeps the highest version it has seen of a key
 *       (last-writer-wins, section 4.1's convergent conflict handler), so all datacenters converge once the
 *       replication traffic stops: causal+ consistency.</li>
 * </ul>
 * State is volatile (no crash nemesis). {@code checkDependencies = false} is the deliberately broken variant:
 * replicated writes are applied on arrival, without dep_check.
 */
public final class CopsNode implements Node<CopsMessage> {

    private record Resend() {
    }

    private record Stored(long value, Version version) {
    }

    private record Wait(int from, Version waiting, Dep dep) {
    }

    private final int partitions;
    private final boolean checkDependencies;
    private final long resendNs;
    private int self;
    private int dcs;
    private long clock;
    private final Map<String, Stored> store = new HashMap<>();
    /** Per remote datacenter: our writes it has not acknowledged. */
    private final Map<Integer, LinkedHashMap<Version, Replicate>> outbox = new HashMap<>();
    /** Replicated writes waiting for their dependencies, with the dependencies still missing. */
    private final LinkedHashMap<Version, Replicate> pending = new LinkedHashMap<>();
    private final Map<Version, Set<Dep>> missing = new HashMap<>();
    private final Set<Version> received = new HashSet<>();
    /** dep_checks of other nodes of this datacenter not answered yet. */
    private final Set<Wait> waits = new LinkedHashSet<>();
    private int early;
    /** Per key, every version committed here. */
    private final Map<String, Set<Version>> committed = new HashMap<>();
    /** The version given to each client request (request ids are unique per run), so a duplicate is not a new write. */
    private final Map<Long, Version> puts = new HashMap<>();

    public CopsNode(int partitions, boolean checkDependencies, long resendNs) {
        if (partitions < 1) {
            throw new IllegalArgumentException("need partitions >= 1, got " + partitions);
        }
        this.partitions = partitions;
        this.checkDependencies = checkDependencies;
        this.resendNs = resendNs;
    }

    /** The partition (node within a datacenter) that owns {@code key}. */
    public static int partitionOf(String key, int partitions) {
        return Math.floorMod(key.hashCode(), partitions);
    }

    private int owner(String key, int dc) {
        return dc * partitions + partitionOf(key, partitions);
    }

    private int dc(int node) {
        return node / partitions;
    }

    @Override
    public void start(Context<CopsMessage> ctx) {
        self = ctx.self();
        if (ctx.servers() % partitions != 0) {
            throw new IllegalStateException(ctx.servers() + " servers are not whole datacenters of " + partitions);
        }
        dcs = ctx.servers() / partitions;
        ctx.setTimer(resendNs, new Resend());
    }

    @Override
    public void receive(Context<CopsMessage> ctx, int from, CopsMessage message) {
        switch (message) {
            case Get g -> {
                int owner = owner(g.key(), dc(self));
                int client = g.client() >= 0 ? g.client() : from;
                if (owner != self) {
                    ctx.send(owner, new Get(g.requestId(), client, g.key()));
                    return;
                }
                Stored s = store.get(g.key());
                ctx.send(client, new GetReply(g.requestId(), g.key(), s == null ? null : s.value(), s == null ? null : s.version()));
            }
            case Put p -> {
                int owner = owner(p.key(), dc(self));
                int client = p.client() >= 0 ? p.client() : from;
                if (owner != self) {
                    ctx.send(owner, new Put(p.requestId(), client, p.key(), p.value(), p.deps()));
                    return;
                }
                Version done = puts.get(p.requestId());
                if (done != null) { // a duplicated request: the write has its version already
                    ctx.send(client, new PutReply(p.requestId(), p.key(), done));
                    return;
                }
                for (Dep d : p.deps()) {
                    clock = Math.max(clock, d.version().clock());
                }
                Version v = new Version(++clock, self);
                puts.put(p.requestId(), v);
                received.add(v);
                apply(ctx, p.key(), p.value(), v);
                ctx.send(client, new PutReply(p.requestId(), p.key(), v));
                Replicate r = new Replicate(p.key(), p.value(), v, p.deps());
                for (int d = 0; d < dcs; d++) {
                    if (d != dc(self)) {
                        outbox.computeIfAbsent(d, x -> new LinkedHashMap<>()).put(v, r);
                        ctx.send(owner(p.key(), d), r);
                    }
                }
            }
            case Replicate r -> {
                ctx.send(from, new ReplicateAck(r.version()));
                clock = Math.max(clock, r.version().clock());
                if (!received.add(r.version())) {
                    return; // a duplicate or a resend
                }
                if (!checkDependencies) {
                    for (Dep d : r.deps()) {
                        early += owner(d.key(), dc(self)) == self && !visible(d) ? 1 : 0;
                    }
                    apply(ctx, r.key(), r.value(), r.version());
                    return;
                }
                pending.put(r.version(), r);
                missing.put(r.version(), new LinkedHashSet<>(r.deps()));
                askDeps(ctx, r.version());
                progress(ctx);
            }
            case ReplicateAck a -> {
                var box = outbox.get(dc(from));
                if (box != null) {
                    box.remove(a.version());
                }
            }
            case DepCheck c -> {
                if (visible(c.dep())) {
                    ctx.send(from, new DepOk(c.waiting(), c.dep()));
                } else {
                    waits.add(new Wait(from, c.waiting(), c.dep()));
                }
            }
            case DepOk ok -> {
                Set<Dep> m = missing.get(ok.waiting());
                if (m != null) {
                    m.remove(ok.dep());
                    progress(ctx);
                }
            }
            case GetReply r -> throw new IllegalStateException("servers do not receive replies: " + r);
            case PutReply r -> throw new IllegalStateException("servers do not receive replies: " + r);
        }
    }

    /**
     * Whether the exact version {@code d} has been committed here (visible, or overwritten by a higher one after its
     * own dependencies were met). "A higher version is visible" would not do: a higher version written here
     * concurrently says nothing about {@code d}'s own dependencies, and an effect of {@code d} would become
     * visible before a cause of {@code d} (the checkers found this on a run with faults, seed 4).
     */
    private boolean visible(Dep d) {
        Set<Version> c = committed.get(d.key());
        return c != null && c.contains(d.version());
    }

    /** Sends a dep_check for every missing dependency of {@code v} owned by another node of this datacenter. */
    private void askDeps(Context<CopsMessage> ctx, Version v) {
        for (Dep d : missing.get(v)) {
            int owner = owner(d.key(), dc(self));
            if (owner != self) {
                ctx.send(owner, new DepCheck(v, d));
            }
        }
    }

    /** Applies every pending write whose dependencies are all visible, until none is. */
    private void progress(Context<CopsMessage> ctx) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                Set<Dep> m = missing.get(e.getKey());
                m.removeIf(d -> owner(d.key(), dc(self)) == self && visible(d));
                if (m.isEmpty()) {
                    it.remove();
                    missing.remove(e.getKey());
                    Replicate r = e.getValue();
                    apply(ctx, r.key(), r.value(), r.version());
                    changed = true;
                }
            }
        }
    }

    /** Makes {@code version} of {@code key} visible unless a higher version already is; answers waiting dep_checks. */
    private void apply(Context<CopsMessage> ctx, String key, long value, Version version) {
        committed.computeIfAbsent(key, k -> new HashSet<>()).add(version);
        Stored cur = store.get(key);
        if (cur == null || version.compareTo(cur.version()) > 0) {
            store.put(key, new Stored(value, version));
        }
        for (var it = waits.iterator(); it.hasNext(); ) {
            Wait w = it.next();
            if (w.dep().key().equals(key) && visible(w.dep())) {
                it.remove();
                ctx.send(w.from(), new DepOk(w.waiting(), w.dep()));
            }
        }
    }

    @Override
    public void timer(Context<CopsMessage> ctx, Object tag) {
        for (var e : outbox.entrySet()) {
            for (Replicate r : e.getValue().values()) {
                ctx.send(owner(r.key(), e.getKey()), r);
            }
        }
        for (Version v : pending.keySet()) {
            askDeps(ctx, v);
        }
        ctx.setTimer(resendNs, tag);
    }

    /** The value visible here for {@code key} (null if none): what a read at this node returns. */
    public Long visibleValue(String key) {
        Stored s = store.get(key);
        return s == null ? null : s.value();
    }

    /** Writes not yet acknowledged by some datacenter, plus writes waiting for dependencies: 0 when quiet. */
    public int inFlight() {
        int n = pending.size();
        for (var box : outbox.values()) {
            n += box.size();
        }
        return n;
    }

    /** Replicated writes the broken variant applied before a dependency this node owns was visible. */
    public int earlyApplies() {
        return early;
    }

    /** The keys this node has a version of. */
    public List<String> keys() {
        return new ArrayList<>(store.keySet());
    }
}
