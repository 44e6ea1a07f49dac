package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same behaviour, bit for bit: a fixed list of {@code ./dsw simulate} runs (every protocol, seeds 1-20,
 * every nemesis, plus Raft's read modes and snapshots) must produce exactly the trace hashes and history
 * bytes recorded in {@code datasets/sim/trace-hashes.tsv}. The file was written by the code as it stood
 * before a restructuring, so a refactoring that changes what any protocol does, in any run, fails here.
 * Where a change of behaviour is intended, regenerate the file with
 * {@code mvn -pl benchmarks test -Dtest=TraceBaselineTest -Ddsw.regenerate=true} in the commit that makes
 * the change, and say why in its message.
 *
 * <p>The runs go through the CLI in-process, so the test does not depend on the drivers' Java API.
 */
class TraceBaselineTest {

    static final Path FILE = Path.of("../datasets/sim/trace-hashes.tsv");
    private static final String[] NEMESES = {"none", "partition", "crash", "pause", "loss", "duplicate", "reorder", "skew", "all"};
    private static final Pattern HASH = Pattern.compile("trace hash ([0-9a-f]{16})");

    @TempDir
    Path tmp;

    /** Every run of the list, as its CLI arguments after {@code simulate}. */
    static List<String> runs() {
        List<String> runs = new ArrayList<>();
        for (String protocol : new String[] {"abd", "primary-backup", "paxos-kv", "raft-kv"}) {
            for (String nemesis : NEMESES) {
                for (int seed = 1; seed <= 20; seed++) {
                    runs.add(protocol + " --seed " + seed + " --nemesis " + nemesis);
                }
            }
        }
        String[] raftVariants = {"--read-mode read-index", "--read-mode lease", "--snapshot-every 25",
            "--read-mode read-index --snapshot-every 10 --unreliable-clients --nodes 5"};
        for (String variant : raftVariants) {
            for (String nemesis : new String[] {"crash", "partition", "all"}) {
                for (int seed = 1; seed <= 20; seed++) {
                    runs.add("raft-kv --seed " + seed + " --nemesis " + nemesis + " " + variant);
                }
            }
        }
        return runs;
    }

    /** Runs one simulation and returns "exit code, trace hash, FNV-1a of the history's bytes". */
    private String fingerprint(String run) throws IOException {
        Path history = tmp.resolve("h.jsonl");
        List<String> argv = new ArrayList<>();
        argv.add("simulate");
        argv.addAll(List.of(run.split(" ")));
        argv.add("--history-out");
        argv.add(history.toString());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = Main.run(argv, System.out, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        Matcher m = HASH.matcher(text);
        String trace = m.find() ? m.group(1) : "-";
        String historyHash = Files.exists(history) ? String.format("%016x", fnv1a(Files.readAllBytes(history))) : "-";
        Files.deleteIfExists(history);
        return exit + "\t" + trace + "\t" + historyHash;
    }

    private static long fnv1a(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * The same seed in a second, freshly started JVM gives the same trace hash: hash iteration orders
     * ({@code Set.of}, {@code Map.copyOf}) are randomised per JVM and must never reach a protocol's
     * behaviour or its trace.
     */
    @Test
    void aSeedReplaysInAnotherJvm() throws Exception {
        for (String run : new String[] {"abd --seed 5 --nemesis all", "primary-backup --seed 5 --nemesis all",
            "paxos-kv --seed 5 --nemesis all", "paxos-kv --seed 9 --nemesis crash", "raft-kv --seed 5 --nemesis all --snapshot-every 20"}) {
            String here = fingerprint(run).split("\t")[1];
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "simulate"));
            cmd.addAll(List.of(run.split(" ")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = HASH.matcher(text);
            assertTrue(m.find(), "no trace hash in the other JVM's output of " + run + ":\n" + text);
            assertEquals(here, m.group(1), "./dsw simulate " + run + " gave another trace in a second JVM");
        }
    }

    @Test
    void everyRecordedRunReplaysBitForBit() throws IOException {
        if (Boolean.getBoolean("dsw.regenerate")) {
            StringBuilder sb = new StringBuilder();
            sb.append("# ./dsw simulate ARGS: exit code, trace hash, FNV-1a-64 of the --history-out bytes. Written by\n")
              .append("# TraceBaselineTest with -Ddsw.regenerate=true; change it only in a commit that changes behaviour on purpose.\n");
            for (String run : runs()) {
                sb.append(run).append('\t').append(fingerprint(run)).append('\n');
            }
            Files.writeString(FILE, sb.toString(), StandardCharsets.UTF_8);
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            expected.put(line.substring(0, tab), line.substring(tab + 1));
        }
        assertEquals(runs(), new ArrayList<>(expected.keySet()), "the recorded list of runs differs from runs(): regenerate on purpose");
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String actual = fingerprint(e.getKey());
            if (!actual.equals(e.getValue())) {
                differ.add("./dsw simulate " + e.getKey() + ": expected " + e.getValue().replace('\t', ' ') + ", got "
                        + actual.replace('\t', ' '));
            }
        }
        assertTrue(differ.isEmpty(), differ.size() + " of " + expected.size() + " runs changed behaviour:\n"
                + String.join("\n", differ.subList(0, Math.min(20, differ.size()))));
    }
}
