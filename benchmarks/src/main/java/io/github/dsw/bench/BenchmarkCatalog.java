package io.github.dsw.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every JMH benchmark compiled into this module (read from {@code META-INF/BenchmarkList}, which JMH's
 * annotation processor writes), expanded into {@link BenchmarkCase}s for the three suites:
 * <ul>
 *   <li>{@code quick} — the classes and methods marked {@link Quick}, with its parameter restrictions;</li>
 *   <li>{@code full} — every benchmark with every declared parameter value;</li>
 *   <li>{@code smoke} — every benchmark once, each parameter at its first declared value (the test
 *       command runs this so no benchmark rots unnoticed).</li>
 * </ul>
 */
public final class BenchmarkCatalog {

    public static final List<String> SUITES = List.of("quick", "full", "smoke");

    private final List<BenchmarkListEntry> entries;

    private BenchmarkCatalog(List<BenchmarkListEntry> entries) {
        this.entries = entries;
    }

    /** The benchmarks on the class path. */
    public static BenchmarkCatalog load() {
        var out = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
        List<BenchmarkListEntry> all = new ArrayList<>(BenchmarkList.defaultList().getAll(out, List.of()));
        all.sort(Comparator.comparing(BenchmarkListEntry::getUsername).thenComparing(e -> e.getMode().shortLabel()));
        return new BenchmarkCatalog(all);
    }

    /** All benchmark method names, sorted. */
    public List<String> names() {
        return entries.stream().map(BenchmarkListEntry::getUsername).distinct().toList();
    }

    /**
     * The cases of {@code suite}, restricted to benchmarks whose full name matches {@code only}
     * (a regular expression searched anywhere in the name; {@code null} for all).
     */
    public List<BenchmarkCase> cases(String suite, String only) {
        if (!SUITES.contains(suite)) {
            throw new IllegalArgumentException("suite must be one of " + SUITES + ", got '" + suite + "'");
        }
        Pattern filter;
        try {
            filter = only == null ? null : Pattern.compile(only);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--only is not a valid regular expression: " + e.getDescription());
        }
        List<BenchmarkCase> cases = new ArrayList<>();
        for (BenchmarkListEntry e : entries) {
            if (filter != null && !filter.matcher(e.getUsername()).find()) {
                continue;
            }
            Map<String, String[]> declared = new LinkedHashMap<>(e.getParams().orElse(Map.of()));
            Integer forks = null;
            boolean declaredIterations = false;
            switch (suite) {
                case "full" -> { }
                case "smoke" -> declared.replaceAll((k, v) -> new String[] {v[0]});
                default -> {
                    Optional<Quick> quick = quickAnnotation(e.getUserClassQName(), e.getUsername());
                    if (quick.isEmpty()) {
                        continue;
                    }
                    for (String restriction : quick.get().value()) {
                        int eq = restriction.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalStateException(e.getUsername() + ": @Quick entry '" + restriction
                                    + "' is not name=v1,v2");
                        }
                        String name = restriction.substring(0, eq);
                        if (!declared.containsKey(name)) {
                            // A class-level @Quick may restrict a parameter that only some methods use.
                            if (!paramsOfClass(e.getUserClassQName()).contains(name)) {
                                throw new IllegalStateException(e.getUsername() + ": @Quick names parameter '"
                                        + name + "' which no benchmark of the class declares");
                            }
                            continue;
                        }
                        declared.put(name, restriction.substring(eq + 1).split(","));
                    }
                    forks = quick.get().forks() > 0 ? quick.get().forks() : null;
                    declaredIterations = quick.get().declaredIterations();
                }
            }
            BenchmarkCase template = new BenchmarkCase(e.getUsername(), e.getMode().shortLabel(), Map.of(), forks,
                    declaredIterations);
            expand(template, new ArrayList<>(declared.entrySet()), 0, new LinkedHashMap<>(), cases);
        }
        return cases;
    }

    /** Every {@code @Param} name used by some benchmark method of {@code className}. */
    private java.util.Set<String> paramsOfClass(String className) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (BenchmarkListEntry e : entries) {
            if (e.getUserClassQName().equals(className)) {
                names.addAll(e.getParams().orElse(Map.of()).keySet());
            }
        }
        return names;
    }

    private static void expand(BenchmarkCase template, List<Map.Entry<String, String[]>> params, int i,
                               LinkedHashMap<String, String> chosen, List<BenchmarkCase> out) {
        if (i == params.size()) {
            out.add(new BenchmarkCase(template.benchmark(), template.mode(), chosen, template.forks(),
                    template.declaredIterations()));
            return;
        }
        for (String v : params.get(i).getValue()) {
            chosen.put(params.get(i).getKey(), v);
            expand(template, params, i + 1, chosen, out);
        }
        chosen.remove(params.get(i).getKey());
    }

    private static Optional<Quick> quickAnnotation(String className, String benchmark) {
        try {
            Class<?> c = Class.forName(className, false, BenchmarkCatalog.class.getClassLoader());
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                Optional<Quick> onMethod = Arrays.stream(k.getDeclaredMethods())
                        .filter(m -> m.getName().equals(method) && m.isAnnotationPresent(Quick.class))
                        .map(m -> m.getAnnotation(Quick.class)).findFirst();
                if (onMethod.isPresent()) {
                    return onMethod;
                }
            }
            for (Class<?> k = c; k != null; k = k.getSuperclass()) {
                if (k.isAnnotationPresent(Quick.class)) {
                    return Optional.of(k.getAnnotation(Quick.class));
                }
            }
            return Optional.empty();
        } catch (ClassNotFoundException ex) {
            throw new IllegalStateException("benchmark class " + className + " listed by JMH is not on the class path", ex);
        }
    }
}
