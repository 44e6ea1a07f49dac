package io.github.dsw.sim;

import io.github.dsw.runtime.SplitMix64;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fault schedules. {@link #scripted} replays a fixed list of timed {@link Fault}s; {@link #random}
 * starts, every {@code intervalNs}, one fault of a randomly chosen enabled {@link Kind} and undoes it
 * {@code durationNs} later (Jepsen's combined nemesis, in virtual time). Every random choice is drawn
 * from the simulation's RNG at the moment the fault starts, so the schedule is part of the seed.
 * After {@code untilNs} no new fault starts and everything is healed: servers restarted, partition
 * healed, links and clocks restored, so that a run can finish its outstanding operations.
 */
public final class Nemesis {

    /** The fault families, named as on the command line. */
    public enum Kind {
        PARTITION, CRASH, PAUSE, LOSS, DUPLICATE, REORDER, SKEW;

        /** Parses a comma-separated list such as {@code partition,crash}; "none" or empty gives no kind. */
        public static Set<Kind> parse(String list) {
            Set<Kind> kinds = EnumSet.noneOf(Kind.class);
            if (list == null || list.isBlank() || list.equals("none")) {
                return kinds;
            }
            for (String word : list.split(",")) {
                try {
                    kinds.add(valueOf(word.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown nemesis '" + word.trim() + "' (allowed: partition, crash, pause, loss, duplicate, reorder, skew, all, none)");
                }
            }
            return kinds;
        }
    }

    /** A fault at a virtual time. */
    public record Step(long atNs, Fault fault) {
    }

    private Nemesis() {
    }

    /** Schedules every step on {@code sim}. */
    public static void scripted(Simulator<?> sim, List<Step> steps) {
        for (Step s : steps) {
            sim.schedule(s.atNs(), () -> s.fault().apply(sim));
        }
    }

    /**
     * Schedules a random nemesis on {@code sim} from {@code startNs} to {@code untilNs}.
     *
     * @param kinds      fault families to draw from (empty: nothing happens)
     * @param intervalNs time between fault starts
     * @param durationNs how long each fault lasts
     */
    public static void random(Simulator<?> sim, Set<Kind> kinds, long startNs, long untilNs, long intervalNs, long durationNs) {
        if (intervalNs <= 0 || durationNs <= 0) {
            throw new IllegalArgumentException("intervalNs and durationNs must be > 0, got " + intervalNs + ", " + durationNs);
        }
        if (kinds.isEmpty()) {
            return;
        }
        new RandomNemesis(sim, List.copyOf(kinds), untilNs, intervalNs, durationNs).scheduleFrom(startNs);
    }

    private static final class RandomNemesis {
        final Simulator<?> sim;
        final List<Kind> kinds;
        final long untilNs;
        final long intervalNs;
        final long durationNs;
        final int n;
        final LinkModel base;
        int loss;
        int duplicate;
        int reorder;
        int partitions;

        RandomNemesis(Simulator<?> sim, List<Kind> kinds, long untilNs, long intervalNs, long durationNs) {
            this.sim = sim;
            this.kinds = new ArrayList<>(kinds);
            this.kinds.sort(null); // enum order: the schedule must not depend on a Set's iteration order
            this.untilNs = untilNs;
            this.intervalNs = intervalNs;
            this.durationNs = durationNs;
            this.n = sim.config().servers();
            this.base = sim.config().serverLink();
        }

        void scheduleFrom(long t) {
            if (t + intervalNs <= untilNs) {
                sim.schedule(t + intervalNs, () -> {
                    strike();
                    scheduleFrom(sim.now());
                });
            } else {
                sim.schedule(Math.max(untilNs, t), this::healAll);
            }
        }

        private void strike() {
            SplitMix64 r = sim.random();
            Kind kind = kinds.get(r.nextInt(kinds.size()));
            long end = sim.now() + durationNs;
            switch (kind) {
                case PARTITION -> {
                    sim.setPartition(randomPartition(r));
                    partitions++;
                    sim.schedule(end, () -> {
                        if (partitions > 0 && --partitions == 0) {
                            sim.setPartition(Partition.none(n));
                        }
                    });
                }
                case CRASH -> {
                    int down = 0;
                    for (int i = 0; i < n; i++) {
                        down += sim.isUp(i) ? 0 : 1;
                    }
                    int victim = r.nextInt(n);
                    // Keep a majority up, so that quorum protocols can make progress between faults.
                    if (sim.isUp(victim) && (down + 1) * 2 < n) {
                        sim.crash(victim);
                        sim.schedule(end, () -> sim.restart(victim));
                    }
                }
                case PAUSE -> sim.pause(r.nextInt(n), durationNs);
                case LOSS -> toggleLinks(() -> loss++, () -> loss = Math.max(0, loss - 1), end);
                case DUPLICATE -> toggleLinks(() -> duplicate++, () -> duplicate = Math.max(0, duplicate - 1), end);
                case REORDER -> toggleLinks(() -> reorder++, () -> reorder = Math.max(0, reorder - 1), end);
                case SKEW -> {
                    int node = r.nextInt(n);
                    long offset = r.nextLong(2 * durationNs + 1) - durationNs;
                    double ppm = r.nextInt(2001) - 1000;
                    sim.setClock(node, offset, ppm);
                    sim.schedule(end, () -> sim.setClock(node, 0, 0));
                }
                default -> throw new IllegalStateException("unhandled kind " + kind);
            }
        }

        private Partition randomPartition(SplitMix64 r) {
            switch (r.nextInt(4)) {
                case 0: {
                    return Partition.isolate(n, r.nextInt(n));
                }
                case 1: {
                    return Partition.bridge(n, r.nextInt(n));
                }
                case 2: {
                    return Partition.majoritiesRing(n);
                }
                default: {
                    // random halves: shuffle, then split at floor(n/2)
                    int[] order = new int[n];
                    for (int i = 0; i < n; i++) {
                        order[i] = i;
                    }
                    for (int i = n - 1; i > 0; i--) {
                        int j = r.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    List<Integer> a = new ArrayList<>();
                    List<Integer> b = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        (i < n / 2 ? a : b).add(order[i]);
                    }
                    return Partition.split(n, List.of(a, b));
                }
            }
        }

        private void toggleLinks(Runnable on, Runnable off, long end) {
            on.run();
            applyLinks();
            sim.schedule(end, () -> {
                off.run();
                applyLinks();
            });
        }

        private void applyLinks() {
            LinkModel m = base;
            if (loss > 0) {
                m = m.withLoss(0.2);
            }
            if (duplicate > 0) {
                m = m.withDuplicate(0.2);
            }
            if (reorder > 0) {
                m = m.withReorder(0.3, 10_000_000);
            }
            sim.setServerLinks(m);
        }

        private void healAll() {
            sim.setPartition(Partition.none(n));
            sim.setServerLinks(base);
            for (int i = 0; i < n; i++) {
                sim.restart(i);
                sim.setClock(i, 0, 0);
            }
            loss = duplicate = reorder = partitions = 0;
        }
    }
}
