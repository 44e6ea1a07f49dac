package io.github.dsw.cluster;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser for the node process's own command line ({@code --name value}, {@code --name=value},
 * flags, positional words), so that a node runs from the cluster module alone; the CLI's {@code Args}
 * lives in the benchmarks module. Errors are {@link IllegalArgumentException}s with one line.
 */
public final class Opts {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final List<String> positional = new ArrayList<>();

    private Opts() {
    }

    /** Parses {@code args}; {@code valued} and {@code flagNames} are the only options allowed. */
    public static Opts parse(List<String> args, Set<String> valued, Set<String> flagNames) {
        Opts o = new Opts();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--") && a.length() > 2) {
                String name = a.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flagNames.contains(name) && inline == null) {
                    o.flags.add(name);
                } else if (valued.contains(name)) {
                    if (inline == null) {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException("option --" + name + " needs a value");
                        }
                        inline = args.get(++i);
                    }
                    o.values.put(name, inline);
                } else {
                    throw new IllegalArgumentException("unknown option --" + name);
                }
            } else {
                o.positional.add(a);
            }
        }
        return o;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String require(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("option --" + name + " is required");
        }
        return v;
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    public long getLong(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + " must be an integer, got '" + v + "'");
        }
    }

    public int getInt(String name, int fallback, int min, int max) {
        long v = getLong(name, fallback);
        if (v < min || v > max) {
            throw new IllegalArgumentException("option --" + name + " must be in " + min + ".." + max + ", got " + v);
        }
        return (int) v;
    }

    public List<String> positional() {
        return positional;
    }

    /**
     * Parses a peer list {@code host:port,host:port,...}: every entry a host and a port in 1..65535, no
     * entry twice.
     */
    public static List<InetSocketAddress> peers(String option, String list) {
        List<InetSocketAddress> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : list.split(",", -1)) {
            String p = raw.trim();
            int colon = p.lastIndexOf(':');
            if (p.isEmpty() || colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException(option + ": '" + p + "' is not HOST:PORT (in '" + list + "')");
            }
            int port;
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + ": port of '" + p + "' is not a number");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(option + ": port of '" + p + "' must be in 1..65535");
            }
            String host = p.substring(0, colon);
            if (!seen.add(host + ":" + port)) {
                throw new IllegalArgumentException(option + " lists " + p + " twice");
            }
            InetSocketAddress a = new InetSocketAddress(host, port);
            if (a.isUnresolved()) {
                throw new IllegalArgumentException(option + ": cannot resolve host '" + host + "'");
            }
            out.add(a);
        }
        return out;
    }

    /** Parses a duration: {@code 500ms}, {@code 20s}, {@code 2m}, or plain seconds; returns nanoseconds. */
    public static long duration(String option, String s) {
        String t = s.trim();
        long mult;
        String num;
        if (t.endsWith("ms")) {
            mult = 1_000_000L;
            num = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            mult = 1_000_000_000L;
            num = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            mult = 60_000_000_000L;
            num = t.substring(0, t.length() - 1);
        } else {
            mult = 1_000_000_000L;
            num = t;
        }
        try {
            long v = Long.parseLong(num);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " must be a positive duration like 20s, 500ms or 2m, got '" + s + "'");
        }
    }
}
