package io.github.dsw.labs;

import static io.github.dsw.labs.Checks.check;

import io.github.dsw.hashing.JumpHash;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Grader of lab {@code jump-hash}. Expected values: the paper's Figure 1 (the workbench's {@link JumpHash}, itself
 * tested against the C++ listing), and two properties that hold for any correct consistent hash of this kind.
 */
final class JumpHashLabGrader implements Lab<JumpHashLab> {

    @Override
    public String name() {
        return "jump-hash";
    }

    @Override
    public String summary() {
        return "chapter 2: Lamping and Veach's jump consistent hash";
    }

    @Override
    public Class<JumpHashLab> api() {
        return JumpHashLab.class;
    }

    @Override
    public String studentClass() {
        return "StudentJumpHash";
    }

    @Override
    public JumpHashLab reference() {
        return JumpHash::bucket;
    }

    @Override
    public List<LabTest> tests(JumpHashLab impl, Seeds seeds) {
        List<LabTest> t = new ArrayList<>();
        t.add(new LabTest("same-buckets-as-the-paper", 4, () -> {
            SplittableRandom rnd = new SplittableRandom(2);
            for (int i = 0; i < 20_000; i++) {
                long key = rnd.nextLong();
                int n = 1 + rnd.nextInt(5000);
                int got = impl.bucket(key, n);
                int want = JumpHash.bucket(key, n);
                check(got == want, "key %d with %d buckets: the paper's algorithm gives %d, yours %d", key, n, want, got);
            }
        }));
        t.add(new LabTest("growing-moves-keys-only-to-the-new-bucket", 2, () -> {
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < 2_000; i++) {
                long key = rnd.nextLong();
                int before = impl.bucket(key, 1);
                for (int n = 2; n <= 200; n++) {
                    int after = impl.bucket(key, n);
                    check(after == before || after == n - 1,
                            "key %d moved from bucket %d to %d when growing to %d buckets (only moves to %d are allowed)",
                            key, before, after, n, n - 1);
                    before = after;
                }
            }
        }));
        t.add(new LabTest("balanced-split", 2, () -> {
            int n = 10;
            int[] counts = new int[n];
            SplittableRandom rnd = new SplittableRandom(4);
            int keys = 100_000;
            for (int i = 0; i < keys; i++) {
                int b = impl.bucket(rnd.nextLong(), n);
                check(b >= 0 && b < n, "bucket %d is outside [0, %d)", b, n);
                counts[b]++;
            }
            double expected = (double) keys / n;
            double chi2 = 0;
            for (int c : counts) {
                chi2 += (c - expected) * (c - expected) / expected;
            }
            // 9 degrees of freedom: P(chi2 > 27.88) = 0.001 for a uniform split.
            check(chi2 < 27.88, "the split of %d keys over %d buckets is uneven (chi-square %.1f > 27.88, p < 0.001)",
                    keys, n, chi2);
        }));
        t.add(new LabTest("rejects-fewer-than-one-bucket", 1, () -> {
            for (int n : new int[] {0, -1, Integer.MIN_VALUE}) {
                boolean threw = false;
                try {
                    impl.bucket(42, n);
                } catch (IllegalArgumentException e) {
                    threw = true;
                }
                check(threw, "bucket(42, %d) must throw IllegalArgumentException", n);
            }
        }));
        return t;
    }
}
