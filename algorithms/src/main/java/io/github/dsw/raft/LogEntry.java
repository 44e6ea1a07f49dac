package io.github.dsw.raft;

/**
 * One entry of the replicated log: the term in which a leader created it and the command it carries
 * (null for the no-op a new leader appends at the start of its term, Raft paper section 8). Its index is
 * its position in the log (1-based), not stored in the entry.
 *
 * @param term    the leader's term when the entry was appended (>= 1)
 * @param command an immutable command, or null for a no-op
 */
public record LogEntry(long term, Object command) {
    public LogEntry {
        if (term < 1) {
            throw new IllegalArgumentException("term must be >= 1, got " + term);
        }
    }
}
