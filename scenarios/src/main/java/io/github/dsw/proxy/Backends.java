package io.github.dsw.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * N small HTTP servers on 127.0.0.1 (the JDK's {@link HttpServer}, free ports) that answer every request with
 * their id ({@code s0}, {@code s1}, ...), so a client behind a balancer sees which server the balancer chose.
 *
 * <p>Each server handles one request at a time, in arrival order (a single-thread executor): a FIFO single
 * server, the queue of {@link io.github.dsw.balance.QueueSimulation}. A server can be given a service time per
 * request ({@link #start(int, List)}: a supplier of nanoseconds drawn per request), spent in {@code sleep}, so
 * that slow and fast servers and heavy tails can be staged without burning the machine's two cores.
 * {@link #served()} counts the requests each server answered. {@link #close()} stops every server.
 */
public final class Backends implements AutoCloseable {
    static {
        // The JDK server writes the headers and the body in two writes; without TCP_NODELAY, Nagle's algorithm
        // holds the body until the client's delayed ACK (up to 40 ms on Linux) on every request.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();
    private final AtomicLongArray served;

    private Backends(int n) {
        served = new AtomicLongArray(n);
    }

    /** {@code n} servers that answer at once. */
    public static Backends start(int n) throws IOException {
        List<LongSupplier> none = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            none.add(() -> 0L);
        }
        return start(n, none);
    }

    /**
     * {@code n} servers; server i sleeps {@code serviceNanos.get(i).getAsLong()} before answering each request.
     *
     * @throws IllegalArgumentException if {@code n < 1} or there is not one supplier per server
     */
    public static Backends start(int n, List<LongSupplier> serviceNanos) throws IOException {
        if (n < 1 || serviceNanos == null || serviceNanos.size() != n) {
            throw new IllegalArgumentException("need n >= 1 and one service-time supplier per server, got n=" + n);
        }
        Backends b = new Backends(n);
        try {
            for (int i = 0; i < n; i++) {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
                ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "backend");
                    t.setDaemon(true);
                    return t;
                });
                int id = i;
                LongSupplier service = serviceNanos.get(i);
                server.createContext("/", exchange -> b.answer(exchange, id, service));
                server.setExecutor(executor);
                server.start();
                b.servers.add(server);
                b.executors.add(executor);
            }
        } catch (IOException | RuntimeException e) {
            b.close();
            throw e;
        }
        return b;
    }

    private void answer(HttpExchange exchange, int id, LongSupplier service) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            long nanos = service.getAsLong();
            if (nanos > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(nanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            served.incrementAndGet(id);
            byte[] body = name(id).getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The id server {@code i} answers with. */
    public static String name(int i) {
        return "s" + i;
    }

    /** The index of the server that answered {@code body}, or −1 if it is not one of ours. */
    public static int indexOf(String body) {
        String s = body.strip();
        if (s.length() < 2 || s.charAt(0) != 's') {
            return -1;
        }
        try {
            return Integer.parseInt(s.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Number of servers. */
    public int size() {
        return servers.size();
    }

    /** The port of server {@code i}. */
    public int port(int i) {
        return servers.get(i).getAddress().getPort();
    }

    /** The address of server {@code i} as a balancer's configuration names it: {@code 127.0.0.1:PORT}. */
    public String address(int i) {
        return "127.0.0.1:" + port(i);
    }

    /** Requests each server has answered so far. */
    public long[] served() {
        long[] out = new long[served.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = served.get(i);
        }
        return out;
    }

    @Override
    public void close() {
        for (HttpServer s : servers) {
            s.stop(0);
        }
        for (ExecutorService e : executors) {
            e.shutdownNow();
        }
    }
}
