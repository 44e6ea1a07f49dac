package io.github.dsw.consistency.dynamo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How replicas reconcile the versions they hold for one key. {@link #LWW}: keep the one with the largest
 * {@code (timestamp, writer)} (Cassandra's rule; a write whose coordinator's clock is behind silently loses to
 * an older one). {@link #VERSION_VECTORS}: keep every version that no other version descends from (Dynamo's
 * rule): concurrent writes survive as siblings, which a read returns and the client's next write, carrying
 * the merged context, replaces.
 */
public enum Resolution {
    LWW, VERSION_VECTORS;

    /** Deterministic order of siblings (by writer's counter, then value) so that runs replay exactly. */
    private static final Comparator<Versioned> ORDER = Comparator.comparing((Versioned v) -> v.clock().toString())
            .thenComparingLong(Versioned::value).thenComparingLong(Versioned::ts);

    /** The reconciliation of two sibling lists (each already reconciled). */
    public List<Versioned> reconcile(List<Versioned> a, List<Versioned> b) {
        List<Versioned> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        if (all.isEmpty()) {
            return List.of();
        }
        if (this == LWW) {
            Versioned best = all.get(0);
            for (Versioned v : all) {
                if (v.compareLww(best) > 0) {
                    best = v;
                }
            }
            return List.of(best);
        }
        List<Versioned> keep = new ArrayList<>();
        for (Versioned v : all) {
            boolean dominated = false;
            for (Versioned w : all) {
                if (v.clock().compare(w.clock()) == VersionVector.Order.BEFORE) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated && keep.stream().noneMatch(k -> k.clock().equals(v.clock()))) { // equal clocks: one version
                keep.add(v);
            }
        }
        keep.sort(ORDER);
        return List.copyOf(keep);
    }

    /** The merged context of siblings: what a client sends back with its next write of the key. */
    public static VersionVector context(List<Versioned> siblings) {
        VersionVector c = VersionVector.EMPTY;
        for (Versioned v : siblings) {
            c = c.merge(v.clock());
        }
        return c;
    }
}
