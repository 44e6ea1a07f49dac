package io.github.dsw.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A server process started by the project in the foreground (nginx, HAProxy), with its configuration and logs in
 * a temporary folder, listening on 127.0.0.1 only, and stopped for sure: by {@link #close()} (SIGTERM, then
 * SIGKILL after two seconds), and by a JVM shutdown hook if the run is interrupted before that (Ctrl-C, a
 * failed test). The server must run as one process (nginx with {@code master_process off}, HAProxy with
 * {@code -db}), so that killing it leaves no orphan.
 */
public final class LocalProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path folder;
    private final Thread hook;

    private LocalProcess(String name, Process process, Path folder) {
        this.name = name;
        this.process = process;
        this.folder = folder;
        this.hook = new Thread(this::kill, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A free TCP port on 127.0.0.1 (bound and released; the caller binds it right after). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A new temporary folder for one server's configuration and logs. */
    public static Path tempFolder(String name) throws IOException {
        return Files.createTempDirectory("dsw-" + name + "-");
    }

    /**
     * Starts {@code command} with its output in {@code folder/output.log} and waits until 127.0.0.1:{@code port}
     * accepts connections.
     *
     * @throws IOException if the process exits or the port stays closed for 10 s (the message quotes its log);
     *     the process is stopped and the folder deleted before throwing
     */
    public static LocalProcess start(String name, List<String> command, Path folder, int port) throws IOException {
        Path log = folder.resolve("output.log");
        Process p = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        LocalProcess lp = new LocalProcess(name, p, folder);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (!p.isAlive()) {
                String out = lp.log();
                lp.close();
                throw new IOException(name + " exited with status " + p.exitValue() + ": " + out.strip());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return lp;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    String out = lp.log();
                    lp.close();
                    throw new IOException(name + " did not open 127.0.0.1:" + port + " within 10 s: " + out.strip());
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    lp.close();
                    throw new IOException("interrupted while starting " + name, e);
                }
            }
        }
    }

    /** What the process has written so far (its log file), or an empty string. */
    public String log() {
        try {
            return Files.readString(folder.resolve("output.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether the process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    private void kill() {
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the process (SIGTERM, then SIGKILL) and deletes its folder. */
    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing to remove
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
