package io.github.dsw.hunt;

import io.github.dsw.paxos.PaxosNode;
import io.github.dsw.paxos.Quorums;
import io.github.dsw.paxos.SingleDecreeRun;
import io.github.dsw.sim.Adversary;
import java.util.Map;
import java.util.TreeMap;

/**
 * The calibration behind {@link Hunt#PAXOS_ROUNDS_BOUND}: for single-decree Paxos with {@code args[0]} acceptors and as
 * many proposing clients, under the nemesis {@code args[1]} ({@code adversarial}, {@code random}, {@code none}), with
 * mutation {@code args[2]} ({@code none}, {@code no-backoff}), over seeds 1..{@code args[3]}: how many runs chose the
 * value at each ballot round (the hunt's runs: faults for 200 ms). Prints one line: the histogram and the worst seed.
 * Virtual time: the output depends on the code and the seeds only.
 */
public final class PaxosRounds {

    private PaxosRounds() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        Adversary.Plan plan = Adversary.Plan.parse(args[1]);
        PaxosNode.Mutation m = PaxosNode.Mutation.valueOf(args[2].toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        int seeds = Integer.parseInt(args[3]);
        Map<Long, Integer> rounds = new TreeMap<>();
        long worst = 0;
        long worstSeed = 0;
        int undecided = 0;
        for (long seed = 1; seed <= seeds; seed++) {
            SingleDecreeRun.Outcome o = SingleDecreeRun.run(new SingleDecreeRun.Settings(seed, Quorums.majority(n), n, plan.random(), 200_000_000, m),
                    plan.attacks());
            if (!o.completed() || o.chosenAt() == null) {
                undecided++;
                continue;
            }
            long r = o.chosenAt().round();
            rounds.merge(r, 1, Integer::sum);
            if (r > worst) {
                worst = r;
                worstSeed = seed;
            }
        }
        System.out.printf("paxos %d acceptors/proposers, nemesis %s, mutation %s, seeds 1..%d: runs per ballot round of the decision %s; "
                + "undecided %d; latest round %d (seed %d)%n", n, plan.cliName(), args[2], seeds, rounds, undecided, worst, worstSeed);
    }
}
