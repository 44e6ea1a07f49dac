package io.github.dsw.notebook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV files under {@code datasets/}: a header line, then one row per line, fields separated by commas; a field in
 * double quotes may hold commas, and {@code ""} inside it is one quote (RFC 4180, without line breaks in a field: the
 * paper tables quote their wording); lines starting with {@code #} and blank lines are comments. A row with a
 * different number of fields than the header is an error naming the file and line, not a
 * silently shifted column.
 */
public final class Csv {

    private Csv() {
    }

    /** The rows of {@code file}, each a map from column name to field, in file order. */
    public static List<Map<String, String>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        String[] header = null;
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = fields(line);
            if (header == null) {
                header = f;
                continue;
            }
            if (f.length != header.length) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + f.length + " fields, the header has " + header.length);
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], f[c]);
            }
            rows.add(Collections.unmodifiableMap(row));
        }
        if (header == null) {
            throw new IllegalArgumentException(file + ": no header line");
        }
        return rows;
    }

    /** The fields of one line: commas outside double quotes separate, {@code ""} inside quotes is one quote. */
    static String[] fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"' && quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cur.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out.toArray(String[]::new);
    }

    /** As {@link #read(Path)}, for a path as a notebook writes it ({@code "../datasets/paxos/throughput.csv"}). */
    public static List<Map<String, String>> read(String file) {
        return read(Path.of(file));
    }

    /** The field {@code column} of {@code row} as a number; a missing column is an error naming it. */
    public static double num(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new IllegalArgumentException("no column '" + column + "' in " + row.keySet());
        }
        return Double.parseDouble(v);
    }
}
