package dev.procpool.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Lets a test wait, without polling, until a task has started in a worker: the task connects to this loopback
 * socket, and {@link #awaitTaskStarted()} returns when it has. The test fails if no task arrives in time.
 */
public final class Rendezvous implements AutoCloseable {
    private final ServerSocket server;

    public Rendezvous() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(60_000);
    }

    public int port() {
        return server.getLocalPort();
    }

    public void awaitTaskStarted() throws IOException {
        try (Socket ignored = server.accept()) {
            // the task is running
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no task started within 60 s", e);
        }
    }

    /** Called inside a task: tells the test that the task is running. */
    public static void taskStarted(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
