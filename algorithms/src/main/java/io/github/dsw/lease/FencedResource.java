package io.github.dsw.lease;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A storage service that checks fencing tokens: per key it remembers the highest token of any write it
 * accepted, and it rejects a write whose token is lower. The check and the write are one atomic step
 * (the methods are {@code synchronized}), which is what makes the argument work.
 *
 * <p>Kleppmann, "How to do distributed locking" (2016-02-08), section "Making the lock safe with fencing":
 * a lock service hands out a number that increases on every grant; a client that paused past its lease
 * still carries its old token (33), the new holder already wrote with 34, so "the storage server remembers
 * that it has already processed a write with a higher token number (34), and so it rejects the request with
 * token 33". Chubby's sequencer (Burrows, "The Chubby lock service for loosely-coupled distributed systems",
 * OSDI 2006, section 2.4) is the same idea checked against the lock service instead of the resource's
 * memory.
 *
 * <p>What it guarantees: the accepted writes of one key carry non-decreasing tokens, so once a holder with a
 * higher token has written, no holder with a lower one ever writes again. What it does not: a stale holder's
 * write that arrives before the new holder's first write is accepted (the resource has not seen the higher
 * token yet); and it stops acceptance, not execution. Equal tokens are accepted: one holder writes many
 * times under one grant.
 *
 * <p>Keys are kept in a {@link TreeMap}, so {@link #snapshot()} iterates in the same order in every JVM.
 */
public final class FencedResource {

    /** The outcome of one write: whether it was accepted, and the key's highest token after it. */
    public record Outcome(boolean accepted, long highestToken) {}

    private final Map<String, Long> highestToken = new TreeMap<>();
    private final Map<String, String> value = new TreeMap<>();
    private long accepted;
    private long rejected;

    /**
     * Writes {@code value} under {@code key} if {@code token} is at least the highest token accepted for the
     * key so far; returns whether the write was accepted.
     *
     * @throws IllegalArgumentException if {@code token} is negative (tokens are log indexes, revisions or
     *     counters: never negative)
     */
    public synchronized boolean write(String key, long token, String value) {
        return writeWithOutcome(key, token, value).accepted();
    }

    /** As {@link #write}, also returning the key's highest token afterwards (what a rejection cites). */
    public synchronized Outcome writeWithOutcome(String key, long token, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (token < 0) {
            throw new IllegalArgumentException("token must be >= 0, was " + token);
        }
        Long highest = highestToken.get(key);
        if (highest != null && token < highest) {
            rejected++;
            return new Outcome(false, highest);
        }
        highestToken.put(key, token);
        this.value.put(key, value);
        accepted++;
        return new Outcome(true, token);
    }

    /** The last accepted value of {@code key}, or {@code null} if none. */
    public synchronized String read(String key) {
        return value.get(key);
    }

    /** The highest token accepted for {@code key}, or -1 if no write was accepted. */
    public synchronized long highestToken(String key) {
        Long t = highestToken.get(key);
        return t == null ? -1 : t;
    }

    /** How many writes were accepted, over all keys. */
    public synchronized long acceptedWrites() {
        return accepted;
    }

    /** How many writes were rejected for a stale token, over all keys. */
    public synchronized long rejectedWrites() {
        return rejected;
    }

    /** A copy of the current values, by key in sorted order. */
    public synchronized Map<String, String> snapshot() {
        return new TreeMap<>(value);
    }
}
