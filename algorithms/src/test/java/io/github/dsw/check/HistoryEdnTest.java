package io.github.dsw.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.check.HistoryEvent.Type;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Jepsen/Knossos EDN histories. The inputs are written the way Jepsen's own logs and Knossos's test
 * data write them (the etcd logs in Porcupine's {@code test_data/jepsen}, the maps of jepsen.history's
 * README): {@code :info} completions carrying {@code :timed-out}, crashed processes replaced by new
 * numbers, nemesis lines, a file that is one vector.
 */
class HistoryEdnTest {

    private static History read(String text) {
        return HistoryEdn.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsJepsenMapsWithInfoSemanticsAndNemesisLines() {
        History h = read("""
                {:type :invoke, :f :write, :value 3, :process 0, :time 10, :index 0}
                {:type :info, :f :start-partition, :value nil, :process :nemesis, :time 11}
                {:type :invoke, :f :cas, :value [nil 2], :process 1, :time 12, :index 1}
                {:type :info, :f :write, :value :timed-out, :process 0, :time 20, :index 2, :error "timeout"}
                {:type :ok, :f :cas, :value [nil 2], :process 1, :time 21}
                {:type :invoke, :f :read, :value nil, :process 5, :time 30} ; process 0 crashed: its client is now 5
                {:type :ok, :f :read, :value 3, :process 5, :time 31}
                """);
        assertEquals(6, h.events().size(), "the nemesis line is not a client operation");
        assertEquals(new HistoryEvent(0, Type.INFO, Fn.WRITE, HistoryEdn.DEFAULT_KEY, null, 20), h.events().get(2));
        assertEquals(Cas.fromNil(2), h.events().get(1).value());
        // the info write may take effect after the cas: nil -> 2 -> 3, then read 3
        assertTrue(new LinearizabilityChecker().checkRegister(h).linearizable());
    }

    @Test
    void aProcessIsNeverReusedAfterItsInfo() {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read("""
                {:type :invoke, :f :write, :value 3, :process 0, :time 10}
                {:type :info, :f :write, :value :timed-out, :process 0, :time 20}
                {:type :invoke, :f :read, :value nil, :process 0, :time 30}
                """));
        assertEquals("line 3: process 0 issued an event after its info", e.getMessage());
    }

    @Test
    void readsAKnossosVectorWithoutTimes() {
        // Knossos's hand-written histories: one vector, no :time (the line number orders them)
        History h = read("""
                [{:process 0, :type :invoke, :f :write, :value 1}
                 {:process 0, :type :ok, :f :write, :value 1}
                 {:process 1, :type :invoke, :f :read, :value nil}
                 {:process 1, :type :ok, :f :read, :value nil}]
                """);
        assertEquals(4, h.events().size());
        assertFalse(new LinearizabilityChecker().checkRegister(h).linearizable(), "a stale read after a completed write");
    }

    @Test
    void writesWhatItReadsAndKeepsKeys() {
        History h = Histories.atomic(9, 4, 300, 0.1, 4);
        StringWriter w = new StringWriter();
        HistoryEdn.write(h, w);
        assertTrue(w.toString().startsWith("{:index 0, :type :invoke, :f :"), w.toString().lines().findFirst().orElse(""));
        assertEquals(h.events(), read(w.toString()).events());
        assertEquals("{:index 7, :type :ok, :f :cas, :key \"a\\\"b\", :value [nil 4], :process 2, :time 99}",
                HistoryEdn.toLine(new HistoryEvent(2, Type.OK, Fn.CAS, "a\"b", Cas.fromNil(4), 99), 7));
    }

    @Test
    void badInputNamesTheLineAndTheRule() {
        String ok = "{:type :invoke, :f :read, :value nil, :process 0, :time 1}\n";
        assertRejected(2, "line 2: not EDN: missing '}' at column", ok + "{:type :ok, :f :read\n");
        assertRejected(1, "line 1: :f must be :read, :write or :cas, got :append", "{:type :invoke, :f :append, :value 1, :process 0}\n");
        assertRejected(1, "line 1: missing :type", "{:f :read, :process 0}\n");
        assertRejected(1, "line 1: :value of a cas must be [old new] (old may be nil), got [1 2 3]",
                "{:type :invoke, :f :cas, :value [1 2 3], :process 0}\n");
        assertRejected(1, "line 1: nesting deeper than " + HistoryJson.MAX_DEPTH + " levels",
                "{:type :invoke, :f :read, :value nil, :process 0, :x " + "[".repeat(5000) + "}\n");
        assertRejected(0, "no operations: the input is empty", "");
    }

    private static void assertRejected(int line, String prefix, String text) {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> read(text));
        assertEquals(line, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }
}
