package io.github.dsw.raft;

/**
 * Deliberately wrong variants of Raft and of its host, kept to show that the right rule matters: each one is
 * caught by a checker in a test (the invariants of the paper's Figure 3 or the linearizability checker).
 * Off ({@link #NONE}) by default; chosen with {@link RaftConfig.Builder#mutation}, {@code --mutation} of
 * {@code ./dsw simulate raft-kv}, or a notebook's setting. One enum for the whole protocol, node and host,
 * so a test, the CLI and a notebook name a bug the same way.
 */
public enum Mutation {
    /** Raft as specified. */
    NONE,
    /**
     * The unsafe commitment rule of the paper's Figure 8: any entry stored on a majority is committed, even one
     * of an earlier term (section 5.4.2 counts replicas only for entries of the leader's current term).
     * Caught by the State Machine Safety invariant in the Figure 8 scenario.
     */
    NAIVE_COUNTING,
    /**
     * Single-server membership changes without the fix Ongaro gave on raft-dev in 2015: a new leader may append a
     * configuration change before its term's no-op commits ({@link RaftNode#proposeConfChange}). Caught as two
     * leaders of one term, or a lost committed entry, in the membership scenario.
     */
    CONF_CHANGE_BEFORE_NOOP,
    /**
     * The classic read mistake, in the key-value service ({@link KvService}): the leader answers a read from its
     * applied state at once, with no log entry, no ReadIndex round and no lease, so a deposed leader that has
     * not noticed yet serves stale values. Caught by the linearizability checker.
     */
    LEADER_LOCAL_READS,
    /**
     * The host ({@link RaftHost}) does not make the ticks a process pause held back before it handles an input
     * ({@link TickClock}): a paused leader wakes with its lease apparently still running and serves lease reads
     * past its real expiry. Caught by the linearizability checker with lease reads and pauses.
     */
    NO_TICK_CATCH_UP;

    /** The CLI spelling: lower case with dashes ({@code naive-counting}). */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
