package io.github.dsw.cluster;

import io.github.dsw.runtime.CodecException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The client end of one connection to a node: dial, exchange hellos, then frames. Used by the key-value
 * client and the admin client; not thread-safe for writers (one writer, any one reader).
 */
final class Connection implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    final Frames.Hello server;

    private Connection(Socket socket, DataInputStream in, OutputStream out, Frames.Hello server) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.server = server;
    }

    /**
     * Dials {@code address} and says hello as {@code role} {@code id} speaking {@code protocol}.
     *
     * @throws IOException       the node cannot be reached (down, paused past the timeout)
     * @throws ClusterException  it answered, but not as a node of {@code protocol} does
     */
    static Connection open(InetSocketAddress address, String protocol, Frames.Role role, int id, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            out.write(Frames.hello(new Frames.Hello(protocol, role, id)));
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            Frames.Frame f;
            try {
                f = Frames.read(in);
            } catch (Frames.BrokenStreamException e) {
                throw new ClusterException(address + " does not speak the workbench's frames (" + e.getMessage() + ")");
            }
            if (f == null) {
                throw new IOException(address + " closed the connection");
            }
            if (f.corrupt()) {
                throw new ClusterException(address + " answered with a frame that fails its checksum");
            }
            if (f.kind() == Frames.ERROR) {
                throw new ClusterException(address + ": " + Frames.parseText(f.body()));
            }
            if (f.kind() != Frames.HELLO) {
                throw new ClusterException(address + " answered the hello with a frame of kind " + f.kind());
            }
            Frames.Hello h;
            try {
                h = Frames.parseHello(f.body());
            } catch (CodecException e) {
                throw new ClusterException(address + " answered with a malformed hello: " + e.getMessage());
            }
            if (!h.protocol().equals(protocol)) {
                throw new ClusterException(address + " runs protocol " + h.protocol() + ", not " + protocol);
            }
            s.setSoTimeout(0);
            return new Connection(s, in, out, h);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    void send(byte[] frame) throws IOException {
        out.write(frame);
        out.flush();
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
