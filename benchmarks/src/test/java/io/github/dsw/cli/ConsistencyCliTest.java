package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chapter 12 on the command line: {@code check-history --model sequential|causal|...}, exit codes 0/1/2/3. */
class ConsistencyCliTest {

    @TempDir
    Path tmp;

    private static String line(int p, String type, String f, String key, String value, long t) {
        return "{\"process\":" + p + ",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"" + key + "\",\"value\":" + value
                + ",\"time\":" + t + "}\n";
    }

    /** Store buffering: causal memory, not sequentially consistent. */
    private static final String DEKKER = line(0, "invoke", "write", "x", "1", 0) + line(0, "ok", "write", "x", "1", 1)
            + line(1, "invoke", "write", "y", "1", 2) + line(1, "ok", "write", "y", "1", 3)
            + line(0, "invoke", "read", "y", "null", 4) + line(0, "ok", "read", "y", "null", 5)
            + line(1, "invoke", "read", "x", "null", 6) + line(1, "ok", "read", "x", "null", 7);

    @Test
    void modelsGiveTheirExitCodes() throws Exception {
        Path f = tmp.resolve("dekker.jsonl");
        Files.writeString(f, DEKKER);
        CliRun.Result seq = CliRun.run("check-history", "--model", "sequential", f.toString());
        assertEquals(1, seq.exit(), seq.out() + seq.err());
        assertTrue(seq.out().contains("sequential: VIOLATED"), seq.out());
        assertEquals(0, CliRun.run("check-history", "--model", "causal", f.toString()).exit());
        assertEquals(0, CliRun.run("check-history", "--model", "cc", f.toString()).exit());
        assertEquals(0, CliRun.run("check-history", "--model", "ccv", f.toString()).exit());
        CliRun.Result session = CliRun.run("check-history", "--model", "session", f.toString());
        assertEquals(0, session.exit(), session.out());
        assertTrue(session.out().contains("ryw: satisfied") && session.out().contains("wfr: satisfied"), session.out());
        assertEquals(1, CliRun.run("check-history", "--model", "kv", f.toString()).exit());
        CliRun.Result budget = CliRun.run("check-history", "--model", "sequential", "--max-configurations", "1", f.toString());
        assertEquals(3, budget.exit(), budget.out() + budget.err());
    }

    @Test
    void sessionViolationNamesTheGuarantee() throws Exception {
        Path f = tmp.resolve("ryw.jsonl");
        Files.writeString(f, line(0, "invoke", "write", "x", "1", 0) + line(0, "ok", "write", "x", "1", 1)
                + line(0, "invoke", "read", "x", "null", 2) + line(0, "ok", "read", "x", "null", 3));
        CliRun.Result r = CliRun.run("check-history", "--model", "session", f.toString());
        assertEquals(1, r.exit(), r.out());
        assertTrue(r.out().contains("ryw: VIOLATED: read-your-writes"), r.out());
        assertEquals(0, CliRun.run("check-history", "--model", "mr", f.toString()).exit());
    }

    @Test
    void convergenceReadsTheFinalMarks() throws Exception {
        String writes = line(0, "invoke", "write", "x", "1", 0) + line(0, "ok", "write", "x", "1", 1);
        String fin = "{\"process\":5,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\",\"value\":null,\"time\":5,\"replica\":\"n1\",\"final\":true}\n"
                + "{\"process\":5,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":1,\"time\":6,\"replica\":\"n1\",\"final\":true}\n"
                + "{\"process\":6,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\",\"value\":null,\"time\":7,\"replica\":\"n2\",\"final\":true}\n"
                + "{\"process\":6,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":VALUE,\"time\":8,\"replica\":\"n2\",\"final\":true}\n";
        Path ok = tmp.resolve("ok.jsonl");
        Files.writeString(ok, writes + fin.replace("VALUE", "1"));
        assertEquals(0, CliRun.run("check-history", "--model", "convergence", ok.toString()).exit());
        Path bad = tmp.resolve("bad.jsonl");
        Files.writeString(bad, writes + fin.replace("VALUE", "null"));
        CliRun.Result r = CliRun.run("check-history", "--model", "convergence", bad.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("diverge"), r.out());
        Path none = tmp.resolve("none.jsonl");
        Files.writeString(none, writes);
        CliRun.Result n = CliRun.run("check-history", "--model", "convergence", none.toString());
        assertEquals(2, n.exit());
        assertTrue(n.err().strip().startsWith("dsw check-history: none.jsonl: no completed final read"), n.err());
    }

    @Test
    void badInputIsOneLineExitTwo() throws Exception {
        Path f = tmp.resolve("twice.jsonl");
        Files.writeString(f, line(0, "invoke", "write", "x", "1", 0) + line(0, "ok", "write", "x", "1", 1)
                + line(1, "invoke", "write", "x", "1", 2) + line(1, "ok", "write", "x", "1", 3));
        CliRun.Result r = CliRun.run("check-history", "--model", "causal", f.toString());
        assertEquals(2, r.exit());
        assertEquals("dsw check-history: twice.jsonl: model causal needs unique written values per key: key 'x' value 1 is"
                + " written at events 1 and 3", r.err().strip());
        assertEquals(1, r.err().strip().lines().count());
        Path g = tmp.resolve("garbage.jsonl");
        Files.writeString(g, DEKKER + "{\"process\":0}\n");
        CliRun.Result bad = CliRun.run("check-history", "--model", "sequential", g.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("line 9"), bad.err());
        assertEquals(2, CliRun.run("check-history", "--model", "convergence", "--format", "jepsen-edn", f.toString()).exit());
        assertEquals(2, CliRun.run("check-history", "--model", "eventual", f.toString()).exit());
    }
}
