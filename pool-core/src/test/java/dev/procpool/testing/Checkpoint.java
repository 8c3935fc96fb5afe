package dev.procpool.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A loopback socket through which tasks in workers tell the test that they got somewhere, with a message (pids,
 * say), and optionally wait there until the test lets them go on:
 * <ul>
 * <li>a task calls {@link #reach} to say it got there and goes on; the test waits for it with {@link #awaitMessage()};
 * <li>a task calls {@link #hold} and waits; the test gets it with {@link #awaitArrival()} and lets it go on with
 * {@link Arrival#release()} (to hold a worker while the test does something, or to order tasks without sleeping).
 * </ul>
 * Arrivals are taken one at a time, in order of arrival ({@link Mailbox} takes reports by key, in any order). The test
 * never polls: {@link #awaitArrival()} blocks until a task connects, and fails the test after 60 s.
 */
public final class Checkpoint implements AutoCloseable {
    private final ServerSocket server;

    public Checkpoint() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        server.setSoTimeout(60_000);
    }

    public int port() {
        return server.getLocalPort();
    }

    /**
     * The next task that arrived, in order of arrival; fails the test when none arrives within 60 s. Release or
     * close it.
     */
    public Arrival awaitArrival() throws IOException {
        Socket socket;
        try {
            socket = server.accept();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no task reached the checkpoint within 60 s", e);
        }
        socket.setSoTimeout(60_000);
        String message = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (message == null) {
            socket.close();
            throw new AssertionError("a task connected to the checkpoint but said nothing");
        }
        return new Arrival(socket, message);
    }

    /** The message of the next task that arrived with {@link #reach}; its connection is closed. */
    public Arrival awaitMessage() throws IOException {
        try (Arrival arrival = awaitArrival()) {
            return arrival;
        }
    }

    /** Called inside a task: says {@code message} to the test and goes on at once. */
    public static void reach(int port, String message) {
        try (Socket socket = connect(port, message)) {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Called inside a task: says {@code message} to the test, then waits until the test calls
     * {@link Arrival#release()}. Fails the task when the test closes the arrival or the checkpoint instead.
     */
    public static void hold(int port, String message) {
        try (Socket socket = connect(port, message)) {
            if (socket.getInputStream().read() < 0) {
                throw new IOException("the test closed the checkpoint without releasing this task");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket connect(int port, String message) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return socket;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** A task that reached the checkpoint. */
    public static final class Arrival implements AutoCloseable {
        private final Socket socket;
        private final String message;

        private Arrival(Socket socket, String message) {
            this.socket = socket;
            this.message = message;
        }

        public String message() {
            return message;
        }

        /** The message's whitespace-separated fields parsed as numbers, e.g. pids. */
        public long field(int index) {
            return Long.parseLong(message.split(" ")[index]);
        }

        /** Lets a task waiting in {@link Checkpoint#hold} go on. */
        public void release() throws IOException {
            try (socket) {
                socket.getOutputStream().write(1);
                socket.getOutputStream().flush();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
