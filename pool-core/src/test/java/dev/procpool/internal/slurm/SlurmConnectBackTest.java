package dev.procpool.internal.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rendezvous of a Slurm worker: only the token opens it, and once it has, nothing listens any more. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class SlurmConnectBackTest {
    private static Socket say(int port, String line) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        OutputStream out = socket.getOutputStream();
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    @Test
    void strangersAreRefusedTheWorkerIsAcceptedAndThenNothingListens() throws Exception {
        try (ConnectBack rendezvous = ConnectBack.open()) {
            int port = rendezvous.port();
            CompletableFuture<ConnectBack.Accepted> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return rendezvous.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Socket stranger = say(port, "not-the-token 1.0\n")) {
                assertEquals(-1, stranger.getInputStream().read(), "a stranger is closed without a byte");
            }
            try (Socket worker = say(port, rendezvous.token() + " 7.3\nFRAME")) {
                ConnectBack.Accepted got = accepted.get(30, TimeUnit.SECONDS);
                assertNotNull(got);
                assertEquals("7.3", got.step());
                byte[] first = got.socket().getInputStream().readNBytes(5);
                assertEquals("FRAME", new String(first, StandardCharsets.US_ASCII), "nothing after the line is lost");
                got.socket().close();
            }
            assertThrows(ConnectException.class, () -> say(port, "late\n").close(), "the port no longer listens");
        }
    }

    @Test
    void theWaitEndsAtItsDeadlineOrWhenClosed() throws Exception {
        try (ConnectBack rendezvous = ConnectBack.open()) {
            assertNull(rendezvous.await(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200)));
            rendezvous.close();
            assertNull(rendezvous.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(30)));
        }
    }
}
