package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.CurrentProcess;
import dev.procpool.worker.ProcessTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Python's Process as JvmProcess: exit codes, failures, names, terminate and kill, current process facts. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class JvmProcessTest {
    private static final Duration END = Duration.ofSeconds(60);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static void ended(JvmProcess process) throws InterruptedException {
        assertTrue(process.join(END), process + " did not end within " + END);
    }

    @Test
    void aTargetThatReturnsEndsWithExitCodeZeroAndNoFailure(@TempDir Path dir) throws Exception {
        String file = dir.resolve("out").toString();
        JvmProcess child = JvmProcess.start(() -> Files.writeString(Path.of(file), CurrentProcess.name() + " "
                + CurrentProcess.pid() + " " + CurrentProcess.parentPid().orElse(-1)));
        assertTrue(child.name().matches("JvmProcess-\\d+"), child.name());
        assertTrue(child.pid() > 0);
        assertFalse(child.isDaemon());
        ended(child);
        assertFalse(child.isAlive());
        assertEquals(OptionalInt.of(0), child.exitCode());
        assertTrue(child.failure().isEmpty());
        assertEquals(child.name() + " " + child.pid() + " " + ProcessHandle.current().pid(),
                Files.readString(Path.of(file)), "name, pid and parent pid as the child sees them");
        assertEquals("MainProcess", CurrentProcess.name());
        assertTrue(CurrentProcess.parentPid().isEmpty());
    }

    @Test
    void aTargetThatThrowsEndsWithExitCodeOneAndItsExceptionRebuilt() throws Exception {
        JvmProcess child = JvmProcess.builder().name("thrower").start(() -> {
            throw new IllegalArgumentException("bad ticket");
        });
        assertEquals("thrower", child.name());
        ended(child);
        assertEquals(OptionalInt.of(1), child.exitCode());
        IllegalArgumentException failure = assertInstanceOf(IllegalArgumentException.class, child.failure().get());
        assertEquals("bad ticket", failure.getMessage());
        assertTrue(failure.getStackTrace().length > 0, "with the child's stack trace");
    }

    @Test
    void systemExitGivesItsStatusAndNoFailure() throws Exception {
        JvmProcess child = JvmProcess.start(() -> System.exit(7));
        ended(child);
        assertEquals(OptionalInt.of(7), child.exitCode());
        assertTrue(child.failure().isEmpty());
    }

    /** The subclass pattern: an object with fields and a run() method. */
    static final class Counter implements ProcessTarget {
        private final int upTo;
        private final String file;

        Counter(int upTo, String file) {
            this.upTo = upTo;
            this.file = file;
        }

        @Override
        public void run() throws Exception {
            int sum = 0;
            for (int i = 1; i <= upTo; i++) {
                sum += i;
            }
            Files.writeString(Path.of(file), Integer.toString(sum));
        }
    }

    @Test
    void anObjectWithFieldsRunsWithItsState(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sum");
        JvmProcess child = JvmProcess.start(new Counter(100, file.toString()));
        ended(child);
        assertEquals(OptionalInt.of(0), child.exitCode());
        assertEquals("5050", Files.readString(file));
    }

    @Test
    void terminateAndKillEndTheChildWithTheSignalInTheExitCodeAndNoFailure() throws Exception {
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            ProcessTarget waits = () -> {
                Checkpoint.reach(port, Long.toString(CurrentProcess.pid()));
                Blocker.blockForever();
            };
            JvmProcess terminated = JvmProcess.start(waits);
            checkpoint.awaitMessage();
            assertTrue(terminated.isAlive());
            assertTrue(JvmProcess.activeChildren().contains(terminated));
            assertTrue(terminated.exitCode().isEmpty());
            terminated.terminate();
            ended(terminated);
            assertEquals(OptionalInt.of(128 + 15), terminated.exitCode());
            assertTrue(terminated.failure().isEmpty());
            assertFalse(JvmProcess.activeChildren().contains(terminated));

            JvmProcess killed = JvmProcess.start(waits);
            checkpoint.awaitMessage();
            killed.kill();
            ended(killed);
            assertEquals(OptionalInt.of(128 + 9), killed.exitCode());
            assertTrue(killed.failure().isEmpty());
        }
    }

    @Test
    void aDaemonMayNotStartChildren() throws Exception {
        JvmProcess daemon = JvmProcess.builder().daemon(true).start(() -> JvmProcess.start(() -> { }));
        assertTrue(daemon.isDaemon());
        ended(daemon);
        assertEquals(OptionalInt.of(1), daemon.exitCode());
        IllegalStateException refused = assertInstanceOf(IllegalStateException.class, daemon.failure().get());
        assertTrue(refused.getMessage().contains("daemon"), refused.getMessage());
    }

    @Test
    void aNonDaemonChildMayStartItsOwnChildren(@TempDir Path dir) throws Exception {
        String file = dir.resolve("grandchild").toString();
        JvmProcess child = JvmProcess.start(() -> {
            JvmProcess grandchild = JvmProcess.start(() -> Files.writeString(Path.of(file),
                    CurrentProcess.name() + " " + CurrentProcess.parentPid().getAsLong()));
            grandchild.join();
        });
        ended(child);
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
        assertEquals("JvmProcess-1 " + child.pid(), Files.readString(Path.of(file)),
                "numbered in its own JVM, its parent the child");
    }

    @Test
    void aTargetThatCannotBeSerializedFailsAtStart() {
        java.io.InputStream notSerializable = java.io.InputStream.nullInputStream();
        assertThrows(SerializationException.class, () -> JvmProcess.start(() -> notSerializable.close()));
    }
}
