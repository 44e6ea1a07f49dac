package io.github.dsw.check;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes histories as Jepsen and Knossos write them: EDN (extensible data notation), one
 * operation map per line, e.g. {@code {:type :invoke, :f :cas, :value [1 2], :process 3, :time 123}}.
 * A file that is one EDN vector of such maps, one per line (Knossos's test data), reads the same: a
 * {@code [} before the first map and a {@code ]} after the last are skipped.
 *
 * <p>Reading, field by field ({@code datasets/README.md} has the table):
 * <ul>
 *   <li>{@code :process}: an integer; a line whose process is not an integer (Jepsen's
 *       {@code :nemesis}) is not a client operation and is skipped.</li>
 *   <li>{@code :type}: {@code :invoke}, {@code :ok}, {@code :fail}, {@code :info}. Jepsen's meaning
 *       of {@code :info}: the operation's outcome is unknown, it may take effect at any later time or
 *       never, and its process has crashed: Jepsen never reuses it (later operations of that client
 *       come from a new process number), which {@link History#of} checks.</li>
 *   <li>{@code :f}: {@code :read}, {@code :write}, {@code :cas}.</li>
 *   <li>{@code :value}: as in the JSON format, with {@code nil} for null and {@code [old new]} for a
 *       cas ({@code [nil 2]}: a cas on a missing key). An {@code :info} completion's value is often not
 *       a value at all (Jepsen writes {@code :timed-out}); anything that does not fit the operation is
 *       read as "unknown" (null), which the checker treats the same.</li>
 *   <li>{@code :time}: nanoseconds; when absent (Knossos's hand-written histories), the line number.</li>
 *   <li>{@code :key}: this project's extension for key-value histories (string, keyword or integer);
 *       absent, every operation is on the one register {@link #DEFAULT_KEY}. Other fields
 *       ({@code :index}, {@code :error}, ...) are ignored.</li>
 * </ul>
 * Writing produces one map per line with {@code :index}, {@code :key} and every field above, which
 * this reader, Knossos and Jepsen's history tools read back.
 *
 * <p>The reader handles the EDN a history uses (maps, vectors, lists, sets, keywords, symbols,
 * strings, integers, floats, {@code nil}, booleans, characters, {@code #tag value}, {@code #_} and
 * {@code ;} comments), with nesting limited to {@link HistoryJson#MAX_DEPTH} levels. Reference: the
 * EDN specification, https://github.com/edn-format/edn.
 */
public final class HistoryEdn {
    /** The key of a history that names none. */
    public static final String DEFAULT_KEY = "register";

    private HistoryEdn() {
    }

    /** Parses a whole history (UTF-8, default limits) and checks it is well formed. */
    public static History read(InputStream in) {
        return read(new HistoryLines(in, HistoryLines.Limits.defaults()));
    }

    /** Parses every line of {@code lines} and checks the history is well formed. */
    public static History read(HistoryLines lines) {
        return lines.collect(HistoryEdn::parseLine);
    }

    /**
     * Parses one line into an event, or returns null for a line without a client operation (a
     * nemesis's, or only the brackets of a vector).
     */
    public static HistoryEvent parseLine(String text, int lineNo) {
        String t = text.strip();
        if (t.equals("[") || t.equals("]")) {
            return null; // the brackets of a history written as one vector
        }
        if (t.startsWith("[") && t.substring(1).stripLeading().startsWith("{")) {
            t = t.substring(1).strip();
        }
        if (t.endsWith("]") && t.substring(0, t.length() - 1).stripTrailing().endsWith("}")) {
            t = t.substring(0, t.length() - 1).strip();
        }
        if (t.isEmpty()) {
            return null;
        }
        Parser p = new Parser(t, lineNo);
        Object v = p.value(0);
        p.skipSpace();
        if (p.pos != t.length()) {
            throw p.notEdn("unexpected text after the map");
        }
        if (!(v instanceof EdnMap m)) {
            throw new HistoryFormatException(lineNo, "expected an EDN map {:type ..., :f ..., :process ...}, got " + shown(v));
        }
        return event(m.fields, lineNo);
    }

    private static HistoryEvent event(Map<Object, Object> m, int lineNo) {
        Object process = get(m, "process", lineNo, true);
        if (!(process instanceof Long p)) {
            return null; // :nemesis and other non-client processes
        }
        if (p < 0 || p > Integer.MAX_VALUE) {
            throw new HistoryFormatException(lineNo, ":process must be an int >= 0, got " + p);
        }
        Type type = switch (keyword(get(m, "type", lineNo, true))) {
            case "invoke" -> Type.INVOKE;
            case "ok" -> Type.OK;
            case "fail" -> Type.FAIL;
            case "info" -> Type.INFO;
            case null, default -> throw new HistoryFormatException(lineNo, ":type must be :invoke, :ok, :fail or :info, got "
                    + shown(m.get(new Keyword("type"))));
        };
        Fn f = switch (keyword(get(m, "f", lineNo, true))) {
            case "read" -> Fn.READ;
            case "write" -> Fn.WRITE;
            case "cas" -> Fn.CAS;
            case null, default -> throw new HistoryFormatException(lineNo, ":f must be :read, :write or :cas, got "
                    + shown(m.get(new Keyword("f"))));
        };
        Object rawKey = get(m, "key", lineNo, false);
        String key = switch (rawKey) {
            case null -> DEFAULT_KEY;
            case String s -> s;
            case Keyword k -> k.name();
            case Long l -> l.toString();
            default -> throw new HistoryFormatException(lineNo, ":key must be a string, keyword or integer, got "
                    + shown(rawKey));
        };
        Object rawTime = get(m, "time", lineNo, false);
        long time;
        if (rawTime == null) {
            time = lineNo;
        } else if (rawTime instanceof Long l) {
            time = l;
        } else {
            throw new HistoryFormatException(lineNo, ":time must be an integer (nanoseconds), got " + shown(rawTime));
        }
        Object raw = m.get(new Keyword("value"));
        Object value;
        try {
            value = value(raw, f, type);
        } catch (IllegalArgumentException e) {
            if (type == Type.INFO) {
                value = null; // Jepsen's :timed-out and friends: the outcome is unknown anyway
            } else {
                throw new HistoryFormatException(lineNo, e.getMessage());
            }
        }
        try {
            return new HistoryEvent((int) (long) p, type, f, key, value, time);
        } catch (IllegalArgumentException e) {
            throw new HistoryFormatException(lineNo, e.getMessage());
        }
    }

    private static Object value(Object raw, Fn f, Type type) {
        if (raw == null) {
            return null;
        }
        switch (f) {
            case READ -> {
                if (type == Type.INVOKE || type == Type.FAIL) {
                    return null; // a read's invoke carries no value; Jepsen writes nil
                }
                if (raw instanceof Long l) {
                    return l;
                }
                throw new IllegalArgumentException(":value of a read must be nil or an integer, got " + shown(raw));
            }
            case WRITE -> {
                if (raw instanceof Long l) {
                    return l;
                }
                throw new IllegalArgumentException(":value of a write must be an integer, got " + shown(raw));
            }
            default -> {
                if (raw instanceof List<?> list && list.size() == 2 && (list.get(0) == null || list.get(0) instanceof Long)
                        && list.get(1) instanceof Long n) {
                    return new Cas((Long) list.get(0), (long) n);
                }
                throw new IllegalArgumentException(":value of a cas must be [old new] (old may be nil), got " + shown(raw));
            }
        }
    }

    /** A value as EDN text, cut to 80 characters for an error message. */
    private static String shown(Object v) {
        StringBuilder sb = new StringBuilder();
        edn(v, sb);
        return HistoryJson.shown(sb);
    }

    private static void edn(Object v, StringBuilder sb) {
        if (sb.length() > 100) {
            return;
        }
        switch (v) {
            case null -> sb.append("nil");
            case List<?> list -> {
                sb.append('[');
                for (int i = 0; i < list.size() && sb.length() <= 100; i++) {
                    sb.append(i == 0 ? "" : " ");
                    edn(list.get(i), sb);
                }
                sb.append(']');
            }
            case String str -> sb.append(HistoryJson.quote(str));
            default -> sb.append(v);
        }
    }

    private static Object get(Map<Object, Object> m, String field, int lineNo, boolean required) {
        Keyword k = new Keyword(field);
        if (required && !m.containsKey(k)) {
            throw new HistoryFormatException(lineNo, "missing :" + field);
        }
        return m.get(k);
    }

    private static String keyword(Object v) {
        return v instanceof Keyword k ? k.name() : null;
    }

    /** Writes one EDN map per line, in the order the events happened. */
    public static void write(History history, Writer out) {
        try {
            int index = 0;
            for (HistoryEvent e : history.events()) {
                out.write(toLine(e, index++));
                out.write('\n');
            }
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One event as an EDN map on one line. */
    public static String toLine(HistoryEvent e, int index) {
        String value = switch (e.value()) {
            case null -> "nil";
            case Cas c -> "[" + (c.expected() == null ? "nil" : c.expected()) + " " + c.update() + "]";
            default -> e.value().toString();
        };
        return "{:index " + index + ", :type :" + e.type().jsonName() + ", :f :" + e.f().jsonName() + ", :key "
                + HistoryJson.quote(e.key()) + ", :value " + value + ", :process " + e.process() + ", :time " + e.timeNs() + "}";
    }

    /** An EDN keyword, without its colon (namespace included: {@code :a/b} is "a/b"). */
    record Keyword(String name) {
        @Override
        public String toString() {
            return ":" + name;
        }
    }

    /** An EDN symbol. */
    record Symbol(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** An EDN map (keys kept in order; a duplicate key is an error, as the specification says). */
    record EdnMap(Map<Object, Object> fields) {
        @Override
        public String toString() {
            return fields.toString();
        }
    }

    private static final class Parser {
        final String s;
        final int lineNo;
        int pos;

        Parser(String s, int lineNo) {
            this.s = s;
            this.lineNo = lineNo;
        }

        HistoryFormatException notEdn(String what) {
            return new HistoryFormatException(lineNo, "not EDN: " + what + " at column " + (pos + 1));
        }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ';') {
                    pos = s.length();
                } else if (c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        Object value(int depth) {
            skipSpace();
            if (pos >= s.length()) {
                throw notEdn("unexpected end of line");
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{' -> {
                    enter(depth);
                    pos++;
                    List<Object> items = sequence('}', depth + 1);
                    if (items.size() % 2 != 0) {
                        throw notEdn("a map needs an even number of forms");
                    }
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i < items.size(); i += 2) {
                        if (m.containsKey(items.get(i))) {
                            throw notEdn("duplicate key " + shown(items.get(i)));
                        }
                        m.put(items.get(i), items.get(i + 1));
                    }
                    return new EdnMap(m);
                }
                case '[' -> {
                    enter(depth);
                    pos++;
                    return sequence(']', depth + 1);
                }
                case '(' -> {
                    enter(depth);
                    pos++;
                    return sequence(')', depth + 1);
                }
                case '"' -> {
                    return string();
                }
                case '\\' -> {
                    int start = pos++;
                    while (pos < s.length() && !delimiter(s.charAt(pos))) {
                        pos++;
                    }
                    if (pos == start + 1) {
                        pos++; // a delimiter as a character, e.g. \space is a word, \( is not
                    }
                    return new Symbol(s.substring(start, Math.min(pos, s.length())));
                }
                case '#' -> {
                    enter(depth);
                    pos++;
                    if (pos < s.length() && s.charAt(pos) == '{') {
                        pos++;
                        return sequence('}', depth + 1);
                    }
                    if (pos < s.length() && s.charAt(pos) == '_') {
                        pos++;
                        value(depth + 1);
                        return value(depth);
                    }
                    token(); // the tag: the tagged value stands for itself
                    return value(depth + 1);
                }
                default -> {
                    String tok = token();
                    if (tok.isEmpty()) {
                        throw notEdn("unexpected character '" + c + "'");
                    }
                    return atom(tok);
                }
            }
        }

        private void enter(int depth) {
            if (depth >= HistoryJson.MAX_DEPTH) {
                throw new HistoryFormatException(lineNo, "nesting deeper than " + HistoryJson.MAX_DEPTH + " levels at column " + (pos + 1));
            }
        }

        private List<Object> sequence(char close, int depth) {
            List<Object> items = new ArrayList<>(4);
            while (true) {
                skipSpace();
                if (pos >= s.length()) {
                    throw notEdn("missing '" + close + "'");
                }
                char c = s.charAt(pos);
                if (c == close) {
                    pos++;
                    return items;
                }
                if (c == '}' || c == ']' || c == ')') {
                    throw notEdn("unexpected '" + c + "'");
                }
                items.add(value(depth));
            }
        }

        private static boolean delimiter(char c) {
            return c == ' ' || c == ',' || c == '\t' || c == '\r' || c == '\n' || c == '{' || c == '}' || c == '['
                    || c == ']' || c == '(' || c == ')' || c == '"' || c == ';';
        }

        private String token() {
            int start = pos;
            while (pos < s.length() && !delimiter(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        private Object atom(String tok) {
            switch (tok) {
                case "nil":
                    return null;
                case "true":
                    return Boolean.TRUE;
                case "false":
                    return Boolean.FALSE;
                default:
                    break;
            }
            if (tok.startsWith(":")) {
                if (tok.length() == 1) {
                    throw notEdn("empty keyword");
                }
                return new Keyword(tok.substring(1));
            }
            char c = tok.charAt(0);
            boolean numeric = Character.isDigit(c) || ((c == '-' || c == '+') && tok.length() > 1 && Character.isDigit(tok.charAt(1)));
            if (!numeric) {
                return new Symbol(tok);
            }
            String digits = tok.endsWith("N") ? tok.substring(0, tok.length() - 1) : tok;
            try {
                return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
            } catch (NumberFormatException e) {
                try {
                    return Double.parseDouble(tok.endsWith("M") ? tok.substring(0, tok.length() - 1) : tok);
                } catch (NumberFormatException e2) {
                    throw new HistoryFormatException(lineNo, "bad number " + shown(tok) + " (integers must fit in 64 bits)");
                }
            }
        }

        private String string() {
            StringBuilder sb = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= s.length()) {
                    throw notEdn("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (pos >= s.length()) {
                    throw notEdn("unterminated escape");
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw notEdn("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw notEdn("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw notEdn("bad escape \\" + e);
                }
            }
        }
    }
}
