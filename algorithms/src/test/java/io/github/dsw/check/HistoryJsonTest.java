package io.github.dsw.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.io.StringReader;
import java.io.StringWriter;
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
}
