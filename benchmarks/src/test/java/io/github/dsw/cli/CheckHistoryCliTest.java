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

/**
 * {@code ./dsw check-history} on bad and hostile input: every case is exit code 2 with one line on
 * stderr naming the file and what is wrong (never a stack trace, never an out-of-memory error), and
 * the budgets give exit 3 with the limit named. Run in-process through {@link Main#run}.
 */
class CheckHistoryCliTest {

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
        String firstErrLine() {
            return err.lines().findFirst().orElse("");
        }
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

    private void assertInputError(String expectedFirstLine, String... args) {
        Run r = run(args);
        assertEquals(2, r.exit(), r.err());
        assertEquals(expectedFirstLine, r.firstErrLine());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    private static final String READ = "{\"process\":0,\"type\":\"invoke\",\"f\":\"read\",\"key\":\"x\",\"value\":null,\"time\":1}\n";

    @Test
    void aLineLongerThanOneMebibyteIsRejectedQuotingLittle() throws Exception {
        Path f = tmp.resolve("long.jsonl");
        Files.writeString(f, READ + "{\"process\":0,\"key\":\"" + "k".repeat(2 << 20) + "\"}\n");
        assertInputError("dsw check-history: long.jsonl: line 2: line longer than 1048576 bytes (the reader's limit; is this a history file?)",
                "check-history", f.toString());
        // a long bad value within the limit: the message quotes at most 80 characters of it
        Files.writeString(f, READ.replace("\"key\":\"x\"", "\"key\":[\"" + "v".repeat(100_000) + "\"]"));
        Run r = run("check-history", f.toString());
        assertEquals(2, r.exit());
        assertTrue(r.firstErrLine().startsWith("dsw check-history: long.jsonl: line 1: \"key\" must be a string, got [vvv"), r.err());
        assertTrue(r.firstErrLine().length() < 160, r.firstErrLine());
    }

    @Test
    void deepNestingIsRejectedWithoutStackOverflow() throws Exception {
        Path f = tmp.resolve("deep.jsonl");
        Files.writeString(f, "[".repeat(5000) + "]".repeat(5000) + "\n");
        assertInputError("dsw check-history: deep.jsonl: line 1: nesting deeper than 32 levels at column 33", "check-history", f.toString());
        Path e = tmp.resolve("deep.edn");
        Files.writeString(e, "{:type :invoke, :f :read, :value " + "[".repeat(5000) + "\n");
        assertInputError("dsw check-history: deep.edn: line 1: nesting deeper than 32 levels at column 65",
                "check-history", "--format", "jepsen-edn", e.toString());
    }

    @Test
    void bytesThatAreNotUtf8NameTheirLine() throws Exception {
        Path f = tmp.resolve("latin1.jsonl");
        byte[] head = (READ + READ.replace("\"time\":1", "\"time\":2").replace("\"process\":0", "\"process\":1")).getBytes(StandardCharsets.UTF_8);
        byte[] bad = "{\"process\":2,\"key\":\"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + bad.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(f, all);
        assertInputError("dsw check-history: latin1.jsonl: line 3: not UTF-8: byte 0xe9 at byte column 24", "check-history", f.toString());
    }

    @Test
    void directoriesMissingFilesAndUnreadablePathsAreOneLine() throws Exception {
        assertInputError("dsw check-history: " + tmp.toAbsolutePath().normalize() + " is a directory, not a history file",
                "check-history", tmp.toString());
        assertInputError("dsw check-history: no such file " + tmp.resolve("missing.jsonl").toAbsolutePath().normalize(),
                "check-history", tmp.resolve("missing.jsonl").toString());
        Path mem = Path.of("/proc/self/mem");
        if (Files.exists(mem)) {
            // readable by name, but reading its first byte fails (address 0 is never mapped): root cannot
            // make a file unreadable with chmod, this path is unreadable for everyone
            Run r = run("check-history", mem.toString());
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.firstErrLine().startsWith("dsw check-history: cannot read /proc/self/mem: "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test
    void endlessInputIsBounded() {
        Path zero = Path.of("/dev/zero");
        if (Files.exists(zero)) {
            assertInputError("dsw check-history: zero: line 1: line longer than 1048576 bytes (the reader's limit; is this a history file?)",
                    "check-history", zero.toString());
        }
    }

    @Test
    void anEmptyHistoryHasNoOperations() throws Exception {
        Path f = tmp.resolve("empty.jsonl");
        Files.writeString(f, "");
        assertInputError("dsw check-history: empty.jsonl: no operations: the input is empty", "check-history", f.toString());
        Files.writeString(f, "\n\n");
        assertInputError("dsw check-history: empty.jsonl: no operations: all 2 lines are blank", "check-history", f.toString());
        Path e = tmp.resolve("nemesis-only.edn");
        Files.writeString(e, "{:type :info, :f :start, :process :nemesis, :time 1}\n");
        assertInputError("dsw check-history: nemesis-only.edn: no operations: all 1 lines are blank", "check-history",
                "--format", "jepsen-edn", e.toString());
    }

    @Test
    void casFromNilAndEdnAreAcceptedAndExportedEdnChecksTheSame() throws Exception {
        Path f = tmp.resolve("create.jsonl");
        Files.writeString(f, """
                {"process":0,"type":"invoke","f":"cas","key":"x","value":[null,5],"time":1}
                {"process":0,"type":"ok","f":"cas","key":"x","value":[null,5],"time":2}
                {"process":1,"type":"invoke","f":"read","key":"x","value":null,"time":3}
                {"process":1,"type":"ok","f":"read","key":"x","value":5,"time":4}
                """);
        Path edn = tmp.resolve("create.edn");
        Run r = run("check-history", "--export-edn", edn.toString(), f.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(Files.readString(edn).contains(":f :cas, :key \"x\", :value [nil 5]"), Files.readString(edn));
        assertEquals(0, run("check-history", "--format", "jepsen-edn", edn.toString()).exit());
        // the same file with the read seeing nil: not linearizable in either format
        Files.writeString(f, Files.readString(f).replace("\"value\":5", "\"value\":null"));
        assertEquals(1, run("check-history", "--export-edn", edn.toString(), f.toString()).exit());
        assertEquals(1, run("check-history", "--format", "jepsen-edn", edn.toString()).exit());
    }

    @Test
    void anExhaustedBudgetExitsThreeNamingTheLimit() throws Exception {
        Path f = tmp.resolve("many.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sb.append(String.format("{\"process\":%d,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"x\",\"value\":%d,\"time\":0}%n", i, i));
        }
        for (int i = 0; i < 50; i++) {
            sb.append(String.format("{\"process\":%d,\"type\":\"ok\",\"f\":\"write\",\"key\":\"x\",\"value\":%d,\"time\":1}%n", i, i));
        }
        Files.writeString(f, sb.toString());
        Run r = run("check-history", "--max-configurations", "10", f.toString());
        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("unknown (50 operations, 10 configurations explored): key 'x' ran out of its configuration budget (10)"), r.out());
        assertInputError("dsw check-history: --format must be jsonl or jepsen-edn, got 'knossos'", "check-history", "--format", "knossos", f.toString());
        assertInputError("dsw check-history: --max-configurations must be >= 1, got 0", "check-history", "--max-configurations", "0", f.toString());
    }
}
