package io.github.dsw.check.consistency;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What chapter 5's JSON Lines reader does not keep and chapter 12's checkers use, per event (0-based index among
 * the events, i.e. the non-blank lines): the file line it came from (so errors and witnesses name lines), the
 * final-read mark with its replica ({@code "final": true}, {@code "replica"}: {@link ConvergenceChecker}) and the
 * sibling values of a multi-value read ({@code "values": [4, 9]} on a read's {@code ok} line: the versions a
 * store that keeps concurrent writes, e.g. with version vectors, returned at once). Format in
 * {@code datasets/README.md}.
 */
public final class HistoryExtras {
    private static final HistoryExtras NONE = new HistoryExtras(null, Map.of(), Map.of());

    private final int[] lines;
    private final Map<Integer, String> finals;
    private final Map<Integer, long[]> siblings;

    private HistoryExtras(int[] lines, Map<Integer, String> finals, Map<Integer, long[]> siblings) {
        this.lines = lines;
        this.finals = finals;
        this.siblings = siblings;
    }

    /** No extras: events are named by number, no final reads, no siblings. */
    public static HistoryExtras none() {
        return NONE;
    }

    /** Only final marks (event index -> replica), as {@link ConvergenceChecker#readMarks} gives them. */
    public static HistoryExtras ofFinals(Map<Integer, String> finals) {
        return new HistoryExtras(null, Map.copyOf(finals), Map.of());
    }

    /** Adds the sibling values of the read completed at event {@code event} (0-based). */
    public HistoryExtras withSiblings(int event, long... values) {
        Map<Integer, long[]> s = new LinkedHashMap<>(siblings);
        s.put(event, values.clone());
        return new HistoryExtras(lines, finals, s);
    }

    /**
     * Reads the extras of a JSON Lines history (already validated by chapter 5's reader, so this one is lenient
     * about everything except the extra fields themselves).
     *
     * @throws IllegalArgumentException (one line naming the file line) for a {@code "values"} that is not an array
     *                                  of integers
     */
    public static HistoryExtras read(InputStream in) {
        Map<Integer, String> finals = new LinkedHashMap<>();
        Map<Integer, long[]> siblings = new LinkedHashMap<>();
        int[] lines = new int[1024];
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int event = 0;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                if (event == lines.length) {
                    lines = Arrays.copyOf(lines, lines.length * 2);
                }
                lines[event] = lineNo;
                Map<String, Object> f = ConvergenceChecker.topLevel(line, "final", "replica", "values");
                if (Boolean.TRUE.equals(f.get("final"))) {
                    Object rep = f.get("replica");
                    finals.put(event, rep == null ? "" : rep.toString());
                }
                Object v = f.get("values");
                if (v != null) {
                    siblings.put(event, values(v, lineNo));
                }
                event++;
            }
            return new HistoryExtras(Arrays.copyOf(lines, event), finals, siblings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long[] values(Object raw, int lineNo) {
        String s = raw.toString().trim();
        String bad = "line " + lineNo + ": \"values\" must be an array of integers (a read's sibling values), got "
                + (s.length() > 80 ? s.substring(0, 80) + "..." : s);
        if (!s.startsWith("[") || !s.endsWith("]")) {
            throw new IllegalArgumentException(bad);
        }
        String body = s.substring(1, s.length() - 1).trim();
        if (body.isEmpty()) {
            throw new IllegalArgumentException(bad);
        }
        String[] parts = body.split(",");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(bad);
            }
        }
        return out;
    }

    /** Where event {@code event} (0-based) is: {@code line L} when read from a file, else {@code event N}. */
    public String where(int event) {
        return lines != null && event >= 0 && event < lines.length ? "line " + lines[event] : "event " + (event + 1);
    }

    /** Final marks: event index -> replica. */
    public Map<Integer, String> finals() {
        return finals;
    }

    /** The sibling values recorded on event {@code event} (0-based), or null. */
    public long[] siblings(int event) {
        long[] s = siblings.get(event);
        return s == null ? null : s.clone();
    }

    boolean hasSiblings() {
        return !siblings.isEmpty();
    }
}
