package io.github.dsw.cli;

import io.github.dsw.check.HistoryEvent.Cas;
import io.github.dsw.check.HistoryEvent.Fn;
import io.github.dsw.cluster.ClusterException;
import io.github.dsw.cluster.KvClient;
import io.github.dsw.cluster.Opts;
import io.github.dsw.cluster.KvProtocol;
import io.github.dsw.cluster.RaftKv;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * {@code ./dsw kv get|put|cas KEY [VALUE | FROM TO] --cluster HOST:PORT,...}: one operation on the
 * replicated key-value store ({@link KvClient}: a fresh client id, one request id kept across retries,
 * redirection to the leader).
 */
final class KvCommand implements Command {

    @Override
    public String name() {
        return "kv";
    }

    @Override
    public String summary() {
        return "get, put or cas a key on a running cluster (leader redirection, request ids, retries)";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw kv [PROTOCOL] get KEY | put KEY VALUE | cas KEY FROM TO   [--cluster HOST:PORT,...] [--timeout DURATION]

                One operation on a running cluster of PROTOCOL: raft-kv (the default), multi-paxos-kv (or paxos-kv), zab-kv, abd
                (get and put only: ABD has no cas). Values are integers (the store of chapter 7 holds longs).
                The client sends one request id, follows "not the leader" answers to the leader they name, tries the
                next server when one does not answer, and gives up at the timeout.
                Prints the value (get; nil if the key has none), ok (put, cas), or "cas failed" when KEY does not hold
                FROM. Exit code: 0 a definite answer, 2 usage error or a server that is not a node of PROTOCOL,
                3 no definite answer within the timeout (the operation may or may not take effect).
                options:
                  --cluster LIST     servers (default: cluster-data/PROTOCOL/cluster.peers of ./dsw cluster start, else
                                     127.0.0.1:7001-7003)
                  --timeout DURATION give up after this long (default 5s)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("cluster").option("timeout").parse(argv).expectPositional(2, 5, "an operation and its KEY");
        List<String> p = a.positional();
        KvProtocol<?> kv = RaftKv.PROTOCOL;
        if (!List.of("get", "put", "cas").contains(p.get(0))) {
            try {
                kv = KvProtocol.byName(p.get(0));
            } catch (IllegalArgumentException e) {
                throw new UsageException(name() + ": unknown operation or protocol '" + p.get(0) + "' (get, put, cas; " + String.join(", ", KvProtocol.NAMES) + ")");
            }
            p = p.subList(1, p.size());
            if (p.size() < 2) {
                throw new UsageException(name() + ": expected an operation and its KEY after " + kv.name());
            }
        }
        String op = p.get(0);
        String key = p.get(1);
        Fn f;
        Object value;
        switch (op) {
            case "get" -> {
                expect(p, 2, "get KEY");
                f = Fn.READ;
                value = null;
            }
            case "put" -> {
                expect(p, 3, "put KEY VALUE");
                f = Fn.WRITE;
                value = number(p.get(2), "VALUE");
            }
            case "cas" -> {
                expect(p, 4, "cas KEY FROM TO");
                if (!kv.supportsCas()) {
                    throw new UsageException(name() + ": " + kv.name() + " has no cas (an ABD register offers read and write only)");
                }
                f = Fn.CAS;
                value = new Cas(number(p.get(2), "FROM"), number(p.get(3), "TO"));
            }
            default -> throw new UsageException(name() + ": unknown operation '" + op + "' (get, put, cas)");
        }
        List<InetSocketAddress> servers;
        long timeout;
        try {
            servers = Opts.peers("--cluster", a.get("cluster", defaultCluster(kv.name())));
            timeout = Opts.duration("--timeout", a.get("timeout", "5s"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        int clientId = 1_000_000 + new SecureRandom().nextInt(1 << 30); // a fresh session per invocation
        try (KvClient<?> c = new KvClient<>(servers, kv, clientId, 500_000_000L)) {
            KvClient.Result r = c.execute(f, key, value, System.nanoTime() + timeout);
            switch (r.status()) {
                case OK -> System.out.println(f == Fn.READ ? (r.value() == null ? "nil" : r.value().toString()) : "ok");
                case FAIL -> {
                    if (r.attempts() == 0) {
                        throw new UsageException(name() + ": no server of --cluster " + io.github.dsw.cluster.LocalCluster.peerList(servers) + " could be reached within "
                                + timeout / 1_000_000 + " ms (is the cluster running?)");
                    }
                    System.out.println("cas failed: " + key + " does not hold " + ((Cas) value).expected());
                }
                case UNKNOWN -> {
                    System.err.println("dsw kv: no definite answer within " + timeout / 1_000_000 + " ms (the " + op + " may or may not take effect)");
                    return 3;
                }
            }
            return 0;
        } catch (ClusterException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
    }

    private void expect(List<String> p, int n, String form) {
        if (p.size() != n) {
            throw new UsageException(name() + ": expected '" + form + "', got " + p.size() + " words");
        }
    }

    private long number(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new UsageException(name() + ": " + what + " must be an integer, got '" + s + "'");
        }
    }

    private static String defaultCluster(String protocol) throws java.io.IOException {
        Path peers = Workbench.userPath("cluster-data/" + protocol + "/cluster.peers");
        return Files.exists(peers) ? Files.readString(peers).trim() : "127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003";
    }
}
