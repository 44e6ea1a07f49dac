package io.github.dsw.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FencedResourceTest {

    /** Kleppmann (2016), "Making the lock safe with fencing": token 34 written, then 33 is rejected. */
    @Test
    void kleppmannsExampleRejectsTheStaleHoldersToken() {
        FencedResource storage = new FencedResource();
        assertTrue(storage.write("file", 34, "client 2"));
        assertFalse(storage.write("file", 33, "client 1"));
        assertEquals("client 2", storage.read("file"));
        assertEquals(34, storage.highestToken("file"));
        assertEquals(1, storage.acceptedWrites());
        assertEquals(1, storage.rejectedWrites());
    }

    @Test
    void oneHolderWritesManyTimesUnderOneToken() {
        FencedResource storage = new FencedResource();
        assertTrue(storage.write("k", 7, "a"));
        assertTrue(storage.write("k", 7, "b"));
        assertEquals("b", storage.read("k"));
    }

    /** The fencing argument's own gap: a stale write that arrives first is accepted. */
    @Test
    void aStaleWriteBeforeTheNewHoldersFirstWriteIsAccepted() {
        FencedResource storage = new FencedResource();
        assertTrue(storage.write("k", 33, "stale"));
        assertTrue(storage.write("k", 34, "new"));
        assertFalse(storage.write("k", 33, "stale again"));
    }

    @Test
    void keysAreFencedIndependently() {
        FencedResource storage = new FencedResource();
        assertTrue(storage.write("a", 10, "x"));
        assertTrue(storage.write("b", 3, "y"));
        assertEquals(-1, storage.highestToken("c"));
        assertEquals("{a=x, b=y}", storage.snapshot().toString());
        FencedResource.Outcome o = storage.writeWithOutcome("a", 9, "z");
        assertFalse(o.accepted());
        assertEquals(10, o.highestToken());
    }

    @Test
    void negativeTokensAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FencedResource().write("k", -1, "v"));
    }
}
