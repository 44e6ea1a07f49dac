import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
@Command(name="simulate", mixinStandardHelpOptions=true, version="x")
public class PicocliSimulate implements java.util.concurrent.Callable<Integer> {
  @Parameters(index="0") String protocol;
  @Option(names="--seed") long seed; @Option(names="--nodes") int nodes; @Option(names="--clients") int clients;
  @Option(names="--ops") int ops; @Option(names="--nemesis") String nemesis; @Option(names="--history-out") String h;
  @Option(names="--trace-out") String t; @Option(names="--counts") boolean counts; @Option(names="--window") int w;
  @Option(names="--batch") int b; @Option(names="--faults-until-ms") long f; @Option(names="--read-mode") String rm;
  @Option(names="--unreliable-clients") boolean uc; @Option(names="--no-retries") boolean nr; @Option(names="--mutation") String m;
  public Integer call() { return (int) (seed % 2); }
  public static void main(String[] a) { long t0=System.nanoTime(); int rc = new CommandLine(new PicocliSimulate()).execute(a);
    System.err.printf("parse+run %.1f ms%n", (System.nanoTime()-t0)/1e6); System.exit(rc); }
}
