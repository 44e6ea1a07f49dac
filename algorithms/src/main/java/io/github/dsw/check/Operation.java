package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Fn;

/**
 * An invocation paired with its completion: what the checker searches over. {@code fail}ed operations
 * never become Operations (they definitely did not happen); an {@code info} completion or a missing one
 * gives an indeterminate operation, whose interval extends to the end of time and which may or may not
 * be linearized at all.
 *
 * @param id            index in the history's list of operations (by invocation order)
 * @param process       the invoking process
 * @param f             read, write or cas
 * @param key           the key
 * @param input         write: the value; cas: the {@link HistoryEvent.Cas}; read: null
 * @param output        read ok: the value read (null for a missing key); otherwise null
 * @param callNs        invocation time
 * @param returnNs      completion time; {@code Long.MAX_VALUE} when indeterminate
 * @param indeterminate true for info or never-completed operations
 */
public record Operation(int id, int process, Fn f, String key, Object input, Long output, long callNs, long returnNs,
                        boolean indeterminate) {

    /** Human-readable form, e.g. {@code p3 write 4}, {@code p1 read -> 2}, {@code p2 cas [1, 2] ?}. */
    public String describe() {
        String arg = switch (f) {
            case READ -> indeterminate ? "read ?" : "read -> " + (output == null ? "nil" : output);
            case WRITE -> "write " + input;
            case CAS -> "cas " + input;
        };
        return "p" + process + " " + arg + (indeterminate && f != Fn.READ ? " ?" : "");
    }
}
