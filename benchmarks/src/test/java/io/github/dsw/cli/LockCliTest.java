package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chapter 9 on the command line: {@code check-history --model lock|fenced} and {@code simulate lock-service}, exit codes 0/1/2. */
class LockCliTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.run(List.of(args), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Kleppmann's figure as a history: 34 written, then 33 accepted after it. */
    private static final String STALE = """
            {"process":0,"type":"invoke","f":"acquire","key":"L","value":null,"time":0}
            {"process":0,"type":"ok","f":"acquire","key":"L","value":33,"time":1}
            {"process":1,"type":"invoke","f":"acquire","key":"L","value":null,"time":2}
            {"process":1,"type":"ok","f":"acquire","key":"L","value":34,"time":50}
            {"process":1,"type":"invoke","f":"write","key":"R","value":"b","token":34,"time":51}
            {"process":1,"type":"ok","f":"write","key":"R","value":"b","token":34,"time":52}
            {"process":0,"type":"invoke","f":"write","key":"R","value":"a","token":33,"time":60}
            {"process":0,"type":"ok","f":"write","key":"R","value":"a","token":33,"time":61}
            """;

    @Test
    void checkHistoryJudgesLockHistories() throws Exception {
        Path bad = tmp.resolve("stale.jsonl");
        Files.writeString(bad, STALE);
        Run fenced = run("check-history", "--model", "fenced", bad.toString());
        assertEquals(1, fenced.exit(), fenced.out() + fenced.err());
        assertTrue(fenced.out().contains("token 33"), fenced.out());
        assertEquals(1, run("check-history", "--model", "lock", bad.toString()).exit());
        Path good = tmp.resolve("good.jsonl");
        Files.writeString(good, STALE.replace("{\"process\":0,\"type\":\"ok\",\"f\":\"write\"", "{\"process\":0,\"type\":\"fail\",\"f\":\"write\"")
                .replace("\"value\":33,\"time\":1}", "\"value\":33,\"time\":1}\n{\"process\":0,\"type\":\"invoke\",\"f\":\"release\",\"key\":\"L\",\"value\":33,\"time\":1}")
                .replace("{\"process\":0,\"type\":\"invoke\",\"f\":\"write\"", "{\"process\":0,\"type\":\"fail\",\"f\":\"release\",\"key\":\"L\",\"value\":33,\"time\":59}\n{\"process\":0,\"type\":\"invoke\",\"f\":\"write\""));
        Run ok = run("check-history", "--model", "fenced", good.toString());
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertEquals(0, run("check-history", "--model", "lock", good.toString()).exit());
    }

    @Test
    void badLockHistoriesAreOneLineExitTwo() throws Exception {
        Path f = tmp.resolve("bad.jsonl");
        Files.writeString(f, "{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"R\",\"value\":1,\"time\":0}\n");
        Run r = run("check-history", "--model", "fenced", f.toString());
        assertEquals(2, r.exit());
        assertEquals("dsw check-history: bad.jsonl: line 1: a write needs a \"token\" field (null if the writer carried none)", r.err().strip());
        assertEquals(2, run("check-history", "--model", "lock", "--format", "jepsen-edn", f.toString()).exit());
        assertEquals(2, run("check-history", "--model", "lock", tmp.resolve("missing.jsonl").toString()).exit());
    }

    @Test
    void simulateLockServiceWithAndWithoutFencing() throws Exception {
        Path h = tmp.resolve("h.jsonl");
        Run unfenced = run("simulate", "lock-service", "--seed", "2", "--nemesis", "gc", "--no-fencing", "--history-out", h.toString());
        assertEquals(1, unfenced.exit(), unfenced.out() + unfenced.err());
        assertTrue(unfenced.out().contains("replay: ./dsw simulate lock-service --seed 2"), unfenced.out());
        assertEquals(1, run("check-history", "--model", "fenced", h.toString()).exit(), "the written history shows the same lost update");
        Run fenced = run("simulate", "lock-service", "--seed", "2", "--nemesis", "gc", "--clients", "1");
        assertEquals(0, fenced.exit(), fenced.out() + fenced.err());
        assertEquals(2, run("simulate", "lock-service", "--nemesis", "gc,meteor").exit());
        assertEquals(2, run("simulate", "lock-service", "--variant", "naive", "--no-fencing").exit());
    }
}
