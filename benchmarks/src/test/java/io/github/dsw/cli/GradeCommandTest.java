package io.github.dsw.cli;

import static io.github.dsw.cli.CliRun.run;

import io.github.dsw.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.labs.Labs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dsw grade}: the reference passes every test of every lab, the committed skeleton fails every test
 * (with a readable reason), a student's correct solution passes and a subtly wrong one loses exactly the tests
 * it should; {@code --list}, {@code --init} and bad input behave as documented.
 */
class GradeCommandTest {

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.BeforeAll
    static void theLaunchersRoot() {
        // ./dsw passes -Ddsw.root; Maven runs the tests in benchmarks/, so point at the repository as ./dsw would
        System.setProperty("dsw.root", CourseReferencesTest.ROOT.toString());
    }

    @Test
    void listPrintsOneLabPerLine() {
        Result r = run("grade", "--list");
        assertEquals(0, r.exit());
        assertEquals(Labs.names(), r.out().lines().toList());
        assertTrue(Labs.names().containsAll(List.of("crc", "jump-hash")));
    }

    @Test
    void theReferencePassesEveryTestOfEveryLab() {
        for (String lab : Labs.names()) {
            Result r = run("grade", lab, "--reference");
            assertEquals(0, r.exit(), lab + ":\n" + r.out() + r.err());
            assertTrue(r.out().lines().noneMatch(l -> l.startsWith("FAIL")), r.out());
        }
    }

    @Test
    void theSkeletonFailsEveryTestWithAReason() throws Exception {
        for (String lab : Labs.names()) {
            Path dir = tmp.resolve(lab);
            Result init = run("grade", lab, "--init", "--dir", dir.toString());
            assertEquals(0, init.exit(), init.err());
            Result r = run("grade", lab, "--dir", dir.toString());
            assertEquals(1, r.exit(), lab + ":\n" + r.out());
            List<String> tests = r.out().lines().filter(l -> l.startsWith("PASS") || l.startsWith("FAIL")).toList();
            assertTrue(!tests.isEmpty() && tests.stream().allMatch(l -> l.startsWith("FAIL") && l.contains("not implemented")),
                    "every test fails, saying why:\n" + r.out());
            Result again = run("grade", lab, "--init", "--dir", dir.toString());
            assertEquals(2, again.exit(), "--init never overwrites work");
        }
    }

    @Test
    void aCorrectStudentSolutionPassesAndAWrongOneLosesTheRightTests() throws Exception {
        Path good = tmp.resolve("good");
        Files.createDirectories(good);
        // A student's bitwise CRC, written from the Rocksoft model (not the workbench's engines).
        Files.writeString(good.resolve("StudentCrc.java"), """
                import io.github.dsw.checksum.CrcSpec;
                import io.github.dsw.labs.CrcLab;
                public final class StudentCrc implements CrcLab {
                    public long crc(CrcSpec s, byte[] data) {
                        int w = s.width();
                        long top = 1L << (w - 1), mask = w == 64 ? -1L : (1L << w) - 1, reg = s.init();
                        for (byte b : data) {
                            int v = b & 0xff;
                            if (s.refIn()) v = Integer.reverse(v) >>> 24;
                            for (int i = 7; i >= 0; i--) {
                                boolean bit = ((v >>> i) & 1) != 0;
                                boolean msb = (reg & top) != 0;
                                reg = (reg << 1) & mask;
                                if (msb ^ bit) reg ^= s.poly();
                            }
                        }
                        if (s.refOut()) reg = Long.reverse(reg) >>> (64 - w);
                        return (reg ^ s.xorOut()) & mask;
                    }
                }
                """);
        Result r = run("grade", "crc", "--dir", good.toString());
        assertEquals(0, r.exit(), r.out());
        Path wrong = tmp.resolve("wrong");
        Files.createDirectories(wrong);
        // Forgets refOut: right for models where refIn = refOut = false, wrong for CRC-32.
        Files.writeString(wrong.resolve("StudentCrc.java"), Files.readString(good.resolve("StudentCrc.java"))
                .replace("if (s.refOut()) reg = Long.reverse(reg) >>> (64 - w);", ""));
        Result w = run("grade", "crc", "--dir", wrong.toString());
        assertEquals(1, w.exit());
        assertTrue(w.out().contains("FAIL crc32-check-value"), w.out());
        assertTrue(w.out().contains("CRC-32 of \"123456789\": expected 0xcbf43926"), "the catalogue's check value is named:\n" + w.out());
    }

    @Test
    void codeThatDoesNotCompileScoresZeroWithTheCompilerMessage() throws Exception {
        Path dir = tmp.resolve("broken");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("StudentJumpHash.java"), "public final class StudentJumpHash { int x = ; }\n");
        Result r = run("grade", "jump-hash", "--dir", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.out().contains("does not compile") && r.out().contains("score 0"), r.out());
    }

    @Test
    void badInputIsExit2WithOneLine() {
        Result unknown = run("grade", "jmp-hash");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("did you mean 'jump-hash'?"), unknown.err());
        Result missing = run("grade", "crc", "--dir", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("--init"), missing.err());
    }

}
