package io.github.dsw.sim;

import io.github.dsw.runtime.SplitMix64;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * Leader-aware, adversarial fault schedules: the nemeses that aim where consensus bugs live, next to
 * {@link Nemesis#random}, which picks its victims blindly. Jepsen isolates the current leader on purpose
 * (Kingsbury, "Jepsen: etcd and Consul", 2014; the {@code :bridge}, {@code :majorities-ring} and clock
 * nemeses of jepsen.nemesis); FoundationDB's simulator "swizzles" processes (Zhou et al., "FoundationDB: A
 * Distributed Unbundled Transactional Key Value Store", SIGMOD 2021, section 4.2) and TigerBeetle's VOPR
 * judges itself by how fast it finds planted bugs. Each {@link Attack} here observes the run only through
 * {@link Observations} (who claims to lead, who just acknowledged), never a node's state.
 *
 * <p>Cadence: from {@code startNs} a strike happens every {@link Timing#strikeEveryNs}; each picks one
 * enabled attack from the simulation's RNG (so the schedule is part of the seed) and lasts
 * {@link Timing#faultNs}. After {@code untilNs} nothing new starts and everything is healed (partition,
 * links, clocks, crashed servers), as {@link Nemesis#random} does. Crashes always leave a majority up.
 */
public final class Adversary {

    /** The attacks, named on the command line in lower case with dashes ({@code isolate-leader}). */
    public enum Attack {
        /** Cut the observed leader off from every other server (then, at the next strike, the next leader). */
        ISOLATE_LEADER,
        /** Split the servers into a minority that holds the leader and a majority without it. */
        LEADER_MINORITY,
        /**
         * Stall the leader for 1.1 to 2.1 election timeouts (past its lease), cut off from the other servers until
         * half a timeout after it wakes: it wakes deposed, to its clients' queued requests, before it hears of the next term.
         */
        PAUSE_LEADER,
        /** Crash the next server that acknowledges a client's operation, right after it did; restart it later. */
        CRASH_AFTER_ACK,
        /** Two halves that cannot talk, and one server (not the leader) that talks to both (Jepsen's bridge). */
        BRIDGE,
        /** Jump the leader's wall clock by up to +-10 s, with a drift within +-1000 ppm. */
        CLOCK_JUMP,
        /** The leader's links go down and up every 5-30 ms for the fault's length. */
        FLAP,
        /** Crash and restart servers in rotating order, starting with the leader (FoundationDB's swizzle). */
        SWIZZLE,
        /**
         * The schedule of the Raft paper's Figure 8 (section 5.4.2), driven by leadership claims and commits only:
         * (a) cut off the leader L1, so that its newest entries stay on it alone; (b) when another server claims to
         * lead (L2), cut L2 off at once, before its first entry leaves, and let L1 rejoin the rest; (c) when a server
         * other than L2 then claims to lead (L1, whose log is the longest), wait for its first commit; (d) cut that
         * leader off the moment it outputs the commit, before its next message lands, and let L2 (whose last entry
         * has the newer term) rejoin the rest. An entry of an older term committed by counting replicas in (d) is
         * then overwritten by L2. Lasts up to 8 election timeouts; no other strike starts meanwhile.
         */
        FIGURE_8,
        /**
         * Membership changes right after leader changes, through the cluster's administrator ({@link Admin}; a run
         * without one never draws this attack). Between strikes, whenever a server claims to lead and the committed
         * configuration is not the base one (all voters but one, that one a learner), ask the new leader at once for
         * the single-server change that goes back to it: remove a voter, add the missing server as a learner, promote
         * it; so servers are removed and added back again and again, each time right after an election. A strike,
         * when the configuration is the base one, plays the schedule of the raft-dev bug in single-server changes
         * (Ongaro, raft-dev, 2015; dissertation errata), from claims and commits only: (a) cut the leader A off with
         * the learner s and ask A to promote s, so the entry C1 (s a voter) stays on A and s; (b) when another
         * server B claims to lead, cut B off alone and ask it at once to remove A (C2), then let B reach one partner
         * P; (c) when B outputs a commit, join A, s and the last voter D. A correct leader refuses C2 until its no-op
         * commits; one that takes it commits C2 with P (a majority of C2), while A, D and s are a majority of C1, so
         * A can be elected and commit C1 over B's committed entries. Lasts up to 8 election timeouts; no other
         * strike starts meanwhile.
         */
        MEMBERSHIP;

        /** The command-line spelling. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * What an attack needs to know of the protocol's configuration (never of its state).
     *
     * @param electionTimeoutNs the longest election timeout (or lease): a pause longer than this deposes a leader
     * @param strikeEveryNs     time between strikes
     * @param faultNs           how long a fault lasts
     */
    public record Timing(long electionTimeoutNs, long strikeEveryNs, long faultNs) {
        public Timing {
            if (electionTimeoutNs <= 0 || strikeEveryNs <= 0 || faultNs <= 0) {
                throw new IllegalArgumentException("times must be > 0, got " + electionTimeoutNs + ", " + strikeEveryNs + ", " + faultNs);
            }
        }

        /** Strikes every 2.5 election timeouts, each lasting 2: long enough for a new leader to be elected and used. */
        public static Timing forElectionTimeout(long electionTimeoutNs) {
            return new Timing(electionTimeoutNs, 5 * electionTimeoutNs / 2, 2 * electionTimeoutNs);
        }
    }

    /**
     * The cluster's membership administrator, for {@link Attack#MEMBERSHIP}: what an operator of a real cluster has
     * (an admin request to the leader, and the committed configuration), never a node's state.
     */
    public interface Admin {
        /** A single-server change (dissertation 4.1-4.3). */
        enum Change { ADD_LEARNER, PROMOTE, REMOVE }

        /** The voters of the latest committed configuration the admin has seen. */
        Set<Integer> voters();

        /** Its learners (servers that receive the log but do not vote). */
        Set<Integer> learners();

        /**
         * Asks server {@code at} to make the change {@code change} of server {@code node}; {@code answer} is called with
         * true once it committed, false when it was refused, and not at all when no answer comes (a lost request).
         */
        void request(int at, Change change, int node, java.util.function.Consumer<Boolean> answer);
    }

    /**
     * One strike as it happened: its number in the run ({@code index}, 1-based, counting every strike drawn, run or
     * skipped), when it started, the attack and the server it aimed at.
     */
    public record Strike(int index, long atNs, Attack attack, int target) {
        @Override
        public String toString() {
            return "#" + index + " at " + atNs / 1_000_000 + " ms: " + attack.cliName() + " on " + target;
        }
    }

    /**
     * A fault schedule to replay with strikes left out, and the log of the strikes a run made: what shrinking a
     * finding's schedule needs ({@code Hunt}). Strikes are still drawn in {@code skip} (so the numbering, and the
     * draws of the strikes before, stay as they were) but not carried out.
     */
    public static final class Shaping {
        private final Set<Integer> skip;
        private final List<Strike> log = new ArrayList<>();

        public Shaping(Set<Integer> skip) {
            this.skip = Set.copyOf(skip);
        }

        /** The strikes left out. */
        public Set<Integer> skip() {
            return skip;
        }

        /** The strikes carried out, in order. */
        public List<Strike> log() {
            return List.copyOf(log);
        }
    }

    private static final ThreadLocal<Shaping> SHAPING = new ThreadLocal<>();

    /**
     * Runs {@code run} (one simulation, on this thread) with every {@link #schedule} it makes shaped by {@code shaping}:
     * its strikes logged, those in {@code shaping.skip()} left out. The runs' drivers need no new parameter for it.
     */
    public static <T> T shaped(Shaping shaping, java.util.function.Supplier<T> run) {
        Shaping before = SHAPING.get();
        SHAPING.set(shaping);
        try {
            return run.get();
        } finally {
            if (before == null) {
                SHAPING.remove();
            } else {
                SHAPING.set(before);
            }
        }
    }

    /**
     * A nemesis as named on the command line: blind fault kinds of {@link Nemesis#random} and adversarial attacks.
     *
     * @param random  the kinds for {@link Nemesis#random} (empty: none)
     * @param attacks the attacks for {@link #schedule} (empty: none)
     */
    public record Plan(Set<Nemesis.Kind> random, Set<Attack> attacks) {
        public Plan {
            random = random.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(random));
            attacks = attacks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(attacks));
        }

        /** Every attack: the {@code adversarial} mix. */
        public static final Plan ADVERSARIAL = new Plan(Set.of(), EnumSet.allOf(Attack.class));
        /** Every blind kind: the {@code random} (also {@code all}) nemesis. */
        public static final Plan RANDOM = new Plan(EnumSet.allOf(Nemesis.Kind.class), Set.of());

        /**
         * Parses a comma-separated list of kinds ({@code partition, crash, pause, loss, duplicate, reorder, skew}),
         * attacks ({@code isolate-leader, ...}), {@code random} or {@code all} (every kind), {@code adversarial}
         * (every attack), or {@code none}.
         */
        public static Plan parse(String list) {
            Set<Nemesis.Kind> kinds = EnumSet.noneOf(Nemesis.Kind.class);
            Set<Attack> attacks = EnumSet.noneOf(Attack.class);
            if (list == null || list.isBlank() || list.trim().equals("none")) {
                return new Plan(kinds, attacks);
            }
            for (String raw : list.split(",")) {
                String word = raw.trim().toLowerCase(Locale.ROOT);
                switch (word) {
                    case "random", "all" -> kinds.addAll(EnumSet.allOf(Nemesis.Kind.class));
                    case "adversarial" -> attacks.addAll(EnumSet.allOf(Attack.class));
                    default -> {
                        Attack a = attack(word);
                        if (a != null) {
                            attacks.add(a);
                        } else {
                            try {
                                kinds.addAll(Nemesis.Kind.parse(word));
                            } catch (IllegalArgumentException e) {
                                throw new IllegalArgumentException("unknown nemesis '" + raw.trim() + "' (allowed: " + names() + ")");
                            }
                        }
                    }
                }
            }
            return new Plan(kinds, attacks);
        }

        private static Attack attack(String word) {
            for (Attack a : Attack.values()) {
                if (a.cliName().equals(word)) {
                    return a;
                }
            }
            return null;
        }

        /** Every accepted name, for messages and help. */
        public static String names() {
            List<String> all = new ArrayList<>();
            for (Nemesis.Kind k : Nemesis.Kind.values()) {
                all.add(k.name().toLowerCase(Locale.ROOT));
            }
            for (Attack a : Attack.values()) {
                all.add(a.cliName());
            }
            all.addAll(List.of("random", "all", "adversarial", "none"));
            return String.join(", ", all);
        }

        public boolean isEmpty() {
            return random.isEmpty() && attacks.isEmpty();
        }

        /** The list as it parses back ({@code none} when empty), in enum order. */
        public String cliName() {
            if (isEmpty()) {
                return "none";
            }
            List<String> words = new ArrayList<>();
            if (random.size() == Nemesis.Kind.values().length) {
                words.add("random");
            } else {
                random.stream().sorted().forEach(k -> words.add(k.name().toLowerCase(Locale.ROOT)));
            }
            if (attacks.size() == Attack.values().length) {
                words.add("adversarial");
            } else {
                attacks.stream().sorted().forEach(a -> words.add(a.cliName()));
            }
            return words.stream().collect(Collectors.joining(","));
        }
    }

    private Adversary() {
    }

    /**
     * Schedules {@code attacks} on {@code sim} from {@code startNs} to {@code untilNs} (nothing if empty).
     *
     * @param seen the run's outputs as the driver feeds them
     */
    public static void schedule(Simulator<?> sim, Set<Attack> attacks, Observations seen, Timing timing, long startNs, long untilNs) {
        schedule(sim, attacks, seen, timing, startNs, untilNs, null);
    }

    /**
     * As {@link #schedule(Simulator, Set, Observations, Timing, long, long)}, with the cluster's membership
     * administrator for {@link Attack#MEMBERSHIP} (null: that attack is left out of {@code attacks}, so a protocol
     * without membership changes draws exactly the schedule it drew before the attack existed).
     */
    public static void schedule(Simulator<?> sim, Set<Attack> attacks, Observations seen, Timing timing, long startNs, long untilNs,
                                Admin admin) {
        if (sim == null || attacks == null || seen == null || timing == null) {
            throw new IllegalArgumentException("sim, attacks, seen and timing must not be null");
        }
        Set<Attack> usable = EnumSet.noneOf(Attack.class);
        usable.addAll(attacks);
        if (admin == null) {
            usable.remove(Attack.MEMBERSHIP);
        }
        if (usable.isEmpty()) {
            return;
        }
        Run run = new Run(sim, usable, seen, timing, untilNs, admin, SHAPING.get());
        run.scheduleFrom(startNs);
        if (usable.contains(Attack.MEMBERSHIP)) {
            run.watchMembership();
        }
    }

    private static final class Run {
        final Simulator<?> sim;
        final List<Attack> attacks;
        final Observations seen;
        final Timing timing;
        final long untilNs;
        final int n;
        final LinkModel base;
        int partitionGeneration;
        int swizzleNext = -1;
        IntConsumer armed;
        Runnable figure8Stop; // a long schedule (figure-8, membership) under way: no other strike meanwhile
        final Admin admin;
        final Shaping shaping;
        int strikes;
        boolean adminBusy; // a membership request is under way (one at a time, as single-server changes need)
        int adminTicket;

        Run(Simulator<?> sim, Set<Attack> attacks, Observations seen, Timing timing, long untilNs, Admin admin, Shaping shaping) {
            this.admin = admin;
            this.shaping = shaping;
            this.sim = sim;
            this.attacks = new ArrayList<>(attacks);
            this.attacks.sort(null); // enum order: the schedule must not depend on a Set's iteration order
            this.seen = seen;
            this.timing = timing;
            this.untilNs = untilNs;
            this.n = sim.config().servers();
            this.base = sim.config().serverLink();
        }

        void scheduleFrom(long t) {
            if (t + timing.strikeEveryNs() <= untilNs) {
                sim.schedule(t + timing.strikeEveryNs(), () -> {
                    strike();
                    scheduleFrom(sim.now());
                });
            } else {
                sim.schedule(Math.max(untilNs, t), this::healAll);
            }
        }

        /** The observed leader if it is a server that is up, else a random server that is up (or any). */
        private int target(SplitMix64 r) {
            int l = seen.leader();
            if (l >= 0 && l < n && sim.isUp(l)) {
                return l;
            }
            List<Integer> up = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (sim.isUp(i)) {
                    up.add(i);
                }
            }
            return up.isEmpty() ? r.nextInt(n) : up.get(r.nextInt(up.size()));
        }

        private void strike() {
            if (figure8Stop != null) {
                return; // a Figure 8 schedule is under way: it owns the partition until it ends
            }
            SplitMix64 r = sim.random();
            Attack attack = attacks.get(r.nextInt(attacks.size()));
            long length = timing.faultNs();
            long end = sim.now() + length;
            int leader = target(r);
            int index = ++strikes;
            if (shaping != null) {
                if (shaping.skip.contains(index)) {
                    return; // drawn, not carried out
                }
                shaping.log.add(new Strike(index, sim.now(), attack, leader));
            }
            switch (attack) {
                case ISOLATE_LEADER -> cut(Partition.isolate(n, leader), end);
                case LEADER_MINORITY -> {
                    List<Integer> minority = new ArrayList<>(List.of(leader));
                    List<Integer> majority = new ArrayList<>();
                    List<Integer> others = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if (i != leader) {
                            others.add(i);
                        }
                    }
                    shuffle(others, r);
                    for (int node : others) {
                        (minority.size() < (n - 1) / 2 ? minority : majority).add(node);
                    }
                    cut(majority.isEmpty() ? Partition.none(n) : Partition.split(n, List.of(minority, majority)), end);
                }
                case PAUSE_LEADER -> {
                    // Past the timeout: long enough to be deposed, short enough that clients still use it when it wakes.
                    // Cut off for the pause and a little after, as a stalled process's connections are in practice: it
                    // wakes to its clients' queued requests before any news of the next term.
                    long e = timing.electionTimeoutNs();
                    long pause = e + e / 10 + r.nextLong(e + 1);
                    sim.pause(leader, pause);
                    cut(Partition.isolate(n, leader), sim.now() + pause + e / 2);
                }
                case CRASH_AFTER_ACK -> {
                    if (armed != null) {
                        return;
                    }
                    IntConsumer[] self = new IntConsumer[1];
                    self[0] = node -> {
                        seen.removeAckListener(self[0]);
                        armed = null;
                        sim.schedule(sim.now(), () -> crashFor(node, length));
                    };
                    armed = self[0];
                    seen.onAcknowledged(self[0]);
                    sim.schedule(end, () -> { // nobody acknowledged anything: disarm
                        if (armed == self[0]) {
                            seen.removeAckListener(self[0]);
                            armed = null;
                        }
                    });
                }
                case BRIDGE -> {
                    int bridge = (leader + 1 + r.nextInt(Math.max(1, n - 1))) % n;
                    cut(n < 3 ? Partition.isolate(n, leader) : Partition.bridge(n, bridge), end);
                }
                case CLOCK_JUMP -> {
                    long offset = r.nextLong(20_000_000_001L) - 10_000_000_000L;
                    double ppm = r.nextInt(2001) - 1000;
                    sim.setClock(leader, offset, ppm);
                    sim.schedule(end, () -> sim.setClock(leader, 0, 0));
                }
                case FLAP -> {
                    int generation = ++partitionGeneration;
                    flap(leader, generation, true, end, r);
                }
                case SWIZZLE -> {
                    int victim = swizzleNext < 0 ? leader : swizzleNext;
                    swizzleNext = (victim + 1) % n;
                    crashFor(victim, length / 2 + r.nextLong(length / 2 + 1));
                }
                case FIGURE_8 -> figure8(leader);
                case MEMBERSHIP -> membership(leader, r);
                default -> throw new IllegalStateException("unhandled attack " + attack);
            }
        }

        private void figure8(int l1) {
            int generation = ++partitionGeneration;
            sim.setPartition(Partition.isolate(n, l1)); // (a)
            int[] l2 = {-1};
            int[] l3 = {-1};
            IntConsumer[] onClaim = new IntConsumer[1];
            IntConsumer[] onCommit = new IntConsumer[1];
            Runnable stop = () -> {
                seen.removeClaimListener(onClaim[0]);
                seen.removeCommitListener(onCommit[0]);
                figure8Stop = null;
            };
            onClaim[0] = node -> {
                if (partitionGeneration != generation) {
                    stop.run();
                } else if (l2[0] < 0 && node != l1) { // (b)
                    l2[0] = node;
                    sim.setPartition(Partition.isolate(n, node));
                } else if (l2[0] >= 0 && l3[0] < 0 && node != l2[0]) { // (c)
                    l3[0] = node;
                }
            };
            onCommit[0] = node -> {
                if (partitionGeneration != generation) {
                    stop.run();
                } else if (l3[0] >= 0 && node == l3[0]) { // (d)
                    sim.setPartition(Partition.isolate(n, node));
                    seen.removeClaimListener(onClaim[0]);
                    seen.removeCommitListener(onCommit[0]);
                }
            };
            figure8Stop = stop;
            seen.onLeaderClaim(onClaim[0]);
            seen.onCommitted(onCommit[0]);
            sim.schedule(Math.min(untilNs, sim.now() + 8 * timing.electionTimeoutNs()), () -> {
                if (figure8Stop == stop) {
                    stop.run();
                }
                if (partitionGeneration == generation) {
                    sim.setPartition(Partition.none(n));
                }
            });
        }

        /** Between strikes: right after each leadership claim, the change back to the base configuration (if it is not). */
        void watchMembership() {
            seen.onLeaderClaim(node -> {
                if (figure8Stop == null && !adminBusy && sim.now() < untilNs) {
                    restore(node);
                }
            });
        }

        /** The base configuration: every server a voter but one, which is a learner. */
        private boolean base() {
            return admin.voters().size() == n - 1 && admin.learners().size() == 1;
        }

        /** Asks {@code leader} for the one change towards the base configuration (none if it is the base). */
        private void restore(int leader) {
            Set<Integer> voters = admin.voters();
            Set<Integer> learners = admin.learners();
            if (base() || !voters.contains(leader)) {
                return;
            }
            Admin.Change change;
            int node = -1;
            if (voters.size() >= n) {
                change = Admin.Change.REMOVE; // the lowest voter that is not the leader
                for (int v : new java.util.TreeSet<>(voters)) {
                    if (v != leader) {
                        node = v;
                        break;
                    }
                }
            } else if (!learners.isEmpty() && voters.size() < n - 1) {
                change = Admin.Change.PROMOTE;
                node = new java.util.TreeSet<>(learners).first();
            } else {
                change = Admin.Change.ADD_LEARNER;
                for (int i = 0; i < n && node < 0; i++) {
                    if (!voters.contains(i) && !learners.contains(i)) {
                        node = i;
                    }
                }
            }
            if (node < 0) {
                return;
            }
            ask(leader, change, node, ok -> {
                if (!ok) { // refused (its no-op not committed yet, the learner behind): ask the leader seen then, a little later
                    sim.schedule(sim.now() + timing.electionTimeoutNs() / 4, () -> {
                        if (figure8Stop == null && !adminBusy && sim.now() < untilNs && seen.leader() >= 0) {
                            restore(seen.leader());
                        }
                    });
                }
            });
        }

        /** One admin request at a time: busy until answered, or for an election timeout if no answer comes. */
        private int ask(int at, Admin.Change change, int node, java.util.function.Consumer<Boolean> then) {
            adminBusy = true;
            int ticket = ++adminTicket;
            admin.request(at, change, node, ok -> {
                if (adminTicket == ticket) {
                    adminBusy = false;
                }
                then.accept(ok);
            });
            sim.schedule(sim.now() + timing.electionTimeoutNs(), () -> {
                if (adminTicket == ticket) {
                    adminBusy = false;
                }
            });
            return ticket;
        }

        private void membership(int a, SplitMix64 r) {
            if (adminBusy) {
                return;
            }
            if (!base() || !admin.voters().contains(a)) {
                restore(a); // not ready for the schedule: a step back towards it instead
                return;
            }
            int s = admin.learners().iterator().next();
            List<Integer> rest = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (i != a && i != s) {
                    rest.add(i);
                }
            }
            int generation = ++partitionGeneration;
            sim.setPartition(Partition.split(n, List.of(List.of(a, s), rest))); // (a)
            int[] b = {-1};
            IntConsumer[] onClaim = new IntConsumer[1];
            IntConsumer[] onCommit = new IntConsumer[1];
            Runnable stop = () -> {
                seen.removeClaimListener(onClaim[0]);
                seen.removeCommitListener(onCommit[0]);
                figure8Stop = null;
            };
            long[] joinedAt = {Long.MAX_VALUE};
            onClaim[0] = node -> {
                if (partitionGeneration != generation) {
                    stop.run();
                } else if (b[0] < 0 && rest.contains(node)) { // (b)
                    b[0] = node;
                    List<Integer> others = new ArrayList<>(rest);
                    others.remove(Integer.valueOf(node));
                    shuffle(others, sim.random());
                    int p = others.get(0);
                    List<Integer> pd = new ArrayList<>(others);
                    sim.setPartition(Partition.split(n, List.of(List.of(node), pd, List.of(a, s))));
                    ask(node, Admin.Change.REMOVE, a, ok -> { });
                    sim.schedule(sim.now() + timing.electionTimeoutNs() / 10, () -> {
                        if (partitionGeneration == generation) {
                            List<Integer> d = new ArrayList<>(pd);
                            d.remove(Integer.valueOf(p));
                            sim.setPartition(Partition.split(n, List.of(List.of(node, p), d, List.of(a, s))));
                            joinedAt[0] = sim.now();
                        }
                    });
                }
            };
            onCommit[0] = node -> {
                if (partitionGeneration != generation) {
                    stop.run();
                } else if (b[0] >= 0 && node == b[0] && sim.now() > joinedAt[0]) { // (c)
                    List<Integer> bp = new ArrayList<>();
                    List<Integer> ads = new ArrayList<>(List.of(a, s));
                    for (int i : rest) {
                        (i == b[0] || sim.partition().connected(i, b[0]) ? bp : ads).add(i);
                    }
                    sim.setPartition(Partition.split(n, List.of(ads, bp)));
                    seen.removeClaimListener(onClaim[0]);
                    seen.removeCommitListener(onCommit[0]);
                }
            };
            figure8Stop = stop;
            seen.onLeaderClaim(onClaim[0]);
            seen.onCommitted(onCommit[0]);
            ask(a, Admin.Change.PROMOTE, s, ok -> {
                if (!ok && partitionGeneration == generation && b[0] < 0) { // refused (s not caught up): give up
                    stop.run();
                    sim.setPartition(Partition.none(n));
                }
            });
            sim.schedule(Math.min(untilNs, sim.now() + 8 * timing.electionTimeoutNs()), () -> {
                if (figure8Stop == stop) {
                    stop.run();
                }
                if (partitionGeneration == generation) {
                    sim.setPartition(Partition.none(n));
                }
            });
        }

        private void cut(Partition p, long end) {
            int generation = ++partitionGeneration;
            sim.setPartition(p);
            sim.schedule(end, () -> {
                if (partitionGeneration == generation) {
                    sim.setPartition(Partition.none(n));
                }
            });
        }

        private void flap(int node, int generation, boolean down, long end, SplitMix64 r) {
            if (partitionGeneration != generation) {
                return; // a newer partition took over
            }
            if (sim.now() >= end) {
                sim.setPartition(Partition.none(n));
                return;
            }
            sim.setPartition(down ? Partition.isolate(n, node) : Partition.none(n));
            long next = Math.min(end, sim.now() + 5_000_000 + r.nextLong(25_000_001));
            sim.schedule(next, () -> flap(node, generation, !down, end, sim.random()));
        }

        private void crashFor(int node, long lengthNs) {
            int down = 0;
            for (int i = 0; i < n; i++) {
                down += sim.isUp(i) ? 0 : 1;
            }
            if (sim.isUp(node) && (down + 1) * 2 < n) { // keep a majority up
                sim.crash(node);
                sim.schedule(Math.min(sim.now() + lengthNs, Math.max(sim.now(), untilNs)), () -> sim.restart(node));
            }
        }

        private static void shuffle(List<Integer> list, SplitMix64 r) {
            for (int i = list.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                Integer t = list.get(i);
                list.set(i, list.get(j));
                list.set(j, t);
            }
        }

        private void healAll() {
            partitionGeneration++;
            if (figure8Stop != null) {
                figure8Stop.run();
            }
            if (armed != null) {
                seen.removeAckListener(armed);
                armed = null;
            }
            sim.setPartition(Partition.none(n));
            sim.setServerLinks(base);
            for (int i = 0; i < n; i++) {
                sim.restart(i);
                sim.setClock(i, 0, 0);
            }
        }
    }
}
