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
}
