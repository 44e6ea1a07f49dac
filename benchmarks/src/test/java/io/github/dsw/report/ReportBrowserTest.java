package io.github.dsw.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens {@code report.html} in a real headless browser (Debian's {@code chromium} with {@code chromium-driver},
 * installed by {@code ./dsw setup}): the page loads with no console error, every chart image is present,
 * decoded and not blank (checked by drawing it on a canvas in the page), the tables sort when a header is
 * clicked, and a screenshot is kept as {@code benchmarks/target/browser/report.png}. The report is rendered from
 * committed reference runs of several shapes (checksum sizes: 3 panels of 6-12 series on a log axis; lock
 * sweep: 144 cases; measuring: categories). Under {@code CI=true} a missing browser fails; elsewhere the test
 * is skipped with the command that installs it.
 */
class ReportBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;

    /** A started headless Chromium, or a skip (a failure under CI) saying how to install it. */
    static ChromeDriver browser() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
            String msg = "no headless browser: " + CHROMIUM + " and " + DRIVER
                    + " are needed (./dsw setup installs them, or: apt-get install chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
        ChromeOptions o = new ChromeOptions();
        o.setBinary(CHROMIUM.toFile());
        // --no-sandbox: Chromium refuses to run as root with its sandbox (CI containers run as root).
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1600,1400", "--allow-file-access-from-files");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        o.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, o);
    }

    static Path copyRun(String name, Path into) throws IOException {
        Path src = Path.of("..").toAbsolutePath().normalize().resolve("datasets/results").resolve(name);
        Path dst = into.resolve(name);
        Files.createDirectories(dst);
        for (String f : List.of(RunResults.RESULTS_FILE, RunResults.PROVENANCE_FILE)) {
            Files.copy(src.resolve(f), dst.resolve(f));
        }
        return dst;
    }

    @Test
    void theHtmlReportLoadsWithEveryChartDrawnAndNoConsoleError() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path run = copyRun("vm-20261125-0523-checksum-sizes", tmp);
        // Fold two more shapes into the same run: categories (measuring) and the 144-case lock sweep.
        List<BenchmarkResult> all = new ArrayList<>(RunResults.load(run).results());
        all.addAll(RunResults.load(root.resolve("datasets/results/vm-20261125-0540-measuring")).results());
        all.addAll(RunResults.load(root.resolve("datasets/results/vm-20261125-0545-lock-sweep")).results());
        RunResults merged = new RunResults(run, RunResults.load(run).provenance(), all);
        Report.Rendered rendered = Report.render(merged, References.load(root.resolve("datasets/results"), null));
        int charts = rendered.sections().stream().mapToInt(s -> s.charts().size()).sum();
        int classes = rendered.sections().size();
        Path html = run.resolve("report.html");
        ChromeDriver driver = browser();
        try {
            driver.get(html.toUri().toString());
            List<WebElement> imgs = driver.findElements(By.cssSelector("img.chart"));
            assertEquals(charts, imgs.size(), "one <img class=chart> per chart drawn");
            assertTrue(charts >= classes, "every benchmark class has a chart");
            JavascriptExecutor js = driver;
            for (WebElement img : imgs) {
                // Decoded (naturalWidth > 0) and not blank: the share of pixels that are not near-white.
                Object share = js.executeScript("""
                        const img = arguments[0];
                        if (!img.complete || img.naturalWidth === 0) return -1;
                        const c = document.createElement('canvas');
                        c.width = img.naturalWidth; c.height = img.naturalHeight;
                        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
                        const d = g.getImageData(0, 0, c.width, c.height).data;
                        let ink = 0;
                        for (let i = 0; i < d.length; i += 4) { if (d[i] < 200 || d[i+1] < 200 || d[i+2] < 200) ink++; }
                        return ink / (d.length / 4);
                        """, img);
                double ink = ((Number) share).doubleValue();
                String name = img.getAttribute("data-file");
                assertTrue(ink >= 0, name + " did not load in the browser");
                assertTrue(ink > 0.01, name + " is blank (" + ink + " of its pixels have ink)");
            }
            assertEquals(classes, driver.findElements(By.cssSelector("nav#toc li li a")).size(), "a TOC entry per class");
            // Sorting: click the JMH score column of the first table twice; the column must come out ordered.
            WebElement table = driver.findElement(By.cssSelector("table.sortable"));
            List<WebElement> heads = table.findElements(By.tagName("th"));
            int col = -1;
            for (int i = 0; i < heads.size(); i++) {
                if (heads.get(i).getText().startsWith("JMH score")) {
                    col = i;
                }
            }
            assertTrue(col >= 0, "a JMH score column");
            heads.get(col).click();
            List<Double> values = new ArrayList<>();
            for (WebElement row : table.findElements(By.cssSelector("tbody tr"))) {
                values.add(Double.parseDouble(row.findElements(By.tagName("td")).get(col).getText().replace(",", "")));
            }
            List<Double> sorted = new ArrayList<>(values);
            sorted.sort(null);
            assertEquals(sorted, values, "after one click the column is in ascending order");
            Path shots = root.resolve("benchmarks/target/browser");
            Files.createDirectories(shots);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), shots.resolve("report.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            List<String> errors = new ArrayList<>();
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(e.getMessage());
                }
            }
            assertEquals(List.of(), errors, "console errors");
            System.out.println("browser: " + imgs.size() + " charts checked; screenshot " + shots.resolve("report.png")
                    + " " + Map.of("classes", classes));
        } finally {
            driver.quit();
        }
    }
}
