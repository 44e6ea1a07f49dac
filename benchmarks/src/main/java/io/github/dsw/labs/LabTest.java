package io.github.dsw.labs;

/** One graded check of a lab: a name, the points it is worth, and a body that throws {@link AssertionError} when the student's code fails it. */
record LabTest(String name, int points, Body body) {

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }
}
