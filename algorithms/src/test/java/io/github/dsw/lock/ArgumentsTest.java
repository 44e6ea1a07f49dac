package io.github.dsw.lock;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void constructorsRejectBadArgumentsNamingTheParameter() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ArrayLock(0)).getMessage().contains("capacity"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BackoffLock(0, 10)).getMessage().contains("minDelay"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BackoffLock(8, 4)).getMessage().contains("maxDelay"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CohortLock(0, 1)).getMessage().contains("clusters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new CohortLock(2, -1)).getMessage().contains("maxLocalPasses"));
    }

    @Test
    void cohortRejectsAClusterFunctionOutOfRange() {
        CohortLock lock = new CohortLock(2, 1, t -> 5);
        assertThrows(IllegalStateException.class, lock::lock);
    }
}
