package io.github.dsw.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Starts the real HAProxy (Debian package {@code haproxy}) in front of {@link Backends}: in the foreground
 * ({@code -db}: no daemon, no master-worker, one process), one thread ({@code nbthread 1}), configuration in a
 * temporary folder, listening on 127.0.0.1 on a free port. {@code option http-server-close} and
 * {@code http-reuse never} close the backend connection after each response, so the balancer decides per
 * request; {@code retries 0} and no {@code option redispatch}, so a failed backend is an error.
 */
public final class Haproxy {
    private Haproxy() {}

    /** The haproxy binary: {@code $DSW_HAPROXY}, {@code /usr/sbin/haproxy}, or {@code haproxy} on the PATH. */
    public static Optional<Path> binary() {
        return Executables.find("DSW_HAPROXY", "/usr/sbin/haproxy", "haproxy");
    }

    /** The first line of {@code haproxy -v}'s version, e.g. {@code HAProxy version 2.6.12-1+deb12u3 ...}. */
    public static String version(Path binary) throws IOException {
        String out = Executables.run(List.of(binary.toString(), "-v")).strip();
        int eol = out.indexOf('\n');
        return eol < 0 ? out : out.substring(0, eol).strip();
    }

    /**
     * Starts HAProxy with {@code balance}'s lines in the backend (e.g. {@code "balance url_param key\n  hash-type
     * consistent"}) and one {@code server} line per entry of {@code servers} (e.g. {@code "s0 127.0.0.1:4001
     * weight 3"}).
     */
    public static Proxy start(Path binary, String balance, List<String> servers) throws IOException {
        Path dir = LocalProcess.tempFolder("haproxy");
        int port = LocalProcess.freePort();
        StringBuilder backend = new StringBuilder();
        for (String s : servers) {
            backend.append("  server ").append(s).append('\n');
        }
        String conf = """
                global
                  nbthread 1
                  maxconn 2000
                defaults
                  mode http
                  timeout connect 5s
                  timeout client 60s
                  timeout server 60s
                  timeout queue 60s
                  retries 0
                  option http-server-close
                  http-reuse never
                frontend in
                  bind 127.0.0.1:%1$d
                  default_backend servers
                backend servers
                  %2$s
                %3$s""".formatted(port, balance, backend);
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, conf);
        return new Proxy("haproxy", LocalProcess.start("haproxy",
                List.of(binary.toString(), "-db", "-f", file.toString()), dir, port), port);
    }
}
