package io.github.dsw.mutation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.paxos.MultiPaxosNode;
import io.github.dsw.paxos.PaxosNode;
import io.github.dsw.raft.Mutation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every deliberate bug has a test that shows a checker catching it: for each protocol's {@code Mutation} enum,
 * every value but {@code NONE} must be named in a test class of this module that also asserts a verdict (a
 * catching test, not a mention in a comment). A new mutation without such a test fails here, naming it.
 * Which test catches which bug is listed in {@link #CATCHERS}, so a renamed or deleted catching test fails too.
 */
class MutationCoverageTest {

    /** Mutation (as {@code Enum.VALUE}) -> the test class that shows a checker catching it. */
    static final Map<String, String> CATCHERS = new TreeMap<>(Map.of(
            "Mutation.NAIVE_COUNTING", "raft/Figure8Test.java",
            "Mutation.CONF_CHANGE_BEFORE_NOOP", "raft/RaftMembershipTest.java",
            "Mutation.LEADER_LOCAL_READS", "raft/RaftKvTest.java",
            "Mutation.NO_TICK_CATCH_UP", "raft/RaftLeaseReadTest.java",
            "PaxosNode.Mutation.PROPOSE_OWN_VALUE", "paxos/SingleDecreeSafetyTest.java",
            "PaxosNode.Mutation.NO_FSYNC", "paxos/SingleDecreeSafetyTest.java",
            "PaxosNode.Mutation.NO_BACKOFF", "paxos/SingleDecreeSafetyTest.java",
            "MultiPaxosNode.Mutation.SKIP_RECOVERY", "paxos/MultiPaxosKvTest.java"));

    private static final Path TESTS = Path.of("src/test/java/io/github/dsw");

    /** Every value but NONE of every protocol's Mutation enum, as {@code Enum.VALUE}, sorted. */
    static List<String> allMutations() {
        List<String> all = new ArrayList<>();
        for (Mutation m : Mutation.values()) {
            all.add("Mutation." + m.name());
        }
        for (PaxosNode.Mutation m : PaxosNode.Mutation.values()) {
            all.add("PaxosNode.Mutation." + m.name());
        }
        for (MultiPaxosNode.Mutation m : MultiPaxosNode.Mutation.values()) {
            all.add("MultiPaxosNode.Mutation." + m.name());
        }
        all.removeIf(s -> s.endsWith(".NONE"));
        return all.stream().sorted().toList();
    }

    /** What is wrong with {@code catchers} for {@code mutations}, one line each (empty: nothing). */
    static List<String> problems(List<String> mutations, Map<String, String> catchers, Path tests) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String m : mutations) {
            String test = catchers.get(m);
            if (test == null) {
                problems.add(m + ": no catching test listed in CATCHERS");
                continue;
            }
            Path file = tests.resolve(test);
            if (!Files.isRegularFile(file)) {
                problems.add(m + ": catching test " + file + " is missing");
                continue;
            }
            String src = Files.readString(file, StandardCharsets.UTF_8);
            if (!src.contains("Mutation." + m.substring(m.lastIndexOf('.') + 1))) {
                problems.add(m + " is not used in " + file);
            } else if (!src.contains("assert")) {
                problems.add(file + " asserts nothing");
            }
        }
        for (String listed : catchers.keySet()) {
            if (!mutations.contains(listed)) {
                problems.add(listed + " is listed in CATCHERS but is not a mutation");
            }
        }
        return problems;
    }

    @Test
    void everyMutationHasACatchingTest() throws IOException {
        assertEquals(List.of(), problems(allMutations(), CATCHERS, TESTS));
    }

    @Test
    void theCheckFailsOnPlantedGaps() throws IOException {
        Map<String, String> planted = new TreeMap<>(CATCHERS);
        planted.remove("Mutation.NO_TICK_CATCH_UP");
        planted.put("Mutation.LEADER_LOCAL_READS", "raft/Figure8Test.java"); // a test that does not use it
        planted.put("Mutation.GONE", "raft/RaftKvTest.java");
        List<String> p = problems(allMutations(), planted, TESTS);
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("Mutation.LEADER_LOCAL_READS is not used in"), p.toString());
        assertTrue(p.get(1).startsWith("Mutation.NO_TICK_CATCH_UP: no catching test"), p.toString());
        assertTrue(p.get(2).startsWith("Mutation.GONE is listed"), p.toString());
    }
}
