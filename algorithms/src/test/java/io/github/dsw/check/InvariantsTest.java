package io.github.dsw.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InvariantsTest {

    @Test
    void checkThrowsIllegalStateWithTheFormattedMessage() {
        Invariants.check(true, "never %s", "thrown");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Invariants.check(false, "term %d has %d leaders", 3, 2));
        assertEquals("term 3 has 2 leaders", e.getMessage());
    }

    @Test
    void atMostOneLeaderPerTerm() {
        Invariants.UniquePerKey<Long, Integer> leaders = new Invariants.UniquePerKey<>("leader of term");
        leaders.observe(1L, 0);
        leaders.observe(1L, 0); // the same leader seen twice is fine
        leaders.observe(2L, 3);
        assertEquals(2, leaders.size());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaders.observe(2L, 4));
        assertTrue(e.getMessage().contains("leader of term 2: 3 and 4"), e.getMessage());
    }
}
