package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.consistency.dynamo.DynamoConfig;
import io.github.dsw.consistency.dynamo.Resolution;
import io.github.dsw.sim.Nemesis;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The Dynamo-style store in the simulator. The lost-update test is the chapter's claim: under concurrent
 * read-modify-writes with skewed clocks, last-writer-wins loses acknowledged updates and version vectors lose
 * none. The oracle is the set of items whose writes the clients saw acknowledged, not the store's state.
 */
class DynamoRunTest {

    static final long SEED = Long.getLong("dsw.seed", 18L);

    static DynamoRun.Settings cart(long seed, Resolution res, long skewNs) {
        return DynamoRun.Settings.defaults(seed).withConfig(DynamoConfig.defaults().withResolution(res))
                .withWorkload(KvClient.Mode.CART, 4).withSkewNs(skewNs).withSize(5, 4, 200);
    }

    @Test
    void lastWriterWinsLosesUpdatesUnderSkewAndVersionVectorsLoseNone() {
        int lwwLost = 0;
        for (long seed = SEED; seed < SEED + 3; seed++) {
            DynamoRun.Outcome lww = DynamoRun.run(cart(seed, Resolution.LWW, 20_000_000));
            DynamoRun.Outcome vv = DynamoRun.run(cart(seed, Resolution.VERSION_VECTORS, 20_000_000));
            assertTrue(lww.completed() && vv.completed(), "seed " + seed);
            assertTrue(vv.acknowledged() > 100, "seed " + seed + ": " + vv.summary());
            assertEquals(0, vv.lost(), "version vectors lost an acknowledged update, seed " + seed + ":\n" + vv.summary());
            lwwLost += lww.lost();
            assertTrue(lww.lost() > 0, "LWW with 20 ms skew lost nothing, seed " + seed + ":\n" + lww.summary());
        }
        assertTrue(lwwLost > 3, "seeds " + SEED + "..: LWW lost only " + lwwLost);
    }

    @Test
    void withOneClientSkewAloneMakesLastWriterWinsLoseUpdates() {
        // no concurrency at all: each read-modify-write starts after the previous one was acknowledged
        DynamoRun.Settings one = cart(SEED, Resolution.LWW, 50_000_000).withSize(5, 1, 100);
        DynamoRun.Outcome skewed = DynamoRun.run(one);
        DynamoRun.Outcome synced = DynamoRun.run(one.withSkewNs(0));
        assertTrue(skewed.lost() > 0, "seed " + SEED + ":\n" + skewed.summary());
        assertEquals(0, synced.lost(), "seed " + SEED + ": one client and synchronised clocks lose nothing:\n" + synced.summary());
    }

    @Test
    void sameSeedSameRunAndEveryOperationAnsweredWithoutFaults() {
        DynamoRun.Settings s = DynamoRun.Settings.defaults(SEED);
        DynamoRun.Outcome a = DynamoRun.run(s);
        DynamoRun.Outcome b = DynamoRun.run(s);
        assertEquals(a.trace().hash(), b.trace().hash(), "seed " + SEED);
        assertEquals(s.ops(), a.okOps(), "seed " + SEED + ":\n" + a.summary());
    }

    @Test
    void sloppyQuorumsAnswerMoreUnderPartitionsThanStrictOnes() {
        DynamoRun.Settings s = DynamoRun.Settings.defaults(SEED).withNemesis(EnumSet.of(Nemesis.Kind.PARTITION));
        DynamoRun.Outcome sloppy = DynamoRun.run(s);
        DynamoRun.Outcome strict = DynamoRun.run(s.withConfig(DynamoConfig.defaults().withSloppy(false)));
        assertTrue(sloppy.okOps() > strict.okOps(), "seed " + SEED + ": sloppy " + sloppy.okOps() + " ok vs strict " + strict.okOps());
    }
}
