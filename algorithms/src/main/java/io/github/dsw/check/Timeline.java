package io.github.dsw.check;

import java.util.List;

/**
 * Draws operations as a text timeline, one line per operation, time flowing left to right:
 * <pre>
 *   p0 write 1      |=====|                 [0.000 .. 1.250 ms]
 *   p1 read -> nil          |====|          [1.500 .. 2.100 ms]
 *   p2 write 2   |===================>      [0.400 .. ?]
 * </pre>
 * An arrow marks an indeterminate operation (it may take effect at any later time, or never).
 */
public final class Timeline {
    private static final int WIDTH = 48;

    private Timeline() {
    }

    /**
     * One row of a timeline: {@code label} from {@code startNs} to {@code endNs}, or, when {@code open}, from
     * {@code startNs} to the end of the drawing (an arrow, end shown as "?"; {@code endNs} is then ignored).
     */
    public record Bar(String label, long startNs, long endNs, boolean open) {
    }

    /** The timeline of {@code ops}, times shown relative to the earliest call, in milliseconds. */
    public static String render(List<Operation> ops) {
        return renderBars(ops.stream().map(o -> new Bar(o.describe(), o.callNs(), o.indeterminate() ? o.callNs() : o.returnNs(),
                o.indeterminate())).toList());
    }

    /** The timeline of any intervals (fault episodes, protocol phases), times relative to the earliest start, in ms. */
    public static String renderBars(List<Bar> bars) {
        if (bars.isEmpty()) {
            return "";
        }
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Bar o : bars) {
            start = Math.min(start, o.startNs());
            end = Math.max(end, o.open() ? o.startNs() : o.endNs());
        }
        long span = Math.max(1, end - start);
        int labelWidth = 0;
        for (Bar o : bars) {
            labelWidth = Math.max(labelWidth, o.label().length());
        }
        StringBuilder sb = new StringBuilder();
        for (Bar o : bars) {
            int a = (int) ((o.startNs() - start) * (WIDTH - 1) / span);
            int b = o.open() ? WIDTH : (int) ((o.endNs() - start) * (WIDTH - 1) / span);
            char[] bar = new char[WIDTH + 1];
            java.util.Arrays.fill(bar, ' ');
            for (int i = a; i <= Math.min(b, WIDTH); i++) {
                bar[i] = '=';
            }
            bar[a] = '|';
            if (o.open()) {
                bar[WIDTH] = '>';
            } else {
                bar[b] = '|';
            }
            sb.append("  ").append(String.format("%-" + labelWidth + "s", o.label())).append(' ')
                    .append(bar).append("  [").append(ms(o.startNs() - start)).append(" .. ")
                    .append(o.open() ? "?" : ms(o.endNs() - start)).append(" ms]\n");
        }
        return sb.toString();
    }

    private static String ms(long ns) {
        return String.format(java.util.Locale.ROOT, "%.3f", ns / 1e6);
    }
}
