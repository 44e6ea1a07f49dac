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

    /** The timeline of {@code ops}, times shown relative to the earliest call, in milliseconds. */
    public static String render(List<Operation> ops) {
        if (ops.isEmpty()) {
            return "";
        }
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (Operation o : ops) {
            start = Math.min(start, o.callNs());
            end = Math.max(end, o.indeterminate() ? o.callNs() : o.returnNs());
        }
        long span = Math.max(1, end - start);
        int labelWidth = 0;
        for (Operation o : ops) {
            labelWidth = Math.max(labelWidth, o.describe().length());
        }
        StringBuilder sb = new StringBuilder();
        for (Operation o : ops) {
            int a = (int) ((o.callNs() - start) * (WIDTH - 1) / span);
            int b = o.indeterminate() ? WIDTH : (int) ((o.returnNs() - start) * (WIDTH - 1) / span);
            char[] bar = new char[WIDTH + 1];
            java.util.Arrays.fill(bar, ' ');
            for (int i = a; i <= Math.min(b, WIDTH); i++) {
                bar[i] = '=';
            }
            bar[a] = '|';
            if (o.indeterminate()) {
                bar[WIDTH] = '>';
            } else {
                bar[b] = '|';
            }
            sb.append("  ").append(String.format("%-" + labelWidth + "s", o.describe())).append(' ')
                    .append(bar).append("  [").append(ms(o.callNs() - start)).append(" .. ")
                    .append(o.indeterminate() ? "?" : ms(o.returnNs() - start)).append(" ms]\n");
        }
        return sb.toString();
    }

    private static String ms(long ns) {
        return String.format(java.util.Locale.ROOT, "%.3f", ns / 1e6);
    }
}
