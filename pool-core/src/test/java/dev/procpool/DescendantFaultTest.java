package dev.procpool;

import static dev.procpool.testing.Faults.EXIT_WAIT;
import static dev.procpool.testing.Faults.assertServesHundredMore;
import static dev.procpool.testing.Faults.awaitStarted;
import static dev.procpool.testing.Faults.failureOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.Checkpoint.Arrival;
import dev.procpool.testing.Children;
import dev.procpool.testing.Faults.InFlight;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.testing.SupervisorMain;
import dev.procpool.worker.Task;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults (see {@link dev.procpool.testing.Faults}): what a task started, a child or a process re-parented to init
 * but still in its worker's process group, dies with its worker however the worker ends, and with a supervisor JVM
 * that is signalled.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DescendantFaultTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    enum Ending { RECYCLED, SYSTEM_EXIT, HALT, TERMINATED }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void aSleepATaskStartedDiesWithItsWorker(Ending ending) throws Exception {
        ProcessPool.Builder builder = ProcessPool.builder().workers(2);
        if (ending == Ending.RECYCLED) {
            builder.maxTasksPerChild(1);
        }
        ProcessPool pool = audit.track(builder.build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            int how = ending.ordinal();
            InFlight before = new InFlight(pool, 0, ending == Ending.RECYCLED ? 3 : 10, 20);
            CompletableFuture<Integer> faulty = pool.applyAsync(x -> {
                long child = Children.startSleep();
                Checkpoint.reach(port, ProcessHandle.current().pid() + " " + child);
                switch (x) {
                    case 0 -> { return 42; }
                    case 1 -> System.exit(3);
                    case 2 -> Runtime.getRuntime().halt(4);
                    default -> Blocker.blockForever();
                }
                return -1;
            }, how);
            InFlight after = new InFlight(pool, 100, ending == Ending.RECYCLED ? 3 : 10, 20);
            Arrival started = awaitStarted(checkpoint, audit);
            switch (ending) {
                case RECYCLED -> assertEquals(42, faulty.get(60, TimeUnit.SECONDS));
                case SYSTEM_EXIT -> assertEquals(3, failureOf(faulty, WorkerCrashedException.class).exitCode());
                case HALT -> assertEquals(4, failureOf(faulty, WorkerCrashedException.class).exitCode());
                case TERMINATED -> {
                    assertTrue(Processes.isAlive(started.field(1)), "the sleep runs");
                    before.assertAllCorrect();
                    after.assertAllCorrect();
                    pool.terminate();
                    assertThrows(CancellationException.class, () -> faulty.get(60, TimeUnit.SECONDS));
                    assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
                }
            }
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            if (ending != Ending.TERMINATED) {
                before.assertAllCorrect();
                after.assertAllCorrect();
                assertServesHundredMore(pool, ending == Ending.RECYCLED ? 25 : 1);
                pool.close();
            }
        }
    }

    /** Starts a sleep through a shell that exits at once, reports it, then ends as {@code how} says. */
    private static Task<Integer, Integer> orphanSleepThen(int port) {
        return how -> {
            long child = Children.startOrphanedSleep();
            Checkpoint.reach(port, ProcessHandle.current().pid() + " " + child);
            if (how == 1) {
                Runtime.getRuntime().halt(4);
            }
            return 42;
        };
    }

    @Test
    void aReparentedSleepATaskStartedDiesWhenItsWorkerCrashes() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        try (Checkpoint checkpoint = new Checkpoint()) {
            InFlight before = new InFlight(pool, 0, 10, 20);
            CompletableFuture<Integer> faulty = pool.applyAsync(orphanSleepThen(checkpoint.port()), 1);
            InFlight after = new InFlight(pool, 100, 10, 20);
            Arrival started = awaitStarted(checkpoint, audit);
            assertEquals(4, failureOf(faulty, WorkerCrashedException.class).exitCode());
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT); // no longer a descendant, still in the worker's group
            before.assertAllCorrect();
            after.assertAllCorrect();
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    @Test
    void aReparentedSleepATaskStartedDiesWhenItsWorkerIsRecycled() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).maxTasksPerChild(1).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            InFlight before = new InFlight(pool, 0, 3, 20);
            CompletableFuture<Integer> recycled = pool.applyAsync(orphanSleepThen(checkpoint.port()), 0);
            InFlight after = new InFlight(pool, 100, 3, 20);
            Arrival started = awaitStarted(checkpoint, audit);
            assertEquals(42, recycled.get(60, TimeUnit.SECONDS));
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            try {
                Processes.awaitExit(started.field(1), EXIT_WAIT);
            } finally {
                ProcessHandle.of(started.field(1)).ifPresent(ProcessHandle::destroyForcibly);
            }
            before.assertAllCorrect();
            after.assertAllCorrect();
            assertServesHundredMore(pool, 25);
            pool.close();
        }
    }

    enum SupervisorSignal { TERM, KILL }

    @ParameterizedTest
    @EnumSource(SupervisorSignal.class)
    void noWorkerNorAnyProcessATaskStartedOutlivesASignalledSupervisor(SupervisorSignal signal, @TempDir Path dir)
            throws Exception {
        try (Checkpoint checkpoint = new Checkpoint()) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process supervisor = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                    SupervisorMain.class.getName(), "busy-with-child", Integer.toString(checkpoint.port()))
                    .redirectError(dir.resolve("stderr").toFile())
                    .start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(supervisor.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertTrue(line != null && line.startsWith("PIDS "), "supervisor said: " + line);
                List<Long> workers = Arrays.stream(line.substring(5).split(" ")).map(Long::valueOf).toList();
                assertEquals(2, workers.size());
                workers.forEach(pid -> audit.watch(pid, "worker of the child supervisor"));
                Arrival first = awaitStarted(checkpoint, audit);
                Arrival second = awaitStarted(checkpoint, audit);
                long sleepPid = Math.max(first.field(1), second.field(1));
                assertTrue(Processes.isAlive(sleepPid));

                if (signal == SupervisorSignal.TERM) {
                    supervisor.destroy();
                } else {
                    supervisor.destroyForcibly();
                }
                assertTrue(supervisor.waitFor(30, TimeUnit.SECONDS), "the supervisor exits");
                assertEquals(signal == SupervisorSignal.TERM ? 143 : 137, supervisor.exitValue());
                for (long pid : workers) {
                    Processes.awaitExit(pid, EXIT_WAIT);
                }
                Processes.awaitExit(sleepPid, EXIT_WAIT);
            } finally {
                supervisor.destroyForcibly();
                supervisor.waitFor(30, TimeUnit.SECONDS);
                supervisor.getOutputStream().close();
            }
        }
    }
}
