package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes histories as JSON Lines, the format documented in {@code datasets/README.md}:
 * one object per line with exactly the fields {@code process} (int), {@code type}
 * ("invoke"|"ok"|"fail"|"info"), {@code f} ("read"|"write"|"cas"), {@code key} (string),
 * {@code value} (null, an integer, or {@code [expected, new]} for cas) and {@code time} (long, ns).
 * Other fields are ignored so that histories from other tools can carry extras; blank lines are skipped.
 * Any other deviation is a {@link HistoryFormatException} naming the line.
 *
 * <p>The parser is a small recursive-descent JSON reader (RFC 8259 values), written out to keep the
 * algorithms module free of dependencies.
 */
public final class HistoryJson {

    private HistoryJson() {
    }

    /** Parses a whole history and checks it is well formed ({@link History#of}). */
    public static History read(Reader in) {
        List<HistoryEvent> events = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(in)) {
            String text;
            int lineNo = 0;
            while ((text = r.readLine()) != null) {
                lineNo++;
                if (text.isBlank()) {
                    continue;
                }
                events.add(parseLine(text, lineNo));
                lines.add(lineNo);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return History.of(events);
        } catch (HistoryFormatException e) {
            int line = lines.get(e.line() - 1);
            String msg = e.getMessage().substring(e.getMessage().indexOf(':') + 2);
            throw new HistoryFormatException(line, msg);
        }
    }

    /** Parses one line into an event; {@code lineNo} goes into error messages. */
    public static HistoryEvent parseLine(String text, int lineNo) {
        Object parsed;
        try {
            Parser p = new Parser(text);
            parsed = p.value();
            p.skipSpace();
            if (p.pos != text.length()) {
                throw p.error("unexpected text after the object");
            }
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException(lineNo, "not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> obj)) {
            throw new HistoryFormatException(lineNo, "expected a JSON object");
        }
        for (String field : List.of("process", "type", "f", "key", "value", "time")) {
            if (!obj.containsKey(field)) {
                throw new HistoryFormatException(lineNo, "missing field \"" + field + "\"");
            }
        }
        long process = integer(obj.get("process"), "process", lineNo);
        if (process < 0 || process > Integer.MAX_VALUE) {
            throw new HistoryFormatException(lineNo, "\"process\" must be an int >= 0, got " + process);
        }
        Type type = enumField(obj.get("type"), "type", Type.class, lineNo);
        Fn f = enumField(obj.get("f"), "f", Fn.class, lineNo);
        if (!(obj.get("key") instanceof String key)) {
            throw new HistoryFormatException(lineNo, "\"key\" must be a string, got " + obj.get("key"));
        }
        long time = integer(obj.get("time"), "time", lineNo);
        Object raw = obj.get("value");
        Object value;
        if (raw == null) {
            value = null;
        } else if (raw instanceof List<?> list) {
            if (f != Fn.CAS || list.size() != 2 || !(list.get(0) instanceof Long e) || !(list.get(1) instanceof Long n)) {
                throw new HistoryFormatException(lineNo, "\"value\" " + raw + " is allowed only for cas, as [expected, new] integers");
            }
            value = new Cas(e, n);
        } else if (raw instanceof Long l) {
            if (f == Fn.CAS) {
                throw new HistoryFormatException(lineNo, "a cas's \"value\" must be [expected, new], got " + l);
            }
            value = l;
        } else {
            throw new HistoryFormatException(lineNo, "\"value\" must be null, an integer or [expected, new], got " + raw);
        }
        try {
            return new HistoryEvent((int) process, type, f, key, value, time);
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException(lineNo, e.getMessage());
        }
    }

    private static long integer(Object v, String field, int lineNo) {
        if (v instanceof Long l) {
            return l;
        }
        throw new HistoryFormatException(lineNo, "\"" + field + "\" must be an integer, got " + v);
    }

    private static <E extends Enum<E>> E enumField(Object v, String field, Class<E> type, int lineNo) {
        if (v instanceof String s) {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(java.util.Locale.ROOT).equals(s)) {
                    return e;
                }
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : "|").append(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new HistoryFormatException(lineNo, "\"" + field + "\" must be " + allowed + ", got " + v);
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
            case Cas c -> "[" + c.expected() + "," + c.update() + "]";
            default -> e.value().toString();
        };
        return "{\"process\":" + e.process() + ",\"type\":\"" + e.type().jsonName() + "\",\"f\":\"" + e.f().jsonName()
                + "\",\"key\":" + quote(e.key()) + ",\"value\":" + value + ",\"time\":" + e.timeNs() + "}";
    }

    private static String quote(String s) {
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

    /** JSON values: objects become LinkedHashMap, arrays List, integers Long, other numbers Double. */
    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at column " + (pos + 1));
        }

        void skipSpace() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("unexpected end of line");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
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
                    throw error("unexpected character '" + c + "'");
            }
        }

        Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                skipSpace();
                if (pos >= s.length() || s.charAt(pos) != '"') {
                    throw error("expected a field name");
                }
                String k = string();
                skipSpace();
                expect(':');
                Object v = value();
                if (m.containsKey(k)) {
                    throw error("duplicate field \"" + k + "\"");
                }
                m.put(k, v);
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++;
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value());
                skipSpace();
                if (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        String string() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("control character in string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw error("unterminated escape");
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
                            throw error("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        Object number() {
            int start = pos;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            boolean integral = true;
            while (pos < s.length() && "0123456789.eE+-".indexOf(s.charAt(pos)) >= 0) {
                char c = s.charAt(pos);
                if (c == '.' || c == 'e' || c == 'E') {
                    integral = false;
                }
                pos++;
            }
            String t = s.substring(start, pos);
            try {
                return integral ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            } catch (NumberFormatException ex) {
                pos = start;
                throw error("bad number '" + t + "'");
            }
        }
    }
}
