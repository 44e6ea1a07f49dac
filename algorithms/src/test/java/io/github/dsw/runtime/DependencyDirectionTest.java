package io.github.dsw.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies, enforced on the sources of {@code algorithms/src/main/java} (a scan of
 * import declarations and fully qualified names, so it needs no library):
 * <ol>
 *   <li>{@code algorithms} depends on the JDK only: every import is {@code java.*} or {@code io.github.dsw.*};</li>
 *   <li>{@code runtime} (the API every protocol is written against) depends on nothing else of the project;</li>
 *   <li>no package but {@code sim} itself names the simulator ({@code io.github.dsw.sim}): protocols know the
 *       runtime API only, so the same node runs in the simulator, under JMH and as a real process;</li>
 *   <li>protocol packages read no clock, draw no randomness, start no thread and do no I/O of their own
 *       (those belong to the environment, behind {@link Context}).</li>
 * </ol>
 * Each rule is also run on a planted violation, so the scan is shown able to fail.
 */
class DependencyDirectionTest {

    static final Path MAIN = Path.of("src/main/java/io/github/dsw");
    /** Packages that hold protocols written against the runtime API. */
    static final Set<String> PROTOCOLS = Set.of("commit", "detect", "lease", "paxos", "raft", "register", "snapshot", "zab",
            "consistency.dynamo", "consistency.crdt", "consistency.causal", "consistency.cops");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final Pattern AMBIENT = Pattern.compile(
            "System\\.nanoTime|System\\.currentTimeMillis|Instant\\.now|java\\.util\\.Random\\b|new Random\\(|Math\\.random|ThreadLocalRandom"
            + "|new Thread\\b|Executors\\.|java\\.net\\.|java\\.nio\\.file\\.|java\\.io\\.File\\b|Thread\\.sleep");

    /** What is wrong with one source file of package {@code pkg} (empty if nothing). */
    static List<String> violations(String pkg, String file, String source) {
        List<String> out = new ArrayList<>();
        String code = stripComments(source);
        Matcher m = IMPORT.matcher(code);
        while (m.find()) {
            String name = m.group(2);
            if (!name.startsWith("java.") && !name.startsWith("io.github.dsw.")) {
                out.add(file + ": imports " + name + " (algorithms depends on the JDK only)");
            }
            if (pkg.equals("runtime") && name.startsWith("io.github.dsw.") && !name.startsWith("io.github.dsw.runtime.")) {
                out.add(file + ": runtime imports " + name + " (the runtime API depends on nothing else of the project)");
            }
        }
        if (!pkg.equals("sim") && code.contains("io.github.dsw.sim.")) {
            out.add(file + ": names the simulator (io.github.dsw.sim); only the runtime API may be used");
        }
        if (PROTOCOLS.contains(pkg) || pkg.equals("runtime")) {
            Matcher a = AMBIENT.matcher(code);
            while (a.find()) {
                out.add(file + ": uses " + a.group() + " (clocks, randomness, threads and I/O come from the Context)");
            }
        }
        return out;
    }

    /** The source without comments and string literals, so prose and messages never count as code. */
    static String stripComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ").replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    }

    @Test
    void algorithmsDependOnTheJdkAndProtocolsOnTheRuntimeApiOnly() throws IOException {
        List<String> all = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(MAIN)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String pkg = MAIN.relativize(p.getParent()).toString().replace('/', '.');
                all.addAll(violations(pkg, MAIN.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8)));
                files++;
            }
        }
        assertTrue(files > 100, "scanned only " + files + " files: wrong folder?");
        assertEquals(List.of(), all);
    }

    @Test
    void everyRuleFailsOnAPlantedViolation() {
        assertEquals(1, violations("raft", "raft/X.java", "package io.github.dsw.raft;\nimport io.github.dsw.sim.Simulator;\n").size());
        assertEquals(1, violations("paxos", "paxos/X.java", "class X { Object s = new io.github.dsw.sim.Simulator<>(); }").size());
        assertEquals(1, violations("hashing", "hashing/X.java", "import com.google.common.hash.Hashing;\n").size());
        assertEquals(1, violations("runtime", "runtime/X.java", "import io.github.dsw.raft.RaftNode;\n").size());
        assertEquals(1, violations("raft", "raft/X.java", "class X { long t = System.nanoTime(); }").size());
        assertEquals(1, violations("register", "register/X.java", "class X { java.util.Random r = null; }").size());
        // Prose and strings do not count: a comment may name the simulator, a message may name a clock.
        assertEquals(0, violations("raft", "raft/X.java", "/** see {@code io.github.dsw.sim.Simulator} */\nclass X { String s = \"System.nanoTime\"; }").size());
        assertEquals(0, violations("sim", "sim/X.java", "import io.github.dsw.sim.Trace;\nclass X { long t = System.nanoTime(); }").size());
    }
}
