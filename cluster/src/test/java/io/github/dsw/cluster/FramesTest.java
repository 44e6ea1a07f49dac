package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A frame written in pieces ({@link Frames#write}) and read without a payload copy ({@link Frames#read}) is
 * exactly a {@link LogRecords} record of kind + body, the format {@link Frames} documents: the expected bytes
 * come from {@link LogRecords#encode}, the disk's record encoder.
 */
class FramesTest {

    private static final long SEED = 14;

    @Test
    void framesWrittenInPiecesAreLogRecordsAndReadBack() throws IOException {
        Random r = new Random(SEED);
        for (int i = 0; i < 300; i++) {
            byte[] body = new byte[i < 3 ? i : r.nextInt(i < 290 ? 3000 : 200_000)];
            r.nextBytes(body);
            int kind = 1 + r.nextInt(6);
            byte[] payload = new byte[body.length + 1];
            payload[0] = (byte) kind;
            System.arraycopy(body, 0, payload, 1, body.length);
            byte[] expected = LogRecords.encode(payload);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertEquals(expected.length, Frames.write(out, kind, body), "seed=" + SEED + " #" + i);
            assertArrayEquals(expected, out.toByteArray(), "seed=" + SEED + " #" + i);
            assertArrayEquals(expected, Frames.frame(kind, body), "seed=" + SEED + " #" + i);

            Frames.Frame f = Frames.read(new DataInputStream(new ByteArrayInputStream(expected)));
            assertEquals(kind, f.kind(), "seed=" + SEED + " #" + i);
            assertArrayEquals(body, f.body(), "seed=" + SEED + " #" + i);
            assertFalse(f.corrupt(), "seed=" + SEED + " #" + i);

            if (body.length > 0) { // a flipped bit in the body or the kind is caught by the payload checksum
                byte[] bad = expected.clone();
                int at = LogRecords.HEADER + r.nextInt(payload.length);
                bad[at] ^= (byte) (1 << r.nextInt(8));
                assertTrue(Frames.read(new DataInputStream(new ByteArrayInputStream(bad))).corrupt(), "seed=" + SEED + " #" + i + " byte " + at);
            }
        }
    }

    /**
     * A stream of frames (one corrupt, one larger than the reading buffer) arriving in reads of every size from 1 byte
     * up: {@link Frames#scan} with {@link Frames#keepUnfinished} between reads, as the node's loop and the client's
     * reader parse, hands out exactly the frames {@link Frames#read} reads from the whole stream, in order, with the
     * same checksum verdicts.
     */
    @Test
    void scanningReadsOfAnySizeGivesWhatReadGives() throws IOException {
        Random r = new Random(SEED);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++) {
            byte[] body = new byte[i == 7 ? 1000 : r.nextInt(60)];
            r.nextBytes(body);
            byte[] frame = Frames.frame(1 + r.nextInt(6), body);
            if (i == 3) {
                frame[LogRecords.HEADER + 1 + r.nextInt(frame.length - LogRecords.HEADER - 1)] ^= 1; // payload damaged
            }
            stream.write(frame);
        }
        byte[] all = stream.toByteArray();
        java.util.List<String> expected = new java.util.ArrayList<>();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
        for (Frames.Frame f; (f = Frames.read(in)) != null; ) {
            expected.add(f.kind() + " " + java.util.HexFormat.of().formatHex(f.body()) + (f.corrupt() ? " corrupt" : ""));
        }
        assertEquals(40, expected.size());
        for (int step = 1; step <= 300; step = step < 20 ? step + 1 : step * 2) {
            java.util.List<String> got = new java.util.ArrayList<>();
            byte[] buf = new byte[64]; // smaller than frame 7: it must grow
            int end = 0;
            for (int at = 0; at < all.length; ) {
                int n = Math.min(Math.min(step, all.length - at), buf.length - end);
                assertTrue(n > 0, "reads of " + step + " bytes: no room left for the unfinished frame at byte " + at);
                System.arraycopy(all, at, buf, end, n);
                at += n;
                end += n;
                int p = Frames.scan(buf, 0, end, (a, payload, len, intact) -> got.add(a[payload] + " "
                        + java.util.HexFormat.of().formatHex(a, payload + 1, payload + len) + (intact ? "" : " corrupt")));
                buf = Frames.keepUnfinished(buf, p, end);
                end -= p;
            }
            assertEquals(0, end, "reads of " + step + " bytes: bytes left over");
            assertEquals(expected, got, "reads of " + step + " bytes");
        }
    }
}
