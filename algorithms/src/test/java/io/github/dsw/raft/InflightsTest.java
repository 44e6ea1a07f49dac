package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Inflights}, the window of etcd's {@code tracker/inflights_test.go}: add, freeTo, full, across the ring's wrap. */
class InflightsTest {

    @Test
    void freeToReleasesEveryAcknowledgedMessageAcrossTheWrap() {
        Inflights w = new Inflights(3);
        w.add(2);
        w.add(5);
        w.add(9);
        assertTrue(w.full());
        assertThrows(IllegalStateException.class, () -> w.add(10));
        w.freeTo(5);
        assertEquals(1, w.count(), "messages ending at 2 and 5 are acknowledged");
        w.add(12);
        w.add(14); // wraps around the ring
        assertTrue(w.full());
        w.freeTo(13);
        assertEquals(1, w.count(), "only the message ending at 14 is still out");
        w.freeTo(13);
        assertEquals(1, w.count(), "a repeated acknowledgement frees nothing");
    }

    @Test
    void freeFirstOneUnblocksAFullWindow() {
        Inflights w = new Inflights(2);
        w.add(3);
        w.add(4);
        w.freeFirstOne();
        assertFalse(w.full());
        w.reset();
        assertEquals(0, w.count());
        assertThrows(IllegalStateException.class, w::freeFirstOne);
        assertThrows(IllegalArgumentException.class, () -> new Inflights(0));
    }
}
