package io.github.dsw.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Starts the real nginx (Debian package {@code nginx-light} or {@code nginx}) as a reverse proxy in front of
 * {@link Backends}: one process ({@code master_process off}, {@code daemon off}, so one worker holds the
 * balancer's whole state and killing it leaves no child), configuration, pid file, temp paths and error log in a
 * temporary folder, listening on 127.0.0.1 on a free port. Without {@code keepalive} in the upstream block every
 * request opens a new connection to the backend ({@code proxy_http_version} 1.0), so the choice is made per
 * request, in order. {@code proxy_next_upstream off}: a failed backend is an error, not a silent retry. Client
 * connections stay open for any number of requests ({@code keepalive_requests}; nginx's default closes one after
 * 1000, racing a client that is sending the next request on it).
 */
public final class Nginx {
    private Nginx() {}

    /** The nginx binary: {@code $DSW_NGINX}, {@code /usr/sbin/nginx}, or {@code nginx} on the PATH. */
    public static Optional<Path> binary() {
        return Executables.find("DSW_NGINX", "/usr/sbin/nginx", "nginx");
    }

    /** {@code nginx -v}'s version, e.g. {@code nginx/1.22.1}. */
    public static String version(Path binary) throws IOException {
        String out = Executables.run(List.of(binary.toString(), "-v"));
        int at = out.indexOf("nginx/");
        return at < 0 ? out.strip() : out.substring(at).strip();
    }

    /**
     * Starts nginx with an upstream block of {@code algorithm} (e.g. {@code "hash $arg_key consistent;"}, or
     * empty for weighted round-robin) and one {@code server} line per entry of {@code servers} (e.g.
     * {@code "127.0.0.1:4001 weight=3"}).
     */
    public static Proxy start(Path binary, String algorithm, List<String> servers) throws IOException {
        Path dir = LocalProcess.tempFolder("nginx");
        int port = LocalProcess.freePort();
        StringBuilder upstream = new StringBuilder();
        for (String s : servers) {
            upstream.append("    server ").append(s).append(";\n");
        }
        String conf = """
                master_process off;
                daemon off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  keepalive_requests 1000000;
                  keepalive_timeout 300s;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream backends {
                    %2$s
                %3$s  }
                  server {
                    listen 127.0.0.1:%4$d;
                    location / {
                      proxy_pass http://backends;
                      proxy_next_upstream off;
                      add_header X-Upstream $upstream_addr always;
                    }
                  }
                }
                """.formatted(dir, algorithm, upstream, port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        return new Proxy("nginx", LocalProcess.start("nginx", List.of(binary.toString(), "-p", dir.toString(),
                "-e", dir.resolve("error.log").toString(), "-c", file.toString()), dir, port), port);
    }
}
