package io.github.dsw.cli;

import io.github.dsw.check.History;
import io.github.dsw.check.HistoryFormatException;
import io.github.dsw.check.HistoryJson;
import io.github.dsw.check.LinearizabilityChecker;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code ./dsw check-history --model register|kv FILE}: the linearizability checker on a history file. */
final class CheckHistoryCommand implements Command {

    @Override
    public String name() {
        return "check-history";
    }

    @Override
    public String summary() {
        return "check a JSON Lines operation history for linearizability (register or key-value model)";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw check-history --model register|kv FILE

                Reads FILE, one operation event per line (format: datasets/README.md, chapter 5), and checks
                that the history is linearizable for a read/write/cas register (one key) or a key-value store
                (one independent register per key), every value starting as null. When it is not, prints a
                small window of operations that no legal order explains.
                Exit code: 0 linearizable, 1 not linearizable, 2 malformed input or usage error (the line is
                named), 3 undecided within the search budget.

                options:
                  --model register|kv   the sequential specification (default kv)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).option("model").parse(argv).expectPositional(1, 1, "one history FILE");
        String model = a.get("model", "kv");
        if (!model.equals("register") && !model.equals("kv")) {
            throw new UsageException(name() + ": --model must be register or kv, got '" + model + "'");
        }
        Path path = Workbench.userPath(a.positional().get(0));
        History history;
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            history = HistoryJson.read(r);
        } catch (NoSuchFileException e) {
            throw new UsageException(name() + ": no such file " + path);
        } catch (HistoryFormatException e) {
            throw new UsageException(name() + ": " + path.getFileName() + ": " + e.getMessage());
        }
        LinearizabilityChecker checker = new LinearizabilityChecker();
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
}
