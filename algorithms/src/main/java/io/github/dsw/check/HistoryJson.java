package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes histories as JSON Lines, the format documented in {@code datasets/README.md}:
 * one object per line with exactly the fields {@code process} (int), {@code type}
 * ("invoke"|"ok"|"fail"|"info"), {@code f} ("read"|"write"|"cas"), {@code key} (string),
 * {@code value} (null, an integer, or {@code [expected, new]} for cas, expected possibly null) and
 * {@code time} (long, ns). Other fields are ignored so that histories from other tools can carry extras;
 * blank lines are skipped. Any other deviation is a {@link HistoryFormatException} naming the line.
 *
 * <p>The reader streams: one line at a time ({@link HistoryLines}, which also bounds the line length,
 * the number of events and rejects bytes that are not UTF-8), each line parsed by a small JSON reader
 * (RFC 8259 values) that fills the event's fields directly instead of building a map, with nesting
 * limited to {@link #MAX_DEPTH} levels so that hostile input cannot exhaust the stack.
 */
public final class HistoryJson {
    /** Deepest nesting of arrays and objects accepted in a line (the format itself needs 2). */
    public static final int MAX_DEPTH = 32;

    private HistoryJson() {
    }

    /** Parses a whole history (UTF-8 bytes, default limits) and checks it is well formed ({@link History#of}). */
    public static History read(InputStream in) {
        return read(new HistoryLines(in, HistoryLines.Limits.defaults()));
    }

    /** Parses a whole history from characters (default limits) and checks it is well formed. */
    public static History read(Reader in) {
        return read(new HistoryLines(in, HistoryLines.Limits.defaults()));
    }

    /** Parses every line of {@code lines} and checks the history is well formed. */
    public static History read(HistoryLines lines) {
        Parser parser = new Parser("", 0, new LastKey());
        return lines.collect((text, lineNo) -> finish(parser.reset(text, lineNo)));
    }

    /** Parses one line into an event; {@code lineNo} goes into error messages. */
    public static HistoryEvent parseLine(String text, int lineNo) {
        return parseLine(text, lineNo, new LastKey());
    }

    /** The key of the line read last: consecutive events mostly share a key, and then share its String. */
    private static final class LastKey {
        String last;
    }

    private static HistoryEvent parseLine(String text, int lineNo, LastKey keys) {
        return finish(new Parser(text, lineNo, keys));
    }

    private static HistoryEvent finish(Parser p) {
        HistoryEvent e = p.event();
        p.skipSpace();
        if (p.pos != p.s.length()) {
            throw p.notJson("unexpected text after the object");
        }
        return e;
    }

    /** Writes one line per event, fields in the documented order. */
    public static void write(History history, Writer out) {
        try {
            for (HistoryEvent e : history.events()) {
                out.write(toLine(e));
                out.write('\n');
            }
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One event as a JSON object on one line. */
    public static String toLine(HistoryEvent e) {
        String value = switch (e.value()) {
            case null -> "null";
            case Cas c -> "[" + (c.expected() == null ? "null" : c.expected()) + "," + c.update() + "]";
            default -> e.value().toString();
        };
        return "{\"process\":" + e.process() + ",\"type\":\"" + e.type().jsonName() + "\",\"f\":\"" + e.f().jsonName()
                + "\",\"key\":" + quote(e.key()) + ",\"value\":" + value + ",\"time\":" + e.timeNs() + "}";
    }

    /**
     * A string literal with JSON's escapes, which EDN's strings share ({@code \" \\ \n \r \t}, {@code \\uXXXX} for the
     * other control characters): {@link HistoryEdn} writes its keys with it too.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A value as an error message shows it: at most 80 characters, then an ellipsis. */
    static String shown(Object v) {
        String s = String.valueOf(v);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /**
     * One line's object, read straight into an event. Generic values (for the {@code value} field and
     * fields the format ignores) become null, Boolean, Long, Double, String, List or a {@link JsonObject}
     * marker; integers that do not fit a long are rejected.
     */
    private static final class Parser {
        private static final String[] FIELDS = {"process", "type", "f", "key", "value", "time"};
        private static final String[] TYPES = {"invoke", "ok", "fail", "info"};
        private static final String[] FNS = {"read", "write", "cas"};
        String s;
        int lineNo;
        final LastKey keys;
        int pos;
        private final Object[] field = new Object[FIELDS.length];
        private final boolean[] present = new boolean[FIELDS.length];

        Parser(String s, int lineNo, LastKey keys) {
            this.s = s;
            this.lineNo = lineNo;
            this.keys = keys;
        }

        /** Reuses this parser for the next line (one parser per history, not per line). */
        Parser reset(String line, int number) {
            s = line;
            lineNo = number;
            pos = 0;
            return this;
        }

        HistoryFormatException notJson(String what) {
            return new HistoryFormatException(lineNo, "not JSON: " + what + " at column " + (pos + 1));
        }

        HistoryFormatException bad(String what) {
            return new HistoryFormatException(lineNo, what);
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                    return;
                }
                pos++;
            }
        }

        HistoryEvent event() {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != '{') {
                if (pos < s.length() && "[\"-0123456789tfn".indexOf(s.charAt(pos)) >= 0) {
                    value(0);
                    skipSpace();
                    if (pos == s.length()) {
                        throw bad("expected a JSON object");
                    }
                }
                throw notJson(pos >= s.length() ? "unexpected end of line" : "unexpected character '" + s.charAt(pos) + "'");
            }
            pos++;
            java.util.Arrays.fill(field, null);
            java.util.Arrays.fill(present, false);
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
            } else {
                while (true) {
                    skipSpace();
                    if (pos >= s.length() || s.charAt(pos) != '"') {
                        throw notJson("expected a field name");
                    }
                    int k = knownField();
                    String name = k >= 0 ? FIELDS[k] : string();
                    if (k < 0) {
                        k = fieldIndex(name);
                    }
                    skipSpace();
                    expect(':');
                    Object v = k >= 1 && k <= 3 ? knownString(k) : null;
                    if (v == null) {
                        v = value(1);
                    }
                    if (k >= 0) {
                        if (present[k]) {
                            throw notJson("duplicate field \"" + name + "\"");
                        }
                        present[k] = true;
                        field[k] = v;
                    }
                    skipSpace();
                    if (pos < s.length() && s.charAt(pos) == ',') {
                        pos++;
                    } else {
                        expect('}');
                        break;
                    }
                }
            }
            for (int k = 0; k < FIELDS.length; k++) {
                if (!present[k]) {
                    throw bad("missing field \"" + FIELDS[k] + "\"");
                }
            }
            long process = integer(field[0], "process");
            if (process < 0 || process > Integer.MAX_VALUE) {
                throw bad("\"process\" must be an int >= 0, got " + process);
            }
            Type type = type(field[1]);
            Fn f = fn(field[2]);
            if (!(field[3] instanceof String key)) {
                throw bad("\"key\" must be a string, got " + shown(field[3]));
            }
            long time = integer(field[5], "time");
            Object value = operationValue(field[4], f);
            try {
                return new HistoryEvent((int) process, type, f, key, value, time);
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
        }

        /**
         * The fast path of a field name: one of {@link #FIELDS} written plainly ({@code "time"}) is matched in
         * place, without making a string; -1 (nothing consumed) for anything else, read then by {@link #string}.
         */
        private int knownField() {
            for (int k = 0; k < FIELDS.length; k++) {
                String f = FIELDS[k];
                int end = pos + 1 + f.length();
                if (end < s.length() && s.charAt(end) == '"' && matches(f, pos + 1)) {
                    pos = end + 1;
                    return k;
                }
            }
            return -1;
        }

        /**
         * The fast path of the values of "type", "f" and "key" (fields 1-3): a plain quoted word of the format
         * ({@code "invoke"}, {@code "read"}, ...) or the previous line's key is matched in place and the same
         * String returned (so a history's events share their key strings); null (nothing consumed) otherwise.
         */
        private Object knownString(int k) {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != '"') {
                return null;
            }
            if (k == 3) {
                String last = keys.last;
                int end = pos + 1 + (last == null ? 0 : last.length());
                if (last != null && end < s.length() && s.charAt(end) == '"' && matches(last, pos + 1)) {
                    pos = end + 1;
                    return last;
                }
                String key = string();
                boolean plain = true; // only a key without '\\', '"' or control characters is matched raw
                for (int i = 0; i < key.length() && plain; i++) {
                    char c = key.charAt(i);
                    plain = c != '\\' && c != '"' && c >= 0x20;
                }
                keys.last = plain ? key : null;
                return key;
            }
            for (String w : k == 1 ? TYPES : FNS) {
                int end = pos + 1 + w.length();
                if (end < s.length() && s.charAt(end) == '"' && matches(w, pos + 1)) {
                    pos = end + 1;
                    return w;
                }
            }
            return null;
        }

        /** {@code s.startsWith(w, at)} for the short words here, char by char (cheaper than the library's). */
        private boolean matches(String w, int at) {
            for (int i = 0; i < w.length(); i++) {
                if (s.charAt(at + i) != w.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static int fieldIndex(String name) {
            for (int k = 0; k < FIELDS.length; k++) {
                if (FIELDS[k].equals(name)) {
                    return k;
                }
            }
            return -1;
        }

        private Object operationValue(Object raw, Fn f) {
            if (raw == null) {
                return null;
            }
            if (raw instanceof List<?> list) {
                if (f != Fn.CAS || list.size() != 2 || !(list.get(0) == null || list.get(0) instanceof Long)
                        || !(list.get(1) instanceof Long n)) {
                    throw bad("\"value\" " + shown(raw) + " is allowed only for cas, as [expected, new] integers (expected may be null)");
                }
                return new Cas((Long) list.get(0), (long) n);
            }
            if (raw instanceof Long l) {
                if (f == Fn.CAS) {
                    throw bad("a cas's \"value\" must be [expected, new], got " + l);
                }
                return l;
            }
            throw bad("\"value\" must be null, an integer or [expected, new], got " + shown(raw));
        }

        private long integer(Object v, String field) {
            if (v instanceof Long l) {
                return l;
            }
            throw bad("\"" + field + "\" must be an integer, got " + shown(v));
        }

        private Type type(Object v) {
            if (v instanceof String t) {
                switch (t) {
                    case "invoke": return Type.INVOKE;
                    case "ok": return Type.OK;
                    case "fail": return Type.FAIL;
                    case "info": return Type.INFO;
                    default: break;
                }
            }
            throw bad("\"type\" must be invoke|ok|fail|info, got " + shown(v));
        }

        private Fn fn(Object v) {
            if (v instanceof String t) {
                switch (t) {
                    case "read": return Fn.READ;
                    case "write": return Fn.WRITE;
                    case "cas": return Fn.CAS;
                    default: break;
                }
            }
            throw bad("\"f\" must be read|write|cas, got " + shown(v));
        }

        Object value(int depth) {
            skipSpace();
            if (pos >= s.length()) {
                throw notJson("unexpected end of line");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    enter(depth);
                    skipObject(depth + 1);
                    return JsonObject.INSTANCE;
                case '[':
                    enter(depth);
                    return array(depth + 1);
                case '"':
                    return string();
                default:
                    if (s.startsWith("null", pos)) {
                        pos += 4;
                        return null;
                    }
                    if (s.startsWith("true", pos)) {
                        pos += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", pos)) {
                        pos += 5;
                        return Boolean.FALSE;
                    }
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw notJson("unexpected character '" + c + "'");
            }
        }

        private void enter(int depth) {
            if (depth >= MAX_DEPTH) {
                throw bad("nesting deeper than " + MAX_DEPTH + " levels at column " + (pos + 1));
            }
        }

        private void skipObject(int depth) {
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return;
            }
            while (true) {
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw notJson("expected a field name");
                }
                string();
                skipSpace();
                expect(':');
                value(depth);
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else {
                    expect('}');
                    return;
                }
            }
        }

        private List<Object> array(int depth) {
            List<Object> list = new ArrayList<>(2);
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value(depth));
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw notJson("expected '" + c + "'");
            }
            pos++;
        }

        private String string() {
            int start = ++pos;
            // fast path: no escapes
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '"') {
                    return s.substring(start, pos++);
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(s.substring(start, pos));
            while (true) {
                if (pos >= s.length()) {
                    throw notJson("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    pos--;
                    throw notJson("control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw notJson("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw notJson("short \\u escape");
                        }
                        int cp = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos + i), 16);
                            if (d < 0) {
                                throw notJson("bad \\u escape");
                            }
                            cp = cp * 16 + d;
                        }
                        sb.append((char) cp);
                        pos += 4;
                    }
                    default -> throw notJson("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = pos;
            boolean negative = s.charAt(pos) == '-';
            if (negative) {
                pos++;
            }
            long v = 0;
            boolean overflow = false;
            int digits = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c < '0' || c > '9') {
                    break;
                }
                int d = c - '0';
                // accumulate negatively: Long.MIN_VALUE has no positive counterpart
                if (v < (Long.MIN_VALUE + d) / 10) {
                    overflow = true;
                }
                v = v * 10 - d;
                digits++;
                pos++;
            }
            boolean integral = true;
            while (pos < s.length() && ".eE+-0123456789".indexOf(s.charAt(pos)) >= 0) {
                integral = false;
                pos++;
            }
            if (digits > 0 && integral && !overflow && (negative || v != Long.MIN_VALUE)) {
                return negative ? v : -v; // the common case: no substring
            }
            String text = s.substring(start, pos);
            if (digits == 0) {
                pos = start;
                throw notJson("bad number '" + shown(text) + "'");
            }
            if (integral) {
                pos = start;
                throw bad("integer " + shown(text) + " does not fit in 64 bits at column " + (start + 1));
            }
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException ex) {
                pos = start;
                throw notJson("bad number '" + shown(text) + "'");
            }
        }
    }

    /** Stands for a JSON object inside a value: the format has none, so only its presence matters. */
    private enum JsonObject {
        INSTANCE;

        @Override
        public String toString() {
            return "{...}";
        }
    }
}
