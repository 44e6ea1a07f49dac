package io.github.dsw.check;

import java.util.HashMap;
import java.util.Map;

/**
 * Invariant checks for protocol code and protocol tests. They throw {@link IllegalStateException}, never
 * rely on {@code assert}, so behaviour does not depend on {@code -ea} (TigerBeetle's habit).
 */
public final class Invariants {

    private Invariants() {
    }

    /** Throws {@code IllegalStateException(String.format(format, args))} unless {@code condition} holds. */
    public static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(java.util.Locale.ROOT, format, args));
        }
    }

    /**
     * "At most one value per key", the shape of most consensus safety properties: at most one leader per
     * term (key = term, value = leader), no two values chosen for one slot (key = slot, value = value).
     * Feed it every observation (for instance from {@code Simulator.onOutput}); it throws on the first
     * conflict, naming both values.
     *
     * @param <K> the key type
     * @param <V> the value type (compared with {@code equals})
     */
    public static final class UniquePerKey<K, V> {
        private final String what;
        private final Map<K, V> seen = new HashMap<>();

        /** {@code what} names the property in messages, e.g. "leader of term". */
        public UniquePerKey(String what) {
            this.what = what;
        }

        /** Records that {@code key} has {@code value}; throws if it was seen with a different one. */
        public void observe(K key, V value) {
            V old = seen.putIfAbsent(key, value);
            check(old == null || old.equals(value), "two values for %s %s: %s and %s", what, key, old, value);
        }

        /** Number of distinct keys observed. */
        public int size() {
            return seen.size();
        }
    }
}
