package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ArgumentCheckTest {

    static void rejects(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void emptyNodeListsAreRejected() {
        List<String> empty = List.of();
        rejects("nodes", () -> new ModuloHash(empty));
        rejects("nodes", () -> new HashRing(empty, 10));
        rejects("nodes", () -> new JumpHash(empty));
        rejects("nodes", () -> new RendezvousHash(empty));
        rejects("weights", () -> new WeightedRendezvousHash(Map.of()));
        rejects("nodes", () -> new MaglevHash(empty, 65537));
        rejects("nodes", () -> new MultiProbeHash(empty, 21));
        rejects("nodes", () -> new BoundedLoadHash(empty, 10, 0.25));
        rejects("nodes", () -> new AnchorHash(empty, 10));
    }

    @Test
    void duplicateNodesAreRejected() {
        List<String> dup = List.of("a", "b", "a");
        rejects("twice", () -> new ModuloHash(dup));
        rejects("twice", () -> new HashRing(dup, 10));
        rejects("twice", () -> new JumpHash(dup));
        rejects("twice", () -> new RendezvousHash(dup));
        rejects("twice", () -> new MaglevHash(dup, 65537));
        rejects("twice", () -> new MultiProbeHash(dup, 21));
        rejects("twice", () -> new AnchorHash(dup, 10));
        rejects("already", () -> new HashRing(List.of("a"), 10).withNode("a"));
        rejects("not one of", () -> new HashRing(List.of("a", "b"), 10).withoutNode("c"));
        rejects("only node", () -> new RendezvousHash(List.of("a")).withoutNode("a"));
    }

    @Test
    void parameterRangesAreChecked() {
        List<String> nodes = List.of("a", "b");
        rejects("prime", () -> new MaglevHash(nodes, 65536));
        rejects("prime", () -> new MaglevHash(nodes, 1));
        rejects("exceed", () -> new MaglevHash(List.of("a", "b", "c"), 3));
        rejects("probes", () -> new MultiProbeHash(nodes, 0));
        rejects("epsilon", () -> new BoundedLoadHash(nodes, 10, 0.0));
        rejects("epsilon", () -> new BoundedLoadHash(nodes, 10, -0.5));
        rejects("epsilon", () -> new BoundedLoadHash(nodes, 10, Double.NaN));
        rejects("virtualNodes", () -> new HashRing(nodes, 0));
        rejects("capacity", () -> new AnchorHash(List.of("a", "b", "c"), 2));
        rejects("weight", () -> new WeightedRendezvousHash(Map.of("a", 0.0)));
        rejects("n must be", () -> new HashRing(nodes, 10).replicasFor(1L, 3));
        rejects("not assigned", () -> new BoundedLoadHash(nodes, 10, 0.5).release(42L));
        assertThrows(UnsupportedOperationException.class, () -> new AnchorHash(nodes, 2).withNode("c"));
    }
}
