package io.github.dsw.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Hand-made lock histories, each built so that the verdict follows from the definitions in {@link LockChecker}. */
class LockCheckerTest {

    static LockHistory parse(String... lines) {
        return LockHistory.read(new ByteArrayInputStream(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
    }

    static String ev(int p, String type, String f, String key, String value, long t) {
        return "{\"process\":" + p + ",\"type\":\"" + type + "\",\"f\":\"" + f + "\",\"key\":\"" + key + "\",\"value\":" + value + ",\"time\":" + t + "}";
    }

    static String write(int p, String type, String key, String value, String token, long t) {
        return "{\"process\":" + p + ",\"type\":\"" + type + "\",\"f\":\"write\",\"key\":\"" + key + "\",\"value\":" + value
                + ",\"token\":" + token + ",\"time\":" + t + "}";
    }

    /** Holder 0 releases at 30 before holder 1's grant at 40: sequential, fine. */
    @Test
    void handOverAfterReleaseIsMutuallyExclusive() {
        LockHistory h = parse(
                ev(0, "invoke", "acquire", "L", "null", 0), ev(0, "ok", "acquire", "L", "5", 10),
                ev(1, "invoke", "acquire", "L", "null", 15),
                ev(0, "invoke", "release", "L", "5", 30), ev(0, "ok", "release", "L", "5", 35),
                ev(1, "ok", "acquire", "L", "9", 40),
                ev(1, "invoke", "release", "L", "9", 50), ev(1, "ok", "release", "L", "9", 60));
        assertTrue(LockChecker.mutualExclusion(h).holds());
    }

    /** Kleppmann's pause: 0 is granted, pauses, 1 is granted at 40, 0 wakes and releases (fails) at 70: both held in [40, 70). */
    @Test
    void aHolderThatOutlivesItsLeaseOverlapsTheNextHolder() {
        LockHistory h = parse(
                ev(0, "invoke", "acquire", "L", "null", 0), ev(0, "ok", "acquire", "L", "5", 10),
                ev(1, "invoke", "acquire", "L", "null", 15), ev(1, "ok", "acquire", "L", "9", 40),
                ev(0, "invoke", "release", "L", "5", 70), ev(0, "fail", "release", "L", "5", 75));
        LockChecker.Result r = LockChecker.mutualExclusion(h);
        assertFalse(r.holds());
        assertEquals(1, r.violationCount());
        assertTrue(r.describe().contains("process 1 holds it from 40"), r.describe());
    }

    /** A release invoked at the very instant of the other's grant ends the interval: no overlap. Failed and info acquires give no hold. */
    @Test
    void failedAndUnknownAcquiresHoldNothing() {
        LockHistory h = parse(
                ev(0, "invoke", "acquire", "L", "null", 0), ev(0, "ok", "acquire", "L", "5", 10),
                ev(1, "invoke", "acquire", "L", "null", 11), ev(1, "fail", "acquire", "L", "null", 12),
                ev(2, "invoke", "acquire", "L", "null", 13), ev(2, "info", "acquire", "L", "null", 14),
                ev(0, "invoke", "release", "L", "5", 20), ev(3, "invoke", "acquire", "L", "null", 20), ev(3, "ok", "acquire", "L", "7", 20));
        assertTrue(LockChecker.mutualExclusion(h).holds());
    }

    @Test
    void locksAreIndependentAndAnUnreleasedHoldLastsToTheEnd() {
        LockHistory h = parse(
                ev(0, "invoke", "acquire", "A", "null", 0), ev(0, "ok", "acquire", "A", "1", 1),
                ev(1, "invoke", "acquire", "B", "null", 2), ev(1, "ok", "acquire", "B", "2", 3),
                ev(2, "invoke", "acquire", "A", "null", 100), ev(2, "ok", "acquire", "A", "3", 1000));
        LockChecker.Result r = LockChecker.mutualExclusion(h);
        assertEquals(1, r.violationCount(), r.describe());
        assertTrue(r.describe().contains("lock A"));
    }

    /** Kleppmann's figure: 34 accepted, then 33 accepted: a violation; 33 rejected: fine. */
    @Test
    void aLowerTokenAcceptedAfterAHigherOneIsCaught() {
        LockHistory bad = parse(
                write(1, "invoke", "file", "\"b\"", "34", 10), write(1, "ok", "file", "\"b\"", "34", 20),
                write(0, "invoke", "file", "\"a\"", "33", 30), write(0, "ok", "file", "\"a\"", "33", 40));
        LockChecker.Result r = LockChecker.fencedWrites(bad);
        assertFalse(r.holds());
        assertTrue(r.describe().contains("token 33"), r.describe());
        LockHistory good = parse(
                write(1, "invoke", "file", "\"b\"", "34", 10), write(1, "ok", "file", "\"b\"", "34", 20),
                write(0, "invoke", "file", "\"a\"", "33", 30), write(0, "fail", "file", "\"a\"", "33", 40));
        assertTrue(LockChecker.fencedWrites(good).holds());
    }

    /** Concurrent writes are not ordered: 33 invoked before 34 completed may be accepted (the stale write that arrives first). */
    @Test
    void concurrentWritesAreNotOrdered() {
        LockHistory h = parse(
                write(1, "invoke", "file", "\"b\"", "34", 10), write(0, "invoke", "file", "7", "33", 15),
                write(1, "ok", "file", "\"b\"", "34", 20), write(0, "ok", "file", "7", "33", 40),
                write(2, "invoke", "other", "\"c\"", "1", 50), write(2, "ok", "other", "\"c\"", "1", 60));
        assertTrue(LockChecker.fencedWrites(h).holds());
    }

    @Test
    void badInputNamesTheLine() {
        HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> parse(
                ev(0, "invoke", "acquire", "L", "null", 0), ev(0, "ok", "release", "L", "5", 10)));
        assertEquals(2, e.line());
        assertEquals(1, assertThrows(HistoryFormatException.class, () -> parse(ev(0, "invoke", "read", "L", "null", 0))).line());
        assertTrue(assertThrows(HistoryFormatException.class, () -> parse("{\"process\":0,\"type\":\"invoke\",\"f\":\"write\",\"key\":\"r\",\"value\":1,\"time\":0}"))
                .getMessage().contains("token"));
        assertThrows(HistoryFormatException.class, () -> parse("{\"process\":0,"));
        assertThrows(HistoryFormatException.class, () -> parse(""));
    }

    @Test
    void historiesRoundTripThroughJsonLines() {
        LockHistory h = parse(
                ev(0, "invoke", "acquire", "L", "null", 0), ev(0, "ok", "acquire", "L", "5", 10),
                write(0, "invoke", "r\\\"q", "\"x\"", "5", 11), write(0, "ok", "r\\\"q", "\"x\"", "5", 12));
        StringWriter out = new StringWriter();
        h.write(out);
        assertEquals(h, LockHistory.read(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8))));
    }
}
