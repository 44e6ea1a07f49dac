package io.github.dsw.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./dsw check-answer CH.N VALUE}: checks a number (or a one-word answer) a course exercise asks for against
 * the answer key {@code course/answers.tsv} ({@link AnswerKey}), within the key's tolerance, without showing the
 * answer.
 */
final class CheckAnswerCommand implements Command {

    @Override
    public String name() {
        return "check-answer";
    }

    @Override
    public String summary() {
        return "check your answer to a course exercise (a number with tolerance, or a word) against the answer key";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw check-answer KEY VALUE
                       ./dsw check-answer --list

                KEY is the exercise, CHAPTER.EXERCISE (6.3), or CHAPTER.EXERCISE.PART (0.6.a) where an exercise
                asks for several numbers; the exercise's last line, *Check:* ./dsw check-answer KEY ..., names it.
                VALUE is a number (0.9, 1e-3, 1,000, 90%, 10/11) in the unit --list shows, or a word (yes, no, a
                name) where the exercise asks for one. The answer is compared within the key's tolerance and is
                never printed; a wrong answer prints the key's hint. Answers come from formulas, papers and
                independent computations, named per key in course/answers.tsv (values are encoded there so that
                a glance does not give them away).
                Exit 0 correct, 1 wrong, 2 unknown key (with the nearest keys) or a value that is not a number.

                options:
                  --list        every key with its unit, tolerance and hint (never the answer)
                  --file FILE   the answer key to read (default course/answers.tsv)
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).flag("list").option("file").parse(argv);
        Path file = a.get("file") == null ? AnswerKey.defaultFile() : Workbench.userPath(a.get("file"));
        if (!Files.isRegularFile(file)) {
            throw new UsageException(name() + ": no answer key " + file);
        }
        AnswerKey key;
        try {
            key = AnswerKey.read(file);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
        if (a.has("list")) {
            if (!a.positional().isEmpty()) {
                throw new UsageException(name() + ": --list takes no key or value");
            }
            for (AnswerKey.Answer ans : key.all()) {
                System.out.println(ans.key() + "\t" + ans.unit() + "\t" + ans.describeTolerance() + "\t" + ans.hint());
            }
            return ExitCode.OK;
        }
        a.expectPositional(2, 2, "KEY VALUE (e.g. ./dsw check-answer 6.3 2)");
        String k = a.positional().get(0);
        String given = a.positional().get(1);
        AnswerKey.Answer ans = key.get(k);
        if (ans == null) {
            List<String> near = key.nearest(k);
            throw new UsageException(name() + ": unknown key '" + k + "'"
                    + (near.isEmpty() ? "" : " (nearest: " + String.join(", ", near.subList(0, Math.min(6, near.size()))) + ")")
                    + "; ./dsw check-answer --list shows every key");
        }
        boolean ok;
        try {
            ok = ans.accepts(given);
        } catch (NumberFormatException e) {
            throw new UsageException(name() + ": " + k + " expects a number" + (ans.unit().equals("-") ? "" : " in " + ans.unit())
                    + ", not '" + given + "'");
        }
        if (ok) {
            System.out.println(k + ": correct (" + ans.describeTolerance() + ")");
            return ExitCode.OK;
        }
        System.out.println(k + ": not correct (" + ans.describeTolerance()
                + (ans.kind().equals("rel") && !ans.unit().equals("-") ? ", unit " + ans.unit() : "") + "). Hint: " + ans.hint());
        return ExitCode.VIOLATED;
    }
}
