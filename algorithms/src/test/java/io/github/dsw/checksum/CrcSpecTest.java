package io.github.dsw.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CrcSpecTest {

    private static void rejects(String field, Executable construction) {
        String message = assertThrows(IllegalArgumentException.class, construction).getMessage();
        assertTrue(message.startsWith(field + " "), "message should name " + field + ": " + message);
    }

    @Test
    void rejectsWidthOutside1To64() {
        rejects("width", () -> new CrcSpec("w0", 0, 1, 0, false, false, 0, 0, 0));
        rejects("width", () -> new CrcSpec("w65", 65, 1, 0, false, false, 0, 0, 0));
    }

    @Test
    void rejectsEvenPoly() {
        rejects("poly", () -> new CrcSpec("even", 8, 0x06, 0, false, false, 0, 0, 0));
    }

    @Test
    void rejectsValuesWiderThanWidth() {
        rejects("poly", () -> new CrcSpec("p", 8, 0x107, 0, false, false, 0, 0, 0));
        rejects("init", () -> new CrcSpec("i", 8, 0x07, 0x100, false, false, 0, 0, 0));
        rejects("xorOut", () -> new CrcSpec("x", 8, 0x07, 0, false, false, 0x1ff, 0, 0));
        rejects("check", () -> new CrcSpec("c", 8, 0x07, 0, false, false, 0, 0x100, 0));
        rejects("residue", () -> new CrcSpec("r", 8, 0x07, 0, false, false, 0, 0, 0x100));
        rejects("name", () -> new CrcSpec(" ", 8, 0x07, 0, false, false, 0, 0, 0));
    }

    @Test
    void acceptsFullWidth64AndWidth1() {
        CrcSpec s = new CrcSpec("w64", 64, 0x42f0e1eba9ea3693L, -1L, true, true, -1L, 0, 0);
        assertEquals(-1L, s.mask());
        CrcSpec parity = CrcSpec.of("parity", 1, 1, 0, false, false, 0);
        assertEquals(1L, parity.mask());
    }

    /** A 1-bit CRC with generator x+1 is even parity: the number of 1 bits mod 2. */
    @Test
    void width1WithPolyOneIsParity() {
        CrcSpec parity = CrcSpec.of("parity", 1, 1, 0, false, false, 0);
        byte[] data = {(byte) 0b1011_0001, 0x01, (byte) 0xff};
        int ones = Integer.bitCount(0b1011_0001) + 1 + 8;
        for (var engine : CrcTest.engines().values()) {
            var c = engine.apply(parity);
            c.update(data, 0, data.length);
            assertEquals(ones % 2, c.getValue());
        }
    }
}
