package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.worker.Task;
import dev.procpool.worker.WorkerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** maxTasksPerChild, initializers, and the reaping of every replaced worker. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RecyclingAndInitializerTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static final Task<Integer, Long> PID = x -> ProcessHandle.current().pid();

    /** Set by the initializer in each worker process; tasks read it. */
    static volatile int initializerRuns;
    static volatile String resource;

    @Test
    void oneWorkerWithMaxTasksThreeGivesTheSamePidThreeTimesThenANewOne() {
        try (ProcessPool pool = ProcessPool.builder().workers(1).maxTasksPerChild(3).build()) {
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                pids.add(pool.apply(PID, i));
            }
            assertEquals(pids.get(0), pids.get(1));
            assertEquals(pids.get(0), pids.get(2));
            assertNotEquals(pids.get(2), pids.get(3));
            assertEquals(pids.get(3), pids.get(4));
            assertEquals(pids.get(3), pids.get(5));
            assertNotEquals(pids.get(5), pids.get(6));
        }
    }

    @Test
    void maxTasksCountsChunksOfAMap() {
        try (ProcessPool pool = ProcessPool.builder().workers(1).maxTasksPerChild(2).build()) {
            List<Long> pids = pool.map(PID, IntStream.range(0, 12).boxed().toList(), 3); // 4 chunks of 3
            assertEquals(2, new HashSet<>(pids).size(), "two workers of two chunks each: " + pids);
            assertEquals(pids.get(0), pids.get(5));
            assertNotEquals(pids.get(5), pids.get(6));
        }
    }

    @Test
    void threeWorkersMaxTasksOneSixTasksImmediateCloseAllCorrect() throws Exception {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        ProcessPool pool = audit.track(ProcessPool.builder().workers(3).maxTasksPerChild(1).build());
        for (int i = 0; i < 6; i++) {
            futures.add(pool.applyAsync(x -> x * 10, i));
        }
        pool.close();
        for (int i = 0; i < 6; i++) {
            assertEquals(i * 10, futures.get(i).get(0, TimeUnit.SECONDS), "done when close() returns");
        }
        assertEquals(List.of(), pool.workerPids());
        assertEquals(List.of(), Processes.workerChildren());
    }

    @Test
    void sixteenWorkersOnTwoCoresSumSquares() {
        try (ProcessPool pool = ProcessPool.create(16)) {
            long sum = pool.map(x -> (long) x * x, IntStream.range(0, 1000).boxed().toList())
                    .stream().mapToLong(Long::longValue).sum();
            assertEquals(332833500L, sum);
            assertEquals(16, pool.workerPids().size());
        }
    }

    @Test
    void theInitializerRunsOncePerWorkerProcessAndTasksSeeItsState() {
        try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(5)
                .initializer(() -> {
                    initializerRuns++;
                    resource = "connection of worker " + WorkerContext.current().workerId();
                }).build()) {
            List<String> seen = pool.map(x -> ProcessHandle.current().pid() + " " + initializerRuns + " " + resource,
                    IntStream.range(0, 40).boxed().toList(), 1);
            Map<String, Integer> runsByPid = new HashMap<>();
            for (String line : seen) {
                String[] parts = line.split(" ", 3);
                runsByPid.merge(parts[0], Integer.parseInt(parts[1]), Math::max);
                assertTrue(parts[2].matches("connection of worker [01]"), line);
            }
            assertTrue(runsByPid.size() >= 8, "40 tasks / 5 per child = 8 processes at least: " + runsByPid);
            assertEquals(Set.of(1), new HashSet<>(runsByPid.values()), "once per process: " + runsByPid);
        }
        assertEquals(0, initializerRuns, "the initializer never runs in the supervisor");
    }

    @Test
    void aThrowingInitializerFailsBuildAndLeavesNoProcess() {
        int before = Processes.workerChildren().size();
        WorkerStartException failure = assertThrows(WorkerStartException.class,
                () -> ProcessPool.builder().workers(3).initializer(() -> {
                    throw new IllegalStateException("no database");
                }).build());
        IllegalStateException cause = assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals("no database", cause.getMessage());
        assertEquals(before, Processes.workerChildren().size());
    }

    @Test
    void aWorkerThatCannotStartFailsBuildWithItsStderr() {
        WorkerStartException failure = assertThrows(WorkerStartException.class,
                () -> ProcessPool.builder().workers(2).jvmArgs("-XX:+NoSuchOption").build());
        assertTrue(failure.getMessage().contains("NoSuchOption"), failure.getMessage());
        assertEquals(List.of(), Processes.workerChildren());
    }

    @Test
    void anInitializerThatThrowsInAReplacementBreaksThePoolInsteadOfRespawningForever(@TempDir Path dir)
            throws Exception {
        Path flag = dir.resolve("fail-from-now-on");
        String flagPath = flag.toString();
        ProcessPool pool = ProcessPool.builder().workers(1).maxTasksPerChild(1)
                .initializer(() -> {
                    if (Files.exists(Path.of(flagPath))) {
                        throw new IllegalStateException("replacement cannot start");
                    }
                }).build();
        try {
            Files.createFile(flag);
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.applyAsync(x -> x + 1, i));
            }
            assertEquals(1, futures.get(0).get(60, TimeUnit.SECONDS), "the first worker serves its one task");
            for (CompletableFuture<Integer> pending : futures.subList(1, 3)) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> pending.get(60, TimeUnit.SECONDS));
                WorkerStartException start = assertInstanceOf(WorkerStartException.class, e.getCause());
                assertInstanceOf(IllegalStateException.class, start.getCause());
            }
            RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class,
                    () -> pool.apply(x -> x, 1));
            assertInstanceOf(WorkerStartException.class, rejected.getCause());
            assertTrue(pool.awaitTermination(Duration.ofSeconds(60)), "the broken pool ends by itself");
            assertEquals(List.of(), Processes.workerChildren());
        } finally {
            pool.terminate();
        }
    }

    @Test
    void hundredsOfRecyclesLeaveNoZombieAndNoLeakedDescriptor() throws Exception {
        try (ProcessPool warmup = ProcessPool.builder().workers(2).maxTasksPerChild(1).build()) {
            warmup.map(PID, List.of(1, 2, 3, 4), 1);
        }
        int fdsBefore = Processes.openFileDescriptors();
        Set<Long> pids = new HashSet<>();
        ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(1).build();
        try (pool) {
            pids.addAll(pool.map(PID, IntStream.range(0, 200).boxed().toList(), 1));
            assertEquals(200, pids.size(), "a fresh process for every task");
        }
        // counted once close() has waited for them: the last workers may still be exiting when map() returns
        assertTrue(pool.stats().workersRecycled() >= 198, pool.stats().toString());
        assertEquals(0, pool.stats().workersCrashed());
        for (long pid : pids) {
            Processes.awaitExit(pid, Duration.ofSeconds(10));
        }
        assertEquals(List.of(), Processes.zombieChildren());
        assertEquals(List.of(), Processes.workerChildren());
        int fdsAfter = Processes.openFileDescriptors();
        assertTrue(fdsAfter <= fdsBefore + 4, "file descriptors before " + fdsBefore + ", after " + fdsAfter);
    }

    @Test
    void bigChunksAreWrittenByEachWorkersWriterThreadWhichEndsWithItsWorkerRecycledOrClosed() throws Exception {
        List<Integer> inputs = IntStream.range(0, 100_000).boxed().toList();
        Set<Thread> before = writerThreads();
        try (ProcessPool pool = ProcessPool.builder().workers(2).build()) {
            assertDoubled(inputs, pool.map(x -> x * 2, inputs, 10_000)); // RUNs of 10,000 items: written aside
            Set<Thread> started = writerThreads();
            started.removeAll(before);
            assertFalse(started.isEmpty(), "no worker's big chunks went through its writer thread");
        }
        try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(2).build()) {
            for (int round = 0; round < 3; round++) {
                assertDoubled(inputs, pool.map(x -> x * 2, inputs, 10_000));
            }
            assertTrue(pool.stats().workersRecycled() >= 10, pool.stats().toString());
        }
        Set<Thread> left = writerThreads();
        left.removeAll(before);
        for (Thread thread : left) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(thread.isAlive(), thread.getName() + " outlived its worker");
        }
    }

    private static void assertDoubled(List<Integer> inputs, List<Integer> doubled) {
        assertEquals(inputs.size(), doubled.size());
        for (int i = 0; i < inputs.size(); i += 997) {
            assertEquals(2 * i, doubled.get(i));
        }
        assertEquals(2 * 99_999, doubled.get(99_999));
    }

    private static Set<Thread> writerThreads() {
        Set<Thread> writers = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("procpool-") && thread.getName().endsWith("-writer")) {
                writers.add(thread);
            }
        }
        return writers;
    }
}
