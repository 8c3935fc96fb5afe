package dev.procpool.internal.slurm;

import dev.procpool.internal.LazyLogger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * The rendezvous of one worker launch: a listening socket that lives only until its worker connected (or the launch
 * failed) and accepts only a connection whose first line is this launch's one-time token. So nothing listens while
 * no worker is starting, and a stranger who connects meanwhile gets nothing and is closed.
 */
final class ConnectBack implements AutoCloseable {
    private static final LazyLogger LOG = new LazyLogger(ConnectBack.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int TOKEN_BYTES = 32;
    private static final int MAX_LINE_BYTES = 256;
    /** A connection must say its token this soon, or it is taken for a stranger. */
    private static final int TOKEN_READ_MILLIS = 5_000;

    /** The worker's connection, and the job step it said it runs in ("-" if it did not know). */
    record Accepted(Socket socket, String step) {
    }

    private final ServerSocket server;
    private final String token;

    private ConnectBack(ServerSocket server, String token) {
        this.server = server;
        this.token = token;
    }

    /**
     * Listens on every interface of this machine: the nodes reach it by the name they resolve for it, which need
     * not be the address this machine would pick.
     */
    static ConnectBack open() throws IOException {
        byte[] secret = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(secret);
        return new ConnectBack(new ServerSocket(0, 4), HexFormat.of().formatHex(secret));
    }

    int port() {
        return server.getLocalPort();
    }

    String token() {
        return token;
    }

    /** The worker's connection, or null if none presented the token before the deadline or this was closed. */
    Accepted await(long deadlineNanos) throws IOException {
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            Socket socket;
            try {
                server.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                socket = server.accept();
            } catch (SocketTimeoutException e) {
                return null;
            } catch (SocketException e) {
                if (server.isClosed()) {
                    return null; // the launch ended (srun exited, or the worker was killed) before it connected
                }
                throw e;
            }
            Accepted accepted = check(socket);
            if (accepted != null) {
                close();
                return accepted;
            }
        }
    }

    private Accepted check(Socket socket) {
        try {
            socket.setSoTimeout(TOKEN_READ_MILLIS);
            String[] line = readLine(socket.getInputStream()).split(" ", 2);
            if (MessageDigest.isEqual(line[0].getBytes(StandardCharsets.US_ASCII),
                    token.getBytes(StandardCharsets.US_ASCII))) {
                socket.setSoTimeout(0);
                socket.setTcpNoDelay(true); // frames are flushed whole; Nagle would hold the tail of each
                return new Accepted(socket, line.length > 1 ? line[1] : "-");
            }
            LOG.get().warn("refused a connection from {}: it did not present the worker's token",
                    socket.getRemoteSocketAddress());
        } catch (IOException e) {
            LOG.get().warn("refused a connection from {}: {}", socket.getRemoteSocketAddress(), e.toString());
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing a stranger's connection: nothing more to do
        }
        return null;
    }

    /** One line, byte by byte: a buffered reader would swallow the first protocol bytes behind it. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.size() >= MAX_LINE_BYTES) {
                throw new IOException("no token line");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
