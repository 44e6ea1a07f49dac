package io.github.dsw.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every code cell of every notebook under {@code notebooks/} is at most {@value #MAX_LINES} lines (so that a cell
 * shows the experiment, and plumbing lives in {@code io.github.dsw.notebook}) and carries no committed output.
 */
class NotebookCellsTest {

    static final int MAX_LINES = 40;

    static final Path NOTEBOOKS = Path.of("..").toAbsolutePath().normalize().resolve("notebooks");

    /** The problems of one notebook: "FILE cell ID: N lines" and "FILE cell ID: outputs committed". */
    static List<String> problems(Path notebook) throws IOException {
        JsonNode nb = new ObjectMapper().readTree(notebook.toFile());
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode cell : nb.path("cells")) {
            i++;
            if (!cell.path("cell_type").asText().equals("code")) {
                continue;
            }
            JsonNode src = cell.path("source");
            String text;
            if (src.isArray()) {
                StringBuilder b = new StringBuilder();
                src.forEach(l -> b.append(l.asText()));
                text = b.toString();
            } else {
                text = src.asText();
            }
            long lines = text.isEmpty() ? 0 : text.lines().count();
            String name = notebook.getFileName() + " cell " + cell.path("id").asText("#" + i);
            if (lines > MAX_LINES) {
                out.add(name + ": " + lines + " lines (at most " + MAX_LINES + ")");
            }
            if (cell.path("outputs").size() > 0) {
                out.add(name + ": outputs committed");
            }
        }
        return out;
    }

    @Test
    void everyCodeCellIsShortAndHasNoOutput() throws IOException {
        List<Path> notebooks;
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            notebooks = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertTrue(notebooks.size() >= 14, "notebooks 00-13 expected, found " + notebooks);
        List<String> all = new ArrayList<>();
        for (Path nb : notebooks) {
            all.addAll(problems(nb));
        }
        assertEquals(List.of(), all);
    }

    @Test
    void aLongCellAndAnOutputAreReported(@TempDir Path dir) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 41; i++) {
            lines.append(i == 0 ? "" : ",").append("\"int x").append(i).append(" = 0;\\n\"");
        }
        Path nb = dir.resolve("t.ipynb");
        Files.writeString(nb, "{\"cells\": ["
                + "{\"cell_type\": \"code\", \"id\": \"long\", \"outputs\": [], \"source\": [" + lines + "]},"
                + "{\"cell_type\": \"code\", \"id\": \"ok\", \"outputs\": [{\"output_type\": \"stream\"}], \"source\": \"int y = 1;\\nint z = 2;\"},"
                + "{\"cell_type\": \"markdown\", \"id\": \"md\", \"source\": [" + lines + "]}]}");
        List<String> p = problems(nb);
        assertEquals(List.of("t.ipynb cell long: 41 lines (at most 40)", "t.ipynb cell ok: outputs committed"), p);
        Files.writeString(nb, "{\"cells\": [{\"cell_type\": \"code\", \"id\": \"c\", \"outputs\": [], \"source\": [" + lines.substring(lines.indexOf(",") + 1) + "]}]}");
        assertFalse(problems(nb).stream().anyMatch(s -> s.contains("lines")), "40 lines are allowed");
    }
}
