package io.github.dsw.raft;

/**
 * The application a {@link RaftHost} replicates (the paper's section 2 "replicated state machine"): the
 * host hands it every committed entry once, in log order, and asks it for a snapshot when it compacts its
 * log (extended paper section 7).
 *
 * <p>Contract, which every server relies on to hold the same state at the same index:
 * <ul>
 *   <li><b>deterministic</b>: the state after applying entries 1..i depends on those entries only, never
 *       on a clock, a random source or the iteration order of a hash map; {@link #snapshot()} of equal
 *       states gives equal bytes;</li>
 *   <li><b>in index order</b>: {@link #apply} is called for index i only after i − 1 (or after a
 *       {@link #restore} to a snapshot at i − 1), exactly once per incarnation of the server;</li>
 *   <li><b>restore replaces</b>: {@link #restore} discards the whole state and puts the snapshot's in its
 *       place, as if the entries it covers had been applied to a fresh state machine.</li>
 * </ul>
 * Not thread-safe: the host calls it from the node's single thread.
 */
public interface StateMachine {

    /**
     * Applies the committed entry at {@code index} (a no-op entry's command is null; configuration
     * changes arrive too) and returns the result to report to whoever proposed it, or null if there is
     * none.
     */
    Object apply(long index, LogEntry entry);

    /** The whole state, encoded deterministically: what {@link #restore} accepts. */
    byte[] snapshot();

    /** Replaces the whole state with one encoded by {@link #snapshot()}. */
    void restore(byte[] state);
}
