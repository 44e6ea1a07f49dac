package io.github.dsw.bench.balance;

import io.github.dsw.balance.Balancer;
import io.github.dsw.balance.ConsistentHashBalancer;
import io.github.dsw.balance.LeastConnections;
import io.github.dsw.balance.LoadView;
import io.github.dsw.balance.PeakEwma;
import io.github.dsw.balance.PowerOfTwoChoices;
import io.github.dsw.balance.RandomChoice;
import io.github.dsw.balance.RoundRobin;
import io.github.dsw.balance.SmoothWeightedRoundRobin;
import io.github.dsw.hashing.JumpHash;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one balancing decision over n servers whose outstanding counts are random (0..15).
 *
 * <p>Anchor: {@code roundRobin}, a counter and a modulo, the cheapest possible decision. What to expect:
 * {@code random}, {@code p2c} and {@code consistentHash} (jump hash) stay O(1) in n; {@code swrr} and
 * {@code leastConnections} scan all n servers, so they grow linearly and fall behind by about n times
 * a few nanoseconds; {@code peakEwma} is two random choices plus two {@code exp()} calls. None of this
 * matters next to a network round trip until n reaches thousands, which is why the choice of balancer is
 * made on its latency behaviour (chapter 3's simulation), not its decision cost.
 *
 * <p>How to run this: {@code ./dsw bench full --only PickBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@io.github.dsw.bench.Quick({"servers=100", "balancer=roundRobin,swrr,leastConnections,p2c,peakEwma"})
public class PickBenchmark {

    @Param({"roundRobin", "swrr", "random", "leastConnections", "p2c", "peakEwma", "consistentHash"})
    public String balancer;

    @Param({"10", "100", "1000"})
    public int servers;

    private Balancer chosen;
    private LoadView view;
    private long now;
    private long key;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        int[] outstanding = new int[servers];
        int[] weights = new int[servers];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            outstanding[i] = random.nextInt(16);
            weights[i] = 1 + random.nextInt(5);
            names.add("s" + i);
        }
        view = new LoadView() {
            @Override
            public int size() {
                return servers;
            }

            @Override
            public int outstanding(int server) {
                return outstanding[server];
            }
        };
        chosen = switch (balancer) {
            case "roundRobin" -> new RoundRobin();
            case "swrr" -> new SmoothWeightedRoundRobin(weights);
            case "random" -> new RandomChoice(new SplittableRandom(1));
            case "leastConnections" -> new LeastConnections();
            case "p2c" -> new PowerOfTwoChoices(new SplittableRandom(1));
            case "peakEwma" -> new PeakEwma(10_000_000_000L, new SplittableRandom(1));
            case "consistentHash" -> new ConsistentHashBalancer(new JumpHash(names));
            default -> throw new IllegalArgumentException("unknown balancer '" + balancer + "'");
        };
        if (chosen instanceof PeakEwma ewma) {
            for (int i = 0; i < servers; i++) {
                ewma.completed(i, 1_000_000L + random.nextInt(1_000_000), 0);
            }
        }
    }

    @Benchmark
    public int pick() {
        now += 1000;
        key += 0x9E3779B97F4A7C15L;
        return chosen.pick(key, now, view);
    }
}
