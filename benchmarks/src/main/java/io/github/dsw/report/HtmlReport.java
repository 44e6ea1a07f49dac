package io.github.dsw.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.html}: the report as one self-contained page (charts inlined as PNG data URIs, style and
 * script inline, nothing fetched from the network), so it can be mailed or opened from a run folder
 * anywhere: a table of contents by topic, the provenance, and per benchmark class its unit note, a table
 * that sorts when a column header is clicked, and its charts.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    static void write(RunResults run, References refs, List<Report.Section> sections, Path file) throws IOException {
        StringBuilder h = new StringBuilder();
        String title = "Benchmark report: " + run.dir().getFileName();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
         .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .append("<link rel=\"icon\" href=\"data:,\">\n")
         .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        Map<String, List<Report.Section>> byTopic = new LinkedHashMap<>();
        sections.forEach(s -> byTopic.computeIfAbsent(s.topic(), k -> new java.util.ArrayList<>()).add(s));
        h.append("<nav id=\"toc\"><h2>Contents</h2><ul>\n<li><a href=\"#provenance\">Provenance</a></li>\n");
        for (var t : byTopic.entrySet()) {
            h.append("<li><a href=\"#topic-").append(id(t.getKey())).append("\">").append(esc(t.getKey())).append("</a><ul>");
            for (Report.Section s : t.getValue()) {
                h.append("<li><a href=\"#").append(id(s.className())).append("\">").append(esc(s.className())).append("</a></li>");
            }
            h.append("</ul></li>\n");
        }
        h.append("</ul></nav>\n<main>\n<h1>").append(esc(title)).append("</h1>\n");
        Provenance p = run.provenance();
        h.append("<section id=\"provenance\"><h2>Provenance</h2><dl>\n");
        dl(h, "Machine", p.host() + " — " + p.summary());
        dl(h, "OS / VM", p.os() + "; " + p.vm());
        dl(h, "Date", p.date());
        dl(h, "Suite", p.suite() + "; JMH options: " + p.jmhOptions());
        dl(h, "Command", String.join(" ", p.command()));
        dl(h, "Commit", p.gitCommit() + (p.gitDirty() ? " (uncommitted changes)" : ""));
        if (!p.note().isBlank()) {
            dl(h, "Note", p.note());
        }
        StringBuilder refText = new StringBuilder();
        if (refs.runs().isEmpty()) {
            refText.append("none found under datasets/results/");
        }
        for (RunResults rr : refs.runs()) {
            refText.append(refText.isEmpty() ? "" : "; ").append(rr.dir().getFileName()).append(": ").append(rr.provenance().summary());
        }
        dl(h, "Reference runs", refText.toString());
        h.append("</dl>\n<p>Scores carry JMH's 99.9&nbsp;% confidence interval. <b>vs ref</b> is the speed ratio of this run "
                + "to the reference run with an interval from both runs' intervals (above 1: this machine was faster; "
                + "<span class=\"sig\">*</span> marks an interval that excludes 1). Charts: lines are this run with "
                + "whiskers for the interval (clipped at zero), faded dashed lines the reference run. Click a column "
                + "header to sort a table.</p></section>\n");
        for (var t : byTopic.entrySet()) {
            h.append("<section id=\"topic-").append(id(t.getKey())).append("\"><h2>").append(esc(t.getKey())).append("</h2>\n");
            for (Report.Section s : t.getValue()) {
                h.append("<article id=\"").append(id(s.className())).append("\"><h3>").append(esc(s.className())).append("</h3>\n");
                h.append("<p class=\"unit\">").append(esc(s.unitNote())).append("</p>\n");
                for (BenchmarkCharts.Drawn d : s.charts()) {
                    byte[] png = Files.readAllBytes(run.dir().resolve("charts").resolve(d.file()));
                    h.append("<figure><img class=\"chart\" alt=\"").append(esc(d.title() + ": " + d.yTitle() + " by " + d.xTitle()))
                     .append("\" data-file=\"").append(esc(d.file())).append("\" src=\"data:image/png;base64,")
                     .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
                     .append(esc(d.yTitle() + " by " + d.xTitle())).append("</figcaption></figure>\n");
                }
                table(h, s.table());
                h.append("</article>\n");
            }
            h.append("</section>\n");
        }
        h.append("</main>\n<script>\n").append(SCRIPT).append("</script>\n</body></html>\n");
        Files.writeString(file, h.toString());
    }

    private static void table(StringBuilder h, Table t) {
        h.append("<table class=\"sortable\"><thead><tr>");
        for (String c : t.header()) {
            h.append("<th title=\"click to sort\">").append(esc(c)).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (List<String> r : t.rows()) {
            h.append("<tr>");
            for (String c : r) {
                String cell = esc(c);
                if (c.endsWith(" *")) {
                    cell = esc(c.substring(0, c.length() - 2)) + " <span class=\"sig\">*</span>";
                }
                h.append("<td>").append(cell).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void dl(StringBuilder h, String k, String v) {
        h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>\n");
    }

    static String id(String s) {
        return s.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; margin: 0; display: flex; color: #222; }
            nav#toc { position: sticky; top: 0; align-self: flex-start; max-height: 100vh; overflow: auto; flex: 0 0 auto;
                      width: 15rem; padding: 1rem; background: #f6f6f6; font-size: 0.9rem; }
            nav#toc ul { padding-left: 1rem; }
            main { padding: 1rem 2rem; max-width: 1900px; }
            img.chart { max-width: 100%; border: 1px solid #ddd; }
            table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.85rem; }
            th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: right; }
            th { background: #eee; cursor: pointer; user-select: none; }
            th.asc::after { content: " \\25B2"; } th.desc::after { content: " \\25BC"; }
            td:nth-child(-n+3) { text-align: left; }
            .sig { color: #c00; font-weight: bold; }
            dt { font-weight: bold; } dd { margin: 0 0 0.4rem 1rem; }
            """;

    /** Sorting by a clicked column: numbers (the first number in a cell) numerically, otherwise as text. */
    private static final String SCRIPT = """
            (function () {
              function key(cell) {
                var t = cell.textContent.trim();
                var m = t.replace(/,/g, '').match(/^-?[0-9.]+(e[-+]?[0-9]+)?/i);
                return m ? parseFloat(m[0]) : t.toLowerCase();
              }
              document.querySelectorAll('table.sortable').forEach(function (table) {
                table.querySelectorAll('th').forEach(function (th, col) {
                  th.addEventListener('click', function () {
                    var asc = !th.classList.contains('asc');
                    table.querySelectorAll('th').forEach(function (o) { o.classList.remove('asc', 'desc'); });
                    th.classList.add(asc ? 'asc' : 'desc');
                    var body = table.tBodies[0];
                    var rows = Array.prototype.slice.call(body.rows);
                    rows.sort(function (a, b) {
                      var x = key(a.cells[col]), y = key(b.cells[col]);
                      if (typeof x !== typeof y) { x = String(x); y = String(y); }
                      return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
                    });
                    rows.forEach(function (r) { body.appendChild(r); });
                  });
                });
              });
            })();
            """;
}
