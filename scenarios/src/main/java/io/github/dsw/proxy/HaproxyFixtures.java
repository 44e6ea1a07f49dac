package io.github.dsw.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what the real HAProxy chooses, as fixtures for the unit tests of the ports (which must not need HAProxy):
 * {@code roundrobin.csv} (the server of each of 4 Σw sequential requests under {@code balance roundrobin}, for a
 * few weight vectors) and {@code chash-all.csv} / {@code chash-without-s2.csv} (the server of 1000 keys under
 * {@code balance url_param key} + {@code hash-type consistent}, for servers s0..s4 of weights 1, 2, 1, 3, 1 with
 * HAProxy's default ids, then without s2, the others keeping their ids). Usage: {@code java -cp ... 
 * io.github.dsw.proxy.HaproxyFixtures datasets/balance/haproxy}.
 */
public final class HaproxyFixtures {
    static final int[][] WEIGHTS = {{5, 1, 1}, {1, 1, 1, 1}, {3, 2}, {2, 7, 1, 4}, {10, 3, 6, 1, 8}};
    static final int[] RING_WEIGHTS = {1, 2, 1, 3, 1};

    private HaproxyFixtures() {}

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "datasets/balance/haproxy");
        Files.createDirectories(out);
        Path binary = Haproxy.binary().orElseThrow(() -> new IOException("haproxy not found: apt-get install haproxy"));
        String header = "# " + Haproxy.version(binary) + "; " + Instant.now().toString().replaceAll("\\.\\d+Z", "Z")
                + "; recorded by io.github.dsw.proxy.HaproxyFixtures";
        try (Backends backends = Backends.start(5)) {
            List<String> rr = new ArrayList<>(List.of(header, "weights,request,server"));
            for (int[] w : WEIGHTS) {
                List<String> lines = new ArrayList<>();
                int sum = 0;
                for (int i = 0; i < w.length; i++) {
                    lines.add(Backends.name(i) + " " + backends.address(i) + " weight " + w[i]);
                    sum += w[i];
                }
                String name = String.join(" ", java.util.Arrays.stream(w).mapToObj(Integer::toString).toList());
                try (Proxy proxy = Haproxy.start(binary, "balance roundrobin", lines)) {
                    for (int r = 0; r < 4 * sum; r++) {
                        rr.add(name + "," + r + "," + Backends.name(proxy.get("/")));
                    }
                }
            }
            Files.write(out.resolve("roundrobin.csv"), rr);
            for (boolean without : new boolean[] {false, true}) {
                List<String> lines = new ArrayList<>();
                StringBuilder config = new StringBuilder();
                for (int i = 0; i < RING_WEIGHTS.length; i++) {
                    if (without && i == 2) {
                        continue;
                    }
                    String line = Backends.name(i) + " " + backends.address(i) + " weight " + RING_WEIGHTS[i]
                            + (without ? " id " + (i + 1) : "");
                    lines.add(line);
                    config.append("server ").append(line.replaceAll("127\\.0\\.0\\.1:\\d+", "ADDR")).append("; ");
                }
                List<String> csv = new ArrayList<>(List.of(header + "; " + config.toString().strip(), "key,server"));
                try (Proxy proxy = Haproxy.start(binary, "balance url_param key\n  hash-type consistent", lines)) {
                    for (int k = 0; k < 1000; k++) {
                        csv.add("key-" + k + "," + Backends.name(proxy.get("/?key=key-" + k)));
                    }
                }
                Files.write(out.resolve(without ? "chash-without-s2.csv" : "chash-all.csv"), csv);
            }
        }
        System.out.println("wrote " + out);
    }
}
