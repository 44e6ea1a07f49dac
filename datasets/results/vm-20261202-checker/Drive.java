import io.github.dsw.check.*;
import java.nio.file.*;
import java.util.*;
public class Drive {
  public static void main(String[] a) throws Exception {
    Path p = Path.of(a[0]);
    int reps = Integer.parseInt(a[1]);
    long[] parse = new long[reps], check = new long[reps];
    String verdict = "";
    for (int i = 0; i < reps; i++) {
      long t0 = System.nanoTime();
      History h;
      try (var r = Files.newBufferedReader(p)) { h = HistoryJson.read(r); }
      long t1 = System.nanoTime();
      LinearizabilityChecker.Result res = new LinearizabilityChecker().checkKv(h);
      long t2 = System.nanoTime();
      parse[i] = t1 - t0; check[i] = t2 - t1;
      verdict = res.outcome() + " window=" + res.window().size() + " configs=" + res.configurations();
    }
    Arrays.sort(parse); Arrays.sort(check);
    System.out.printf(Locale.ROOT, "%s parse_ms_median=%.1f check_ms_median=%.1f check_ms_min=%.1f %s%n", p.getFileName(), parse[reps/2]/1e6, check[reps/2]/1e6, check[0]/1e6, verdict);
  }
}
