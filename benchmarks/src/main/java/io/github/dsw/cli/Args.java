package io.github.dsw.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small, strict command-line parser: {@code --name value}, {@code --name=value}, {@code --flag} and
 * positional words. Every option must be declared; an unknown one, a missing value or a malformed
 * number is a {@link UsageException} naming the option (and the declared option it was probably meant to be).
 *
 * <p>Every command declares its options and calls {@link #parse} before doing anything else, so the declared
 * options can be read without running the command: under {@link #describe}, {@code parse} throws
 * {@link Described} with them. Shell completion and the test that every declared option is documented in the
 * command's help use that.
 */
public final class Args {
    private static final ThreadLocal<Boolean> DESCRIBING = ThreadLocal.withInitial(() -> false);

    private final String command;
    private final Set<String> valued = new LinkedHashSet<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> seenFlags = new LinkedHashSet<>();
    private final List<String> positional = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /** Starts a parser for {@code command}; declare options, then call {@link #parse(List)}. */
    public static Args forCommand(String command) {
        return new Args(command);
    }

    /** Declares {@code --name VALUE}. */
    public Args option(String name) {
        valued.add(name);
        return this;
    }

    /** Declares a boolean {@code --name}. */
    public Args flag(String name) {
        flags.add(name);
        return this;
    }

    public Args parse(List<String> args) {
        if (DESCRIBING.get()) {
            throw new Described(Set.copyOf(valued), Set.copyOf(flags));
        }
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
                if (flags.contains(name)) {
                    if (inline != null) {
                        throw new UsageException(command + ": option --" + name + " takes no value");
                    }
                    seenFlags.add(name);
                } else if (valued.contains(name)) {
                    String v = inline;
                    if (v == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException(command + ": option --" + name + " needs a value");
                        }
                        v = args.get(++i);
                    }
                    values.put(name, v);
                } else {
                    Set<String> all = new LinkedHashSet<>(valued);
                    all.addAll(flags);
                    String near = Suggest.closest(name, all);
                    throw new UsageException(command + ": unknown option --" + name
                            + (near == null ? "" : " (did you mean --" + near + "?)")
                            + " (see ./dsw " + command + " --help)");
                }
            } else if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                throw new UsageException(command + ": unknown option " + a + " (options start with --; see ./dsw "
                        + command + " --help)");
            } else {
                positional.add(a);
            }
        }
        return this;
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public boolean has(String flag) {
        return seenFlags.contains(flag);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public String get(String name) {
        return values.get(name);
    }

    public long getLong(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be an integer, got '" + v + "'");
        }
    }

    public int getInt(String name, int fallback, int min, int max) {
        long v = getLong(name, fallback);
        if (v < min || v > max) {
            throw new UsageException(command + ": --" + name + " must be in " + min + ".." + max + ", got " + v);
        }
        return (int) v;
    }

    public double getDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a number, got '" + v + "'");
        }
    }

    public List<String> positional() {
        return List.copyOf(positional);
    }

    /** Fails unless the number of positional words lies in {@code min..max}; {@code what} describes them. */
    public Args expectPositional(int min, int max, String what) {
        if (positional.size() < min || positional.size() > max) {
            throw new UsageException(command + ": expected " + what + ", got "
                    + (positional.isEmpty() ? "nothing" : String.join(" ", positional)));
        }
        return this;
    }

    /** The options a command declared, thrown by {@link #parse} under {@link #describe}; no stack trace. */
    static final class Described extends RuntimeException {
        final Set<String> valued;
        final Set<String> flags;

        Described(Set<String> valued, Set<String> flags) {
            super("described", null, false, false);
            this.valued = valued;
            this.flags = flags;
        }
    }

    /** What {@code run} is: a command's entry point given its arguments. */
    @FunctionalInterface
    interface Entry {
        int run(List<String> argv) throws Exception;
    }

    /**
     * The options {@code entry} declares when given {@code argv}, read by stopping it at its {@link #parse}; null
     * if it returned or failed before parsing (a command that parses with another parser, e.g. the cluster
     * module's).
     */
    static Described describe(Entry entry, List<String> argv) {
        DESCRIBING.set(true);
        try {
            entry.run(argv);
            return null;
        } catch (Described d) {
            return d;
        } catch (Exception | Error e) {
            return null;
        } finally {
            DESCRIBING.set(false);
        }
    }
}
