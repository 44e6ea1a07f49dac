package io.github.dsw.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dsw.labs.Labs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exercise of the course says how it is checked (issue 22). In each chapter {@code course/NN-*.md}, every
 * numbered item of an {@code Exercises} section ({@code ##} or {@code ###}) ends with a line {@code *Check:* ...} naming at least one of
 *
 * <ul>
 *   <li>{@code lab `NAME`}: a lab of {@code ./dsw grade --list} ({@link Labs#names()});
 *   <li>{@code `./dsw check-answer KEY VALUE`}: a key of {@code course/answers.tsv} belonging to this very exercise
 *       ({@code CH.N} or {@code CH.N.part});
 *   <li>{@code test `ClassName`} (or {@code `ClassName.method`}): a class with that file name in some module's
 *       sources;
 *   <li>{@code `./dsw COMMAND ...` verdict}: a command of {@link Main#COMMANDS} (or the launcher's {@code test})
 *       whose exit code decides;
 * </ul>
 *
 * or is {@code discussion}. Every answer key must be cited by its exercise, and at least 80 % of the exercises
 * must be checkable (not discussion only). The fixture test proves that a missing tag, an unknown key, lab, test or
 * command and an uncited key are each reported.
 */
class ExerciseChecksTest {

    /**
     * Labs H22a is building this session (issue 22); cited by the course before they are on this branch.
     * TODO(lead, at merge): delete this set once {@link Labs#names()} lists them.
     */
    static final Set<String> PENDING_LABS = Set.of();

    private static final Pattern EXERCISES = Pattern.compile("^###? (\\d+(\\.\\d+)* )?Exercises\\s*$");
    private static final Pattern ITEM = Pattern.compile("^(\\d+)\\. ");
    private static final Pattern CHECK = Pattern.compile("^\\s*\\*Check:\\*\\s+(.+)$");
    private static final Pattern LAB = Pattern.compile("\\blab `([a-z0-9-]+)`");
    private static final Pattern ANSWER = Pattern.compile("`\\./dsw check-answer (\\S+) VALUE`");
    private static final Pattern TEST = Pattern.compile("\\btests? `([A-Z][A-Za-z0-9]*)(?:[.#][A-Za-z0-9_]+)?`");
    private static final Pattern VERDICT = Pattern.compile("`\\./dsw ([a-z-]+)[^`]*` verdict");

    /** One exercise: chapter file, number, and its check line (null when missing). */
    record Exercise(String file, int chapter, int number, String check) {
    }

    /** What the parse found: the problems, and the count of checkable exercises per chapter. */
    record Report(List<String> problems, int exercises, int checkable, TreeMap<Integer, int[]> perChapter) {
        double share() {
            return exercises == 0 ? 0 : (double) checkable / exercises;
        }
    }

    @Test
    void everyExerciseOfTheCourseSaysHowItIsChecked() throws IOException {
        Path root = CourseReferencesTest.ROOT;
        Set<String> labs = new HashSet<>(Labs.names());
        labs.addAll(PENDING_LABS);
        Report r = check(root, labs, commands());
        r.perChapter().forEach((ch, c) -> System.out.println("chapter " + ch + ": " + c[1] + " of " + c[0] + " exercises checkable"));
        System.out.printf("course: %d of %d exercises checkable (%.1f %%)%n", r.checkable(), r.exercises(), 100.0 * r.share());
        assertTrue(r.problems().isEmpty(), r.problems().size() + " problems:\n" + String.join("\n", r.problems()));
        assertTrue(r.exercises() >= 90, "the course has about 100 exercises; found " + r.exercises());
        assertTrue(r.share() >= 0.8, "at least 80 % checkable; " + r.checkable() + " of " + r.exercises());
    }

    @Test
    void aMissingTagAnUnknownReferenceAndAnUncitedKeyAreEachReported(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("course"));
        Files.createDirectories(root.resolve("algorithms/src/test/java/p"));
        Files.writeString(root.resolve("algorithms/src/test/java/p/RingTest.java"), "package p; class RingTest {}");
        Files.writeString(root.resolve("course/answers.tsv"), "# key\n"
                + line("3.1", "1") + line("3.2", "2") + line("3.9", "9"));
        Files.writeString(root.resolve("course/03-demo.md"), """
                # Chapter 3

                ## 3.4 Not the exercises
                1. A numbered list outside the exercises needs no tag.

                ## Exercises

                1. Compute a number.
                   *Check:* `./dsw check-answer 3.1 VALUE`
                2. Write the ring; more text
                   on a second line.
                   *Check:* test `RingTest`, lab `crc`; `./dsw check-history` verdict
                3. Talk about it.
                   *Check:* discussion
                4. This one forgot its tag.
                5. Cites a key of another exercise and things that do not exist.
                   *Check:* `./dsw check-answer 3.2 VALUE`, `./dsw check-answer 3.7 VALUE`, test `GhostTest`, lab `no-such-lab`
                6. Unknown command and a tag that names nothing.
                   *Check:* `./dsw frobnicate --x` verdict
                7. Nothing recognisable.
                   *Check:* ask a friend

                ## 3.9 After the exercises
                """);
        Report r = check(root, Set.of("crc"), Set.of("check-history", "test"));
        String all = String.join("\n", r.problems());
        assertTrue(all.contains("exercise 4 has no *Check:* line"), all);
        assertTrue(all.contains("exercise 5 cites key 3.2, which belongs to another exercise"), all);
        assertTrue(all.contains("exercise 5 cites key 3.7, which is not in the answer key"), all);
        assertTrue(all.contains("exercise 5 cites test GhostTest, which no module declares"), all);
        assertTrue(all.contains("exercise 5 cites lab no-such-lab, which ./dsw grade does not list"), all);
        assertTrue(all.contains("exercise 6 cites ./dsw frobnicate, which is not a command"), all);
        assertTrue(all.contains("exercise 7: the *Check:* line names no lab, key, test or verdict and is not 'discussion'"), all);
        assertTrue(all.contains("key 3.9 is cited by no exercise"), all);
        assertTrue(!all.contains("3.1") && !all.contains("exercise 1 ") && !all.contains("exercise 2 ") && !all.contains("exercise 3 "), all);
        assertEquals(8, r.problems().size(), all);
        assertEquals(7, r.exercises());
        assertEquals(2, r.checkable(), "1 and 2; 3 is discussion, 4-7 are broken");

        // the same chapter with every problem fixed passes
        Files.writeString(root.resolve("course/answers.tsv"), "# key\n" + line("3.1", "1"));
        Files.writeString(root.resolve("course/03-demo.md"), """
                ## Exercises

                1. Compute a number.
                   *Check:* `./dsw check-answer 3.1 VALUE`
                2. Write the ring.
                   *Check:* test `RingTest.spins`
                """);
        Report ok = check(root, Set.of("crc"), Set.of("check-history"));
        assertTrue(ok.problems().isEmpty(), String.join("\n", ok.problems()));
        assertEquals(1.0, ok.share());
    }

    private static String line(String key, String value) {
        return String.join("\t", key, "abs", "0", AnswerKey.encode(key, value), "-", "a hint", "a source") + "\n";
    }

    static Set<String> commands() {
        Set<String> names = new HashSet<>();
        Main.COMMANDS.forEach(c -> names.add(c.name()));
        names.add("test"); // the launcher's ./dsw test (e.g. --notebook F): its exit code is the verdict
        return names;
    }

    /** Parses every chapter under {@code root/course} and returns what is wrong and how many exercises are checkable. */
    static Report check(Path root, Set<String> labs, Set<String> commands) throws IOException {
        List<String> problems = new ArrayList<>();
        AnswerKey key = AnswerKey.read(root.resolve("course/answers.tsv"));
        Set<String> testClasses = javaFileNames(root);
        Set<String> cited = new LinkedHashSet<>();
        List<Exercise> all = new ArrayList<>();
        List<Path> chapters;
        try (Stream<Path> s = Files.list(root.resolve("course"))) {
            chapters = s.filter(p -> p.getFileName().toString().matches("\\d\\d-.*\\.md")).sorted().toList();
        }
        for (Path chapter : chapters) {
            all.addAll(exercises(chapter));
        }
        int checkable = 0;
        TreeMap<Integer, int[]> perChapter = new TreeMap<>();
        for (Exercise e : all) {
            String where = e.file() + ": exercise " + e.number();
            int[] counts = perChapter.computeIfAbsent(e.chapter(), c -> new int[2]);
            counts[0]++;
            if (e.check() == null) {
                problems.add(where + " has no *Check:* line (its last line must be '*Check:* ...')");
                continue;
            }
            int refs = 0;
            boolean broken = false;
            Matcher m = ANSWER.matcher(e.check());
            while (m.find()) {
                refs++;
                String k = m.group(1);
                cited.add(k);
                if (key.get(k) == null) {
                    problems.add(where + " cites key " + k + ", which is not in the answer key");
                    broken = true;
                } else if (!(k.equals(e.chapter() + "." + e.number()) || k.startsWith(e.chapter() + "." + e.number() + "."))) {
                    problems.add(where + " cites key " + k + ", which belongs to another exercise");
                    broken = true;
                }
            }
            m = LAB.matcher(e.check());
            while (m.find()) {
                refs++;
                if (!labs.contains(m.group(1))) {
                    problems.add(where + " cites lab " + m.group(1) + ", which ./dsw grade does not list");
                    broken = true;
                }
            }
            m = TEST.matcher(e.check());
            while (m.find()) {
                refs++;
                if (!testClasses.contains(m.group(1))) {
                    problems.add(where + " cites test " + m.group(1) + ", which no module declares");
                    broken = true;
                }
            }
            m = VERDICT.matcher(e.check());
            while (m.find()) {
                refs++;
                if (!commands.contains(m.group(1))) {
                    problems.add(where + " cites ./dsw " + m.group(1) + ", which is not a command");
                    broken = true;
                }
            }
            if (refs == 0 && !e.check().trim().startsWith("discussion")) {
                problems.add(e.file() + ": exercise " + e.number()
                        + ": the *Check:* line names no lab, key, test or verdict and is not 'discussion': " + e.check());
            } else if (refs > 0 && !broken) {
                checkable++;
                counts[1]++;
            }
        }
        for (String k : key.keys()) {
            if (!cited.contains(k)) {
                problems.add("answers.tsv: key " + k + " is cited by no exercise");
            }
        }
        return new Report(problems, all.size(), checkable, perChapter);
    }

    /** The numbered items of a chapter's Exercises section, each with its last line if that is a *Check:* line. */
    static List<Exercise> exercises(Path chapter) throws IOException {
        String file = chapter.getFileName().toString();
        int number = Integer.parseInt(file.substring(0, 2));
        List<String> lines = Files.readAllLines(chapter);
        List<Exercise> out = new ArrayList<>();
        boolean inside = false;
        int current = -1;
        String last = null;
        for (String line : lines) {
            if (line.startsWith("## ") || line.startsWith("### ")) {
                if (inside && current > 0) {
                    out.add(new Exercise(file, number, current, checkOf(last)));
                    current = -1;
                }
                inside = EXERCISES.matcher(line).matches();
                continue;
            }
            if (!inside) {
                continue;
            }
            Matcher item = ITEM.matcher(line);
            if (item.find()) {
                if (current > 0) {
                    out.add(new Exercise(file, number, current, checkOf(last)));
                }
                current = Integer.parseInt(item.group(1));
            }
            if (!line.isBlank()) {
                last = line;
            }
        }
        if (inside && current > 0) {
            out.add(new Exercise(file, number, current, checkOf(last)));
        }
        return out;
    }

    private static String checkOf(String lastLine) {
        if (lastLine == null) {
            return null;
        }
        Matcher m = CHECK.matcher(lastLine);
        return m.matches() ? m.group(1) : null;
    }

    /** Simple names of every Java file in the repository's modules (labs' skeletons included). */
    private static Set<String> javaFileNames(Path root) throws IOException {
        Set<String> names = new HashSet<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                String n = dir.getFileName() == null ? "" : dir.getFileName().toString();
                return Set.of("target", ".git", "datasets", "node_modules", ".ipynb_checkpoints").contains(n)
                        ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                String n = f.getFileName().toString();
                if (n.endsWith(".java")) {
                    names.add(n.substring(0, n.length() - ".java".length()));
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return names;
    }
}
