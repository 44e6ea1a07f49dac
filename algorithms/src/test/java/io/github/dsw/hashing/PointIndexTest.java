package io.github.dsw.hashing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The indexed successor search against the plain binary search it replaces. */
class PointIndexTest {
    @Test
    void agreesWithThePlainBinarySearch() {
        long seed = 31L;
        SplittableRandom random = new SplittableRandom(seed);
        for (int size : new int[] {1, 2, 3, 7, 100, 1000, 4097}) {
            long[] points = new long[size];
            for (int i = 0; i < size; i++) {
                // A few duplicates and the extreme values exercise the edges of the circle.
                points[i] = switch (random.nextInt(20)) {
                    case 0 -> Long.MIN_VALUE;
                    case 1 -> Long.MAX_VALUE;
                    case 2 -> i > 0 ? points[i - 1] : 0L;
                    default -> random.nextLong();
                };
            }
            Arrays.sort(points);
            PointIndex index = new PointIndex(points);
            for (int q = 0; q < 20_000; q++) {
                long h = q < size ? points[q] : random.nextLong();
                assertEquals(HashRing.successor(points, h), index.successor(h), "seed=" + seed + " size=" + size + " h=" + h);
            }
            assertEquals(HashRing.successor(points, Long.MIN_VALUE), index.successor(Long.MIN_VALUE));
            assertEquals(HashRing.successor(points, Long.MAX_VALUE), index.successor(Long.MAX_VALUE));
        }
    }
}
