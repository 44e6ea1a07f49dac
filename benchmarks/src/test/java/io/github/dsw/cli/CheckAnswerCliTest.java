package io.github.dsw.cli;

import static io.github.dsw.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.cli.CliRun.Result;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./dsw check-answer}: right answers within tolerance exit 0, wrong ones 1 with the hint and never the
 * answer, unknown keys and non-numbers 2 with one line; and the committed key agrees with the JDK wherever the JDK
 * can recompute an answer on its own (CRC32, Adler32, BigInteger, Math), which checks the encoding and the values.
 */
class CheckAnswerCliTest {

    @BeforeAll
    static void theLaunchersRoot() {
        System.setProperty("dsw.root", CourseReferencesTest.ROOT.toString());
    }

    @Test
    void aRightNumberPassesAWrongOneFailsWithTheHintAndNeverTheAnswer() {
        double rho = 1 - Math.log(100) / 20; // M/M/1: p99 response = ln(100) / (mu (1 - rho)) = 20 / mu
        Result ok = run("check-answer", "3.1", String.format(Locale.ROOT, "%.4f", rho));
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().startsWith("3.1: correct"), ok.out());
        Result wrong = run("check-answer", "3.1", "0.9");
        assertEquals(1, wrong.exit(), wrong.out() + wrong.err());
        assertTrue(wrong.out().contains("not correct") && wrong.out().contains("Hint:"), wrong.out());
        assertFalse(wrong.out().contains("0.769"), "the answer is never printed: " + wrong.out());
        assertEquals(0, run("check-answer", "3.1", "77%").exit(), "a percentage is a fraction");
        assertEquals(1, run("check-answer", "3.1", "0.76").exit(), "0.005 is the tolerance");
    }

    @Test
    void hexWordsAndFractionsAreUnderstood() {
        assertEquals(0, run("check-answer", "1.1", "0x07").exit());
        assertEquals(0, run("check-answer", "1.1", "7").exit());
        assertEquals(0, run("check-answer", "2.1", "10/11").exit());
        assertEquals(0, run("check-answer", "6.3", "(5, 4, 2)").exit());
        assertEquals(1, run("check-answer", "6.3", "5,2,4").exit());
        assertEquals(0, run("check-answer", "0.2", "No").exit());
    }

    @Test
    void anUnknownKeyNamesTheNearestAndANonNumberIsAUsageError() {
        Result r = run("check-answer", "3.9", "1");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("unknown key '3.9'") && r.err().contains("3.1") && r.err().contains("3.2"), r.err());
        Result parts = run("check-answer", "0.6", "1");
        assertEquals(2, parts.exit());
        assertTrue(parts.err().contains("0.6.a") && parts.err().contains("0.6.b"), parts.err());
        Result nan = run("check-answer", "3.1", "abc");
        assertEquals(2, nan.exit());
        assertTrue(nan.err().contains("3.1 expects a number") && nan.err().contains("'abc'"), nan.err());
        assertEquals(2, run("check-answer", "3.1").exit());
        assertEquals(2, run("check-answer", "--list", "3.1").exit());
    }

    @Test
    void listShowsEveryKeyButNoAnswer() throws Exception {
        Result r = run("check-answer", "--list");
        assertEquals(0, r.exit());
        AnswerKey key = AnswerKey.read(AnswerKey.defaultFile());
        assertEquals(key.keys(), r.out().lines().map(l -> l.split("\t")[0]).toList());
        assertFalse(r.out().contains("0x2fc51328") || r.out().contains("1910.1"), r.out());
    }

    @Test
    void aMalformedKeyFileIsAUsageErrorNamingTheLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("answers.tsv");
        Files.writeString(f, "# comment\n1.1\tabs\t0\n");
        Result r = run("check-answer", "--file", f.toString(), "1.1", "7");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("answers.tsv:2") && r.err().contains("7 tab-separated fields"), r.err());
    }

    @Test
    void encodingRoundTripsAndHidesTheValue() {
        String e = AnswerKey.encode("9.9", "a longer answer than the thirty-two bytes of one SHA-256");
        assertFalse(e.contains("answer"));
        assertEquals("a longer answer than the thirty-two bytes of one SHA-256", AnswerKey.decode("9.9", e));
        assertFalse(AnswerKey.encode("9.8", "7").equals(AnswerKey.encode("9.9", "7")), "the pad depends on the key");
    }

    /** Answers the JDK computes on its own, not with the workbench's code: the key must agree with each. */
    @Test
    void theKeyAgreesWithTheJdkWhereTheJdkCanComputeTheAnswer() throws Exception {
        AnswerKey key = AnswerKey.read(AnswerKey.defaultFile());
        CRC32 ab = new CRC32();
        ab.update(new byte[] {1, 2});
        CRC32 a = new CRC32();
        a.update(1);
        CRC32 b = new CRC32();
        b.update(2);
        assertAccepted(key, "1.2", "0x" + Long.toHexString(ab.getValue() ^ a.getValue() ^ b.getValue()));
        Set<Long> adler = new HashSet<>();
        for (int x = 0; x < 65536; x++) {
            Adler32 ad = new Adler32();
            ad.update(new byte[] {(byte) (x >> 8), (byte) x});
            adler.add(ad.getValue());
        }
        assertAccepted(key, "1.8", Integer.toString(adler.size()));
        BigInteger inverse = BigInteger.valueOf(2862933555777941757L).modInverse(BigInteger.ONE.shiftLeft(64));
        assertAccepted(key, "2.4", "0x" + inverse.toString(16));
        assertAccepted(key, "2.1", Double.toString(10.0 / 11));
        assertAccepted(key, "2.6", Double.toString(655373 * 4 / 1024.0));
        assertAccepted(key, "2.8", Double.toString((1 << 20) * (double) Long.BYTES / 1024));
        assertAccepted(key, "3.1", Double.toString(1 - Math.log(100) / 20));
        assertAccepted(key, "3.2", Double.toString(Math.pow(0.9, 15)));
        assertAccepted(key, "4.8", Double.toString(30.0 * 30 / (4 * 300)));
        assertAccepted(key, "5.5", Long.toString(1L << 10));
        assertAccepted(key, "0.6.a", Double.toString(2000 + 0.1 - 0.01 * 0.9 * 10_000));
        assertAccepted(key, "0.6.b", Double.toString(1000 + 0.5 - 0.05 * 0.5 * 10_000));
        int d = 0;
        while ((d + 2) * 1.25 <= 20 - 1) {
            d++;
        }
        assertAccepted(key, "7.15", Integer.toString(d));
        assertAccepted(key, "11.6", Double.toString(unavailability(1) / unavailability(2)));
    }

    /** P(fewer than 3 of 5 replicas up), birth-death chain, MTTF 1000 h, MTTR 24 h, {@code crews} repairs at once. */
    private static double unavailability(int crews) {
        double[] p = new double[6];
        p[0] = 1;
        for (int down = 0; down < 5; down++) {
            p[down + 1] = p[down] * (5 - down) / 1000.0 / (Math.min(down + 1, crews) / 24.0);
        }
        double sum = 0;
        for (double x : p) {
            sum += x;
        }
        return (p[3] + p[4] + p[5]) / sum;
    }

    private static void assertAccepted(AnswerKey key, String k, String value) {
        AnswerKey.Answer a = key.get(k);
        assertTrue(a != null, "key " + k + " missing");
        assertTrue(a.accepts(value), k + " does not accept the JDK's " + value);
    }
}
