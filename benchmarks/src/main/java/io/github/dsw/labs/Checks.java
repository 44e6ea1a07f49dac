package io.github.dsw.labs;

/** Assertions for lab tests: a failed check is an {@link AssertionError} with a message the student can act on. */
final class Checks {

    private Checks() {
    }

    static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new AssertionError(String.format(format, args));
        }
    }

    /** {@code v}'s low {@code width} bits in reverse order when {@code reflect}, else {@code v}. */
    static long reflectIf(long v, int width, boolean reflect) {
        if (!reflect) {
            return v;
        }
        long r = 0;
        for (int i = 0; i < width; i++) {
            r = (r << 1) | ((v >>> i) & 1);
        }
        return r;
    }
}
