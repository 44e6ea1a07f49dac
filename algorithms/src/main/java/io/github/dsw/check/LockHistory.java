package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A history of a lock service and of the resource its holders write, in chapter 5's JSON Lines shape
 * (one object per line: {@code process}, {@code type}, {@code f}, {@code key}, {@code value}, {@code time}), with
 * three functions:
 * <ul>
 *   <li>{@code "f":"acquire"} on lock {@code key}: invoke value null; ok value = the fencing token granted
 *       (an integer, or null if the lock hands out none); fail = not granted; info = unknown;</li>
 *   <li>{@code "f":"release"} on lock {@code key}: value = the token released, or null;</li>
 *   <li>{@code "f":"write"} on resource {@code key}: value = the written value (a string or an integer), and
 *       {@code "token"} = the token the writer carried (an integer, or null when it carried none); ok = the
 *       resource accepted it, fail = rejected (stale token), info = unknown.</li>
 * </ul>
 * Each process has at most one operation outstanding, and a completion repeats its invoke's {@code f} and
 * {@code key}. Judged by {@link LockChecker}.
 *
 * @param events the events in time order (as in the file)
 */
public record LockHistory(List<Event> events) {

    /** The three functions. */
    public enum Fn {
        ACQUIRE, RELEASE, WRITE;

        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One line. {@code token}: for acquire the granted token (ok), for release the released token, for write
     * the carried token; null when none. {@code value}: the written value of a write (as text), else null.
     */
    public record Event(int process, Type type, Fn f, String key, Long token, String value, long timeNs) {
        public Event {
            if (process < 0 || type == null || f == null || key == null) {
                throw new IllegalArgumentException("need process >= 0, a type, f and key; got " + process + ", " + type + ", " + f + ", " + key);
            }
            if (token != null && token < 0) {
                throw new IllegalArgumentException("a token must be >= 0, got " + token);
            }
        }
    }

    public LockHistory {
        events = List.copyOf(events);
        Map<Integer, Event> open = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            if (i > 0 && e.timeNs() < events.get(i - 1).timeNs()) {
                throw new HistoryFormatException(i + 1, "time " + e.timeNs() + " is before the previous event's " + events.get(i - 1).timeNs());
            }
            Event before = open.get(e.process());
            if (e.type() == Type.INVOKE) {
                if (before != null) {
                    throw new HistoryFormatException(i + 1, "process " + e.process() + " invokes while its " + before.f().jsonName() + " is outstanding");
                }
                open.put(e.process(), e);
            } else {
                if (before == null || before.f() != e.f() || !before.key().equals(e.key())) {
                    throw new HistoryFormatException(i + 1, "process " + e.process() + " completes " + e.f().jsonName() + " " + e.key()
                            + " that it did not invoke");
                }
                open.remove(e.process());
            }
        }
        if (events.isEmpty()) {
            throw new HistoryFormatException(0, "no operations");
        }
    }

    // ---------------------------------------------------------------- JSON Lines

    /** Reads a history (UTF-8, one object per line, blank lines skipped). */
    public static LockHistory read(InputStream in) {
        HistoryLines lines = new HistoryLines(in, HistoryLines.Limits.defaults());
        List<Event> events = new ArrayList<>();
        String text;
        while ((text = lines.next()) != null) {
            if (!text.isBlank()) {
                events.add(parseLine(text, lines.lineNo()));
            }
        }
        return new LockHistory(events);
    }

    /** Writes one line per event. */
    public void write(Writer out) {
        try {
            for (Event e : events) {
                out.write(toLine(e));
                out.write('\n');
            }
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One event as a line: {@code value} is the token for acquire and release, the written value for write (plus {@code token}). */
    public static String toLine(Event e) {
        String head = "{\"process\":" + e.process() + ",\"type\":\"" + e.type().jsonName() + "\",\"f\":\"" + e.f().jsonName()
                + "\",\"key\":" + quote(e.key()) + ",\"value\":";
        if (e.f() == Fn.WRITE) {
            return head + (e.value() == null ? "null" : quote(e.value())) + ",\"token\":" + e.token() + ",\"time\":" + e.timeNs() + "}";
        }
        return head + e.token() + ",\"time\":" + e.timeNs() + "}";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** Parses one line (a flat JSON object); errors name {@code lineNo}. */
    public static Event parseLine(String s, int lineNo) {
        Map<String, Object> fields = new FlatObject(s, lineNo).parse();
        for (String required : List.of("process", "type", "f", "key", "time")) {
            if (!fields.containsKey(required)) {
                throw new HistoryFormatException(lineNo, "missing field \"" + required + "\"");
            }
        }
        long process = integer(fields, "process", lineNo);
        if (process < 0 || process > Integer.MAX_VALUE) {
            throw new HistoryFormatException(lineNo, "\"process\" must be an int >= 0, got " + process);
        }
        Type type = switch (String.valueOf(fields.get("type"))) {
            case "invoke" -> Type.INVOKE;
            case "ok" -> Type.OK;
            case "fail" -> Type.FAIL;
            case "info" -> Type.INFO;
            default -> throw new HistoryFormatException(lineNo, "\"type\" must be invoke|ok|fail|info, got " + HistoryJson.shown(fields.get("type")));
        };
        Fn f = switch (String.valueOf(fields.get("f"))) {
            case "acquire" -> Fn.ACQUIRE;
            case "release" -> Fn.RELEASE;
            case "write" -> Fn.WRITE;
            default -> throw new HistoryFormatException(lineNo, "\"f\" must be acquire|release|write for a lock history, got "
                    + HistoryJson.shown(fields.get("f")));
        };
        if (!(fields.get("key") instanceof String key)) {
            throw new HistoryFormatException(lineNo, "\"key\" must be a string, got " + HistoryJson.shown(fields.get("key")));
        }
        long time = integer(fields, "time", lineNo);
        Object value = fields.get("value");
        Long token;
        String written = null;
        if (f == Fn.WRITE) {
            if (!fields.containsKey("token")) {
                throw new HistoryFormatException(lineNo, "a write needs a \"token\" field (null if the writer carried none)");
            }
            token = nullableInteger(fields.get("token"), "token", lineNo);
            if (value != null && !(value instanceof String) && !(value instanceof Long)) {
                throw new HistoryFormatException(lineNo, "a write's \"value\" must be a string or an integer, got " + HistoryJson.shown(value));
            }
            written = value == null ? null : value.toString();
        } else {
            token = nullableInteger(value, "value", lineNo);
        }
        try {
            return new Event((int) process, type, f, key, token, written, time);
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException(lineNo, e.getMessage());
        }
    }

    private static long integer(Map<String, Object> fields, String name, int lineNo) {
        if (fields.get(name) instanceof Long l) {
            return l;
        }
        throw new HistoryFormatException(lineNo, "\"" + name + "\" must be an integer, got " + HistoryJson.shown(fields.get(name)));
    }

    private static Long nullableInteger(Object v, String name, int lineNo) {
        if (v == null || v instanceof Long) {
            return (Long) v;
        }
        throw new HistoryFormatException(lineNo, "\"" + name + "\" must be an integer token or null, got " + HistoryJson.shown(v));
    }

    /** A JSON object whose values are strings, integers, booleans or null (all this format needs). */
    private static final class FlatObject {
        final String s;
        final int lineNo;
        int pos;

        FlatObject(String s, int lineNo) {
            this.s = s;
            this.lineNo = lineNo;
        }

        HistoryFormatException bad(String what) {
            return new HistoryFormatException(lineNo, "not a flat JSON object: " + what + " at column " + (pos + 1));
        }

        void space() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        void expect(char c) {
            space();
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw bad("expected '" + c + "'");
            }
            pos++;
        }

        Map<String, Object> parse() {
            Map<String, Object> out = new TreeMap<>();
            expect('{');
            space();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
            } else {
                while (true) {
                    space();
                    String name = string();
                    expect(':');
                    Object v = value();
                    if (out.containsKey(name)) {
                        throw bad("duplicate field \"" + name + "\"");
                    }
                    out.put(name, v);
                    space();
                    if (pos < s.length() && s.charAt(pos) == ',') {
                        pos++;
                    } else {
                        expect('}');
                        break;
                    }
                }
            }
            space();
            if (pos != s.length()) {
                throw bad("unexpected text after the object");
            }
            return out;
        }

        Object value() {
            space();
            if (pos >= s.length()) {
                throw bad("unexpected end of line");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                int start = pos++;
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
                if (pos < s.length() && ".eE".indexOf(s.charAt(pos)) >= 0) {
                    throw bad("only integers are allowed");
                }
                try {
                    return Long.parseLong(s.substring(start, pos));
                } catch (NumberFormatException e) {
                    throw bad("integer out of range");
                }
            }
            for (String word : List.of("null", "true", "false")) {
                if (s.startsWith(word, pos)) {
                    pos += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            throw bad("unexpected character '" + c + "' (values are strings, integers, booleans or null)");
        }

        String string() {
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw bad("expected a string");
            }
            pos++;
            StringBuilder sb = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    if (pos >= s.length()) {
                        break;
                    }
                    char e = s.charAt(pos++);
                    switch (e) {
                        case '"', '\\', '/' -> sb.append(e);
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            if (pos + 4 > s.length()) {
                                throw bad("short \\u escape");
                            }
                            try {
                                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                            } catch (NumberFormatException x) {
                                throw bad("bad \\u escape");
                            }
                            pos += 4;
                        }
                        default -> throw bad("bad escape \\" + e);
                    }
                } else {
                    sb.append(c);
                }
            }
            throw bad("unterminated string");
        }
    }
}
