package io.github.dsw.reallocks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal Redis client: one connection, one command at a time, in RESP2 ("Redis serialization protocol
 * specification", redis.io/docs/latest/develop/reference/protocol-spec): a command is an array of bulk
 * strings; a reply is a simple string ({@code +}), an error ({@code -}), an integer ({@code :}), a bulk
 * string ({@code $}, {@code -1} = nil) or an array ({@code *}).
 *
 * <p>Why not a client library: the locks here need exactly {@code SET}, {@code DEL}, {@code EVAL} and
 * {@code INCR}, with a per-call timeout that Redlock's "small timeout per instance" can set
 * ({@link #timeout(int)}); fifty lines of protocol are easier to read in a course, and cost no dependency.
 * Replies: {@code String} (simple or bulk), {@code Long}, {@code null} (nil), {@code List<Object>};
 * an error reply is thrown as {@link RedisError}.
 */
public final class Resp implements AutoCloseable {
    /** An error reply from the server ({@code -ERR ...}). */
    public static final class RedisError extends IOException {
        RedisError(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** Connects to {@code host:port} within {@code timeoutMillis}, which is also every reply's timeout. */
    public Resp(String address, int timeoutMillis) throws IOException {
        int colon = address.lastIndexOf(':');
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
                timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = new BufferedOutputStream(socket.getOutputStream());
    }

    /** Sets the reply timeout (milliseconds, 0 = none). */
    public void timeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends one command and returns its reply. */
    public Object call(String... args) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append('*').append(args.length).append("\r\n");
        out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.write(bytes);
            out.write('\r');
            out.write('\n');
        }
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("redis closed the connection");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                throw new RedisError(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n);
                in.readNBytes(2);
                return new String(data, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply: " + (char) type + line);
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\r') {
                in.read();
                return b.toString();
            }
            b.append((char) c);
        }
        throw new IOException("redis closed the connection");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
