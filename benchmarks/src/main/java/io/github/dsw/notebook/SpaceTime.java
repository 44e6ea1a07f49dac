package io.github.dsw.notebook;

import io.github.dsw.report.Charts;
import io.github.dsw.sim.Trace;
import java.awt.Color;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.AnnotationText;

/**
 * Space-time (message-sequence) diagrams of a simulator trace: virtual time on x, the process on y, one segment per
 * message from (send time, sender) to (delivery time, receiver). A dropped message is a short red stub toward its
 * receiver. {@link #byType} colours messages by type with a legend and labels the first of each type per sender.
 */
public final class SpaceTime {

    private static final Color[] PALETTE = {Color.BLACK, new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0x7f7f7f)};

    private static final Color[] PALETTE_BLUE_FIRST = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), Color.BLACK, new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f)};

    private SpaceTime() {
    }

    /** Every message sent up to {@code untilNs}, in black, without a legend. */
    public static XYChart plain(String title, List<Trace.Flight> flights, long untilNs) {
        XYChart c = Charts.lines(title, "virtual time (ms)", "process");
        c.getStyler().setLegendVisible(false);
        int i = 0;
        for (Trace.Flight f : flights) {
            if (f.sendNs() > untilNs) {
                continue;
            }
            if (f.deliverNs() >= 0) {
                var s = c.addSeries("m" + (i++), new double[] {f.sendNs() / 1e6, f.deliverNs() / 1e6}, new double[] {f.from(), f.to()});
                s.setMarker(SeriesMarkers.NONE);
                s.setLineStyle(SeriesLines.SOLID); // XChart would cycle dash styles by series index
            } else {
                var s = c.addSeries("x" + (i++), new double[] {f.sendNs() / 1e6, f.sendNs() / 1e6 + 0.3},
                        new double[] {f.from(), f.from() + 0.3 * Math.signum(f.to() - f.from())});
                s.setLineColor(Color.RED);
                s.setMarker(SeriesMarkers.NONE);
                s.setLineStyle(SeriesLines.SOLID);
            }
        }
        return c;
    }

    /** Delivered messages coloured by {@link #type}, one legend entry per type; a message to self is a dot. */
    public static XYChart byType(String title, List<Trace.Flight> flights) {
        XYChart c = Charts.lines(title, "virtual time (ms)", "process");
        Map<String, Color> colour = new LinkedHashMap<>();
        Set<String> labelled = new HashSet<>();
        int i = 0;
        for (Trace.Flight f : flights) {
            if (f.deliverNs() < 0) {
                continue;
            }
            String type = type(f);
            boolean first = !colour.containsKey(type);
            if (first) {
                colour.put(type, PALETTE[colour.size() % PALETTE.length]);
            }
            double x0 = f.sendNs() / 1e6;
            double x1 = f.deliverNs() / 1e6;
            var s = c.addSeries(first ? type : "m" + (i++), new double[] {x0, x1}, new double[] {f.from(), f.to()});
            s.setLineColor(colour.get(type));
            s.setLineStyle(SeriesLines.SOLID); // one style for all: the colour tells the type
            s.setMarkerColor(colour.get(type));
            s.setMarker(f.from() == f.to() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setShowInLegend(first);
            if (f.from() != f.to() && labelled.add(type + "/" + f.from())) {
                c.addAnnotation(new AnnotationText(type, x0 + 0.45 * (x1 - x0), f.from() + 0.45 * (f.to() - f.from()), false));
            }
        }
        return c;
    }

    /**
     * Every message coloured by {@link #type} (a palette starting with blue, one legend entry per type), without
     * labels; a dropped message is a 1 ms stub toward its receiver ending in a cross, in its type's colour.
     */
    public static XYChart withDrops(String title, List<Trace.Flight> flights) {
        XYChart c = Charts.lines(title, "virtual time (ms)", "process");
        Map<String, Color> colour = new LinkedHashMap<>();
        int i = 0;
        for (Trace.Flight f : flights) {
            String type = type(f);
            boolean first = !colour.containsKey(type);
            if (first) {
                colour.put(type, PALETTE_BLUE_FIRST[colour.size() % PALETTE_BLUE_FIRST.length]);
            }
            double x0 = f.sendNs() / 1e6;
            double x1 = f.deliverNs() < 0 ? x0 + 1 : f.deliverNs() / 1e6;
            var s = c.addSeries(first ? type : "m" + (i++), new double[] {x0, x1}, new double[] {f.from(), f.to()});
            s.setLineColor(colour.get(type));
            s.setMarkerColor(colour.get(type));
            s.setMarker(f.deliverNs() < 0 ? SeriesMarkers.CROSS : SeriesMarkers.NONE);
            s.setShowInLegend(first);
        }
        return c;
    }

    /** A message's simple type name: {@code io.github.dsw.paxos.PaxosMessage$Prepare} is {@code Prepare}. */
    public static String type(Trace.Flight f) {
        String t = f.type();
        t = t.substring(t.lastIndexOf('.') + 1);
        return t.substring(t.lastIndexOf('$') + 1);
    }

    /** How many messages of each type the trace holds, sorted by type. */
    public static Map<String, Long> countByType(List<Trace.Flight> flights) {
        Map<String, Long> perType = new TreeMap<>();
        for (Trace.Flight f : flights) {
            perType.merge(type(f), 1L, Long::sum);
        }
        return perType;
    }
}
