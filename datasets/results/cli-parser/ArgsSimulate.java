public class ArgsSimulate { public static void main(String[] a) throws Exception { long t0=System.nanoTime();
  Class<?> c = Class.forName("io.github.dsw.cli.Args"); var f = c.getMethod("forCommand", String.class); Object o = f.invoke(null, "simulate");
  for (String n : new String[]{"seed","nodes","clients","ops","nemesis","history-out","trace-out","window","batch","faults-until-ms","read-mode","mutation"}) o = c.getMethod("option", String.class).invoke(o, n);
  for (String n : new String[]{"counts","unreliable-clients","no-retries"}) o = c.getMethod("flag", String.class).invoke(o, n);
  o = c.getMethod("parse", java.util.List.class).invoke(o, java.util.List.of(a));
  System.err.printf("parse+run %.1f ms%n", (System.nanoTime()-t0)/1e6); } }
