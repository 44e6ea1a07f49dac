package io.github.dsw.zab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.sim.InvariantViolation;
import io.github.dsw.sim.Nemesis;
import java.util.EnumSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each planted bug ({@link Mutation}) is caught by Zab's invariants ({@link ZabInvariants}) within the first 100 seeds
 * of 3 servers under every nemesis, while the correct protocol passes the same seeds (and a thousand more in
 * {@link ZabKvLinearizabilityTest}). The expectation is the paper's: each rule the mutation breaks is what makes
 * the property hold (section IV's argument), so without it some schedule breaks the property.
 */
class ZabMutationTest {

    @ParameterizedTest
    @EnumSource(value = Mutation.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void theInvariantsCatchEachPlantedBug(Mutation m) {
        String caught = null;
        for (long seed = 1; seed <= 100 && caught == null; seed++) {
            ZabKvRun.Settings s = ZabKvRun.Settings.of(seed, 3, 3, 100, EnumSet.allOf(Nemesis.Kind.class)).withMutation(m);
            try {
                ZabKvRun.run(s);
            } catch (InvariantViolation e) {
                caught = "seed " + seed + ": " + e.getMessage() + "\nreplay: " + s.replayCommand();
            }
        }
        System.out.println(m + " caught at " + caught);
        assertTrue(caught != null, m + " went unnoticed in 100 seeds");
    }
}
