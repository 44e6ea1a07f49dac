package io.github.dsw.consistency.crdt;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Observed-remove set, add-wins (Shapiro et al. 2011, specification 15): every add tags the element with a
 * unique {@link Tag}; a remove tombstones the tags it has observed for the element; the element is in the set
 * while some tag of it is not tombstoned. So an add concurrent with a remove wins (the remove did not observe
 * its tag). Merge is the union of both sets. Tombstones are never collected here (the spec's simple version).
 *
 * @param added   (element, tag) pairs ever added
 * @param removed (element, tag) pairs removed
 */
public record OrSet(Set<Tagged> added, Set<Tagged> removed) implements StateCrdt<OrSet> {

    /** A unique add: replica {@code node}'s {@code seq}-th add. */
    public record Tag(int node, long seq) {
    }

    /** An element with the tag of one add of it. */
    public record Tagged(long element, int node, long seq) implements Comparable<Tagged> {
        @Override
        public int compareTo(Tagged o) {
            int c = Long.compare(element, o.element);
            c = c != 0 ? c : Integer.compare(node, o.node);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public static final OrSet EMPTY = new OrSet(Set.of(), Set.of());

    public OrSet {
        added = Collections.unmodifiableSet(new TreeSet<>(added));
        removed = Collections.unmodifiableSet(new TreeSet<>(removed));
    }

    /** Replica {@code node} adds {@code e}; {@code tag} must be unique (the replica's own add counter). */
    public OrSet add(long e, Tag tag) {
        TreeSet<Tagged> a = new TreeSet<>(added);
        a.add(new Tagged(e, tag.node(), tag.seq()));
        return new OrSet(a, removed);
    }

    /** Removes {@code e} as observed here: tombstones every tag of it this replica has seen. */
    public OrSet remove(long e) {
        TreeSet<Tagged> r = new TreeSet<>(removed);
        for (Tagged t : added) {
            if (t.element() == e) {
                r.add(t);
            }
        }
        return new OrSet(added, r);
    }

    public boolean contains(long e) {
        for (Tagged t : added) {
            if (t.element() == e && !removed.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** The elements, sorted. */
    public TreeSet<Long> elements() {
        TreeSet<Long> out = new TreeSet<>();
        for (Tagged t : added) {
            if (!removed.contains(t)) {
                out.add(t.element());
            }
        }
        return out;
    }

    @Override
    public OrSet merge(OrSet o) {
        TreeSet<Tagged> a = new TreeSet<>(added);
        a.addAll(o.added);
        TreeSet<Tagged> r = new TreeSet<>(removed);
        r.addAll(o.removed);
        return new OrSet(a, r);
    }

    @Override
    public boolean leq(OrSet o) {
        return o.added.containsAll(added) && o.removed.containsAll(removed);
    }
}
