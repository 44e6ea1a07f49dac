package io.github.dsw.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chapter 3's balancers against the real nginx and HAProxy on 127.0.0.1 (bounded: the quick set of weight
 * vectors and keys). Under {@code CI=true} a missing nginx or HAProxy fails; elsewhere the test is skipped and
 * says how to install them. Every process is stopped by the checks themselves (try-with-resources) and by a
 * shutdown hook if the run is interrupted.
 */
class RealBalancersTest {
    private static Backends backends;
    private static final AgreementChecks CHECKS = new AgreementChecks(true);

    @BeforeAll
    static void startBackends() throws Exception {
        backends = Backends.start(6);
    }

    @AfterAll
    static void stopBackends() {
        backends.close();
    }

    private static Path require(Optional<Path> binary, String name) {
        if (binary.isPresent()) {
            return binary.get();
        }
        String how = name + " is not installed: run ./dsw setup as root, or apt-get install " + ("nginx".equals(name)
                ? "nginx-light" : "haproxy");
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and " + how);
        }
        Assumptions.abort("skipped: " + how);
        return null;
    }

    private static void assertAgrees(AgreementChecks.Check c) {
        assertTrue(c.total() > 0, c.name() + " compared nothing");
        assertEquals(c.total(), c.agree(), c.line() + " (" + c.detail() + "); seed=" + AgreementChecks.SEED);
    }

    @Test
    void nginxWeightedRoundRobinIsSmoothWeightedRoundRobinRequestByRequest() throws Exception {
        assertAgrees(CHECKS.nginxWeightedRoundRobin(require(Nginx.binary(), "nginx"), backends));
    }

    @Test
    void nginxConsistentHashIsNginxConsistentHashKeyByKeyAlsoAfterRemovingAServer() throws Exception {
        List<AgreementChecks.Check> checks = CHECKS.nginxConsistentHash(require(Nginx.binary(), "nginx"), backends);
        assertEquals(3, checks.size());
        checks.forEach(RealBalancersTest::assertAgrees);
    }

    @Test
    void haproxyStaticRoundRobinIsStaticRoundRobinRequestByRequest() throws Exception {
        assertAgrees(CHECKS.haproxyStaticRoundRobin(require(Haproxy.binary(), "haproxy"), backends));
    }

    @Test
    void haproxyRoundRobinIsHaproxyRoundRobinRequestByRequest() throws Exception {
        assertAgrees(CHECKS.haproxyRoundRobin(require(Haproxy.binary(), "haproxy"), backends));
    }

    @Test
    void haproxyConsistentHashIsHaproxyConsistentHashKeyByKeyAlsoAfterRemovingAServer() throws Exception {
        List<AgreementChecks.Check> checks = CHECKS.haproxyConsistentHash(require(Haproxy.binary(), "haproxy"), backends);
        assertEquals(4, checks.size());
        checks.stream().filter(AgreementChecks.Check::exact).forEach(RealBalancersTest::assertAgrees);
        assertEquals(3, checks.stream().filter(AgreementChecks.Check::exact).count());
    }

    /** Two balancers on one machine get two different free ports, both on 127.0.0.1, and both stop. */
    @Test
    void processesListenOnLoopbackAndStop() throws Exception {
        Path nginx = require(Nginx.binary(), "nginx");
        Proxy a = Nginx.start(nginx, "", List.of(backends.address(0), backends.address(1)));
        Proxy b = Nginx.start(nginx, "", List.of(backends.address(0), backends.address(1)));
        try {
            assertTrue(a.port() != b.port());
            assertEquals(0, a.get("/"));
            assertEquals(1, a.get("/"));
        } finally {
            a.close();
            b.close();
        }
        assertTrue(!a.isAlive() && !b.isAlive(), "nginx still running after close()");
    }
}
