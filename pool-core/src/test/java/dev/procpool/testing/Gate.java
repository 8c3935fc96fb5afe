package dev.procpool.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Holds a task in a worker until the test opens the gate, without polling: the task connects to this loopback
 * socket and blocks reading one byte, which {@link #open()} sends.
 */
public final class Gate implements AutoCloseable {
    private final ServerSocket server;

    public Gate() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(60_000);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Lets one waiting task through. */
    public void open() throws IOException {
        try (Socket task = server.accept()) {
            task.getOutputStream().write(1);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no task arrived at the gate within 60 s", e);
        }
    }

    /** Called inside a task: waits until the test opens the gate. */
    public static void await(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            if (socket.getInputStream().read() < 0) {
                throw new IOException("the gate closed without opening");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
