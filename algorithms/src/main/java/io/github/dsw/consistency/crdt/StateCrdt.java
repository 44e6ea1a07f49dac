package io.github.dsw.consistency.crdt;

/**
 * A state-based CRDT, a convergent replicated data type (Shapiro, Preguiça, Baquero and Zawirski, "Conflict-free
 * Replicated Data Types", SSS 2011, section 2.2): its states form a join-semilattice ordered by {@link #leq},
 * {@link #merge} is the least upper bound (so commutative, associative and idempotent), and every update is an
 * inflation ({@code s.leq(update(s))}). Then replicas that have received the same updates, in any order and any
 * number of times, through any gossip path, hold equal states: strong eventual consistency. Instances are
 * immutable; updates return a new state.
 *
 * @param <S> the concrete type
 */
public interface StateCrdt<S extends StateCrdt<S>> {

    /** The least upper bound of this state and {@code other}. */
    S merge(S other);

    /** The semilattice's partial order: true when {@code other} has seen everything this state has. */
    boolean leq(S other);
}
