package io.github.dsw.cli;

import static io.github.dsw.cli.CliRun.run;

import io.github.dsw.cli.CliRun.Result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conventions people expect of a command line (those picocli-style tools follow), checked on every command:
 * each option a parser declares is documented in its help and the other way round, mistyped commands and
 * options get a suggestion, {@code --version} prints the version of the root POM, and the generated completion
 * script completes in a real bash.
 */
class CliConventionsTest {

    @Test
    void everyDeclaredOptionIsDocumentedAndEveryDocumentedOptionIsDeclared() {
        List<String> problems = new ArrayList<>();
        for (Command c : Main.COMMANDS) {
            if (!c.parsesWithArgs()) {
                continue; // options read from its help text by construction
            }
            Set<String> declared = new TreeSet<>();
            List<List<String>> variants = c instanceof SimulateCommand
                    ? SimulateCommand.protocols().stream().map(List::of).toList()
                    : List.of(List.of());
            for (List<String> words : variants) {
                Args.Described d = Args.describe(c::run, words);
                if (d == null) {
                    problems.add(c.name() + " " + words + ": does not parse its options with Args before anything else");
                    continue;
                }
                d.valued.forEach(o -> declared.add("--" + o));
                d.flags.forEach(o -> declared.add("--" + o));
            }
            declared.add("--help");
            Set<String> documented = CompletionCommand.documented(c.help());
            Set<String> undocumented = new TreeSet<>(declared);
            undocumented.removeAll(documented);
            Set<String> notAccepted = new TreeSet<>(documented);
            notAccepted.removeAll(declared);
            if (!undocumented.isEmpty()) {
                problems.add(c.name() + ": accepted but not in --help: " + undocumented);
            }
            if (!notAccepted.isEmpty()) {
                problems.add(c.name() + ": in --help but refused by the parser: " + notAccepted);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        for (Command c : Main.COMMANDS) {
            Result r = run(c.name(), "--help");
            assertEquals(0, r.exit(), c.name() + " --help");
            assertTrue(r.out().contains("usage: ./dsw " + c.name()), c.name() + " --help shows its usage line:\n" + r.out());
        }
    }

    @Test
    void aMistypedCommandGetsASuggestionAndExit2() {
        Result r = run("comapre", "a", "b");
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("did you mean 'compare'?"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        Result far = run("frobnicate");
        assertEquals(ExitCode.USAGE, far.exit());
        assertTrue(!far.err().contains("did you mean"), "no suggestion for a word close to nothing: " + far.err());
    }

    @Test
    void aMistypedOptionGetsTheDeclaredOneItWasProbablyMeantToBe() {
        Result r = run("simulate", "raft-kv", "--sede", "3");
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("did you mean --seed?"), r.err());
        Result swapped = run("simulate", "raft-kv", "--hsitory-out", "x.jsonl");
        assertTrue(swapped.err().contains("did you mean --history-out?"), "a swap of two letters: " + swapped.err());
    }

    @Test
    void versionIsTheRootPomVersion() throws Exception {
        String pom = Files.readString(root().resolve("pom.xml"));
        Matcher m = Pattern.compile("<artifactId>dsw-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the root pom.xml names dsw-parent and its version");
        Result r = run("--version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("dsw " + m.group(1) + " "), r.out());
    }

    @Test
    void theCompletionScriptCompletesInARealBash(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("dsw.bash");
        Files.writeString(script, CompletionCommand.script("bash", Main.COMMANDS));
        assertEquals(List.of("compare", "completion"), complete(script, "dsw", "comp"));
        List<String> seedOptions = complete(script, "dsw", "simulate", "raft-kv", "--se");
        assertEquals(List.of("--seed"), seedOptions);
        assertTrue(complete(script, "dsw", "simulate", "ra").containsAll(List.of("raft-kv", "raft-elections")));
        assertEquals(List.of("--participants"), complete(script, "dsw", "simulate", "2pc", "--par"));
        assertEquals(List.of("--allow-incomplete"), complete(script, "dsw", "compare", "--allow"));
    }

    /** What bash's {@code compgen}-based function offers for the last of {@code words}. */
    private static List<String> complete(Path script, String... words) throws Exception {
        StringBuilder arr = new StringBuilder();
        for (String w : words) {
            arr.append('\'').append(w).append("' ");
        }
        String cmd = "source '" + script + "'; COMP_WORDS=(" + arr + "); COMP_CWORD=" + (words.length - 1)
                + "; _dsw_complete; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash finished");
        assertEquals(0, p.exitValue(), out);
        return out.lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    private static Path root() {
        return CourseReferencesTest.ROOT; // tests run in benchmarks/
    }

}
