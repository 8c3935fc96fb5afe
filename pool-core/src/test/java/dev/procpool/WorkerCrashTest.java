package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.worker.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker dies while running a task: only that task fails, a replacement starts, all other tasks complete, nothing
 * hangs. Each test runs the fault while other tasks are in flight.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WorkerCrashTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static final Task<Integer, Integer> SQUARE = x -> x * x;

    /** Submits 40 quick tasks around the faulty one and checks every one of them. */
    private static WorkerCrashedException crashAmidOtherWork(ProcessPool pool, Task<Integer, Integer> faulty)
            throws Exception {
        List<CompletableFuture<Integer>> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            before.add(pool.applyAsync(SQUARE, i));
        }
        CompletableFuture<Integer> crashing = pool.applyAsync(faulty, 0);
        List<CompletableFuture<Integer>> after = new ArrayList<>();
        for (int i = 20; i < 40; i++) {
            after.add(pool.applyAsync(SQUARE, i));
        }
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> crashing.get(60, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) {
            assertEquals(i * i, before.get(i).get(60, TimeUnit.SECONDS));
            assertEquals((i + 20) * (i + 20), after.get(i).get(60, TimeUnit.SECONDS));
        }
        assertEquals(IntStream.range(0, 100).map(x -> x * x).boxed().toList(),
                pool.map(SQUARE, IntStream.range(0, 100).boxed().toList(), 1), "the pool serves 100 more tasks");
        return assertInstanceOf(WorkerCrashedException.class, failure.getCause());
    }

    @Test
    void systemExitCostsOneTaskAndOneWorker() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            WorkerCrashedException crash = crashAmidOtherWork(pool, x -> {
                System.err.println("about to exit with 3");
                System.exit(3);
                return x;
            });
            assertEquals(3, crash.exitCode());
            assertTrue(crash.getMessage().contains("exit code 3"), crash.getMessage());
            assertTrue(crash.getMessage().contains("about to exit with 3"), "stderr tail: " + crash.getMessage());
            assertFalse(pool.workerPids().contains(crash.pid()));
            assertEquals(1, pool.stats().workersCrashed());
        }
    }

    @Test
    void runtimeHaltCostsOneTaskAndOneWorker() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            WorkerCrashedException crash = crashAmidOtherWork(pool, x -> {
                Runtime.getRuntime().halt(7);
                return x;
            });
            assertEquals(7, crash.exitCode());
            assertEquals(1, pool.stats().workersCrashed());
            assertEquals(1, pool.stats().failed(), "the crashed task counts as failed");
        }
    }

    @Test
    void killMinusNineFromOutsideCostsOneTask() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1); Checkpoint started = new Checkpoint()) {
            int port = started.port();
            long pid = pool.workerPids().get(0);
            CompletableFuture<Integer> hanging = pool.applyAsync(x -> {
                Checkpoint.reach(port, "started");
                Blocker.blockForever();
                return x;
            }, 1);
            CompletableFuture<Integer> queued = pool.applyAsync(SQUARE, 5);
            started.awaitMessage();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> hanging.get(60, TimeUnit.SECONDS));
            WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, failure.getCause());
            assertEquals(pid, crash.pid());
            assertEquals(137, crash.exitCode(), "128 + SIGKILL");
            assertEquals(25, queued.get(60, TimeUnit.SECONDS), "the queued task runs on the replacement");
            assertNotEquals(pid, pool.workerPids().get(0));
        }
    }

    @Test
    void outOfMemoryIsReportedAndTheWorkerRetires() throws Exception {
        ProcessPool pool = ProcessPool.builder().workers(1).jvmArgs("-Xmx64m").build();
        try (pool) {
            long pid = pool.workerPids().get(0);
            CompletableFuture<Integer> leaking = pool.applyAsync(x -> {
                List<long[]> hog = new ArrayList<>();
                while (true) {
                    hog.add(new long[1 << 20]);
                }
            }, 1);
            CompletableFuture<Integer> next = pool.applyAsync(SQUARE, 4);
            ExecutionException failure = assertThrows(ExecutionException.class, () -> leaking.get(60, TimeUnit.SECONDS));
            assertInstanceOf(OutOfMemoryError.class, failure.getCause());
            assertEquals(16, next.get(60, TimeUnit.SECONDS), "the task queued behind it runs on a new worker");
            assertNotEquals(pid, pool.workerPids().get(0));
        }
        // counted when it has exited, which close() waits for: the replacement may serve before that
        assertEquals(1, pool.stats().workersRecycled());
        assertEquals(0, pool.stats().workersCrashed());
    }

    @Test
    void aCrashInsideAChunkFailsThatChunkOnlyAndMapReportsIt() throws Exception {
        try (ProcessPool pool = ProcessPool.create(2)) {
            Task<Integer, Integer> exitOnThirteen = x -> {
                if (x == 13) {
                    Runtime.getRuntime().halt(5);
                }
                return x;
            };
            TaskFailedException failure = assertThrows(TaskFailedException.class,
                    () -> pool.map(exitOnThirteen, IntStream.range(0, 40).boxed().toList(), 5));
            assertEquals(10, failure.index(), "the first input of the crashed chunk");
            assertInstanceOf(WorkerCrashedException.class, failure.getCause());
            assertEquals(List.of(1, 2, 3), pool.map(x -> x, List.of(1, 2, 3), 1));
        }
    }

    @Test
    void theCrashedWorkerIsReapedAndItsReplacementServes() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1)) {
            long first = pool.workerPids().get(0);
            assertThrows(TaskFailedException.class, () -> pool.apply(x -> {
                Runtime.getRuntime().halt(1);
                return x;
            }, 0));
            Processes.awaitExit(first, Duration.ofSeconds(30));
            assertEquals(List.of(), Processes.zombieChildren());
            assertEquals(9, pool.apply(SQUARE, 3));
        }
    }
}
