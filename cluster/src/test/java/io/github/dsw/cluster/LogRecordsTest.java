package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.dsw.runtime.SplitMix64;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exhaustive recovery checks on a sample log: cut at EVERY byte offset, the scan returns exactly the
 * records that lie wholly before the cut (the expected list is built from the lengths the test wrote,
 * not from a scan); flip EVERY bit, the scan refuses, naming the file and an offset.
 */
class LogRecordsTest {

    private static final Path FILE = Path.of("segment-0000000000000001.log");

    /** Payload sizes: empty, tiny, around the header size, and a few hundred bytes. */
    private static final int[] SIZES = {0, 1, 11, 12, 13, 40, 255, 3, 300};

    private static List<byte[]> payloads() {
        SplitMix64 rng = new SplitMix64(8);
        List<byte[]> out = new ArrayList<>();
        for (int size : SIZES) {
            byte[] p = new byte[size];
            for (int i = 0; i < size; i++) {
                p[i] = (byte) rng.nextInt(256);
            }
            out.add(p);
        }
        return out;
    }

    private static byte[] sampleLog(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LogRecords.SEGMENT_MAGIC);
        for (byte[] p : payloads) {
            out.writeBytes(LogRecords.encode(p));
        }
        return out.toByteArray();
    }

    @Test
    void everyTruncationRecoversExactlyTheRecordsBeforeIt() {
        List<byte[]> payloads = payloads();
        byte[] log = sampleLog(payloads);
        // end offset of each record, from the sizes written
        long[] ends = new long[payloads.size()];
        long at = LogRecords.SEGMENT_MAGIC.length;
        for (int i = 0; i < payloads.size(); i++) {
            at += LogRecords.HEADER + payloads.get(i).length;
            ends[i] = at;
        }
        assertEquals(log.length, at);
        for (int cut = 0; cut <= log.length; cut++) {
            LogRecords.Scan scan = LogRecords.scan(FILE, Arrays.copyOf(log, cut), LogRecords.SEGMENT_MAGIC, true);
            int whole = 0;
            while (whole < ends.length && ends[whole] <= cut) {
                whole++;
            }
            assertEquals(whole, scan.records().size(), "cut at " + cut);
            for (int i = 0; i < whole; i++) {
                assertArrayEquals(payloads.get(i), scan.records().get(i), "record " + i + ", cut at " + cut);
            }
            long validEnd = whole == 0 ? (cut >= LogRecords.SEGMENT_MAGIC.length ? LogRecords.SEGMENT_MAGIC.length : 0) : ends[whole - 1];
            assertEquals(validEnd, scan.validEnd(), "cut at " + cut);
            assertEquals(cut > validEnd, scan.torn(), "cut at " + cut);
        }
    }

    @Test
    void aTruncatedFileThatIsNotTheLastIsRefused() {
        byte[] log = sampleLog(payloads());
        for (int cut = LogRecords.SEGMENT_MAGIC.length + 1; cut < log.length; cut++) {
            byte[] cutLog = Arrays.copyOf(log, cut);
            boolean atBoundary = false;
            long at = LogRecords.SEGMENT_MAGIC.length;
            for (byte[] p : payloads()) {
                at += LogRecords.HEADER + p.length;
                atBoundary |= at == cut;
            }
            if (atBoundary) {
                continue; // a shorter but complete segment is a valid segment
            }
            int c = cut;
            CorruptLogException e = assertThrows(CorruptLogException.class,
                    () -> LogRecords.scan(FILE, cutLog, LogRecords.SEGMENT_MAGIC, false), "cut at " + c);
            assertTrue(e.getMessage().contains(FILE.toString()), e.getMessage());
        }
    }

    @Test
    void everyFlippedBitIsRefusedWithFileAndOffset() {
        byte[] log = sampleLog(payloads());
        for (int bit = 0; bit < log.length * 8; bit++) {
            byte[] bad = log.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            for (boolean last : new boolean[] {true, false}) {
                try {
                    LogRecords.Scan scan = LogRecords.scan(FILE, bad, LogRecords.SEGMENT_MAGIC, last);
                    fail("bit " + bit + " (byte " + bit / 8 + ") flipped, last=" + last + ": not detected, scan returned " + scan.records().size() + " records");
                } catch (CorruptLogException e) {
                    assertTrue(e.getMessage().startsWith(FILE + " at byte "), e.getMessage());
                    assertTrue(e.offset() <= bit / 8, "offset " + e.offset() + " after the flipped byte " + bit / 8);
                }
            }
        }
    }

    @Test
    void aZeroFilledTailIsATornWriteNotCorruption() {
        List<byte[]> payloads = payloads();
        byte[] log = sampleLog(payloads);
        for (int zeros : new int[] {1, 5, 12, 4096}) {
            byte[] padded = Arrays.copyOf(log, log.length + zeros);
            LogRecords.Scan scan = LogRecords.scan(FILE, padded, LogRecords.SEGMENT_MAGIC, true);
            assertEquals(payloads.size(), scan.records().size());
            assertEquals(log.length, scan.validEnd());
            assertTrue(scan.torn());
            assertThrows(CorruptLogException.class, () -> LogRecords.scan(FILE, padded, LogRecords.SEGMENT_MAGIC, false));
        }
        LogRecords.Scan clean = LogRecords.scan(FILE, log, LogRecords.SEGMENT_MAGIC, true);
        assertFalse(clean.torn());
    }
}
