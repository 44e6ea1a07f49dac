package io.github.dsw.raft.golden;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden Raft scenarios in the style of etcd's {@code raft/testdata/*.txt} (datadriven tests): every
 * file in {@code src/test/resources/raft-golden/} is a script of commands, each followed by a line
 * {@code ----} and the output it must produce; {@link ScenarioCluster} replays the commands against a
 * fresh cluster of {@code RaftNode}s and this test compares, line by line, printing the first
 * difference with its file, line and command. One file per rule of the Raft paper or of Ongaro's
 * dissertation; its opening comment states the rule and which output lines show it.
 *
 * <p><b>Regenerating.</b> When RaftNode's behaviour changes on purpose, rewrite the expected outputs with
 * <pre>
 *   mvn -q -o -pl scenarios -am test -Dtest=GoldenScenarioTest -Dsurefire.failIfNoSpecifiedTests=false -Ddsw.regenerate=true
 * </pre>
 * ({@code -am} builds algorithms/ from this checkout in the same reactor, rather than taking whatever
 * jar was last installed in the local Maven repository)
 * then review {@code git diff scenarios/src/test/resources/raft-golden/} line by line against each file's
 * rule before committing: a golden file records a checked behaviour, not whatever the code does. Without
 * the flag the files are never written. The language is described in the folder's README.md.
 */
class GoldenScenarioTest {

    static final String SEPARATOR = "----";
    private static final boolean REGENERATE = Boolean.getBoolean("dsw.regenerate");

    /** One command of a file: the lines before it (comments, blank lines), its line number, expected output. */
    record Block(List<String> preamble, String command, int line, List<String> expected) {
    }

    @TestFactory
    Stream<DynamicTest> scenarios() throws IOException {
        Path dir = folder();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        if (files.isEmpty()) {
            fail("no scenario files in " + dir.toAbsolutePath());
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
    }

    /** The source folder (not the copy on the class path), so that regeneration rewrites the files under review. */
    private static Path folder() {
        Path base = Path.of(System.getProperty("basedir", "."));
        Path dir = base.resolve("src/test/resources/raft-golden");
        if (!Files.isDirectory(dir)) {
            dir = base.resolve("scenarios/src/test/resources/raft-golden");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("raft-golden folder not found under " + base.toAbsolutePath());
        }
        return dir;
    }

    private static void replay(Path file) {
        List<Block> blocks;
        try {
            blocks = parse(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ScenarioCluster cluster = new ScenarioCluster();
        List<Block> actual = new ArrayList<>();
        for (Block b : blocks) {
            List<String> got;
            try {
                got = cluster.run(b.command());
            } catch (RuntimeException e) {
                throw new AssertionError(file.getFileName() + ":" + b.line() + ": '" + b.command() + "' failed: " + e, e);
            }
            actual.add(new Block(b.preamble(), b.command(), b.line(), got));
            if (!REGENERATE && !got.equals(b.expected())) {
                fail(diff(file.getFileName().toString(), b, got));
            }
        }
        if (REGENERATE) {
            try {
                Files.writeString(file, render(actual), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Splits a file into blocks: comment ('#') and blank lines, a command line, {@code ----}, then the
     * expected output up to the next blank line. A command without a separator (a new file being written)
     * has an empty expected output, which only regeneration fills in.
     */
    static List<Block> parse(String name, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        List<String> preamble = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                preamble.add(l);
                i++;
                continue;
            }
            int commandLine = i + 1;
            i++;
            List<String> expected = new ArrayList<>();
            if (i < lines.size() && lines.get(i).equals(SEPARATOR)) {
                i++;
                while (i < lines.size() && !lines.get(i).isBlank()) {
                    expected.add(lines.get(i++));
                }
            } else if (!REGENERATE) {
                throw new IllegalArgumentException(name + ":" + commandLine + ": expected '" + SEPARATOR + "' after command '" + l + "'");
            }
            blocks.add(new Block(List.copyOf(preamble), l, commandLine, expected));
            preamble.clear();
        }
        return blocks;
    }

    static String render(List<Block> blocks) {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            List<String> pre = new ArrayList<>(b.preamble());
            while (!pre.isEmpty() && pre.get(pre.size() - 1).isBlank()) {
                pre.remove(pre.size() - 1); // exactly one blank line between blocks
            }
            if (sb.length() > 0) {
                sb.append('\n');
            }
            for (String p : pre) {
                sb.append(p).append('\n');
            }
            sb.append(b.command()).append('\n').append(SEPARATOR).append('\n');
            for (String o : b.expected()) {
                sb.append(o).append('\n');
            }
        }
        return sb.toString();
    }

    /** The first differing line, with two lines of context each side, unified-diff style. */
    static String diff(String file, Block b, List<String> got) {
        List<String> want = b.expected();
        int k = 0;
        while (k < want.size() && k < got.size() && want.get(k).equals(got.get(k))) {
            k++;
        }
        int outputStart = b.line() + 2; // the command, then the separator
        StringBuilder sb = new StringBuilder();
        sb.append(file).append(':').append(outputStart + k).append(": output of '").append(b.command()).append("' differs at its line ")
                .append(k + 1).append(" (rerun with -Ddsw.regenerate=true and review the git diff if the change is intended)\n");
        sb.append("--- expected\n+++ actual\n");
        for (int c = Math.max(0, k - 2); c < k; c++) {
            sb.append("  ").append(want.get(c)).append('\n');
        }
        for (int c = k; c < Math.min(want.size(), k + 3); c++) {
            sb.append("- ").append(want.get(c)).append('\n');
        }
        for (int c = k; c < Math.min(got.size(), k + 3); c++) {
            sb.append("+ ").append(got.get(c)).append('\n');
        }
        return sb.toString();
    }
}
