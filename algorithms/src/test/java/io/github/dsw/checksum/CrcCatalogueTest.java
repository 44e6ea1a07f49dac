package io.github.dsw.checksum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CrcCatalogueTest {

    @Test
    void holdsEveryModelOfWidth3To64WithUniqueNames() {
        Set<String> names = new HashSet<>();
        for (CrcSpec spec : CrcCatalogue.all()) {
            assertTrue(spec.width() >= 3 && spec.width() <= 64, spec.name());
            assertTrue(names.add(spec.name()), "duplicate " + spec.name());
        }
        // 110 models of width 3..64 in the 11 January 2022 page, plus CRC-16/M17, CRC-64/NVME, CRC-64/REDIS,
        // minus none: see the data file header.
        assertEquals(112, CrcCatalogue.all().size());
        assertTrue(names.containsAll(Set.of("CRC-3/GSM", "CRC-16/M17", "CRC-32/ISO-HDLC", "CRC-32/ISCSI",
                "CRC-40/GSM", "CRC-64/NVME", "CRC-64/XZ")));
    }

    @Test
    void findsNamesAndAliasesIgnoringCase() {
        CrcSpec crc32 = CrcCatalogue.byName("CRC-32/ISO-HDLC");
        assertSame(crc32, CrcCatalogue.byName("crc-32"));
        assertSame(crc32, CrcCatalogue.byName("PKZIP"));
        assertSame(crc32, CrcCatalogue.byName(" crc-32/iso-hdlc "));
        assertEquals("CRC-32/ISCSI", CrcCatalogue.byName("crc-32c").name());
        assertEquals("CRC-16/IBM-3740", CrcCatalogue.byName("CRC-16/CCITT-FALSE").name());
        assertEquals("CRC-16/KERMIT", CrcCatalogue.byName("CRC-CCITT").name());
        assertEquals("CRC-16/KERMIT", CrcCatalogue.byName("CRC-16/BLUETOOTH").name());
        assertEquals("CRC-64/XZ", CrcCatalogue.byName("CRC-64/GO-ECMA").name());
        assertEquals("CRC-8/SMBUS", CrcCatalogue.byName("CRC-8").name());
        assertEquals(112 + 73, CrcCatalogue.namesAndAliases().size());   // 73 aliases in the data file
    }

    @Test
    void unknownNameSuggestsTheClosest() {
        var e = assertThrows(IllegalArgumentException.class, () -> CrcCatalogue.byName("CRC-32/ISO-HDLX"));
        assertTrue(e.getMessage().contains("nameOrAlias 'CRC-32/ISO-HDLX'"), e.getMessage());
        assertTrue(e.getMessage().contains("CRC-32/ISO-HDLC"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> CrcCatalogue.byName("crc32c"));
        assertTrue(e2.getMessage().contains("CRC-32C"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CrcCatalogue.byName(null));
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertEquals(0, CrcCatalogue.editDistance("CRC-8", "CRC-8"));
        assertEquals(1, CrcCatalogue.editDistance("CRC32C", "CRC-32C"));
        assertEquals(3, CrcCatalogue.editDistance("kitten", "sitting"));
    }

    @Test
    void parserNamesTheLineAndFieldAtFault() {
        String good = "width=8 poly=0x07 init=0x00 refin=false refout=false xorout=0x00 check=0xf4 residue=0x00 name=\"X\"";
        assertParseError("# comment\n\n" + good.replace("poly=0x07", "poly=0x06"), "t line 3", "poly");
        assertParseError(good.replace("refin=false", "refin=maybe"), "t line 1", "refin");
        assertParseError(good.replace(" check=0xf4", ""), "t line 1", "check");
        assertParseError(good.replace("width=8", "width=eight"), "t line 1", "width");
        assertParseError(good.replace("init=0x00", "init=00"), "t line 1", "init");
        assertParseError(good + "\n" + good, "t line 2", "'X'");
        assertParseError(good + " junk", "t line 1", "junk");
    }

    private static void assertParseError(String text, String where, String what) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> CrcCatalogue.parse(new BufferedReader(new StringReader(text)), "t"));
        assertTrue(e.getMessage().startsWith(where) && e.getMessage().contains(what), e.getMessage());
    }
}
