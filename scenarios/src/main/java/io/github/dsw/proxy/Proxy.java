package io.github.dsw.proxy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A running balancer (nginx or HAProxy) on 127.0.0.1:{@link #port()}, and a client for it: {@link #get} sends
 * one request and returns the index of the backend that answered ({@link Backends#indexOf}). Sequential calls
 * observe the balancer's choices in order. {@link #close()} stops the process.
 */
public final class Proxy implements AutoCloseable {
    private final String product;
    private final LocalProcess process;
    private final int port;
    private final HttpClient client;

    Proxy(String product, LocalProcess process, int port) {
        this.product = product;
        this.process = process;
        this.port = port;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The port it listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** {@code "nginx"} or {@code "haproxy"}. */
    public String product() {
        return product;
    }

    /**
     * Sends {@code GET pathAndQuery} and returns the index of the backend that answered.
     *
     * @throws IOException if the request fails or the answer is not a backend's id (the message quotes it)
     */
    public int get(String pathAndQuery) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        int server = Backends.indexOf(response.body());
        if (response.statusCode() != 200 || server < 0) {
            throw new IOException(product + " answered " + response.statusCode() + " '" + response.body().strip()
                    + "' to " + pathAndQuery + "; its log: " + process.log().strip());
        }
        return server;
    }

    /** Whether the balancer's process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The underlying HTTP client (HTTP/1.1, for concurrent load). */
    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        client.shutdownNow();
        process.close();
    }
}
