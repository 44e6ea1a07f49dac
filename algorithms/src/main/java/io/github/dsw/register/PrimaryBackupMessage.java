package io.github.dsw.register;

import io.github.dsw.check.HistoryEvent.Fn;

/** Messages of the naive primary-backup register ({@link PrimaryBackupNode}). */
public sealed interface PrimaryBackupMessage {

    /** A client request; {@code value} is null, a Long or a Cas. */
    record Request(long requestId, Fn f, String key, Object value) implements PrimaryBackupMessage {
    }

    /** The answer; {@code redirect} names the primary when this server is not it. */
    record Reply(long requestId, boolean ok, Long value, int redirect) implements PrimaryBackupMessage {
    }

    /** Asynchronous replication of one update from the primary. */
    record Replicate(String key, Long value) implements PrimaryBackupMessage {
    }

    /** "I am the primary", sent periodically. */
    record Heartbeat() implements PrimaryBackupMessage {
    }
}
