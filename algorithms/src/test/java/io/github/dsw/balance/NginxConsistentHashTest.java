package io.github.dsw.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * {@link NginxConsistentHash} against the real nginx 1.22.1: datasets/balance/nginx/chash-*.csv hold the server
 * nginx picked for 1000 keys (recorded by datasets/balance/nginx/record.sh). The live comparison, with new ports
 * on every run, is scenarios' RealBalancersTest.
 */
class NginxConsistentHashTest {
    private static final List<String> SERVERS = List.of("127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3", "127.0.0.1:4");
    private static final NginxConsistentHash RING = new NginxConsistentHash(SERVERS, new int[] {1, 2, 1, 3});

    private static List<String[]> recorded(String file) throws IOException {
        return Files.readAllLines(Path.of("../datasets/balance/nginx", file)).stream()
                .filter(l -> !l.startsWith("#") && !l.equals("key,server")).map(l -> l.split(",")).toList();
    }

    private static void assertAgrees(NginxConsistentHash ring, String file) throws IOException {
        List<String[]> rows = recorded(file);
        assertEquals(1000, rows.size(), file);
        for (String[] row : rows) {
            assertEquals(row[1], ring.addressFor(row[0]), file + ": key " + row[0]);
        }
    }

    @Test
    void everyKeyGoesWhereNginxSentIt() throws IOException {
        assertAgrees(RING, "chash-all.csv");
    }

    @Test
    void removingAServerFromTheConfigurationMovesKeysAsNginxDoes() throws IOException {
        assertAgrees(RING.without("127.0.0.1:3"), "chash-without-3.csv");
    }

    @Test
    void aServerMarkedDownIsSkippedAsNginxDoes() throws IOException {
        assertAgrees(RING.withDown("127.0.0.1:3"), "chash-3-down.csv");
    }

    /** Removing a server moves only its own keys: the consistent-hashing property, on nginx's own record. */
    @Test
    void onlyTheRemovedServersKeysMove() throws IOException {
        List<String[]> before = recorded("chash-all.csv");
        List<String[]> after = recorded("chash-without-3.csv");
        for (int k = 0; k < before.size(); k++) {
            if (!before.get(k)[1].equals("127.0.0.1:3")) {
                assertEquals(before.get(k)[1], after.get(k)[1], "key " + before.get(k)[0]);
            }
        }
    }

    /** 160 points per unit of weight, and the point key is host, a zero byte, port (Cache::Memcached::Fast). */
    @Test
    void pointsAndPointKeys() {
        assertEquals(160 * 7, RING.points());
        assertEquals("127.0.0.1\0" + "8080", new String(NginxConsistentHash.pointKey("127.0.0.1:8080")));
        assertEquals("backend\0", new String(NginxConsistentHash.pointKey("backend")));
        assertEquals("[::1]\0" + "80", new String(NginxConsistentHash.pointKey("[::1]:80")));
        assertEquals("/tmp/s.sock\0", new String(NginxConsistentHash.pointKey("unix:/tmp/s.sock")));
        CRC32 jdk = new CRC32();
        jdk.update("123456789".getBytes());
        assertEquals(0xCBF43926L, jdk.getValue(), "CRC-32/ISO-HDLC check value");
        assertEquals(jdk.getValue(), NginxConsistentHash.crc32("123456789".getBytes()));
    }

    @Test
    void rejectsBadConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> new NginxConsistentHash(List.of("a:1", "a:1"), new int[] {1, 1}));
        assertThrows(IllegalArgumentException.class, () -> new NginxConsistentHash(List.of("a:1"), new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> NginxConsistentHash.of("a:1").without("a:1"));
        assertThrows(IllegalArgumentException.class, () -> RING.without("b:2"));
    }
}
