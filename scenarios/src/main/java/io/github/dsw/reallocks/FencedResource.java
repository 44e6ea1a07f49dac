package io.github.dsw.reallocks;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * STAND-IN, to be replaced at merge by {@code io.github.dsw.lease.FencedResource} (algorithms, issue 15's
 * other half), whose API this copies (the methods used here have the same names and meanings): a storage
 * service that remembers, per key, the highest fencing token of any write it accepted and rejects a write
 * with a lower one, the check and the write being one atomic step.
 *
 * <p>Kleppmann, "How to do distributed locking" (2016-02-08), section "Making the lock safe with fencing".
 * Equal tokens are accepted (one holder writes many times under one grant).
 */
public final class FencedResource {

    /** The outcome of one write: whether it was accepted, and the key's highest token after it. */
    public record Outcome(boolean accepted, long highestToken) {}

    private final Map<String, Long> highestToken = new TreeMap<>();
    private final Map<String, String> value = new TreeMap<>();

    /** Writes {@code value} under {@code key} if {@code token} is at least the key's highest accepted token. */
    public synchronized Outcome writeWithOutcome(String key, long token, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (token < 0) {
            throw new IllegalArgumentException("token must be >= 0, was " + token);
        }
        Long highest = highestToken.get(key);
        if (highest != null && token < highest) {
            return new Outcome(false, highest);
        }
        highestToken.put(key, token);
        this.value.put(key, value);
        return new Outcome(true, token);
    }

    /** The last accepted value of {@code key}, or {@code null} if none. */
    public synchronized String read(String key) {
        return value.get(key);
    }
}
