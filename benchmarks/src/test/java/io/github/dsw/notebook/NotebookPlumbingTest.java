package io.github.dsw.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.raft.Figure8Scenario;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftNode;
import io.github.dsw.sim.Trace;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The plumbing moved out of notebooks 07-13 (quoted CSV fields, empirical CDF points, the role timeline, the Figure 8
 * step renderer, the space-time diagram with drops) against hand-made inputs whose answers are worked out here.
 */
class NotebookPlumbingTest {

    @Test
    void csvQuotedFieldsHoldCommasAndDoubledQuotes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("q.csv");
        Files.writeString(f, "range,paper,n\n150-155,\"mean 38 ms, max 287 ms\",1000\n12-24,\"the \"\"fast\"\" one\",\n");
        List<Map<String, String>> rows = Csv.read(f);
        assertEquals(Map.of("range", "150-155", "paper", "mean 38 ms, max 287 ms", "n", "1000"), rows.get(0));
        assertEquals("the \"fast\" one", rows.get(1).get("paper"));
        assertEquals("", rows.get(1).get("n"), "a trailing empty field is kept");
        assertArrayEquals(new String[] {"a", "", "b,c"}, Csv.fields("a,,\"b,c\""));
    }

    @Test
    void ecdfPutsEachValueInTheMiddleOfItsStep() {
        Ecdf.Points p = Ecdf.points(new double[] {3, 1, 2, 4});
        assertArrayEquals(new double[] {1, 2, 3, 4}, p.x());
        assertArrayEquals(new double[] {0.125, 0.375, 0.625, 0.875}, p.y(), 1e-12);
        Ecdf.Points censored = Ecdf.points(new double[] {5, 7}, 4); // 2 of 4 trials finished
        assertArrayEquals(new double[] {0.125, 0.375}, censored.y(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Ecdf.points(new double[] {1, 2, 3}, 2));
        assertArrayEquals(new double[] {1, 2}, Ecdf.points(List.of(2, 1)).x());
        Ecdf.Points tail = Ecdf.tail(new double[] {40, 10, 30, 20});
        assertArrayEquals(new double[] {10, 20, 30}, tail.x(), "the largest value has nothing after it");
        assertArrayEquals(new double[] {0.75, 0.5, 0.25}, tail.y(), 1e-12);
        // 1000 trials: the median is the 500th (height 499.5/1000), p99 the 990th, max the 1000th
        assertEquals(0.4995, Ecdf.stepHeight("median", 1000), 1e-12);
        assertEquals(0.9895, Ecdf.stepHeight("p99", 1000), 1e-12);
        assertEquals(0.8995, Ecdf.stepHeight("p90", 1000), 1e-12);
        assertEquals(0.0005, Ecdf.stepHeight("min", 1000), 1e-12);
        assertEquals(0.9995, Ecdf.stepHeight("max", 1000), 1e-12);
        assertEquals(0.5, Ecdf.stepHeight("median", 3), 1e-12, "3 trials: the median is the 2nd, height 1.5/3");
        assertTrue(Double.isNaN(Ecdf.stepHeight("mean", 1000)));
    }

    @Test
    void roleTimelineRecordsChangesOnlyAndDrawsOneBarSegmentPerState() {
        RoleTimeline t = new RoleTimeline(2);
        t.record(0, 0, "FOLLOWER", 0);
        t.record(0, 1, "FOLLOWER", 0);
        t.record(5_000_000, 0, "FOLLOWER", 0); // no change: not recorded
        t.record(100_000_000, 0, "CANDIDATE", 1);
        t.record(110_000_000, 0, "LEADER", 1);
        t.record(111_000_000, 1, "FOLLOWER", 1); // same state, new term: recorded
        t.fault(400_000_000, "crash S1");
        t.record(400_000_000, 0, "DOWN", t.lastTerm(0));
        assertEquals(6, t.changes().size());
        assertEquals(1, t.lastTerm(0));
        assertEquals(List.of("FOLLOWER", "CANDIDATE", "LEADER", "DOWN"), t.of(0).stream().map(RoleTimeline.Change::state).toList());
        Map<String, Color> colours = Map.of("FOLLOWER", Color.BLUE, "CANDIDATE", Color.ORANGE, "LEADER", Color.GREEN, "DOWN", Color.GRAY);
        XYChart c = t.chart("t", 1_000_000_000L, colours);
        // S1: 4 segments, S2: 2, one fault line
        assertEquals(7, c.getSeriesMap().size());
        XYSeries leader = c.getSeriesMap().get("LEADER");
        assertArrayEquals(new double[] {110, 400}, leader.getXData(), 1e-9, "S1 leads from 110 ms until it goes down at 400 ms");
        assertArrayEquals(new double[] {1, 1}, leader.getYData(), 1e-9);
        assertEquals(Color.GREEN, leader.getLineColor());
        assertEquals(4, c.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).count(), "one legend entry per state");
        XYSeries fault = c.getSeriesMap().values().stream().filter(s -> s.getName().startsWith("fault")).findFirst().orElseThrow();
        assertArrayEquals(new double[] {400, 400}, fault.getXData(), 1e-9);
        assertEquals(Color.RED, fault.getLineColor());
        XYChart terms = t.terms("terms", 1_000_000_000L);
        // S2: term 0 from 0, step to term 1 at 111 ms, held to the end; shifted by 0.04 * (1 - 2)
        assertArrayEquals(new double[] {0, 111, 111, 1000}, terms.getSeriesMap().get("S2").getXData(), 1e-9);
        assertArrayEquals(new double[] {-0.04, -0.04, 0.96, 0.96}, terms.getSeriesMap().get("S2").getYData(), 1e-9);
    }

    @Test
    void logStepsDrawsOneColumnPerSnapshotAndFramesCommittedEntriesThick() {
        LogEntry t1 = new LogEntry(1, "a");
        LogEntry x = new LogEntry(2, Figure8Scenario.X);
        List<Figure8Scenario.ServerState> servers = List.of(
                new Figure8Scenario.ServerState(0, true, RaftNode.Role.LEADER, 2, List.of(t1, x), 1),
                new Figure8Scenario.ServerState(1, false, null, 2, List.of(t1), -1));
        Figure8Scenario.Snapshot a = new Figure8Scenario.Snapshot("(a)", "S1 leads in term 2", servers);
        BufferedImage img = LogSteps.draw("title", List.of(a, a), 2);
        assertEquals(LogSteps.LEFT + 2 * LogSteps.COL_W, img.getWidth());
        assertEquals(LogSteps.TOP + 2 * LogSteps.ROW_H + 70, img.getHeight());
        int y0 = LogSteps.TOP + 2; // S1's boxes: top edge
        int box1 = LogSteps.LEFT + LogSteps.ENTRY_X; // index 1
        int box2 = box1 + LogSteps.BOX; // index 2
        // inside each box, away from the label: the term's colour (term 1 light blue, term 2 orange)
        assertEquals(LogSteps.TERM_COLOUR[1].getRGB(), img.getRGB(box1 + 28, y0 + 22));
        assertEquals(LogSteps.TERM_COLOUR[2].getRGB(), img.getRGB(box2 + 28, y0 + 22));
        // index 1 is committed on S1 (commitIndex 1): a 3-pixel frame reaches one pixel inside the box; index 2 is not
        assertEquals(Color.BLACK.getRGB(), img.getRGB(box1 + 1, y0 + 13));
        assertEquals(LogSteps.TERM_COLOUR[2].getRGB(), img.getRGB(box2 + 2, y0 + 13));
        // S2 is down: its row is grey; the same column repeats one column to the right
        assertEquals(LogSteps.DOWN.getRGB(), img.getRGB(LogSteps.LEFT + 60, LogSteps.TOP + LogSteps.ROW_H + 28));
        assertEquals(LogSteps.TERM_COLOUR[2].getRGB(), img.getRGB(box2 + LogSteps.COL_W + 28, y0 + 22));
        assertEquals(Color.WHITE.getRGB(), img.getRGB(img.getWidth() - 5, LogSteps.TOP + LogSteps.ROW_H / 2), "right of the last column");
        assertEquals("down", LogSteps.role(servers.get(1)));
        assertEquals("leader", LogSteps.role(servers.get(0)));
    }

    @Test
    void spaceTimeWithDropsKeepsDroppedMessagesAsCrosses() {
        List<Trace.Flight> flights = List.of(
                new Trace.Flight(0, 1, 1_000_000, 3_000_000, "Prepare"),
                new Trace.Flight(0, 2, 1_000_000, -1, "Prepare"), // dropped
                new Trace.Flight(1, 0, 3_000_000, 4_000_000, "Vote"));
        XYChart c = SpaceTime.withDrops("t", flights);
        assertEquals(3, c.getSeriesMap().size(), "dropped messages are drawn too");
        XYSeries dropped = c.getSeriesMap().get("m0");
        assertArrayEquals(new double[] {1, 2}, dropped.getXData(), 1e-9, "a 1 ms stub");
        assertArrayEquals(new double[] {0, 2}, dropped.getYData(), 1e-9);
        assertEquals(SeriesMarkers.CROSS, dropped.getMarker());
        assertEquals(c.getSeriesMap().get("Prepare").getLineColor(), dropped.getLineColor(), "its type's colour");
        assertNotEquals(c.getSeriesMap().get("Prepare").getLineColor(), c.getSeriesMap().get("Vote").getLineColor());
        assertEquals(List.of("Prepare", "Vote"),
                c.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).map(XYSeries::getName).toList());
    }
}
