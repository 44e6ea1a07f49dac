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
        // four processes each write, then read back their own value: sequentially consistent, but the search
        // needs five configurations
        StringBuilder own = new StringBuilder();
        long t = 0;
        for (int p = 0; p < 4; p++) {
            own.append(line(p, "invoke", "write", "x", String.valueOf(p + 1), t++)).append(line(p, "ok", "write", "x", String.valueOf(p + 1), t++));
        }
        for (int p = 0; p < 4; p++) {
            own.append(line(p, "invoke", "read", "x", "null", t++)).append(line(p, "ok", "read", "x", String.valueOf(p + 1), t++));
        }
        Path g = tmp.resolve("own.jsonl");
        Files.writeString(g, own.toString());
        assertEquals(0, CliRun.run("check-history", "--model", "sequential", g.toString()).exit());
        CliRun.Result budget = CliRun.run("check-history", "--model", "sequential", "--max-configurations", "3", g.toString());
        assertEquals(3, budget.exit(), budget.out() + budget.err());
        assertTrue(budget.out().contains("sequential: unknown"), budget.out());
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
    void witnessesAndSiblingsNameFileLines() throws Exception {
        // p0 writes 1 then 2 to x; p1 reads 2 and then 1 (WriteCORead), after two blank lines
        Path f = tmp.resolve("wcr.jsonl");
        Files.writeString(f, line(0, "invoke", "write", "x", "1", 0) + line(0, "ok", "write", "x", "1", 1)
                + line(0, "invoke", "write", "x", "2", 2) + line(0, "ok", "write", "x", "2", 3) + "\n\n"
                + line(1, "invoke", "read", "x", "null", 4) + line(1, "ok", "read", "x", "2", 5)
                + line(1, "invoke", "read", "x", "null", 6) + line(1, "ok", "read", "x", "1", 7));
        CliRun.Result r = CliRun.run("check-history", "--model", "cc", f.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("p1 read -> 1 (line 9)"), r.out());
        // siblings: two replicas end with {1, 2} in different orders (converged), a third with {1} (diverged)
        String writes = line(0, "invoke", "write", "x", "1", 0) + line(0, "ok", "write", "x", "1", 1)
                + line(1, "invoke", "write", "x", "2", 2) + line(1, "ok", "write", "x", "2", 3);
        String fin = "{\"process\":5,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\",\"value\":null,\"time\":5,\"replica\":\"n1\",\"final\":true}\n"
                + "{\"process\":5,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":1,\"values\":[1,2],\"time\":6,\"replica\":\"n1\",\"final\":true}\n"
                + "{\"process\":6,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\",\"value\":null,\"time\":7,\"replica\":\"n2\",\"final\":true}\n"
                + "{\"process\":6,\"type\":\"ok\",\"f\":\"read\",\"key\":\"x\",\"value\":2,\"values\":VALUES,\"time\":8,\"replica\":\"n2\",\"final\":true}\n";
        Path same = tmp.resolve("siblings.jsonl");
        Files.writeString(same, writes + fin.replace("VALUES", "[2, 1]"));
        CliRun.Result ok = CliRun.run("check-history", "--model", "convergence", same.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        Path apart = tmp.resolve("apart.jsonl");
        Files.writeString(apart, writes + fin.replace("VALUES", "[2]"));
        CliRun.Result diverged = CliRun.run("check-history", "--model", "convergence", apart.toString());
        assertEquals(1, diverged.exit(), diverged.out() + diverged.err());
        assertTrue(diverged.out().contains("n1 ends with [1, 2], n2 with 2"), diverged.out());
        Path broken = tmp.resolve("broken.jsonl");
        Files.writeString(broken, writes + fin.replace("VALUES", "[\"a\"]"));
        CliRun.Result b = CliRun.run("check-history", "--model", "convergence", broken.toString());
        assertEquals(2, b.exit(), b.out() + b.err());
        assertTrue(b.err().contains("line 8: \"values\" must be an array of integers"), b.err());
    }

    @Test
    void badInputIsOneLineExitTwo() throws Exception {
        Path f = tmp.resolve("twice.jsonl");
        // a blank line first and one in the middle: the file's lines are named, not the event numbers (1 and 3)
        Files.writeString(f, "\n" + line(0, "invoke", "write", "x", "1", 0) + line(0, "ok", "write", "x", "1", 1)
                + "\n" + line(1, "invoke", "write", "x", "1", 2) + line(1, "ok", "write", "x", "1", 3));
        CliRun.Result r = CliRun.run("check-history", "--model", "causal", f.toString());
        assertEquals(2, r.exit());
        assertEquals("dsw check-history: twice.jsonl: model causal needs unique written values per key: key 'x' value 1 is"
                + " written at line 2 and line 5", r.err().strip());
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
