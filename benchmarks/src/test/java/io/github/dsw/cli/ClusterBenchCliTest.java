package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cluster-bench}: warm-up rounds run but are neither recorded nor counted; bad values are usage errors. */
class ClusterBenchCliTest {

    @Test
    void warmupRoundsAreShownButNotRecorded(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("bench.csv");
        CliRun.Result r = CliRun.run("cluster-bench", "--systems", "dsw-raft-embedded", "--nodes", "3", "--clients", "2", "--time", "300ms",
                "--warmup", "100ms", "--repeat", "2", "--warmup-rounds", "1", "--csv", csv.toString(), "--dir", dir.resolve("data").toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(1, lines.stream().filter(l -> l.startsWith("# warm-up round 1 of 1 (not recorded): system=dsw-raft-embedded ")).count(), r.out());
        assertEquals(2, lines.stream().filter(l -> l.startsWith("system=dsw-raft-embedded ")).count(), r.out());
        List<String> rows = Files.readAllLines(csv);
        assertEquals(3, rows.size(), "header and one row per measured repetition: " + rows);
        assertTrue(rows.get(1).startsWith("0,dsw-raft-embedded,") && rows.get(2).startsWith("1,dsw-raft-embedded,"), rows.toString());
    }

    @Test
    void outOfRangeWarmupRoundsIsAUsageError() {
        CliRun.Result r = CliRun.run("cluster-bench", "--systems", "dsw-raft", "--warmup-rounds", "21");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().contains("warmup-rounds"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
