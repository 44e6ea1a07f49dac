package io.github.dsw.consistency.cops;

import java.util.List;

/**
 * Messages of the COPS-style store ({@link CopsNode}); names follow Lloyd et al., "Don't Settle for Eventual:
 * Scalable Causal Consistency for Wide-Area Storage with COPS", SOSP 2011, section 4.
 */
public sealed interface CopsMessage {

    /**
     * A version number: a Lamport timestamp with the writing node as tie-breaker (COPS section 4.1: "a Lamport
     * timestamp ... with a unique node identifier in the low-order bits"). Totally ordered and consistent with
     * causality, so "the highest version wins" is a last-writer-wins rule that never overwrites a cause with its
     * effect: replicas converge (causal+).
     */
    record Version(long clock, int node) implements Comparable<Version> {
        @Override
        public int compareTo(Version o) {
            return clock != o.clock ? Long.compare(clock, o.clock) : Integer.compare(node, o.node);
        }

        public boolean atLeast(Version o) {
            return compareTo(o) >= 0;
        }
    }

    /** A dependency: the version {@code version} (or a later one) of {@code key} must be visible first. */
    record Dep(String key, Version version) {
    }

    /** get_by_version(key, LATEST) from a client ({@code client} = -1) or forwarded to the key's owner. */
    record Get(long requestId, int client, String key) implements CopsMessage {
    }

    /** The value and version read (both null if the key has none). */
    record GetReply(long requestId, String key, Long value, Version version) implements CopsMessage {
    }

    /** put_after(key, value, nearest dependencies) from a client ({@code client} = -1) or forwarded. */
    record Put(long requestId, int client, String key, long value, List<Dep> deps) implements CopsMessage {
        public Put {
            deps = List.copyOf(deps);
        }
    }

    /** The version the local datacenter gave the write. */
    record PutReply(long requestId, String key, Version version) implements CopsMessage {
    }

    /** A write replicated to the key's owner in another datacenter, with its nearest dependencies. */
    record Replicate(String key, long value, Version version, List<Dep> deps) implements CopsMessage {
        public Replicate {
            deps = List.copyOf(deps);
        }
    }

    /** "I have the write {@code version}": the sender stops resending it. */
    record ReplicateAck(Version version) implements CopsMessage {
    }

    /** dep_check: answer once {@code dep} is visible here; {@code waiting} names the write that waits for it. */
    record DepCheck(Version waiting, Dep dep) implements CopsMessage {
    }

    /** {@code dep} is visible at the sender. */
    record DepOk(Version waiting, Dep dep) implements CopsMessage {
    }
}
