package io.github.dsw.labs;

import java.nio.file.Path;
import java.util.List;

/**
 * A graded lab: the skeleton a student starts from ({@code labs/NAME/CLASS.java} in the repository), the
 * interface the student's class implements, the reference implementation, and the tests, which receive an
 * instance of either.
 *
 * @param <T> the lab's interface
 */
interface Lab<T> {

    /** The word after {@code ./dsw grade}. */
    String name();

    /** One line for {@code ./dsw grade --list --verbose} and the report's header. */
    String summary();

    /** The interface the student implements. */
    Class<T> api();

    /** Simple name of the student's class (and of its skeleton file, {@code labs/NAME/CLASS.java}; default package). */
    String studentClass();

    /** The skeleton files a student starts from, relative to {@code labs/}: by default {@code NAME/CLASS.java}. */
    default List<String> skeletons() {
        return List.of(name() + "/" + studentClass() + ".java");
    }

    /** The student's implementation from the classes compiled out of {@code dir}: by default one {@link #studentClass()}. */
    default T load(ClassLoader loader, Path dir) throws Grader.NotGradable {
        return Grader.instance(loader, studentClass(), api(), dir);
    }

    /** The workbench's own implementation, graded by {@code --reference}. */
    T reference();

    /** The graded checks, run against {@code impl}; randomised ones run {@code seeds}. */
    List<LabTest> tests(T impl, Seeds seeds);
}
