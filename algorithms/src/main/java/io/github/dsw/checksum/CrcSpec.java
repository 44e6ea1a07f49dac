package io.github.dsw.checksum;

/**
 * A CRC algorithm in the Rocksoft/Williams parameter model, as used by the CRC RevEng catalogue
 * (R. N. Williams, "A Painless Guide to CRC Error Detection Algorithms", 1993, section 15; RevEng
 * catalogue legend, https://reveng.sourceforge.io/crc-catalogue/all.htm).
 *
 * <p>All numbers are unsigned and right-aligned in the low {@code width} bits (all 64 bits for width 64):
 * <ul>
 *   <li>{@code poly} — the generator polynomial in normal (MSB-first) form without its {@code x^width}
 *       term; it must be odd (a generator without the {@code +1} term wastes a check bit);</li>
 *   <li>{@code init} — the register before the first message bit, in the same unreflected form as poly;</li>
 *   <li>{@code refIn} — whether each input byte is processed least-significant bit first;</li>
 *   <li>{@code refOut} — whether the register is bit-reversed before {@code xorOut};</li>
 *   <li>{@code xorOut} — XORed into the (possibly reflected) register to give the CRC;</li>
 *   <li>{@code check} — the CRC of the ASCII string {@code "123456789"};</li>
 *   <li>{@code residue} — the register (before xorOut, in refOut orientation) after an error-free
 *       codeword; for a well-formed spec it equals {@code xorOut * x^width mod P}, reflected if refOut.</li>
 * </ul>
 * {@code check} and {@code residue} are what the catalogue publishes; this record stores them so that a
 * spec can be verified against an implementation, but no engine reads them.
 *
 * @throws IllegalArgumentException naming the field when width is outside 1..64, poly is even, or any
 *     value does not fit in {@code width} bits
 */
public record CrcSpec(String name, int width, long poly, long init, boolean refIn, boolean refOut,
                      long xorOut, long check, long residue) {

    public CrcSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must be a non-blank string, got " + (name == null ? "null" : "'" + name + "'"));
        }
        if (width < 1 || width > 64) {
            throw new IllegalArgumentException("width must be in 1..64, got " + width + " (spec " + name + ")");
        }
        requireFits("poly", poly, width, name);
        if ((poly & 1) == 0) {
            throw new IllegalArgumentException("poly must be odd (the +1 term is part of every CRC generator), got 0x"
                    + Long.toHexString(poly) + " (spec " + name + ")");
        }
        requireFits("init", init, width, name);
        requireFits("xorOut", xorOut, width, name);
        requireFits("check", check, width, name);
        requireFits("residue", residue, width, name);
    }

    /** A spec whose check and residue are not known (both 0); useful for custom polynomials. */
    public static CrcSpec of(String name, int width, long poly, long init, boolean refIn, boolean refOut, long xorOut) {
        return new CrcSpec(name, width, poly, init, refIn, refOut, xorOut, 0, 0);
    }

    /** All-ones in the low {@code width} bits. */
    public long mask() {
        return width == 64 ? -1L : (1L << width) - 1;
    }

    private static void requireFits(String field, long value, int width, String name) {
        if (width < 64 && (value >>> width) != 0) {
            throw new IllegalArgumentException(field + " must fit in width=" + width + " bits, got 0x"
                    + Long.toHexString(value) + " (spec " + name + ")");
        }
    }
}
