package io.github.dsw.labs;

import io.github.dsw.checksum.CrcSpec;

/**
 * Lab {@code crc}: compute the CRC of a message for any catalogue model (chapter 1). Implement it table-driven
 * (Sarwate) or bitwise; the grader checks every model of the catalogue against its published check value, and
 * CRC-32 and CRC-32C against the JDK on random messages.
 */
public interface CrcLab {

    /** The CRC of {@code data} under {@code spec}: init, refIn, refOut and xorOut applied, in the low {@code width} bits. */
    long crc(CrcSpec spec, byte[] data);
}
