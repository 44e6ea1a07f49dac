package io.github.dsw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Maelstrom's node protocol, byte for byte, on one node run in this JVM on pipes. The requests are the
 * examples of Maelstrom's documentation (jepsen-io/maelstrom {@code doc/protocol.md}: the init message,
 * the lin-kv read of key 3 and its {@code read_ok} answer with value 4, the error 11 "waiting for quorum"
 * example; {@code doc/workloads.md}, workload lin-kv: read, write, cas, "error 20 if the key doesn't
 * exist, and 22 if the from value doesn't match"), written as compact JSON; the expected answers are
 * those examples' bytes with this node's own msg_id. Error codes and which are definite: protocol.md's
 * error table (0 timeout and 13 crash are the indefinite ones). Also: stdout's first line is the
 * init_ok (no banner), and a client's msg_ids need not increase (the previous attempt at this host mapped
 * msg_ids to session request ids, so a lower msg_id fell below the session's floor and was silently
 * never answered: the "hang after init_ok").
 */
class MaelstromTest {

    /** A node run in this JVM on pipes: what a test writes is its stdin, what it prints is read back line by line. */
    private static final class Piped implements AutoCloseable {
        final PrintStream toNode;
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread node;

        Piped(KvProtocol<?> kv) throws IOException {
            PipedOutputStream inWriter = new PipedOutputStream();
            PipedInputStream nodeIn = new PipedInputStream(inWriter, 1 << 16);
            PipedInputStream outReader = new PipedInputStream(1 << 16);
            PrintStream nodeOut = new PrintStream(new PipedOutputStream(outReader), true, StandardCharsets.UTF_8);
            toNode = new PrintStream(inWriter, true, StandardCharsets.UTF_8);
            node = Thread.ofPlatform().daemon().start(() -> {
                MaelstromNode.run(kv, nodeIn, nodeOut, System.err);
                nodeOut.close();
            });
            BufferedReader r = new BufferedReader(new InputStreamReader(outReader, StandardCharsets.UTF_8));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (IOException e) {
                    // the node's end closed
                }
            });
        }

        /** Sends one line and returns the next line the node prints (within 30 s). */
        String exchange(String request) throws InterruptedException {
            toNode.println(request);
            String answer = lines.poll(30, TimeUnit.SECONDS);
            assertNotNull(answer, "no answer to " + request);
            return answer;
        }

        @Override
        public void close() throws InterruptedException {
            toNode.close();
            node.join(10_000);
        }
    }

    private static long msgIdOf(String line) {
        return (Long) ((Map<?, ?>) ((Map<?, ?>) Json.parse(line)).get("body")).get("msg_id");
    }

    /** protocol.md's init example (node n3 of n1..n3, msg_id 1), and its error example for a node without a quorum. */
    @Test
    void initFromTheDocumentationAndADefiniteErrorWithoutQuorum() throws Exception {
        try (Piped n = new Piped(RaftKv.PROTOCOL)) {
            assertEquals("{\"src\":\"n3\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"msg_id\":1,\"in_reply_to\":1}}",
                    n.exchange("{\"src\":\"c0\",\"dest\":\"n3\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n3\",\"node_ids\":[\"n1\",\"n2\",\"n3\"]}}"));
            // protocol.md's read example; n1 and n2 never answer, so there is no leader: error 11, definite
            assertEquals("{\"src\":\"n3\",\"dest\":\"c1\",\"body\":{\"type\":\"error\",\"msg_id\":2,\"in_reply_to\":123,\"code\":11,"
                    + "\"text\":\"not the leader, and no leader is known\"}}",
                    n.exchange("{\"src\":\"c1\",\"dest\":\"n3\",\"body\":{\"type\":\"read\",\"msg_id\":123,\"key\":3}}"));
        }
    }

    @Test
    void goldenTranscriptOfOneRaftNode() throws Exception {
        goldenTranscript(RaftKv.PROTOCOL);
    }

    @Test
    void goldenTranscriptOfOnePaxosNode() throws Exception {
        goldenTranscript(MultiPaxosKv.PROTOCOL);
    }

    private static void goldenTranscript(KvProtocol<?> kv) throws Exception {
        try (Piped n = new Piped(kv)) {
            assertEquals("{\"src\":\"n1\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"msg_id\":1,\"in_reply_to\":1}}",
                    n.exchange("{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\",\"msg_id\":1,\"node_id\":\"n1\",\"node_ids\":[\"n1\"]}}"));
            // until the single server has elected itself, Raft refuses (11, definite) and Multi-Paxos holds the request
            long req = 1000;
            String a;
            while (true) {
                a = n.exchange("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"write\",\"msg_id\":" + req + ",\"key\":3,\"value\":4}}");
                if (!a.contains("\"code\":11")) {
                    break;
                }
                req++;
                Thread.sleep(50);
            }
            long last = msgIdOf(a);
            assertEquals("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"write_ok\",\"msg_id\":" + last + ",\"in_reply_to\":" + req + "}}", a);
            String[][] golden = {
                // protocol.md's lin-kv read and its answer {"type":"read_ok","msg_id":56,"in_reply_to":123,"value":4}
                {"c1", "{\"type\":\"read\",\"msg_id\":123,\"key\":3}", "{\"type\":\"read_ok\",\"msg_id\":%d,\"in_reply_to\":123,\"value\":4}"},
                // a LOWER msg_id than the client's previous ones, from another client too: answered all the same
                {"c1", "{\"type\":\"cas\",\"msg_id\":2,\"key\":3,\"from\":5,\"to\":6}",
                    "{\"type\":\"error\",\"msg_id\":%d,\"in_reply_to\":2,\"code\":22,\"text\":\"precondition failed: the key does not hold from\"}"},
                {"c2", "{\"type\":\"cas\",\"msg_id\":1,\"key\":3,\"from\":4,\"to\":6}", "{\"type\":\"cas_ok\",\"msg_id\":%d,\"in_reply_to\":1}"},
                {"c1", "{\"type\":\"read\",\"msg_id\":3,\"key\":3}", "{\"type\":\"read_ok\",\"msg_id\":%d,\"in_reply_to\":3,\"value\":6}"},
                // workloads.md: cas "returns error 20 if the key doesn't exist"
                {"c1", "{\"type\":\"cas\",\"msg_id\":4,\"key\":7,\"from\":0,\"to\":1}",
                    "{\"type\":\"error\",\"msg_id\":%d,\"in_reply_to\":4,\"code\":20,\"text\":\"key does not exist\"}"},
                {"c2", "{\"type\":\"read\",\"msg_id\":2,\"key\":\"nothing\"}",
                    "{\"type\":\"error\",\"msg_id\":%d,\"in_reply_to\":2,\"code\":20,\"text\":\"key does not exist\"}"},
                // keys are JSON values: the string "3" is not the number 3
                {"c2", "{\"type\":\"read\",\"msg_id\":3,\"key\":\"3\"}",
                    "{\"type\":\"error\",\"msg_id\":%d,\"in_reply_to\":3,\"code\":20,\"text\":\"key does not exist\"}"},
                {"c1", "{\"type\":\"write\",\"msg_id\":5,\"key\":3,\"value\":\"x\"}",
                    "{\"type\":\"error\",\"msg_id\":%d,\"in_reply_to\":5,\"code\":12,\"text\":\"value must be an integer, got \\\"x\\\"\"}"},
                {"c1", "{\"type\":\"echo\",\"msg_id\":6,\"echo\":\"hi\"}",
                    "{\"type\":\"error\",\"msg_id\":%d,\"in_reply_to\":6,\"code\":10,\"text\":\"unsupported request type \\\"echo\\\"\"}"},
            };
            for (String[] g : golden) {
                String request = "{\"src\":\"" + g[0] + "\",\"dest\":\"n1\",\"body\":" + g[1] + "}";
                assertEquals("{\"src\":\"n1\",\"dest\":\"" + g[0] + "\",\"body\":" + String.format(g[2], ++last) + "}", n.exchange(request), request);
            }
            // a line that is not JSON is logged on stderr and dropped: stdout stays messages only
            n.toNode.println("this is not json");
            assertEquals("{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"read_ok\",\"msg_id\":" + ++last + ",\"in_reply_to\":7,\"value\":6}}",
                    n.exchange("{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\",\"msg_id\":7,\"key\":3}}"));
        }
    }

    @Test
    void jsonRoundTripsAndRefusesMalformedText() {
        String text = "{\"a\":[1,-2,3.5,true,false,null,\"x\\\"y\\n\"],\"b\":{}}";
        assertEquals(text, Json.write(Json.parse(text)));
        for (String bad : new String[] {"{", "{\"a\" 1}", "[1,]", "\"abc", "{} x", "nul", "-"}) {
            try {
                Json.parse(bad);
                fail("accepted " + bad);
            } catch (IllegalArgumentException expected) {
                assertTrue(expected.getMessage().contains("offset"), expected.getMessage());
            }
        }
        assertEquals(List.of(), Json.parse("[]"));
    }
}
