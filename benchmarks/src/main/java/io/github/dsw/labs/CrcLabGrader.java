package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.checksum.Crc;
import io.github.dsw.checksum.CrcCatalogue;
import io.github.dsw.checksum.CrcSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** Grader of lab {@code crc}. Expected values: the published catalogue's check values and the JDK's CRC32/CRC32C. */
final class CrcLabGrader implements Lab<CrcLab> {

    private static final byte[] CHECK_INPUT = "123456789".getBytes(StandardCharsets.US_ASCII);

    @Override
    public String name() {
        return "crc";
    }

    @Override
    public String summary() {
        return "chapter 1: the CRC of any catalogue model (bitwise or table-driven)";
    }

    @Override
    public Class<CrcLab> api() {
        return CrcLab.class;
    }

    @Override
    public String studentClass() {
        return "StudentCrc";
    }

    @Override
    public CrcLab reference() {
        return (spec, data) -> {
            var c = Crc.of(spec);
            c.update(data, 0, data.length);
            return c.getValue();
        };
    }

    @Override
    public List<LabTest> tests(CrcLab impl, Seeds seeds) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("crc32-check-value", 2, () -> {
            CrcSpec s = CrcCatalogue.byName("CRC-32");
            check(impl.crc(s, CHECK_INPUT) == s.check(), "CRC-32 of \"123456789\": expected 0x%x, got 0x%x",
                    s.check(), impl.crc(s, CHECK_INPUT));
        }));
        t.add(new LabTest("crc32-and-crc32c-vs-jdk-on-random-messages", 2, () -> {
            SplittableRandom rnd = new SplittableRandom(1);
            for (int i = 0; i < 200; i++) {
                byte[] m = new byte[rnd.nextInt(0, 300)];
                rnd.nextBytes(m);
                CRC32 a = new CRC32();
                a.update(m);
                CRC32C b = new CRC32C();
                b.update(m);
                long got32 = impl.crc(CrcCatalogue.byName("CRC-32"), m);
                long got32c = impl.crc(CrcCatalogue.byName("CRC-32C"), m);
                check(got32 == a.getValue(), "CRC-32 of a %d-byte message (seed 1, message %d): JDK 0x%x, yours 0x%x",
                        m.length, i, a.getValue(), got32);
                check(got32c == b.getValue(), "CRC-32C of a %d-byte message (seed 1, message %d): JDK 0x%x, yours 0x%x",
                        m.length, i, b.getValue(), got32c);
            }
        }));
        t.add(new LabTest("empty-message-is-init-after-xorout", 1, () -> {
            for (CrcSpec s : CrcCatalogue.all()) {
                long expected = Checks.reflectIf(s.init(), s.width(), s.refOut()) ^ s.xorOut(); // the Rocksoft model: no byte, so the register is init
                long got = impl.crc(s, new byte[0]);
                check(got == expected, "%s of no bytes: expected 0x%x, got 0x%x", s.name(), expected, got);
            }
        }));
        t.add(new LabTest("every-catalogue-model-check-value", 5, () -> {
            int wrong = 0;
            String first = null;
            for (CrcSpec s : CrcCatalogue.all()) {
                long got = impl.crc(s, CHECK_INPUT);
                if (got != s.check()) {
                    wrong++;
                    if (first == null) {
                        first = String.format("%s: expected 0x%x, got 0x%x", s.name(), s.check(), got);
                    }
                }
            }
            check(wrong == 0, "%d of %d catalogue models give the wrong check value; first: %s",
                    wrong, CrcCatalogue.all().size(), first);
        }));
        return t;
    }
}
