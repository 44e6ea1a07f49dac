package io.github.dsw.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where and how a set of results was measured: the sidecar {@code provenance.json} written next to
 * every {@code results.json}. Its fields are documented in {@code datasets/README.md}.
 *
 * @param host        host name
 * @param date        ISO-8601 date and time the run started, with offset
 * @param cpuModel    from /proc/cpuinfo ("unknown" elsewhere)
 * @param cores       logical processors available to the JVM
 * @param memoryBytes physical memory (0 when unknown)
 * @param os          name, version and architecture
 * @param jdkVendor   {@code java.vendor}
 * @param jdkVersion  {@code java.runtime.version}
 * @param vm          {@code java.vm.name} and version
 * @param jmhVersion  JMH version used
 * @param suite       suite name (quick, full, smoke, or a description of a custom selection)
 * @param jmhOptions  the options given to JMH (forks, warm-up, measurement, filters, params)
 * @param command     the command line that produced the run
 * @param gitCommit   commit of the workbench ({@code unknown} outside a git checkout)
 * @param gitDirty    whether the work tree had uncommitted changes
 * @param note        free text (e.g. "machine shared with other work, numbers noisy")
 * @param cpuFeatures the instruction-set extensions that decide how fast the benchmarks' intrinsics run
 *                    ({@link #FEATURES} found in /proc/cpuinfo's flags, sorted); null in runs recorded before
 *                    this field existed. Two hosts that print the same {@code cpuModel} (a VM says "AMD EPYC"
 *                    whatever the generation) can differ here, and a JDK intrinsic such as {@code CRC32} runs
 *                    several times faster with AVX-512 and VPCLMULQDQ than with AVX2 and PCLMULQDQ alone.
 */
public record Provenance(String host, String date, String cpuModel, int cores, long memoryBytes, String os,
                         String jdkVendor, String jdkVersion, String vm, String jmhVersion, String suite,
                         Map<String, String> jmhOptions, List<String> command, String gitCommit, boolean gitDirty,
                         String note, List<String> cpuFeatures) {

    /** The flags recorded in {@link #cpuFeatures} (x86-64 names, then AArch64's), when the CPU has them. */
    public static final List<String> FEATURES = List.of("sse4_2", "pclmulqdq", "aes", "sha_ni", "avx", "avx2", "bmi2",
            "avx512f", "avx512bw", "avx512vl", "vpclmulqdq", "vaes", "crc32", "pmull", "sha2", "asimd", "sve");

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Describes this machine and JVM now. */
    public static Provenance capture(Path root, String suite, Map<String, String> jmhOptions, List<String> command,
                                     String note) {
        String commit = git(root, "rev-parse", "HEAD").orElse("unknown");
        boolean dirty = git(root, "status", "--porcelain", "--untracked-files=no").map(s -> !s.isBlank()).orElse(false);
        return new Provenance(hostName(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                readCpuModel(), Runtime.getRuntime().availableProcessors(), readMemoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vendor"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                org.openjdk.jmh.util.Version.getPlainVersion(), suite, Map.copyOf(jmhOptions), List.copyOf(command),
                commit, dirty, note == null ? "" : note, readCpuFeatures());
    }

    /**
     * True when both runs recorded their CPU features and they differ: their scores then compare two kinds of
     * hardware, not two versions of the code.
     */
    public boolean differentCpuFeatures(Provenance other) {
        return cpuFeatures != null && other.cpuFeatures != null && !cpuFeatures.equals(other.cpuFeatures);
    }

    /** The features for report lines: "avx2 pclmulqdq ...", or "not recorded". */
    public String cpuFeaturesText() {
        return cpuFeatures == null ? "not recorded" : cpuFeatures.isEmpty() ? "none of those tracked" : String.join(" ", cpuFeatures);
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), this);
    }

    public static Provenance read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), Provenance.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not a provenance file: " + e.getOriginalMessage(), e);
        }
    }

    /** One line for report headers: CPU, cores, JDK, date. */
    public String summary() {
        return String.format("%s, %d cores, %.0f GiB, %s %s, JMH %s, %s (commit %s%s)", cpuModel, cores,
                memoryBytes / (1024.0 * 1024 * 1024), jdkVendor, jdkVersion, jmhVersion, date,
                gitCommit.length() > 10 ? gitCommit.substring(0, 10) : gitCommit, gitDirty ? ", dirty" : "");
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: fall through
        }
        return "unknown (" + System.getProperty("os.arch") + ")";
    }

    private static List<String> readCpuFeatures() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags") || line.startsWith("Features")) {
                    java.util.Set<String> have = new java.util.HashSet<>(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                    return FEATURES.stream().filter(have::contains).sorted().toList();
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return null;
    }

    private static long readMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return 0;
    }

    private static java.util.Optional<String> git(Path root, String... args) {
        try {
            String[] cmd = new String[args.length + 3];
            cmd[0] = "git";
            cmd[1] = "-C";
            cmd[2] = root.toString();
            System.arraycopy(args, 0, cmd, 3, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(out);
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }
}
