package io.github.dsw.notebook;

import io.github.dsw.report.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Who was what when: the role and term of each of n servers over virtual time, recorded as changes only
 * ({@link #record} ignores a report equal to the server's last), with the faults injected, drawn as one bar per
 * server coloured by role ({@link #chart}) or as each server's term as a step function ({@link #terms}).
 */
public final class RoleTimeline {

    /** Server {@code server} entered {@code state} in {@code term} at {@code ns}. */
    public record Change(long ns, int server, String state, long term) {
    }

    /** A fault injected at {@code ns}, drawn as a red dashed vertical line labelled {@code what}. */
    public record Fault(long ns, String what) {
    }

    private final int n;
    private final String[] lastState;
    private final long[] lastTerm;
    private final List<Change> changes = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();

    public RoleTimeline(int n) {
        this.n = n;
        this.lastState = new String[n];
        this.lastTerm = new long[n];
    }

    /** Records a change if {@code state} or {@code term} differs from what {@code server} last reported. */
    public void record(long ns, int server, String state, long term) {
        if (!state.equals(lastState[server]) || term != lastTerm[server]) {
            changes.add(new Change(ns, server, state, term));
            lastState[server] = state;
            lastTerm[server] = term;
        }
    }

    /** The last term {@code server} reported (0 before any). */
    public long lastTerm(int server) {
        return lastTerm[server];
    }

    public void fault(long ns, String what) {
        faults.add(new Fault(ns, what));
    }

    public List<Change> changes() {
        return List.copyOf(changes);
    }

    public List<Fault> faults() {
        return List.copyOf(faults);
    }

    /** The changes of one server, in time order. */
    public List<Change> of(int server) {
        return changes.stream().filter(c -> c.server() == server).toList();
    }

    /**
     * One horizontal bar per server (S1 at y = 1), a segment per state coloured by {@code colours} (one legend entry
     * per state), "tK" above every stretch of at least 150 ms that is not DOWN, the faults as dashed red lines.
     */
    public XYChart chart(String title, long endNs, Map<String, Color> colours) {
        XYChart c = Charts.lines(title, "virtual time (ms)", "server");
        c.getStyler().setYAxisMin(0.5).setYAxisMax(n + 0.65).setYAxisDecimalPattern("S0");
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        c.getStyler().setPlotGridHorizontalLinesVisible(false);
        Set<String> inLegend = new HashSet<>();
        int seg = 0;
        for (int i = 0; i < n; i++) {
            List<Change> mine = of(i);
            for (int k = 0; k < mine.size(); k++) {
                Change ch = mine.get(k);
                double from = ch.ns() / 1e6;
                double to = (k + 1 < mine.size() ? mine.get(k + 1).ns() : endNs) / 1e6;
                if (to <= from) {
                    continue;
                }
                boolean first = inLegend.add(ch.state());
                var s = c.addSeries(first ? ch.state() : "seg" + (seg++), new double[] {from, to}, new double[] {i + 1, i + 1});
                s.setLineColor(colours.get(ch.state()));
                s.setLineStyle(new BasicStroke(18f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
                s.setMarker(SeriesMarkers.NONE);
                s.setShowInLegend(first);
                if (to - from >= 150 && !ch.state().equals("DOWN")) {
                    c.addAnnotation(new AnnotationText("t" + ch.term(), (from + to) / 2, i + 1.33, false));
                }
            }
        }
        for (Fault f : faults) {
            double x = f.ns() / 1e6;
            var s = c.addSeries("fault" + (seg++), new double[] {x, x}, new double[] {0.5, n + 0.4});
            s.setLineColor(Color.RED);
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
            c.addAnnotation(new AnnotationText(f.what(), x, n + 0.5, false));
        }
        return c;
    }

    /**
     * Each server's currentTerm as a step function up to {@code endNs} (series "S1".."Sn"), shifted by 0.04 per
     * server around the middle one so that equal terms do not hide each other.
     */
    public XYChart terms(String title, long endNs) {
        XYChart c = Charts.lines(title, "virtual time (ms)", "term");
        for (int i = 0; i < n; i++) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (Change ch : of(i)) {
                if (!xs.isEmpty()) { // a step, not a slope
                    xs.add(ch.ns() / 1e6);
                    ys.add(ys.get(ys.size() - 1));
                }
                xs.add(ch.ns() / 1e6);
                ys.add(ch.term() + 0.04 * (i - 2));
            }
            if (xs.isEmpty()) {
                continue;
            }
            xs.add(endNs / 1e6);
            ys.add(ys.get(ys.size() - 1));
            c.addSeries("S" + (i + 1), xs, ys).setMarker(SeriesMarkers.NONE);
        }
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return c;
    }
}
