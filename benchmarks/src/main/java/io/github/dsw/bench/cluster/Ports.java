package io.github.dsw.bench.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on 127.0.0.1, all held open together while chosen so that they differ. */
final class Ports {
    private Ports() {
    }

    static List<InetSocketAddress> free(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        List<InetSocketAddress> out = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                held.add(s);
                out.add(new InetSocketAddress("127.0.0.1", s.getLocalPort()));
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return out;
    }
}
