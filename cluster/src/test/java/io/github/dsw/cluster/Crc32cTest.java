package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dsw.checksum.Crc;
import io.github.dsw.checksum.CrcCatalogue;
import io.github.dsw.runtime.SplitMix64;
import java.nio.charset.StandardCharsets;
import java.util.zip.Checksum;
import org.junit.jupiter.api.Test;

/** The CRC the cluster writes agrees with chapter 1's engine and with the catalogue's check value. */
class Crc32cTest {

    @Test
    void checkValueOfTheCatalogue() {
        // RevEng catalogue, CRC-32/ISCSI: check = 0xe3069283 for "123456789"
        assertEquals(0xe3069283, Crc32c.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void agreesWithChapterOnesEngine() {
        SplitMix64 rng = new SplitMix64(14);
        for (int len = 0; len < 300; len++) {
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) {
                b[i] = (byte) rng.nextInt(256);
            }
            Checksum ref = Crc.table(CrcCatalogue.byName("CRC-32/ISCSI"));
            ref.update(b, 0, len);
            assertEquals((int) ref.getValue(), Crc32c.of(b), "length " + len);
        }
    }
}
