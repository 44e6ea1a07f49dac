package io.github.dsw.labs;

import io.github.dsw.lease.LockStore;
import io.github.dsw.raft.LogEntry;

/**
 * Lab {@code lock-service}: the lock table of chapter 9's lock service as a replicated state machine (the design of
 * Chubby, Burrows 2006, and ZooKeeper's lock recipe; the workbench's {@link LockStore}). The skeleton keeps sessions
 * and time; the student writes the grant (FIFO waiters, fencing token = the log index of the granting entry, or the
 * next number above the last token when one entry grants several locks), the
 * release (with its errors), and what expiry does to a holder's locks (lock-delay). Graded by applying log entries
 * directly, as every replica applies them: scripted cases, then random histories judged by the {@code LockChecker}
 * (mutual exclusion) and by the token rule. The student's class needs a public no-argument constructor.
 */
public interface LockServiceLab {

    /** Called once before any entry: how long an expired holder's lock stays ungrantable (0: no lock-delay). */
    void lockDelay(long ns);

    /** Applies the log entry at {@code index}: a {@link LockStore.Command} gives an {@link LockStore.Applied}, anything else null. */
    LockStore.Applied apply(long index, LogEntry entry);

    /** The current holder's sequencer of {@code lock} (its name and token), or null if nobody holds it. */
    LockStore.Sequencer holder(String lock);
}
