package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The launcher and the processes it starts, probed from outside (issue 24): the shell cases run
 * {@code benchmarks/src/test/sh/launcher-probes.sh}, which sources the real {@code dsw}, {@code .ci/dsw-jupyter.sh}
 * and {@code .ci/run} in a fake world (fake JDKs, a fake source tree, a stub python) and checks an exit code and a
 * first line; the interrupt case starts the Java CLI as a real process and sends it SIGINT.
 */
class LauncherProbeTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize(); // surefire runs in benchmarks/

    @ParameterizedTest
    @ValueSource(strings = {
        "jdk_explicit_java_home_wins",
        "jdk_old_java_home_is_passed_over",
        "jdk_dsw_java_home_too_old_is_an_error",
        "stale_notices_a_deleted_source",
        "stale_notices_an_old_file_added",
        "build_lock_makes_concurrent_commands_build_once",
        "kernel_json_is_escaped",
        "pip_falls_back_to_a_venv_when_python_is_externally_managed",
        "pip_breaks_system_packages_only_without_a_venv",
        "ci_run_fails_clearly_when_the_jdk_install_fails",
        "executor_reports_a_corrupt_notebook_in_one_line_and_runs_the_rest",
        "executor_names_copies_by_relative_path",
        "executor_expect_failure_refuses_a_kernel_that_never_starts",
        "executor_overall_timeout",
    })
    void launcherProbe(String probe) throws Exception {
        Process p = new ProcessBuilder("bash", ROOT.resolve("benchmarks/src/test/sh/launcher-probes.sh").toString(), probe)
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), probe + " did not finish");
        Assumptions.assumeFalse(p.exitValue() == 77, out.strip());
        assertEquals(0, p.exitValue(), probe + ":\n" + out);
    }

    @Test
    void interruptedBenchSaysWhereThePartialRunIsAndLeavesItIncomplete(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("interrupted");
        String java = ProcessHandle.current().info().command().orElseThrow();
        // Three smoke cases of 5 s each: the signal arrives during the first.
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Ddsw.root=" + ROOT,
                "-Djava.awt.headless=true", Main.class.getName(), "bench", "smoke", "--only", "DeadCode", "--time", "5000",
                "--out", run.toString()).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.startsWith("[1/")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = String.join("\n", lines);
        assertEquals(130, p.exitValue(), "killed by SIGINT (128 + 2):\n" + out);
        assertTrue(lines.contains("dsw bench: interrupted; the partial run is in " + run + " (no 'complete' marker: report and compare"
                + " refuse it without --allow-incomplete)"), out);
        assertTrue(Files.exists(run.resolve("provenance.json")), "the partial run is there");
        assertFalse(Files.exists(run.resolve(RunFolder.COMPLETE)), "and not marked complete");
    }

    @Test
    void theReadmeDocumentsTheExitCodeContractOfHelp() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (String line : ExitCode.table().lines().skip(1).toList()) { // "  0  success / ..." is "| 0 | success / ... |"
            String row = "| " + line.strip().replaceFirst("^(\\d)\\s+", "$1 | ") + " |";
            assertTrue(readme.contains(row), "README lacks the exit-code row '" + row + "'");
        }
    }
}
