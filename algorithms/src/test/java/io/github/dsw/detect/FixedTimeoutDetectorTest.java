package io.github.dsw.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link FixedTimeoutDetector}: suspect exactly when the silence exceeds the timeout (the definition). */
class FixedTimeoutDetectorTest {

    @Test
    void suspectsOnlyAfterMoreThanTheTimeoutOfSilence() {
        FixedTimeoutDetector fd = new FixedTimeoutDetector(500);
        assertTrue(fd.isAvailable(10_000), "no heartbeat yet: trusted");
        fd.heartbeat(1000);
        assertTrue(fd.isAvailable(1500));
        assertFalse(fd.isAvailable(1501));
        assertEquals(1501, fd.suspectAtNs());
        fd.heartbeat(1700);
        assertTrue(fd.isAvailable(2200));
        assertEquals(0.5, fd.suspicion(1950), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new FixedTimeoutDetector(0));
    }
}
