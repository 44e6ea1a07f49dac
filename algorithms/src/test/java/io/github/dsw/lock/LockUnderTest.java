package io.github.dsw.lock;

import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** The locks every contract test runs on, by name (the name shows in the test report). */
record LockUnderTest(String name, Supplier<Lock> factory) {

    @Override
    public String toString() {
        return name;
    }

    /** The eight protocols of this package. */
    static List<LockUnderTest> protocols() {
        return List.of(
                new LockUnderTest("TasLock", TasLock::new),
                new LockUnderTest("TtasLock", TtasLock::new),
                new LockUnderTest("BackoffLock", BackoffLock::new),
                new LockUnderTest("TicketLock", TicketLock::new),
                new LockUnderTest("ArrayLock(8)", () -> new ArrayLock(8)),
                new LockUnderTest("ArrayLock(2), fewer slots than threads", () -> new ArrayLock(2)),
                new LockUnderTest("ClhLock", ClhLock::new),
                new LockUnderTest("McsLock", McsLock::new),
                new LockUnderTest("CohortLock(2 clusters, 4 passes)", () -> new CohortLock(2, 4)),
                new LockUnderTest("CohortLock(1 cluster, 0 passes)", () -> new CohortLock(1, 0)));
    }

    /** The protocols plus the JDK's ReentrantLock, which checks that the test harness itself is sound. */
    static List<LockUnderTest> protocolsAndControl() {
        var all = new java.util.ArrayList<>(protocols());
        all.add(new LockUnderTest("ReentrantLock (control)", ReentrantLock::new));
        return all;
    }
}
