package io.github.dsw.cli;

import io.github.dsw.labs.Grader;
import io.github.dsw.labs.Labs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./dsw grade}: the course's labs. A student copies a lab's skeleton into the git-ignored {@code labs/work/}
 * ({@code --init}), implements it, and grades it: the lab's tests run against the student's class, one line per
 * test with its points and, on failure, what was expected.
 */
final class GradeCommand implements Command {

    @Override
    public String name() {
        return "grade";
    }

    @Override
    public String summary() {
        return "grade a lab: your implementation of a course class against the lab's tests";
    }

    @Override
    public String help() {
        return """
                usage: ./dsw grade --list
                       ./dsw grade LAB --init [--dir DIR]
                       ./dsw grade LAB [--dir DIR] [--seeds N | --seed S] [--test NAME]
                       ./dsw grade LAB --reference [--seeds N | --seed S] [--test NAME]

                Labs are classes of the course to write yourself, graded by tests whose expected values come
                from independent sources (published catalogues, the JDK, the papers' algorithms, properties).
                --init copies the lab's skeleton (labs/LAB/*.java, which fails every test) into your folder;
                then implement it and run ./dsw grade LAB. Your folder is git-ignored, so git pull never
                touches it. Each test prints PASS or FAIL with its points; the last line is the score.
                Tests that run the simulator run several seeds; a failure names the seed and prints the
                command that replays exactly that run (--test NAME --seed S).
                The four Raft labs (raft-election, -replication, -persistence, -snapshots) each put one part
                of yours into the workbench's Raft; lab raft runs your four parts together, graded by the
                same tests (named part/test, e.g. --test election/request-vote-receiver-cases). Its --init
                copies the four skeletons, or (without --dir) your work from labs/work/raft-PART/.
                Exit 0 only when every test of the lab passes, 1 otherwise (also when your code does not
                compile), 2 for an unknown lab or a missing folder.

                options:
                  --list        the labs, one name per line
                  --init        copy the skeleton(s) into the folder (refuses to overwrite your work)
                  --dir DIR     your folder (default labs/work/LAB)
                  --reference   grade the workbench's own implementation instead (it passes every test)
                  --seeds N     seeds per randomised test (default: each test's own, 2 to 30)
                  --seed S      run only seed S (the replay of a failure)
                  --test NAME   run only the test NAME
                """;
    }

    @Override
    public int run(List<String> argv) throws Exception {
        Args a = Args.forCommand(name()).flag("list").flag("init").flag("reference").option("dir").option("seeds")
                .option("seed").option("test").parse(argv)
                .expectPositional(0, 1, "a lab name (./dsw grade --list)");
        if (a.has("list")) {
            if (!a.positional().isEmpty()) {
                throw new UsageException(name() + ": --list takes no lab name");
            }
            Labs.names().forEach(System.out::println);
            return ExitCode.OK;
        }
        if (a.positional().isEmpty()) {
            throw new UsageException(name() + ": expected a lab name (./dsw grade --list)");
        }
        String lab = a.positional().get(0);
        if (!Labs.names().contains(lab)) {
            String near = Suggest.closest(lab, Labs.names());
            throw new UsageException(name() + ": unknown lab '" + lab + "'" + (near == null ? "" : " (did you mean '" + near + "'?)")
                    + "; ./dsw grade --list shows them");
        }
        if (a.has("reference") && (a.has("init") || a.get("dir") != null)) {
            throw new UsageException(name() + ": --reference grades the workbench's code; it takes no --init or --dir");
        }
        int seeds = a.get("seeds") == null ? 0 : a.getInt("seeds", 1, 1, 100_000);
        Long seed = a.get("seed") == null ? null : a.getLong("seed", 0);
        if (a.get("seeds") != null && seed != null) {
            throw new UsageException(name() + ": give --seeds N or --seed S, not both");
        }
        String test = a.get("test");
        if (test != null && !Grader.testNames(lab).contains(test)) {
            String near = Suggest.closest(test, Grader.testNames(lab));
            throw new UsageException(name() + ": lab " + lab + " has no test '" + test + "'"
                    + (near == null ? "" : " (did you mean '" + near + "'?)") + "; its tests: " + String.join(", ", Grader.testNames(lab)));
        }
        if (a.has("init") && (a.get("seeds") != null || seed != null || test != null)) {
            throw new UsageException(name() + ": --init copies the skeleton; it takes no --seeds, --seed or --test");
        }
        String replay = "./dsw grade " + lab + (a.has("reference") ? " --reference" : a.get("dir") == null ? "" : " --dir " + a.get("dir"));
        Grader.Options options = new Grader.Options(seeds, seed, test, replay);
        Path dir = a.get("dir") == null ? Workbench.root().resolve("labs/work").resolve(lab) : Workbench.userPath(a.get("dir"));
        if (a.has("init")) {
            List<Path> skeletons = Grader.skeletons(Workbench.root(), lab);
            for (Path skeleton : skeletons) {
                Path target = dir.resolve(skeleton.getFileName());
                if (Files.exists(target)) {
                    throw new UsageException(name() + ": " + target + " exists: your work is kept (delete it to start over)");
                }
            }
            Files.createDirectories(dir);
            System.out.println("lab " + lab + ": " + Labs.summary(lab));
            for (Path skeleton : skeletons) {
                Path target = dir.resolve(skeleton.getFileName());
                // lab raft without --dir: a part you already wrote in its own lab's folder is copied instead of its skeleton
                String part = skeleton.getParent().getFileName().toString();
                Path yours = Workbench.root().resolve("labs/work").resolve(part).resolve(skeleton.getFileName());
                Path from = a.get("dir") == null && !part.equals(lab) && Files.isRegularFile(yours) ? yours : skeleton;
                Files.copy(from, target);
                System.out.println("wrote " + target + (from == yours ? " (your work from " + yours + ")" : ""));
            }
            System.out.println("implement it, then run ./dsw grade " + lab + (a.get("dir") == null ? "" : " --dir " + a.get("dir")));
            return ExitCode.OK;
        }
        System.out.println("lab " + lab + ": " + Labs.summary(lab) + (a.has("reference") ? " (reference implementation)" : ""));
        List<Grader.Outcome> outcomes;
        if (a.has("reference")) {
            outcomes = Grader.gradeReference(lab, options, System.out);
        } else {
            if (!Files.isDirectory(dir)) {
                throw new UsageException(name() + ": no folder " + dir + " (start with ./dsw grade " + lab + " --init)");
            }
            try {
                outcomes = Grader.gradeStudent(lab, dir, options, System.out);
            } catch (Grader.NotGradable e) {
                System.out.println(e.getMessage());
                System.out.println("score 0 (not graded)");
                return ExitCode.VIOLATED;
            }
        }
        return outcomes.stream().allMatch(Grader.Outcome::passed) ? ExitCode.OK : ExitCode.VIOLATED;
    }
}
