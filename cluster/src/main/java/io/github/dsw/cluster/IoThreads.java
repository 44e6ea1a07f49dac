package io.github.dsw.cluster;

/**
 * The threads that do the runtime's blocking socket I/O (a node's acceptor and the short-lived threads that read a
 * new connection's hello or serve an admin connection, a node's peer links that dial and write what a socket did not
 * take at once, a client's reply reader; a node's event loop reads and writes its connections itself). Platform daemon threads by default: a platform thread blocked in {@code read} is woken by the
 * kernel directly, while a virtual thread's blocking read parks it, registers the socket with the JDK's poller
 * and is unparked by the poller thread onto a carrier (more system calls and two thread switches per wake-up,
 * measured in chapter 8, section 8.8). A node has one such thread per peer and a few short-lived ones, so their
 * number stays small. The system property {@code dsw.cluster.ioThreads=virtual} restores virtual threads (the before/after
 * measurement).
 */
final class IoThreads {
    /** True when the I/O threads are virtual ({@code -Ddsw.cluster.ioThreads=virtual}). */
    static final boolean VIRTUAL = "virtual".equals(System.getProperty("dsw.cluster.ioThreads", "platform"));

    private IoThreads() {
    }

    /** Starts {@code task} on a new I/O thread named {@code name}; it never keeps the JVM alive. */
    static Thread start(String name, Runnable task) {
        if (VIRTUAL) {
            return Thread.ofVirtual().name(name).start(task);
        }
        return Thread.ofPlatform().name(name).daemon(true).stackSize(256 * 1024).start(task);
    }
}
