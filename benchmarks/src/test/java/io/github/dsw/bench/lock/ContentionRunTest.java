package io.github.dsw.bench.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContentionRunTest {

    @Test
    void jainIndexMatchesItsDefinitionOnHandComputedCases() {
        // Jain, Chiu & Hawe 1984: equal shares give 1, one user taking everything gives 1/n.
        assertEquals(1.0, ContentionRun.jainIndex(new long[]{5, 5, 5, 5}), 1e-15);
        assertEquals(0.25, ContentionRun.jainIndex(new long[]{0, 9, 0, 0}), 1e-15);
        // (1 + 2 + 3)^2 / (3 * (1 + 4 + 9)) = 36 / 42
        assertEquals(36.0 / 42.0, ContentionRun.jainIndex(new long[]{1, 2, 3}), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> ContentionRun.jainIndex(new long[]{0, 0}));
        assertThrows(IllegalArgumentException.class, () -> ContentionRun.jainIndex(new long[]{1, -1}));
    }

    @Test
    void everyLockNameRunsAndKeepsTheCountExact() throws Exception {
        for (String lock : GuardedSection.NAMES) {
            var r = ContentionRun.run(lock, 3, 10, 10, 20, false);
            assertTrue(r.total() > 0, lock);
            assertEquals(r.total(), r.waitNs().getTotalCount(), lock);
            assertTrue(r.jainIndex() >= 1.0 / 3 - 1e-12 && r.jainIndex() <= 1 + 1e-12, lock);
        }
        assertThrows(IllegalArgumentException.class, () -> GuardedSection.of("nope", 0, 1));
    }
}
