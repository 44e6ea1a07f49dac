package io.github.dsw.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code ./dsw notebook} as a person uses it: the launcher starts Jupyter Notebook on 127.0.0.1 with a token
 * and prints the URL; a real headless Chromium opens {@code notebooks/00-measuring.ipynb} through it, waits for
 * the dsw-java kernel, runs the first code cell and checks it finished without an error output; the page is
 * kept as {@code benchmarks/target/browser/notebook.png}. Autosave is switched off in the page and the notebook
 * file is checked byte for byte afterwards: opening it must not write outputs into a tracked file. The server
 * (and its kernel) is stopped in {@code finally}.
 *
 * <p>Needs the uber-jar and the kernel jars (./dsw setup, which {@code ./dsw test} runs before Maven) and
 * Debian's jupyter-notebook; under {@code CI=true} anything missing fails, elsewhere the test is skipped with
 * the command to run.
 */
class NotebookBrowserTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String NOTEBOOK = "00-measuring.ipynb";
    private static final Pattern URL = Pattern.compile("open (http://127\\.0\\.0\\.1:(\\d+))/tree\\?token=([0-9a-f]+)");

    private static void require(boolean ok, String msg) {
        if (!ok) {
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    @Test
    void aNotebookOpensThroughDswNotebookAndItsFirstCodeCellRuns() throws Exception {
        require(Files.isExecutable(Path.of("/usr/bin/jupyter-notebook")),
                "no Jupyter Notebook server: ./dsw setup installs it (or: apt-get install jupyter-notebook)");
        require(Files.exists(ROOT.resolve("benchmarks/target/benchmarks.jar"))
                        && Files.exists(ROOT.resolve("benchmarks/target/kernel/rapaio-jupyter-kernel.jar")),
                "the workbench jar and kernel jars are not built: run ./dsw setup first");
        Path notebook = ROOT.resolve("notebooks").resolve(NOTEBOOK);
        byte[] before = Files.readAllBytes(notebook);
        boolean checkpointsBefore = Files.exists(ROOT.resolve("notebooks/.ipynb_checkpoints"));
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("dsw").toString(), "notebook").directory(ROOT.toFile());
        pb.environment().put("DSW_NO_BUILD", "1"); // Maven is the build running this test
        Process server = pb.start();
        server.getOutputStream().close();
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Matcher> url = new CompletableFuture<>();
        Thread drain = new Thread(() -> { // reads the server's log to the end, so that it never blocks on a full pipe
            try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    log.add(line);
                    Matcher m = URL.matcher(line);
                    if (m.find()) {
                        url.complete(m);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the server was stopped
            }
            url.completeExceptionally(new AssertionError("./dsw notebook printed no URL; its log:\n" + String.join("\n", log)));
        }, "notebook-log");
        drain.setDaemon(true);
        drain.start();
        Thread.ofVirtual().start(() -> { // stdout too, in the background (the server writes little there)
            try {
                server.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            } catch (java.io.IOException ignored) {
                // the server was stopped
            }
        });
        ChromeDriver driver = null;
        List<ProcessHandle> kernels = new ArrayList<>();
        try {
            Matcher m = url.get(120, TimeUnit.SECONDS);
            String base = m.group(1);
            String token = m.group(3);
            waitForServer(base + "/api/status?token=" + token, Duration.ofSeconds(120), log);
            driver = ReportBrowserTest.browser();
            driver.get(base + "/notebooks/" + NOTEBOOK + "?token=" + token);
            JavascriptExecutor js = driver;
            new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> Boolean.TRUE.equals(js.executeScript(
                    "return typeof Jupyter !== 'undefined' && !!Jupyter.notebook && Jupyter.notebook._fully_loaded === true")));
            js.executeScript("Jupyter.notebook.set_autosave_interval(0);");
            // The kernel answers kernel_info once it is up: the page's kernel object says it is connected and idle.
            new WebDriverWait(driver, Duration.ofSeconds(180)).until(d -> Boolean.TRUE.equals(js.executeScript(
                    "const k = Jupyter.notebook.kernel; return !!k && k.is_connected() && "
                            + "document.querySelector('#kernel_indicator_icon').classList.contains('kernel_idle_icon')")));
            String kernelName = (String) js.executeScript("return Jupyter.notebook.kernel.name");
            assertEquals("dsw-java", kernelName, "the notebook runs on the workbench's kernel");
            long index = (Long) js.executeScript(
                    "const cells = Jupyter.notebook.get_cells(); const i = cells.findIndex(c => c.cell_type === 'code');"
                            + "Jupyter.notebook.select(i); cells[i].execute(); return i;");
            new WebDriverWait(driver, Duration.ofSeconds(180)).until(d -> js.executeScript(
                    "const p = Jupyter.notebook.get_cell(arguments[0]).input_prompt_number; return typeof p === 'number' ? p : null",
                    index) != null);
            Object errors = js.executeScript(
                    "return Jupyter.notebook.get_cell(arguments[0]).output_area.outputs.filter(o => o.output_type === 'error')"
                            + ".map(o => o.ename + ': ' + o.evalue).join('; ')", index);
            assertEquals("", errors, "the first code cell ran without an error");
            Path shots = ROOT.resolve("benchmarks/target/browser");
            Files.createDirectories(shots);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), shots.resolve("notebook.png"), StandardCopyOption.REPLACE_EXISTING);
            System.out.println("browser: " + NOTEBOOK + " cell " + index + " ran on dsw-java; screenshot "
                    + shots.resolve("notebook.png"));
        } finally {
            if (driver != null) {
                driver.quit();
            }
            kernels.addAll(server.descendants().toList());
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.descendants().forEach(ProcessHandle::destroyForcibly);
                server.destroyForcibly();
            }
            if (!checkpointsBefore) { // created by the server when it opened the notebook, never by a person here
                deleteTree(ROOT.resolve("notebooks/.ipynb_checkpoints"));
            }
        }
        assertArrayEquals(before, Files.readAllBytes(notebook), "opening " + NOTEBOOK + " must not change the file");
        for (ProcessHandle k : kernels) {
            k.onExit().get(30, TimeUnit.SECONDS); // a kernel left running would time out here
        }
    }

    private static void waitForServer(String url, Duration limit, List<String> log) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
                c.setConnectTimeout(2000);
                c.setReadTimeout(5000);
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        fail("Jupyter did not answer " + url + " within " + limit + "; its log:\n" + String.join("\n", log));
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
