package io.github.dsw.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RaftConfig}'s builder: the defaults, and argument checks that name the parameter, the value and what is allowed. */
class RaftConfigTest {

    @Test
    void defaultsAreEtcdLike() {
        RaftConfig c = RaftConfig.defaults(1, 3);
        assertEquals(10, c.electionTicks());
        assertEquals(19, c.electionTicksMax());
        assertEquals(1, c.heartbeatTicks());
        assertTrue(c.preVote() && c.checkQuorum() && c.timerResetOnNewTerm());
        assertEquals(List.of(0, 1, 2), List.copyOf(c.initialVoters()));
        assertEquals(Mutation.NONE, c.mutation());
    }

    @Test
    void initialVotersAreSortedWhateverTheSetsOrder() {
        RaftConfig c = RaftConfig.builder(0, 5).initialVoters(Set.of(4, 0, 2)).build();
        assertEquals(List.of(0, 2, 4), List.copyOf(c.initialVoters()));
    }

    @Test
    void badArgumentsAreNamed() {
        assertMessage("servers must be >= 1, got 0", () -> RaftConfig.builder(0, 0));
        assertMessage("id must be in 0..2, got 3", () -> RaftConfig.builder(3, 3));
        assertMessage("heartbeatTicks must be < electionTicks (10), got 10", () -> RaftConfig.builder(0, 3).heartbeatTicks(10).build());
        assertMessage("electionTicks max must be >= min (10), got 9", () -> RaftConfig.builder(0, 3).electionTicks(10, 9));
        assertMessage("maxInflight must be >= 1, got 0", () -> RaftConfig.builder(0, 3).maxInflight(0));
        assertMessage("initialVoters must be ids in 0..2, got [3]", () -> RaftConfig.builder(0, 3).initialVoters(Set.of(3)));
        assertMessage("maxClockDrift must be finite and >= 0, got NaN", () -> RaftConfig.builder(0, 3).maxClockDrift(Double.NaN));
    }

    private static void assertMessage(String expected, Runnable r) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, r::run).getMessage());
    }
}
