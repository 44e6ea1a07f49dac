package io.github.dsw.bench;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a benchmark class, or single benchmark methods, into the {@code quick} suite that
 * {@code ./dsw bench} runs by default (about 5 minutes on 2 cores for the whole workbench).
 * On a class it selects every {@code @Benchmark} method of the class; on a method it selects that
 * method and takes precedence over the class's annotation. The value restricts {@code @Param}s for the
 * quick run, one entry per parameter: {@code @Quick({"size=256,65536", "threads=1"})}; parameters not
 * named keep all their declared values, so name every parameter with many values.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Quick {
    String[] value() default {};

    /**
     * Forks for this benchmark in the quick suite (0: the suite's one fork). A lesson about run-to-run
     * variance needs several JVMs even in a quick run.
     */
    int forks() default 0;

    /**
     * Keep the warm-up and measurement iterations the class declares instead of the quick suite's
     * 1 + 3. A lesson whose point is the shape of the warm-up curve ({@code SingleShotTime} with many
     * iterations) needs all of its iterations.
     */
    boolean declaredIterations() default false;
}
