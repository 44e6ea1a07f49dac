package io.github.dsw.cli;

import io.github.dsw.proxy.AgreementChecks;
import io.github.dsw.proxy.Haproxy;
import io.github.dsw.proxy.Nginx;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./dsw lb-compare [--quick]}: chapter 3's balancers against the real nginx and HAProxy on 127.0.0.1
 * ({@link AgreementChecks}). Prints the versions it ran, then one line {@code check=NAME agree=A/B} per check
 * (its details on the next line, after {@code #}); exits 0 only when every exact check agrees fully, 1 when one
 * does not, 3 when nginx or HAProxy is missing (nothing could be decided).
 */
final class LbCompareCommand implements Command {

    @Override
    public String name() {
        return "lb-compare";
    }

    @Override
    public String summary() {
        return "chapter 3's balancers against real nginx and HAProxy on 127.0.0.1, request by request";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw lb-compare [--quick]

                Starts real nginx and HAProxy (Debian packages nginx-light or nginx, and haproxy; ./dsw setup
                installs them when run as root) on 127.0.0.1 in front of small Java backends that answer with
                their id, sends requests one at a time and compares each backend chosen with the project's class:
                nginx weighted round-robin vs SmoothWeightedRoundRobin, nginx hash consistent vs
                NginxConsistentHash (also after removing a server or marking it down), HAProxy static-rr vs
                StaticRoundRobin, and HAProxy roundrobin, leastconn and hash-type consistent on shares, ties
                and keys moved when a server leaves.

                Output: the nginx and HAProxy versions, then one line per check, check=NAME agree=A/B (requests
                or keys that matched out of those compared), each followed by a '#' line of details.
                Exit status: 0 every exact check agrees fully; 1 an exact check disagrees; 3 nginx or HAProxy
                is missing. Set DSW_NGINX / DSW_HAPROXY to use other binaries.

                options:
                  --quick   fewer weight vectors, server sets and keys (about a minute on a busy 2-core machine)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).flag("quick").parse(argv).expectPositional(0, 0, "no positional arguments");
        Optional<Path> nginx = Nginx.binary();
        Optional<Path> haproxy = Haproxy.binary();
        if (nginx.isEmpty() || haproxy.isEmpty()) {
            System.err.println("dsw lb-compare: " + (nginx.isEmpty() ? "nginx" : "haproxy")
                    + " not found; install it with 'apt-get install nginx-light haproxy' (or run ./dsw setup as root)");
            return 3;
        }
        System.out.println("nginx: " + Nginx.version(nginx.get()) + " (" + nginx.get() + ")");
        System.out.println("haproxy: " + Haproxy.version(haproxy.get()) + " (" + haproxy.get() + ")");
        boolean allExactAgree = true;
        for (AgreementChecks.Check c : new AgreementChecks(a.has("quick")).run(nginx.get(), haproxy.get())) {
            System.out.println(c.line());
            System.out.println("  # " + (c.exact() ? "exact" : "ratio, not required to agree") + "; " + c.detail());
            allExactAgree &= c.passed();
        }
        return allExactAgree ? 0 : 1;
    }
}
