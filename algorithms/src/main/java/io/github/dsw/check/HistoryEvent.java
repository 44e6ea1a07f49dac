package io.github.dsw.check;

import java.util.Locale;

/**
 * One line of an operation history, as Jepsen records it: a process invokes an operation, and later the
 * same process completes it with {@code ok}, {@code fail} (definitely not applied) or {@code info}
 * (indeterminate: it may or may not have taken effect, now or at any later time).
 *
 * <p>{@code value} by function: read invoke {@code null}, read ok the {@code Long} read or {@code null}
 * for a missing key; write the written {@code Long}; cas a {@link Cas}. Completions of writes and cas may
 * repeat the invoke's value or carry {@code null}.
 *
 * @param process the process id (at most one operation outstanding per process)
 * @param type    invoke, ok, fail or info
 * @param f       read, write or cas
 * @param key     the register's key ("" or any single key for a plain register)
 * @param value   see above
 * @param timeNs  when it happened, in nanoseconds
 */
public record HistoryEvent(int process, Type type, Fn f, String key, Object value, long timeNs) {

    /** The four kinds of history events. */
    public enum Type {
        INVOKE, OK, FAIL, INFO;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The register operations. */
    public enum Fn {
        READ, WRITE, CAS;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The argument of a compare-and-set: set to {@code update} if the register holds {@code expected}.
     * A {@code null} expected value is a cas on a missing key: it succeeds only while the register is
     * still empty (Knossos's cas-register and Jepsen histories write it {@code [nil 2]}).
     */
    public record Cas(Long expected, long update) {
        /** A cas from a present value. */
        public Cas(long expected, long update) {
            this(Long.valueOf(expected), update);
        }

        /** A cas that succeeds only on an empty register. */
        public static Cas fromNil(long update) {
            return new Cas((Long) null, update);
        }

        @Override
        public String toString() {
            return "[" + (expected == null ? "nil" : expected) + ", " + update + "]";
        }
    }

    public HistoryEvent {
        if (type == null || f == null || key == null) {
            throw new IllegalArgumentException("type, f and key must not be null");
        }
        if (process < 0) {
            throw new IllegalArgumentException("process must be >= 0, got " + process);
        }
        switch (f) {
            case READ -> {
                if (type == Type.INVOKE && value != null) {
                    throw new IllegalArgumentException("a read's invoke has value null, got " + value);
                }
                if (value != null && !(value instanceof Long)) {
                    throw new IllegalArgumentException("a read's value must be an integer or null, got " + value);
                }
            }
            case WRITE -> {
                if (!(value instanceof Long) && !(value == null && type != Type.INVOKE)) {
                    throw new IllegalArgumentException("a write's value must be an integer, got " + value);
                }
            }
            case CAS -> {
                if (!(value instanceof Cas) && !(value == null && type != Type.INVOKE)) {
                    throw new IllegalArgumentException("a cas's value must be [expected, new], got " + value);
                }
            }
            default -> throw new IllegalStateException("unhandled f " + f);
        }
    }

    /** Shorthands for tests and workloads. */
    public static HistoryEvent invoke(int process, Fn f, String key, Object value, long timeNs) {
        return new HistoryEvent(process, Type.INVOKE, f, key, value, timeNs);
    }

    public static HistoryEvent complete(int process, Type type, Fn f, String key, Object value, long timeNs) {
        return new HistoryEvent(process, type, f, key, value, timeNs);
    }
}
