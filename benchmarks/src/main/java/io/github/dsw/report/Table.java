package io.github.dsw.report;

import java.util.ArrayList;
import java.util.List;

/** A plain table that prints aligned for a terminal and as GitHub Markdown for a report. */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    public Table row(String... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header has " + header.size());
        }
        rows.add(List.of(cells));
        return this;
    }

    /** The column names. */
    public List<String> header() {
        return header;
    }

    /** The rows, as added. */
    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> sb.append("---|"));
        sb.append('\n');
        for (List<String> r : rows) {
            sb.append("| ").append(String.join(" | ", r.stream().map(c -> c.replace("|", "\\|")).toList())).append(" |\n");
        }
        return sb.toString();
    }

    public String text() {
        int[] w = new int[header.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = header.get(i).length();
            for (List<String> r : rows) {
                w[i] = Math.max(w[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (int i = 0; i < w.length; i++) {
            sb.append("-".repeat(w[i])).append(i + 1 < w.length ? "  " : "\n");
        }
        rows.forEach(r -> line(sb, r, w));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(c).append(" ".repeat(w[i] - c.length())).append(i + 1 < w.length ? "  " : "\n");
        }
    }

    /** Four significant digits, no exponent for everyday magnitudes. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e7 || a < 1e-3)) {
            return String.format("%.3e", v);
        }
        if (a >= 1000) {
            return String.format("%,.0f", v);
        }
        return String.format("%.4g", v);
    }
}
