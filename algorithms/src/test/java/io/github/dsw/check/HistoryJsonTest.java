package io.github.dsw.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HistoryJsonTest {

    private static History read(String text) {
        return HistoryJson.read(new StringReader(text));
    }

    private static void rejectedAtLine(int line, String fragment, String text) {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(text));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + line + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void readsTheDocumentedFormat() {
        History h = read("""
                {"process": 0, "type": "invoke", "f": "write", "key": "x", "value": 3, "time": 10}
                {"process": 1, "type": "invoke", "f": "read", "key": "x", "value": null, "time": 11}
                {"process": 0, "type": "ok", "f": "write", "key": "x", "value": 3, "time": 20}

                {"process": 1, "type": "ok", "f": "read", "key": "x", "value": 3, "time": 21, "index": 7}
                {"process": 2, "type": "invoke", "f": "cas", "key": "x", "value": [3, 4], "time": 30}
                {"process": 2, "type": "info", "f": "cas", "key": "x", "value": [3, 4], "time": 40}
                """);
        assertEquals(6, h.events().size());
        assertEquals(new HistoryEvent(2, Type.INVOKE, Fn.CAS, "x", new Cas(3, 4), 30), h.events().get(4));
        assertEquals(3L, h.operations().get(1).output());
        assertTrue(h.operations().get(2).indeterminate());
    }

    @Test
    void roundTrips() {
        History h = Histories.atomic(5, 4, 200, 0.1, 4);
        StringWriter w = new StringWriter();
        HistoryJson.write(h, w);
        assertEquals(h.events(), read(w.toString()).events());
        assertTrue(w.toString().startsWith("{\"process\":"));
    }

    @Test
    void malformedLinesAreRejectedByNumber() {
        String ok = "{\"process\": 0, \"type\": \"invoke\", \"f\": \"read\", \"key\": \"x\", \"value\": null, \"time\": 1}\n";
        rejectedAtLine(2, "not JSON", ok + "{\"process\": 0,\n");
        rejectedAtLine(1, "missing field \"time\"", "{\"process\": 0, \"type\": \"invoke\", \"f\": \"read\", \"key\": \"x\", \"value\": null}\n");
        rejectedAtLine(1, "\"type\" must be invoke|ok|fail|info", "{\"process\": 0, \"type\": \"done\", \"f\": \"read\", \"key\": \"x\", \"value\": null, \"time\": 1}\n");
        rejectedAtLine(1, "\"f\" must be", "{\"process\": 0, \"type\": \"invoke\", \"f\": \"append\", \"key\": \"x\", \"value\": null, \"time\": 1}\n");
        rejectedAtLine(1, "\"key\" must be a string", "{\"process\": 0, \"type\": \"invoke\", \"f\": \"read\", \"key\": 5, \"value\": null, \"time\": 1}\n");
        rejectedAtLine(1, "[expected, new]", "{\"process\": 0, \"type\": \"invoke\", \"f\": \"cas\", \"key\": \"x\", \"value\": 3, \"time\": 1}\n");
        rejectedAtLine(1, "read's invoke has value null", "{\"process\": 0, \"type\": \"invoke\", \"f\": \"read\", \"key\": \"x\", \"value\": 3, \"time\": 1}\n");
        rejectedAtLine(1, "\"time\" must be an integer", "{\"process\": 0, \"type\": \"invoke\", \"f\": \"read\", \"key\": \"x\", \"value\": null, \"time\": 1.5}\n");
        // structural rules, reported with the file's line number even after blank lines
        rejectedAtLine(3, "invoked while its read is outstanding", ok + "\n" + ok);
        rejectedAtLine(1, "never invoked", "{\"process\": 0, \"type\": \"ok\", \"f\": \"read\", \"key\": \"x\", \"value\": null, \"time\": 1}\n");
        rejectedAtLine(2, "is before the previous", ok.replace("\"time\": 1", "\"time\": 5")
                + "{\"process\": 0, \"type\": \"ok\", \"f\": \"read\", \"key\": \"x\", \"value\": null, \"time\": 4}\n");
        rejectedAtLine(3, "after its info", "{\"process\": 0, \"type\": \"invoke\", \"f\": \"write\", \"key\": \"x\", \"value\": 1, \"time\": 1}\n"
                + "{\"process\": 0, \"type\": \"info\", \"f\": \"write\", \"key\": \"x\", \"value\": 1, \"time\": 2}\n" + ok.replace("\"time\": 1", "\"time\": 3"));
        rejectedAtLine(2, "does not match", ok + "{\"process\": 0, \"type\": \"ok\", \"f\": \"write\", \"key\": \"x\", \"value\": 1, \"time\": 2}\n");
    }

    @Test
    void casFromNilIsReadAndWrittenAsNull() {
        History h = read("""
                {"process": 0, "type": "invoke", "f": "cas", "key": "x", "value": [null, 2], "time": 1}
                {"process": 0, "type": "ok", "f": "cas", "key": "x", "value": [null, 2], "time": 2}
                """);
        assertEquals(Cas.fromNil(2), h.events().get(0).value());
        assertTrue(HistoryJson.toLine(h.events().get(0)).contains("\"value\":[null,2]"));
        rejectedAtLine(1, "[expected, new] integers (expected may be null)",
                "{\"process\": 0, \"type\": \"invoke\", \"f\": \"cas\", \"key\": \"x\", \"value\": [1, null], \"time\": 1}\n");
    }

    private static HistoryFormatException rejectedBytes(byte[] bytes, HistoryLines.Limits limits) {
        return assertThrows(HistoryFormatException.class,
                () -> HistoryJson.read(new HistoryLines(new java.io.ByteArrayInputStream(bytes), limits)));
    }

    private static final String OK_LINE = "{\"process\": 0, \"type\": \"invoke\", \"f\": \"read\", \"key\": \"x\", \"value\": null, \"time\": 1}\n";

    @Test
    void inputLimitsAreEnforcedWithTheLine() {
        HistoryLines.Limits small = new HistoryLines.Limits(200, 3);
        // a line longer than the limit, even one that never ends (like /dev/zero)
        HistoryFormatException e = rejectedBytes((OK_LINE + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8), small);
        assertEquals("line 2: line longer than 200 bytes (the reader's limit; is this a history file?)", e.getMessage());
        e = rejectedBytes(new byte[100_000], small);
        assertEquals(1, e.line());
        // more events than the limit
        e = rejectedBytes(OK_LINE.repeat(4).getBytes(StandardCharsets.UTF_8), small);
        assertEquals("line 4: more than 3 events (the reader's limit)", e.getMessage());
        // the same limits through a Reader
        e = assertThrows(HistoryFormatException.class, () -> HistoryJson.read(new HistoryLines(new StringReader(OK_LINE + "y".repeat(300)), small)));
        assertEquals(2, e.line(), e.getMessage());
    }

    @Test
    void nestingIsLimitedWithoutExhaustingTheStack() {
        String deep = "{\"process\": 0, \"type\": \"invoke\", \"f\": \"read\", \"key\": \"x\", \"value\": null, \"time\": 1, \"extra\": "
                + "[".repeat(5000) + "]".repeat(5000) + "}\n";
        rejectedAtLine(1, "nesting deeper than " + HistoryJson.MAX_DEPTH + " levels", deep);
        rejectedAtLine(1, "nesting deeper than", "[".repeat(5000) + "\n");
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirLine() {
        byte[] ok = OK_LINE.getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"process\": 0, \"key\": \"\u00e9".getBytes(StandardCharsets.ISO_8859_1); // a lone Latin-1 e-acute
        byte[] all = new byte[ok.length + bad.length];
        System.arraycopy(ok, 0, all, 0, ok.length);
        System.arraycopy(bad, 0, all, ok.length, bad.length);
        HistoryFormatException e = rejectedBytes(all, HistoryLines.Limits.defaults());
        assertEquals("line 2: not UTF-8: byte 0xe9 at byte column 24", e.getMessage());
        // and well-formed UTF-8 in a key is fine
        History h = HistoryJson.read(new java.io.ByteArrayInputStream(OK_LINE.replace("\"x\"", "\"cl\u00e9\"").getBytes(StandardCharsets.UTF_8)));
        assertEquals("cl\u00e9", h.keys().get(0));
    }

    @Test
    void anEmptyHistoryHasNoOperations() {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(""));
        assertEquals("no operations: the input is empty", e.getMessage());
        e = assertThrows(HistoryFormatException.class, () -> read("\n  \n\n"));
        assertEquals("no operations: all 3 lines are blank", e.getMessage());
    }

    @Test
    void longBadValuesAreQuotedShort() {
        String huge = "9".repeat(5000);
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(OK_LINE.replace("\"time\": 1", "\"time\": " + huge)));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        assertTrue(e.getMessage().startsWith("line 1: integer 999"), e.getMessage());
        e = assertThrows(HistoryFormatException.class, () -> read(OK_LINE.replace("\"key\": \"x\"", "\"key\": [" + "1,".repeat(3000) + "1]")));
        assertTrue(e.getMessage().length() < 200 && e.getMessage().endsWith("..."), e.getMessage());
    }

    @Test
    void streamsAMillionEventsWithoutTrouble() {
        // not a timing assertion: a large input parses and is checked as a whole
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            sb.append("{\"process\":").append(i % 7).append(",\"type\":\"invoke\",\"f\":\"write\",\"key\":\"k").append(i % 13)
                    .append("\",\"value\":").append(i).append(",\"time\":").append(2L * i).append("}\n");
            sb.append("{\"process\":").append(i % 7).append(",\"type\":\"ok\",\"f\":\"write\",\"key\":\"k").append(i % 13)
                    .append("\",\"value\":").append(i).append(",\"time\":").append(2L * i + 1).append("}\n");
        }
        History h = HistoryJson.read(new java.io.ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(400_000, h.events().size());
        assertEquals(13, h.keys().size());
    }
}
