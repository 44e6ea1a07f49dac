package io.github.dsw.hashing;

import java.util.List;

/**
 * Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
 * NSDI 2016, §3.4): a lookup table of M entries (M prime) that every node fills in turn, each taking
 * the next free entry of its own permutation of 0..M−1; a key is looked up at {@code table[key mod M]}.
 *
 * <p>Node i's permutation is {@code (offset_i + j·skip_i) mod M} with {@code offset = h1(name) mod M},
 * {@code skip = h2(name) mod (M−1) + 1}; M prime makes every skip coprime to M, so each sequence visits
 * every entry. Turn-taking gives each node ⌊M/n⌋ or ⌈M/n⌉ entries: near-perfect balance. The price is
 * a rebuild on every change, O(M log M) on average, and disruption that is small but not minimal (the
 * paper's Fig. 12). The paper recommends M > 100·n, default 65537. Lookup O(1), memory 4M bytes.
 */
public final class MaglevHash implements ConsistentHash {
    private static final long SEED_OFFSET = 0x4D41474C45563031L; // "MAGLEV01": h1 and h2 must be independent
    private static final long SEED_SKIP = 0x4D41474C45563032L;

    private final List<String> nodes;
    private final int[] table;

    /**
     * Builds the table.
     *
     * @throws IllegalArgumentException if {@code nodes} is empty or has nulls, blanks or duplicates, or if
     *     {@code tableSize} is not a prime larger than the number of nodes
     */
    public MaglevHash(List<String> nodes, int tableSize) {
        List<String> checked = Nodes.checked(nodes);
        if (!isPrime(tableSize)) {
            throw new IllegalArgumentException("tableSize must be prime (e.g. 65537), got " + tableSize);
        }
        if (tableSize <= checked.size()) {
            throw new IllegalArgumentException("tableSize must exceed the number of nodes " + checked.size()
                    + " (the paper recommends > 100x), got " + tableSize);
        }
        long[] offsets = new long[checked.size()];
        long[] skips = new long[checked.size()];
        for (int i = 0; i < offsets.length; i++) {
            byte[] name = checked.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            offsets[i] = Long.remainderUnsigned(KeyHash.xxh64(name, SEED_OFFSET), tableSize);
            skips[i] = Long.remainderUnsigned(KeyHash.xxh64(name, SEED_SKIP), tableSize - 1) + 1;
        }
        this.nodes = checked;
        this.table = populate(offsets, skips, tableSize);
    }

    /**
     * The paper's Pseudocode 1: nodes take turns, each claiming the next entry of its permutation that is
     * still empty, until all M entries are full. Returns table[entry] = node index.
     */
    static int[] populate(long[] offsets, long[] skips, int tableSize) {
        int n = offsets.length;
        long[] next = new long[n];
        int[] entry = new int[tableSize];
        java.util.Arrays.fill(entry, -1);
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                int c = (int) ((offsets[i] + next[i] * skips[i]) % tableSize);
                while (entry[c] >= 0) {
                    next[i]++;
                    c = (int) ((offsets[i] + next[i] * skips[i]) % tableSize);
                }
                entry[c] = i;
                next[i]++;
                filled++;
                if (filled == tableSize) {
                    return entry;
                }
            }
        }
    }

    @Override
    public String nodeFor(long keyHash) {
        return nodes.get(table[(int) Long.remainderUnsigned(keyHash, table.length)]);
    }

    @Override
    public List<String> nodes() {
        return nodes;
    }

    /** Table size M. */
    public int tableSize() {
        return table.length;
    }

    /** Entries per node, in {@link #nodes()} order (sums to M): the table's balance. */
    public long[] entriesPerNode() {
        long[] count = new long[nodes.size()];
        for (int owner : table) {
            count[owner]++;
        }
        return count;
    }

    /** The node at each table entry (a copy), for disruption counts such as the paper's Fig. 12. */
    public String[] table() {
        String[] names = new String[table.length];
        for (int i = 0; i < table.length; i++) {
            names[i] = nodes.get(table[i]);
        }
        return names;
    }

    @Override
    public MaglevHash withNode(String node) {
        return new MaglevHash(Nodes.plus(nodes, node), table.length);
    }

    @Override
    public MaglevHash withoutNode(String node) {
        return new MaglevHash(Nodes.minus(nodes, node), table.length);
    }

    /** Estimated heap bytes: 4 per table entry. */
    public long estimatedBytes() {
        return 4L * table.length;
    }

    static boolean isPrime(int m) {
        if (m < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= m; d++) {
            if (m % d == 0) {
                return false;
            }
        }
        return true;
    }
}
