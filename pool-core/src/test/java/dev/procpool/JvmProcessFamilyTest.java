package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.FamilyMain;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A parent JVM in a child process: non-daemon children keep it alive, daemon ones die with it, none is orphaned. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JvmProcessFamilyTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private record Parent(Process process, BufferedReader out) {
        void goOn() throws IOException {
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
        }

        long childPid() throws IOException {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("CHILD "), "the parent said: " + line);
            return Long.parseLong(line.substring(6));
        }
    }

    private Parent startParent(String mode, int port, Path dir) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                FamilyMain.class.getName(), mode, Integer.toString(port))
                .redirectError(dir.resolve("stderr").toFile()).start();
        audit.watch(process.pid(), "the parent JVM");
        return new Parent(process, new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)));
    }

    /** The child holding at the checkpoint, then the parent's word that it started it. */
    private static Checkpoint.Arrival bothArrived(Checkpoint checkpoint) throws IOException {
        Checkpoint.Arrival first = checkpoint.awaitArrival();
        Checkpoint.Arrival second = checkpoint.awaitArrival();
        Checkpoint.Arrival child = first.message().startsWith("parent") ? second : first;
        (child == first ? second : first).close();
        return child;
    }

    private static void exits(Process process, int code) throws InterruptedException {
        assertTrue(process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS), "the parent did not exit within " + EXIT);
        assertEquals(code, process.exitValue());
    }

    @Test
    void aNonDaemonChildKeepsItsParentAliveAfterMainReturnsUntilItEnds(@TempDir Path dir) throws Exception {
        try (Checkpoint checkpoint = new Checkpoint()) {
            Parent parent = startParent("non-daemon", checkpoint.port(), dir);
            long child = parent.childPid();
            Checkpoint.Arrival held = bothArrived(checkpoint);
            parent.goOn();
            assertEquals("RETURNING", parent.out().readLine());
            // a bounded look for something that must not happen: the parent ending while its child runs
            assertFalse(parent.process().waitFor(2, TimeUnit.SECONDS), "the parent exited before its child");
            held.release();
            Processes.awaitExit(child, EXIT);
            exits(parent.process(), 0);
        }
    }

    /** "daemon": a daemon child dies when its parent's main returns; "exit": System.exit takes even a non-daemon. */
    @ParameterizedTest
    @ValueSource(strings = {"daemon", "exit"})
    void aChildIsTerminatedWhenItsParentExits(String mode, @TempDir Path dir) throws Exception {
        try (Checkpoint checkpoint = new Checkpoint()) {
            Parent parent = startParent(mode, checkpoint.port(), dir);
            long child = parent.childPid();
            try (Checkpoint.Arrival held = bothArrived(checkpoint)) {
                parent.goOn();
                exits(parent.process(), 0);
                Processes.awaitExit(child, EXIT);
            }
        }
    }

    @Test
    void aChildNeverOutlivesAParentKilledWithSigkill(@TempDir Path dir) throws Exception {
        try (Checkpoint checkpoint = new Checkpoint()) {
            Parent parent = startParent("kill-me", checkpoint.port(), dir);
            long child = parent.childPid();
            try (Checkpoint.Arrival held = bothArrived(checkpoint)) {
                parent.goOn();
                parent.process().destroyForcibly(); // SIGKILL: no hook of the parent runs
                assertTrue(parent.process().waitFor(EXIT.toSeconds(), TimeUnit.SECONDS));
                Processes.awaitExit(child, EXIT); // it saw its parent's pipe close
            }
        }
    }
}
