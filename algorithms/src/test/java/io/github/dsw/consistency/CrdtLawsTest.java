package io.github.dsw.consistency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.consistency.crdt.GCounter;
import io.github.dsw.consistency.crdt.LwwRegister;
import io.github.dsw.consistency.crdt.OrSet;
import io.github.dsw.consistency.crdt.PNCounter;
import io.github.dsw.consistency.crdt.StateCrdt;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The semilattice laws of every state-based CRDT (Shapiro et al., SSS 2011, section 2.2), on random states reached
 * by random updates at random replicas interleaved with random merges (seeded; the seed is in every message), and
 * each type against an independent reference: a plain number, a plain {@code java.util} set.
 */
class CrdtLawsTest {

    static final long SEED = Long.getLong("dsw.seed", 20261203L);
    static final int STATES = 40;

    /** States from random histories: each replica applies updates and sometimes merges another replica's state. */
    static <S extends StateCrdt<S>> List<S> states(Random r, S initial, BiFunction<S, Random, S> update) {
        List<S> replicas = new ArrayList<>(List.of(initial, initial, initial));
        List<S> out = new ArrayList<>();
        for (int step = 0; step < STATES; step++) {
            int i = r.nextInt(replicas.size());
            S s = replicas.get(i);
            s = r.nextInt(4) == 0 ? s.merge(replicas.get(r.nextInt(replicas.size()))) : update.apply(s, r);
            replicas.set(i, s);
            out.add(s);
        }
        return out;
    }

    static <S extends StateCrdt<S>> void laws(String name, List<S> states, BiFunction<S, Random, S> update, Random r) {
        for (S a : states) {
            assertEquals(a, a.merge(a), name + " idempotent, seed " + SEED);
            assertTrue(a.leq(update.apply(a, r)), name + " update is an inflation, seed " + SEED);
            for (S b : states) {
                S ab = a.merge(b);
                assertEquals(ab, b.merge(a), name + " commutative, seed " + SEED);
                assertTrue(a.leq(ab) && b.leq(ab), name + " merge is an upper bound, seed " + SEED);
                assertEquals(a.leq(b), ab.equals(b), name + " a <= b iff a merge b = b, seed " + SEED);
            }
        }
        for (int i = 0; i < 200; i++) {
            S a = states.get(r.nextInt(states.size()));
            S b = states.get(r.nextInt(states.size()));
            S c = states.get(r.nextInt(states.size()));
            assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)), name + " associative, seed " + SEED);
        }
    }

    static final BiFunction<GCounter, Random, GCounter> G_INC = (s, r) -> s.increment(r.nextInt(3), r.nextInt(5));
    static final BiFunction<PNCounter, Random, PNCounter> PN_ADD = (s, r) -> s.add(r.nextInt(3), r.nextInt(11) - 5);
    static long tags;
    static final BiFunction<OrSet, Random, OrSet> OR_UPDATE = (s, r) -> r.nextBoolean()
            ? s.add(r.nextInt(6), new OrSet.Tag(r.nextInt(3), ++tags)) : s.remove(r.nextInt(6));
    static final BiFunction<LwwRegister, Random, LwwRegister> LWW_ASSIGN = (s, r) -> s.assign(r.nextInt(100), r.nextInt(50), r.nextInt(3));

    @Test
    void gCounterLaws() {
        Random r = new Random(SEED);
        laws("G-counter", states(r, GCounter.ZERO, G_INC), G_INC, r);
    }

    @Test
    void pnCounterLaws() {
        Random r = new Random(SEED + 1);
        laws("PN-counter", states(r, PNCounter.ZERO, PN_ADD), PN_ADD, r);
    }

    @Test
    void orSetLaws() {
        Random r = new Random(SEED + 2);
        laws("OR-set", states(r, OrSet.EMPTY, OR_UPDATE), OR_UPDATE, r);
    }

    @Test
    void lwwRegisterLaws() {
        Random r = new Random(SEED + 3);
        laws("LWW-register", states(r, LwwRegister.INITIAL, LWW_ASSIGN), LWW_ASSIGN, r);
    }

    @Test
    void countersEqualThePlainSumOfEveryUpdateOnceAllStatesAreMerged() {
        Random r = new Random(SEED + 4);
        PNCounter[] replicas = {PNCounter.ZERO, PNCounter.ZERO, PNCounter.ZERO};
        long sum = 0;
        for (int i = 0; i < 500; i++) {
            int at = r.nextInt(3);
            if (r.nextInt(5) == 0) {
                replicas[at] = replicas[at].merge(replicas[r.nextInt(3)]); // gossip, any number of times
            } else {
                long by = r.nextInt(21) - 10;
                replicas[at] = replicas[at].add(at, by);
                sum += by;
            }
        }
        PNCounter all = replicas[2].merge(replicas[0]).merge(replicas[1]).merge(replicas[0]);
        assertEquals(sum, all.value(), "seed " + SEED);
    }

    @Test
    void orSetAtOneReplicaBehavesLikeAPlainSet() {
        Random r = new Random(SEED + 5);
        OrSet s = OrSet.EMPTY;
        TreeSet<Long> plain = new TreeSet<>();
        for (int i = 0; i < 500; i++) {
            long e = r.nextInt(10);
            if (r.nextBoolean()) {
                s = s.add(e, new OrSet.Tag(0, i));
                plain.add(e);
            } else {
                s = s.remove(e);
                plain.remove(e);
            }
            assertEquals(plain, s.elements(), "after step " + i + ", seed " + SEED);
        }
    }

    @Test
    void addWinsOverAConcurrentRemoveButNotOverAnObservedOne() {
        OrSet base = OrSet.EMPTY.add(7, new OrSet.Tag(0, 1));
        OrSet a = base.add(7, new OrSet.Tag(0, 2)); // replica 0 adds 7 again
        OrSet b = base.remove(7); // replica 1 removes the 7 it has seen, concurrently
        assertTrue(a.merge(b).contains(7), "the add that the remove did not observe survives");
        OrSet c = a.merge(b).remove(7); // a remove that has seen both adds
        assertFalse(c.contains(7));
        assertFalse(c.merge(a).merge(b).contains(7), "merging older states does not resurrect it");
    }

    @Test
    void aSignedMaxCounterWouldNotConvergeToTheSum() {
        // Why a PN-counter is two G-counters: "max per replica" over signed values forgets decrements.
        Function<long[], Long> sum = v -> v[0] + v[1];
        long[] a = {5, 0};
        long[] b = {3, 0}; // replica 0 went 5 -> 3 (a decrement), b is newer
        long[] merged = {Math.max(a[0], b[0]), Math.max(a[1], b[1])};
        assertEquals(5, sum.apply(merged), "the decrement is lost");
        PNCounter p = PNCounter.ZERO.add(0, 5);
        PNCounter q = p.add(0, -2);
        assertEquals(3, p.merge(q).value());
    }
}
