package io.github.dsw.bench.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.HdrHistogram.Histogram;

/**
 * The round trip of a small message over TCP on 127.0.0.1 between two threads of this JVM (TCP_NODELAY,
 * one 64-byte frame each way, a blocking echo server): the network floor under every system
 * {@link ClusterBench} measures, and the link delay the simulator is calibrated with (half of it per
 * message, {@code io.github.dsw.raft.CalibratedRaftRun}).
 */
public final class LoopbackRtt {
    private LoopbackRtt() {
    }

    /** {@code rounds} round trips after {@code rounds / 10} unrecorded ones; microsecond histogram. */
    public static Histogram measure(int rounds) throws IOException, InterruptedException {
        Histogram h = new Histogram(3);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread echo = Thread.ofPlatform().name("loopback-echo").start(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    byte[] buf = new byte[64];
                    while (true) {
                        in.readFully(buf);
                        out.write(buf);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the client closed: done
                }
            });
            try (Socket c = new Socket(InetAddress.getByName("127.0.0.1"), server.getLocalPort())) {
                c.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(c.getInputStream());
                DataOutputStream out = new DataOutputStream(c.getOutputStream());
                byte[] buf = new byte[64];
                int warm = rounds / 10;
                for (int i = 0; i < warm + rounds; i++) {
                    long t0 = System.nanoTime();
                    out.write(buf);
                    out.flush();
                    in.readFully(buf);
                    if (i >= warm) {
                        h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    }
                }
            }
            echo.join(5000);
        }
        return h;
    }
}
