package io.github.dsw.cli;

import io.github.dsw.detect.DetectorQos;
import io.github.dsw.detect.QosMetrics;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./dsw simulate detector}: the QoS of one failure detector (chapter 11), measured by {@link DetectorQos},
 * printed as the one fixed line {@code T_D_ms=... T_MR_s=... T_M_ms=... P_A=...} on stdout (details on stderr).
 */
final class DetectorSimulation implements Simulation {

    private static final String USAGE = """
                   ./dsw simulate detector --kind fixed|phi|phi-exp|swim [--threshold X] [--seed S]
                                      [--latency lognormal|pareto|constant] [--duration-s T] [--loss P]
                                      [--pause-every-s E] [--pause-median-ms M] [--trials K] [--members N]
            """;

    private static final String HELP = """

            detector measures a failure detector's quality of service (Chen, Toueg and Aguilera 2002): process 0
            monitors process 1, which sends a heartbeat every second (swim: member 0's view of member 1 in a group).
            A failure-free run of T seconds gives the mistake recurrence time T_MR (seconds), the mistake duration
            T_M (ms) and the query accuracy probability P_A; K crash trials give the mean detection time T_D (ms).
            It prints one line: T_D_ms=... T_MR_s=... T_M_ms=... P_A=... (Infinity: no mistake, or no detection;
            NaN: no mistake to measure the duration of). Exit code 0, or 2 on a usage error.
              --kind K            fixed (timeout), phi (Akka's φ accrual), phi-exp (Cassandra's φ), swim (SWIM)
              --threshold X       fixed: timeout in ms (default 3000); phi, phi-exp: φ (default 8);
                                  swim: suspicion timeout in protocol periods (default 3)
              --latency D         one-way delay: lognormal (median 10 ms, shape 1; default), pareto (from 5 ms,
                                  alpha 1.5), constant (10 ms)
              --duration-s T      failure-free observation, 1..31536000 s of virtual time (default 86400)
              --loss P            message loss probability in [0, 1) (default 0.01)
              --pause-every-s E   mean time between GC-like pauses of process 1, 0 for none (default 300)
              --pause-median-ms M median pause length, log-normal with shape 1 (default 500)
              --trials K          crash trials for T_D, 0..10000 (default 30)
              --members N         swim: group size, 3..1000 (default 8)
            """;

    @Override
    public List<String> protocols() {
        return List.of("detector");
    }

    @Override
    public String usage() {
        return USAGE;
    }

    @Override
    public String help() {
        return HELP;
    }

    @Override
    public int run(String protocol, List<String> argv) {
        String cmd = "simulate detector";
        Args a = Args.forCommand("simulate").option("kind").option("threshold").option("seed").option("latency").option("duration-s")
                .option("loss").option("pause-every-s").option("pause-median-ms").option("trials").option("members").parse(argv)
                .expectPositional(0, 0, "no other words after detector");
        if (a.get("kind") == null) {
            throw new UsageException(cmd + ": --kind is required: fixed, phi, phi-exp or swim");
        }
        DetectorQos.Settings s;
        try {
            DetectorQos.Kind kind = DetectorQos.Kind.parse(a.get("kind"));
            DetectorQos.Delay delay = DetectorQos.Delay.parse(a.get("latency", "lognormal"));
            double threshold = a.getDouble("threshold", kind.defaultThreshold);
            long seed = a.getLong("seed", 1);
            int durationS = a.getInt("duration-s", 86_400, 1, 31_536_000);
            double loss = a.getDouble("loss", 0.01);
            int everyS = a.getInt("pause-every-s", 300, 0, 31_536_000);
            int medianMs = a.getInt("pause-median-ms", 500, 1, 3_600_000);
            int trials = a.getInt("trials", 30, 0, 10_000);
            int members = a.getInt("members", 8, 3, 1000);
            s = DetectorQos.Settings.defaults(kind, threshold, seed).withLatency(delay.latency).withLoss(loss)
                    .withPauses(everyS * 1_000_000_000L, medianMs * 1_000_000L).withDurationNs(durationS * 1_000_000_000L)
                    .withTrials(trials).withMembers(members);
        } catch (IllegalArgumentException e) {
            throw new UsageException(cmd + ": " + e.getMessage());
        }
        long t0 = System.nanoTime();
        DetectorQos.Outcome o = DetectorQos.run(s);
        QosMetrics m = o.metrics();
        System.out.println(m.line());
        System.err.printf(Locale.ROOT, "detector %s threshold %s seed %d: %d mistakes in %.0f s, %d of %d crash trials detected"
                        + " (max T_D %.1f ms), %d messages in the failure-free run, %.2f s of wall time%n", s.kind().cliName,
                a.get("threshold", String.valueOf(s.kind().defaultThreshold)), s.seed(), m.mistakes(), m.windowNs() / 1e9,
                m.trials() - m.undetected(), m.trials(), m.tDMaxNs() / 1e6, o.messagesSent(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
