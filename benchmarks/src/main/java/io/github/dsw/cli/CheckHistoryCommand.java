package io.github.dsw.cli;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryEdn;
import io.github.dsw.check.HistoryFormatException;
import io.github.dsw.check.HistoryJson;
import io.github.dsw.check.LinearizabilityChecker;
import io.github.dsw.check.LockChecker;
import io.github.dsw.check.LockHistory;
import io.github.dsw.check.consistency.CausalChecker;
import io.github.dsw.check.consistency.ConvergenceChecker;
import io.github.dsw.check.consistency.HistoryExtras;
import io.github.dsw.check.consistency.SequentialChecker;
import io.github.dsw.check.consistency.SessionChecker;
import io.github.dsw.check.consistency.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./dsw check-history [--model MODEL] [--format jsonl|jepsen-edn] FILE}: the linearizability
 * checker on a history file, within a search budget (exit 3 when it runs out) and with the window of a
 * violation shrunk within its own time budget; or, by {@code --model}, the weaker models of chapter 12
 * ({@code io.github.dsw.check.consistency}), or chapter 9's lock checks.
 */
final class CheckHistoryCommand implements Command {

    @Override
    public String name() {
        return "check-history";
    }

    @Override
    public String summary() {
        return "check an operation history (JSON Lines or Jepsen EDN) for linearizability, sequential or causal consistency, session guarantees or convergence, or a lock history for mutual exclusion or fenced writes";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw check-history [--model MODEL] [--format jsonl|jepsen-edn] FILE

                Reads FILE, one operation event per line (formats: datasets/README.md, chapter 5), and checks
                that the history is linearizable for a read/write/cas register (one key) or a key-value store
                (one independent register per key), every value starting as null. When it is not, prints a
                small window of operations that no legal order explains, and whether it is minimal.
                The chapter 12 models (below) check the weaker consistency models on the same format and print
                the witnessing operations of a violation (a shrunk window, a bad pattern or a cycle).
                Exit code: 0 linearizable (satisfied), 1 not linearizable (violated), 2 malformed input or usage
                error (the line or event is named), 3 undecided within the search budget (the message says which
                limit and how far it got), 4 internal error (one line, and the file holding the full trace).

                options:
                  --model register|kv      the sequential specification (default kv)
                  --model sequential       chapter 12: sequential consistency (Lamport 1979): one order of all operations
                                           keeping each process's program order (not real time), legal for the store; the
                                           whole history is searched (not per key), within the same budget (exit 3)
                  --model causal|cc|ccv    chapter 12, read/write histories with unique written values per key: causal
                                           = causal memory (Ahamad et al. 1995: per process one legal order of all writes
                                           and its own operations respecting causal order); cc = weak causal consistency,
                                           ccv = causal convergence (Bouajjani et al., POPL 2017, by their bad patterns)
                  --model session|ryw|mr|mw|wfr  chapter 12: session guarantees (Terry et al. 1994), session = process:
                                           session reports all four (exit 1 if any is violated), or one of read-your-writes,
                                           monotonic reads, monotonic writes, writes-follow-reads
                  --model convergence      chapter 12: reads marked "final": true with a "replica" (after quiescence) agree
                                           per key, and their value is not causally overwritten (datasets/README.md);
                                           a read's "values": [..] (siblings) count for convergence and cc
                  --model lock|fenced      chapter 9: a lock history (f = acquire, release, write; datasets/README.md)
                                           checked for mutual exclusion (lock) or fenced writes (fenced): exit 0
                                           holds, 1 violated (each violation printed), 2 malformed input
                  --format jsonl|jepsen-edn  the input format (default jsonl; jepsen-edn: Jepsen/Knossos EDN maps)
                  --export-edn OUT         also write the history as Jepsen EDN to OUT (for Knossos or Elle)
                  --max-configurations N   search budget per key, or of the whole sequential search (default 5000000)
                  --max-memory-mb N        memory for the search caches (default a quarter of the heap, at most 1024)
                  --time-limit-s S         wall-clock limit of the search, or of causal's saturation (default none)
                  --shrink-limit-s S       most time spent shrinking the window (default 10; it also gets at
                                           least 0.5 s and otherwise half the search time)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("model").option("format").option("export-edn").option("max-configurations")
                .option("max-memory-mb").option("time-limit-s").option("shrink-limit-s").parse(argv)
                .expectPositional(1, 1, "one history FILE");
        String model = a.get("model", "kv");
        if (model.equals("lock") || model.equals("fenced")) {
            return checkLocks(model, a);
        }
        if (CONSISTENCY.contains(model)) {
            return checkConsistency(model, a);
        }
        if (!model.equals("register") && !model.equals("kv")) {
            throw new UsageException(name() + ": --model must be register, kv, sequential, causal, cc, ccv, session, ryw, mr,"
                    + " mw, wfr, convergence, lock or fenced, got '" + model + "'");
        }
        String format = a.get("format", "jsonl");
        if (!format.equals("jsonl") && !format.equals("jepsen-edn")) {
            throw new UsageException(name() + ": --format must be jsonl or jepsen-edn, got '" + format + "'");
        }
        LinearizabilityChecker.Budget budget = budget(a);
        Path path = Workbench.userPath(a.positional().get(0));
        History history = read(path, format);
        if (a.get("export-edn", null) != null) {
            Path out = Workbench.userPath(a.get("export-edn"));
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                HistoryEdn.write(history, w);
            } catch (IOException e) {
                throw new UsageException(name() + ": cannot write " + out + ": " + e.getMessage());
            }
        }
        LinearizabilityChecker checker = new LinearizabilityChecker(budget);
        long t0 = System.nanoTime();
        LinearizabilityChecker.Result result;
        try {
            result = model.equals("register") ? checker.checkRegister(history) : checker.checkKv(history);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        System.out.printf("%s: %d events, %d keys, model %s, checked in %.3f s%n", path.getFileName(),
                history.events().size(), history.keys().size(), model, (System.nanoTime() - t0) / 1e9);
        System.out.print(result.describe());
        if (!result.describe().endsWith("\n")) {
            System.out.println();
        }
        return switch (result.outcome()) {
            case LINEARIZABLE -> 0;
            case NOT_LINEARIZABLE -> 1;
            case UNKNOWN -> 3;
        };
    }

    private static final List<String> CONSISTENCY = List.of("sequential", "causal", "cc", "ccv", "session", "ryw", "mr", "mw",
            "wfr", "convergence");

    /** Chapter 12: the weaker models (exit 0 satisfied, 1 violated, 2 bad input, 3 undecided). */
    private int checkConsistency(String model, Args a) {
        String format = a.get("format", "jsonl");
        if (!format.equals("jsonl") && !format.equals("jepsen-edn")) {
            throw new UsageException(name() + ": --format must be jsonl or jepsen-edn, got '" + format + "'");
        }
        if (model.equals("convergence") && !format.equals("jsonl")) {
            throw new UsageException(name() + ": --model convergence reads JSON Lines only (its \"final\" and \"replica\" fields)");
        }
        LinearizabilityChecker.Budget budget = budget(a);
        Path path = Workbench.userPath(a.positional().get(0));
        String file = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        History history = read(path, format);
        long t0 = System.nanoTime();
        List<Verdict> verdicts;
        try {
            HistoryExtras x = format.equals("jsonl") ? extras(path) : HistoryExtras.none();
            verdicts = switch (model) {
                case "sequential" -> List.of(new SequentialChecker(budget).check(history));
                case "causal" -> List.of(new CausalChecker(budget.searchTimeNs()).check(history, CausalChecker.Variant.CM, x));
                case "cc" -> List.of(new CausalChecker().check(history, CausalChecker.Variant.CC, x));
                case "ccv" -> List.of(new CausalChecker().check(history, CausalChecker.Variant.CCV, x));
                case "session" -> SessionChecker.checkAll(history, x);
                case "ryw" -> List.of(SessionChecker.check(history, SessionChecker.Guarantee.RYW, x));
                case "mr" -> List.of(SessionChecker.check(history, SessionChecker.Guarantee.MR, x));
                case "mw" -> List.of(SessionChecker.check(history, SessionChecker.Guarantee.MW, x));
                case "wfr" -> List.of(SessionChecker.check(history, SessionChecker.Guarantee.WFR, x));
                default -> List.of(ConvergenceChecker.check(history, x));
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + file + ": " + e.getMessage());
        }
        System.out.printf("%s: %d events, %d keys, model %s, checked in %.3f s%n", file, history.events().size(),
                history.keys().size(), model, (System.nanoTime() - t0) / 1e9);
        boolean violated = false;
        boolean unknown = false;
        for (Verdict v : verdicts) {
            System.out.print(v.describe());
            violated |= v.violated();
            unknown |= v.outcome() == Verdict.Outcome.UNKNOWN;
        }
        return violated ? 1 : unknown ? 3 : 0;
    }

    private HistoryExtras extras(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return HistoryExtras.read(in);
        } catch (IOException | UncheckedIOException e) {
            throw new UsageException(name() + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    /** Chapter 9: mutual exclusion ({@code lock}) or fenced writes ({@code fenced}) on a lock history (JSON Lines only). */
    private int checkLocks(String model, Args a) {
        if (!a.get("format", "jsonl").equals("jsonl")) {
            throw new UsageException(name() + ": --model " + model + " reads JSON Lines only (--format jsonl)");
        }
        Path path = Workbench.userPath(a.positional().get(0));
        String file = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (Files.isDirectory(path)) {
            throw new UsageException(name() + ": " + path + " is a directory, not a history file");
        }
        LockHistory history;
        try (InputStream in = Files.newInputStream(path)) {
            history = LockHistory.read(in);
        } catch (NoSuchFileException e) {
            throw new UsageException(name() + ": no such file " + path);
        } catch (AccessDeniedException e) {
            throw new UsageException(name() + ": cannot read " + path + ": permission denied");
        } catch (HistoryFormatException e) {
            throw new UsageException(name() + ": " + file + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            throw new UsageException(name() + ": cannot read " + path + ": " + why);
        }
        LockChecker.Result r = model.equals("lock") ? LockChecker.mutualExclusion(history) : LockChecker.fencedWrites(history);
        System.out.printf("%s: %d events, model %s%n", file, history.events().size(), model);
        System.out.print(r.describe());
        return r.holds() ? 0 : 1;
    }

    private LinearizabilityChecker.Budget budget(Args a) {
        LinearizabilityChecker.Budget b = LinearizabilityChecker.Budget.defaults();
        long configurations = a.getLong("max-configurations", b.maxConfigurations());
        if (configurations < 1) {
            throw new UsageException(name() + ": --max-configurations must be >= 1, got " + configurations);
        }
        long mb = a.getLong("max-memory-mb", b.maxCacheBytes() >> 20);
        if (mb < 1 || mb > (1 << 20)) {
            throw new UsageException(name() + ": --max-memory-mb must be in 1..1048576, got " + mb);
        }
        double timeS = a.getDouble("time-limit-s", Double.POSITIVE_INFINITY);
        double shrinkS = a.getDouble("shrink-limit-s", b.shrinkCapNs() / 1e9);
        if (!(timeS > 0) || !(shrinkS >= 0) || Double.isNaN(shrinkS) || Double.isInfinite(shrinkS)) {
            throw new UsageException(name() + ": --time-limit-s must be > 0 and --shrink-limit-s >= 0 and finite, got "
                    + timeS + " and " + shrinkS);
        }
        long timeNs = Double.isInfinite(timeS) || timeS > 1e9 ? Long.MAX_VALUE : (long) (timeS * 1e9);
        long shrinkNs = (long) (Math.min(shrinkS, 1e9) * 1e9);
        return b.withMaxConfigurations(configurations).withMaxCacheBytes(mb << 20).withSearchTimeNs(timeNs)
                .withShrink(b.shrinkFraction(), Math.min(b.shrinkFloorNs(), shrinkNs), shrinkNs);
    }

    /** Reads the history; every problem with the file is one line naming the file (exit 2). */
    private History read(Path path, String format) {
        String file = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (Files.isDirectory(path)) {
            throw new UsageException(name() + ": " + path + " is a directory, not a history file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return format.equals("jsonl") ? HistoryJson.read(in) : HistoryEdn.read(in);
        } catch (NoSuchFileException e) {
            throw new UsageException(name() + ": no such file " + path);
        } catch (AccessDeniedException e) {
            throw new UsageException(name() + ": cannot read " + path + ": permission denied");
        } catch (HistoryFormatException e) {
            throw new UsageException(name() + ": " + file + ": " + e.getMessage());
        } catch (IOException | UncheckedIOException e) {
            String why = e instanceof UncheckedIOException u ? u.getCause().getMessage() : e.getMessage();
            throw new UsageException(name() + ": cannot read " + path + ": " + why);
        }
    }
}
