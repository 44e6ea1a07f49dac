package io.github.dsw.reallocks;

import io.github.dsw.lease.FencedResource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fenced resource of chapter 9 served to other processes over TCP on 127.0.0.1 (a free port), one text
 * line per request and per answer, so that a lock holder in another JVM (stopped with SIGSTOP) writes to the
 * same storage as the client that took its lock over.
 *
 * <pre>
 * READ key                 -> VALUE v        (or VALUE - when the key was never written)
 * WRITE key token value    -> OK token | REJECTED highest    (fenced: {@link FencedResource})
 * PUT key value            -> OK 0                           (unfenced: the store most lock users have)
 * </pre>
 *
 * Every accepted write is also appended to an in-memory log ({@link #accepted()}), from which the experiment
 * counts lost updates. One thread per connection; {@link #close()} stops them all.
 */
public final class FencedServer implements AutoCloseable {
    /** One accepted write, in the order the server applied it. */
    public record Write(String key, long token, String value, boolean fenced) {}

    private final FencedResource fenced = new FencedResource();
    private final Map<String, String> unfenced = new TreeMap<>();
    private final List<Write> accepted = new ArrayList<>();
    private final List<Socket> clients = new ArrayList<>();
    private final ServerSocket server;
    private final Thread acceptor;
    private volatile boolean closed;

    /** Starts the server on 127.0.0.1 and a free port. */
    public FencedServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptLoop, "fenced-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return server.getLocalPort();
    }

    /** The accepted writes so far, in order. */
    public synchronized List<Write> accepted() {
        return List.copyOf(accepted);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                synchronized (this) {
                    clients.add(s);
                }
                Thread t = new Thread(() -> serve(s), "fenced-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.println(answer(line));
            }
        } catch (IOException | RuntimeException e) {
            // a client that went away (or sent garbage) loses its connection only
        }
    }

    synchronized String answer(String line) {
        String[] f = line.split(" ", 4);
        switch (f[0]) {
            case "READ" -> {
                String v = f.length == 2 ? (unfenced.containsKey(f[1]) ? unfenced.get(f[1]) : fenced.read(f[1])) : null;
                return "VALUE " + (v == null ? "-" : v);
            }
            case "WRITE" -> {
                if (f.length != 4) {
                    return "ERROR usage: WRITE key token value";
                }
                FencedResource.Outcome o = fenced.writeWithOutcome(f[1], Long.parseLong(f[2]), f[3]);
                if (o.accepted()) {
                    accepted.add(new Write(f[1], Long.parseLong(f[2]), f[3], true));
                    return "OK " + o.highestToken();
                }
                return "REJECTED " + o.highestToken();
            }
            case "PUT" -> {
                String[] p = line.split(" ", 3);
                if (p.length != 3) {
                    return "ERROR usage: PUT key value";
                }
                unfenced.put(p[1], p[2]);
                accepted.add(new Write(p[1], 0, p[2], false));
                return "OK 0";
            }
            default -> {
                return "ERROR unknown request " + f[0];
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        synchronized (this) {
            for (Socket s : clients) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** A client of the server: one connection, one request at a time. */
    public static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final PrintWriter out;

        /** Connects to 127.0.0.1:{@code port}. */
        public Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        private String call(String request) throws IOException {
            out.println(request);
            String line = in.readLine();
            if (line == null) {
                throw new IOException("fenced server closed the connection");
            }
            return line;
        }

        /** The key's value, or {@code null}. */
        public String read(String key) throws IOException {
            String v = call("READ " + key).substring("VALUE ".length());
            return "-".equals(v) ? null : v;
        }

        /** A fenced write: whether it was accepted. */
        public boolean write(String key, long token, String value) throws IOException {
            return call("WRITE " + key + " " + token + " " + value).startsWith("OK");
        }

        /** An unfenced write (always accepted). */
        public void put(String key, String value) throws IOException {
            call("PUT " + key + " " + value);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
