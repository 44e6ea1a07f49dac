package io.github.dsw.labs;

/**
 * The seeds a randomised lab test runs: its own default count, or the count given with {@code ./dsw grade --seeds N},
 * or the one seed of {@code --seed S} (a replay). A failure under a seed is a {@link SeedFailure}: the grader prints
 * the seed and the command that replays exactly that run (the simulator is deterministic per seed).
 */
final class Seeds {

    /** One seed per test: to list the tests. */
    static final Seeds ONE = new Seeds(1, null);

    /** A failed check under one seed. */
    static final class SeedFailure extends AssertionError {
        private final long seed;

        SeedFailure(long seed, String message, Throwable cause) {
            super(message, cause);
            this.seed = seed;
        }

        long seed() {
            return seed;
        }
    }

    /** The body of a test under one seed. */
    @FunctionalInterface
    interface PerSeed {
        void run(long seed) throws Exception;
    }

    private final int count;
    private final Long only;

    Seeds(int count, Long only) {
        this.count = count;
        this.only = only;
    }

    /** The seeds to run: {@code only}, or 1..count (count = {@code defaultCount} unless given). */
    long[] seeds(int defaultCount) {
        if (only != null) {
            return new long[] {only};
        }
        int n = count > 0 ? count : defaultCount;
        long[] s = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = i + 1;
        }
        return s;
    }

    /**
     * Runs {@code body} for every seed; the first failure (a failed check or anything the student's code threw)
     * becomes a {@link SeedFailure} naming the seed.
     */
    void forEach(int defaultCount, PerSeed body) {
        for (long seed : seeds(defaultCount)) {
            try {
                body.run(seed);
            } catch (SeedFailure f) {
                throw f;
            } catch (AssertionError e) {
                throw new SeedFailure(seed, "seed " + seed + ": " + e.getMessage(), e);
            } catch (Exception | LinkageError | StackOverflowError e) {
                throw new SeedFailure(seed, "seed " + seed + ": threw " + describe(e), e);
            }
        }
    }

    /** An exception as one line: its class, its message, and the line of the student's code it came from. */
    static String describe(Throwable e) {
        String s = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        StackTraceElement where = firstStudentFrame(e);
        return where == null ? s : s + " (at " + where + ")";
    }

    private static StackTraceElement firstStudentFrame(Throwable e) {
        for (StackTraceElement f : e.getStackTrace()) {
            if (!f.getClassName().contains(".")) {
                return f; // default package: the student's class
            }
        }
        return null;
    }
}
