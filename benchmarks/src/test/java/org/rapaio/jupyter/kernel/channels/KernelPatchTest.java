package org.rapaio.jupyter.kernel.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Pins the replacement {@link LoopThread} to the kernel it patches: rapaio-jupyter-kernel 3.0.1. When the
 * kernel's version changes this test fails on purpose: check whether the new version still has the start-up
 * race and the uncaught exception (see {@link LoopThread}); then update {@link #PATCHED_VERSION}, or delete the
 * patch if the kernel fixed both. It also checks that the replacement still offers every public member of
 * the jar's class (or the kernel would fail with a NoSuchMethodError at run time), and that it behaves:
 * the loop runs from its first start, survives a throwing iteration and stops when asked.
 */
class KernelPatchTest {

    static final String PATCHED_VERSION = "3.0.1";

    @Test
    void the_kernel_on_the_class_path_is_the_version_the_patch_was_written_for() throws Exception {
        try (InputStream in = Channels.class.getResourceAsStream(
                "/META-INF/maven/io.github.padreati/rapaio-jupyter-kernel/pom.properties")) {
            assertNotNull(in, "the kernel jar has no pom.properties: cannot tell its version");
            Properties p = new Properties();
            p.load(in);
            assertEquals(PATCHED_VERSION, p.getProperty("version"),
                    "rapaio-jupyter-kernel changed version: LoopThread in benchmarks/src/main/java/org/rapaio/... "
                            + "replaces the class of " + PATCHED_VERSION + "; check the new version's LoopThread "
                            + "and Channels.connect, then update KernelPatchTest.PATCHED_VERSION or remove the patch");
        }
    }

    @Test
    void the_replacement_has_every_public_member_of_the_original() throws Exception {
        Class<?> original = originalLoopThread();
        assertTrue(original != LoopThread.class, "the original must come from the kernel jar");
        assertEquals(original.getModifiers(), LoopThread.class.getModifiers(), "class modifiers");
        assertEquals(original.getSuperclass(), LoopThread.class.getSuperclass(), "superclass");
        assertEquals(signatures(original), signatures(LoopThread.class));
    }

    /** Public and protected constructors and methods declared by the class, as text. */
    private static TreeSet<String> signatures(Class<?> c) {
        List<Member> members = new ArrayList<>();
        members.addAll(Arrays.asList(c.getDeclaredConstructors()));
        members.addAll(Arrays.asList(c.getDeclaredMethods()));
        TreeSet<String> out = new TreeSet<>();
        for (Member m : members) {
            int mod = m.getModifiers();
            if (!Modifier.isPublic(mod) && !Modifier.isProtected(mod) || m.isSynthetic()) {
                continue;
            }
            Class<?>[] params = m instanceof Method me ? me.getParameterTypes() : ((Constructor<?>) m).getParameterTypes();
            String ret = m instanceof Method me ? me.getReturnType().getName() + " " : "";
            out.add(Modifier.toString(mod) + " " + ret + m.getName().replace(c.getName(), "<init>") + Arrays.toString(
                    Arrays.stream(params).map(Class::getName).toArray()));
        }
        return out;
    }

    /** LoopThread as the unmodified kernel jar defines it, loaded by a class loader that sees only that jar. */
    private static Class<?> originalLoopThread() throws Exception {
        URL jar = Channels.class.getProtectionDomain().getCodeSource().getLocation();
        @SuppressWarnings("resource") // kept open: the class is used after this method returns
        URLClassLoader loader = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
        return Class.forName(LoopThread.class.getName(), false, loader);
    }

    @Test
    void every_started_loop_runs_its_body() throws Exception {
        // The original lost the race when the new thread read `running` before start() set it. Start many
        // loops back to back: each one must run its body. (The count of silent exits of the original under
        // the same conditions is printed for comparison; it depends on scheduling, so it is not asserted.)
        int starts = 500;
        int silentOriginal = silentExits(originalLoopThread(), starts);
        int silentPatched = silentExits(LoopThread.class, starts);
        System.out.printf("LoopThread: %d of %d original loops exited before their first iteration; patched: %d%n",
                silentOriginal, starts, silentPatched);
        assertEquals(0, silentPatched, "patched loops that never ran their body");
    }

    private static int silentExits(Class<?> loopClass, int starts) throws Exception {
        Constructor<?> make = loopClass.getConstructor(String.class, long.class, Runnable.class);
        Method shutdown = loopClass.getMethod("shutdown");
        int silent = 0;
        for (int i = 0; i < starts; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            Thread t = (Thread) make.newInstance("loop-" + i, 1L, (Runnable) ran::countDown);
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // Either the body runs, or (a lost race) run() returns without running it.
            while (ran.getCount() == 1 && t.isAlive() && System.nanoTime() < deadline) {
                ran.await(1, TimeUnit.MILLISECONDS);
            }
            if (ran.getCount() == 1) {
                if (t.isAlive()) {
                    fail("loop " + i + " of " + loopClass + " is alive but never ran its body in 10 s");
                }
                silent++;
            }
            shutdown.invoke(t);
            t.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(t.isAlive(), "loop " + i + " did not stop after shutdown()");
        }
        return silent;
    }

    @Test
    void a_throwing_iteration_does_not_end_the_loop() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch third = new CountDownLatch(3);
        LoopThread t = new LoopThread("throws-first", 1, () -> {
            third.countDown();
            if (calls.incrementAndGet() == 1) {
                throw new NullPointerException("handlers not ready yet (as in Channels.connect)");
            }
        });
        t.start();
        assertTrue(third.await(10, TimeUnit.SECONDS), "the loop died with its first exception");
        t.shutdown();
        t.join(10_000);
        assertFalse(t.isAlive());
    }

    @Test
    void a_loop_that_only_fails_gives_up() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoopThread t = new LoopThread("always-throws", 0, () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("socket closed");
        });
        t.start();
        t.join(30_000);
        assertFalse(t.isAlive(), "a loop failing every time must stop");
        assertEquals(LoopThread.MAX_CONSECUTIVE_FAILURES, calls.get());
        assertFalse(t.isRunning());
    }
}
