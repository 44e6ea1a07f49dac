package io.github.dsw.cli;

import io.github.dsw.bench.balance.RealLatencyExperiment;
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
 * does not, 3 when nginx or HAProxy is missing (nothing could be decided). {@code --latency} runs
 * {@link RealLatencyExperiment} instead of the checks.
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
                StaticRoundRobin, HAProxy roundrobin vs HaproxyRoundRobin, HAProxy hash-type consistent vs
                HaproxyConsistentHash (also after a server leaves, with ids kept or renumbered), and, on shares,
                HAProxy leastconn's ties and nginx random two least_conn vs PowerOfTwoChoices.

                Output: the nginx and HAProxy versions, then one line per check, check=NAME agree=A/B (requests
                or keys that matched out of those compared), each followed by a '#' line of details.
                Exit status: 0 every exact check agrees fully; 1 an exact check disagrees; 3 nginx or HAProxy
                is missing. Set DSW_NGINX / DSW_HAPROXY to use other binaries.

                options:
                  --quick        fewer weight vectors, server sets and keys (about a minute on a busy 2-core machine)
                  --latency      instead of the checks, the real-latency experiment (RealLatencyExperiment): open-loop
                                 Poisson load through nginx and HAProxy to 4 backends with exponential, log-normal
                                 and bimodal service (mean 50 ms), latency CDFs beside QueueSimulation and the M/M/4
                                 model; prints one 'latency ...' line per run, writes CSVs and one PNG per scenario
                                 and load. About 15 minutes with the defaults.
                  --requests N   requests per run with --latency (default 1500, at least 100)
                  --loads A,B    loads (utilisation per backend, each in (0, 1)) with --latency (default 0.5,0.8)
                  --out DIR      where --latency writes (default datasets/results/lb-latency)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).flag("quick").flag("latency").option("requests").option("loads").option("out")
                .parse(argv).expectPositional(0, 0, "no positional arguments");
        double[] loads = RealLatencyExperiment.LOADS;
        if (a.get("loads") != null) { // an option with a value: has() is for flags only
            try {
                loads = RealLatencyExperiment.parseLoads(a.get("loads"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(name() + ": --loads must be numbers in (0, 1) separated by commas, got '"
                        + a.get("loads") + "'");
            }
        }
        int requests = a.getInt("requests", 1500, 100, 1_000_000);
        Optional<Path> nginx = Nginx.binary();
        Optional<Path> haproxy = Haproxy.binary();
        if (nginx.isEmpty() || haproxy.isEmpty()) {
            System.err.println("dsw lb-compare: " + (nginx.isEmpty() ? "nginx" : "haproxy")
                    + " not found; install it with 'apt-get install nginx-light haproxy' (or run ./dsw setup as root)");
            return 3;
        }
        System.out.println("nginx: " + Nginx.version(nginx.get()) + " (" + nginx.get() + ")");
        System.out.println("haproxy: " + Haproxy.version(haproxy.get()) + " (" + haproxy.get() + ")");
        if (a.has("latency")) {
            RealLatencyExperiment.run(nginx.get(), haproxy.get(), Path.of(a.get("out", "datasets/results/lb-latency")),
                    requests, loads, System.out);
            return 0;
        }
        boolean allExactAgree = true;
        for (AgreementChecks.Check c : new AgreementChecks(a.has("quick")).run(nginx.get(), haproxy.get())) {
            System.out.println(c.line());
            System.out.println("  # " + (c.exact() ? "exact" : "ratio, not required to agree") + "; " + c.detail());
            allExactAgree &= c.passed();
        }
        return allExactAgree ? 0 : 1;
    }
}
