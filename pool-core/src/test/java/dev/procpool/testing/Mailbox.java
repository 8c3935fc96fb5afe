package dev.procpool.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Many tasks report to the test by key, in any order ({@link Checkpoint} takes them one at a time, in order): a task calls
 * {@link #send}, the test waits for that key's letter with {@link #await}. A thread of the test JVM receives them.
 */
public final class Mailbox implements AutoCloseable {
    private final ServerSocket server;
    private final Map<String, CompletableFuture<String>> letters = new ConcurrentHashMap<>();
    private final Thread receiver;

    public Mailbox() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        receiver = new Thread(this::receive, "mailbox-receiver");
        receiver.setDaemon(true);
        receiver.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Called inside a task: posts {@code text} under {@code key}. */
    public static void send(int port, String key, String text) {
        Checkpoint.reach(port, key + " " + text);
    }

    /** The letter posted under {@code key}; fails the test when none comes within the timeout. */
    public String await(String key, Duration timeout) throws InterruptedException {
        try {
            return letter(key).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no letter '" + key + "' within " + timeout, e);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Whether a letter was posted under {@code key} so far. */
    public boolean received(String key) {
        return letter(key).isDone();
    }

    private CompletableFuture<String> letter(String key) {
        return letters.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    private void receive() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8)).readLine();
                if (line != null) {
                    int space = line.indexOf(' ');
                    letter(space < 0 ? line : line.substring(0, space)).complete(space < 0 ? "" : line.substring(space + 1));
                }
            } catch (IOException e) {
                // closed, or a sender died mid-letter (its worker was killed): nothing to deliver
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        receiver.join(10_000);
    }
}
