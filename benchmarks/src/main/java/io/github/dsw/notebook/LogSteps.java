package io.github.dsw.notebook;

import io.github.dsw.raft.Figure8Scenario;
import io.github.dsw.raft.LogEntry;
import io.github.dsw.raft.RaftNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * The step renderer of the Figure 8 pictures (chapter 7): one column per {@link Figure8Scenario.Snapshot}, one row
 * per server (role and term on the left, greyed when down), one box per log entry filled with its term's colour and
 * labelled with the term ("2 X" for the scenario's entry X), framed thick when the server counts it committed, and
 * the step's description wrapped under the column.
 */
public final class LogSteps {

    /** Column width, row height, entry box width, y of the first row, left margin (pixels). */
    static final int COL_W = 250, ROW_H = 34, BOX = 36, TOP = 86, LEFT = 20, ENTRY_X = 92;

    /** Fill colour of an entry of term t (index t; later terms take the last colour). */
    static final Color[] TERM_COLOUR = {Color.WHITE, new Color(0xc6dbef), new Color(0xfdae6b), new Color(0xa1d99b),
        new Color(0xbcbddc), new Color(0xfc9272)};

    /** Background of a server that is down. */
    static final Color DOWN = new Color(0xdddddd);

    private LogSteps() {
    }

    /** The picture of {@code steps} for {@code servers} servers (Figure 8: five). */
    public static BufferedImage draw(String title, List<Figure8Scenario.Snapshot> steps, int servers) {
        int w = LEFT + steps.size() * COL_W;
        int h = TOP + servers * ROW_H + 70;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 22);
        for (int c = 0; c < steps.size(); c++) {
            Figure8Scenario.Snapshot st = steps.get(c);
            int x0 = LEFT + c * COL_W;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(st.label(), x0, 48);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            for (int k = 0; k < 3; k++) { // the index header
                g.drawString(String.valueOf(k + 1), x0 + ENTRY_X + k * BOX + BOX / 2 - 3, TOP - 6);
            }
            for (Figure8Scenario.ServerState s : st.servers()) {
                server(g, x0, TOP + s.id() * ROW_H, s);
            }
            wrap(g, st.description(), x0, TOP + servers * ROW_H + 14);
        }
        g.dispose();
        return img;
    }

    /** Figure 8's five servers. */
    public static BufferedImage draw(String title, List<Figure8Scenario.Snapshot> steps) {
        return draw(title, steps, 5);
    }

    private static void server(Graphics2D g, int x0, int y, Figure8Scenario.ServerState s) {
        if (!s.up()) {
            g.setColor(DOWN);
            g.fillRect(x0, y, COL_W - 16, ROW_H - 4);
        }
        boolean leader = s.up() && s.role() == RaftNode.Role.LEADER;
        g.setColor(leader ? new Color(0x1a7a3a) : Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, leader ? Font.BOLD : Font.PLAIN, 11));
        g.drawString("S" + (s.id() + 1) + " " + role(s), x0 + 2, y + 13);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.drawString("term " + s.term(), x0 + 2, y + 26);
        for (int k = 0; k < s.log().size(); k++) {
            LogEntry e = s.log().get(k);
            int bx = x0 + ENTRY_X + k * BOX;
            int by = y + 2;
            g.setColor(TERM_COLOUR[(int) Math.min(e.term(), TERM_COLOUR.length - 1)]);
            g.fillRect(bx, by, BOX - 4, ROW_H - 8);
            boolean committed = s.up() && k + 1 <= s.commitIndex();
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(committed ? 3f : 1f));
            g.drawRect(bx, by, BOX - 4, ROW_H - 8);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.drawString(e.term() + (Figure8Scenario.X.equals(e.command()) ? " X" : ""), bx + 5, by + 17);
        }
        g.setStroke(new BasicStroke(1f));
    }

    /** "down", "leader", "cand.", "pre-c." or "follower". */
    static String role(Figure8Scenario.ServerState s) {
        if (!s.up()) {
            return "down";
        }
        return switch (s.role()) {
            case LEADER -> "leader";
            case CANDIDATE -> "cand.";
            case PRE_CANDIDATE -> "pre-c.";
            default -> "follower";
        };
    }

    /** The description, wrapped at the column width. */
    private static void wrap(Graphics2D g, String text, int x0, int y0) {
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        int ly = y0;
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (g.getFontMetrics().stringWidth(line + " " + word) > COL_W - 24) {
                g.drawString(line.toString(), x0, ly);
                ly += 13;
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        g.drawString(line.toString(), x0, ly);
    }
}
