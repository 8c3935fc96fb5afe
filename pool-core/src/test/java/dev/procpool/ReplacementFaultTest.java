package dev.procpool;

import static dev.procpool.testing.Faults.EXIT_WAIT;
import static dev.procpool.testing.Faults.MIB;
import static dev.procpool.testing.Faults.assertServesHundredMore;
import static dev.procpool.testing.Faults.awaitStarted;
import static dev.procpool.testing.Faults.failureOf;
import static dev.procpool.testing.Faults.hangWithChild;
import static dev.procpool.testing.Faults.sleepThenCompute;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.Faults.InFlight;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.worker.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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

/**
 * Faults (see {@link dev.procpool.testing.Faults}): a worker recycled for its memory, replacements that die at start,
 * and what the counters say after faults.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplacementFaultTest {
    /** Kept by the worker process that runs the leaking task; never touched in the test JVM. */
    static final List<byte[]> LEAK = new ArrayList<>();

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void aLeakingWorkerIsRecycledOverMaxMemoryPerChildAfterDeliveringItsResult() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).maxMemoryPerChild(160L * MIB).build());
        Task<Integer, String> leak = x -> {
            byte[] block = new byte[40 * MIB];
            Arrays.fill(block, (byte) 1); // touched: resident
            LEAK.add(block);
            return x + " " + ProcessHandle.current().pid() + " " + LEAK.size();
        };
        List<CompletableFuture<String>> leaks = new ArrayList<>();
        List<InFlight> others = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            leaks.add(pool.applyAsync(leak, i));
            others.add(new InFlight(pool, 10 * i, 3, 5));
        }
        Map<Long, List<Integer>> leakedByPid = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String[] result = leaks.get(i).get(60, TimeUnit.SECONDS).split(" ");
            assertEquals(i, Integer.parseInt(result[0]));
            long pid = Long.parseLong(result[1]);
            leakedByPid.computeIfAbsent(pid, p -> new ArrayList<>()).add(Integer.parseInt(result[2]));
            audit.watch(pid, "leaking worker");
        }
        for (InFlight batch : others) {
            batch.assertAllCorrect();
        }
        // 12 x 40 MiB over two workers with a 160 MiB limit: some worker must have been replaced, and every
        // worker's leak starts from nothing (a fresh process)
        assertTrue(leakedByPid.size() >= 3, "workers that ran the leaking tasks: " + leakedByPid);
        for (List<Integer> sizes : leakedByPid.values()) {
            assertEquals(IntStream.rangeClosed(1, sizes.size()).boxed().toList(), sizes, leakedByPid.toString());
        }
        assertServesHundredMore(pool);
        pool.close();
        PoolStats stats = pool.stats();
        assertTrue(stats.workersRecycled() >= leakedByPid.size() - 2, stats + " " + leakedByPid);
        assertEquals(0, stats.workersKilled(), stats.toString());
        assertEquals(stats.submitted(), stats.completed(), "every result was delivered: " + stats);
    }

    @Test
    void replacementsThatDieAtStartBreakThePoolAfterABoundedNumberOfTries(@TempDir Path dir) throws Exception {
        String flag = dir.resolve("die-at-start").toString();
        String attempts = dir.resolve("attempts").toString();
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).maxTasksPerChild(1)
                .initializer(() -> {
                    if (Files.exists(Path.of(flag))) {
                        Files.writeString(Path.of(attempts), ProcessHandle.current().pid() + "\n",
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        System.err.println("crash-loop: this worker refuses to start");
                        Runtime.getRuntime().halt(1);
                    }
                }).build());
        List<Long> original = pool.workerPids();
        Files.createFile(Path.of(flag)); // from now on every replacement dies in its initializer
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        Task<Integer, Integer> task = sleepThenCompute(20);
        for (int i = 0; i < 10; i++) {
            futures.add(pool.applyAsync(task, i));
        }
        // the two workers started before the flag serve one task each; the rest waits for replacements that die
        Set<Integer> served = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            try {
                assertEquals(3 * i + 1, futures.get(i).get(60, TimeUnit.SECONDS));
                served.add(i);
            } catch (ExecutionException e) {
                WorkerStartException start = assertInstanceOf(WorkerStartException.class, e.getCause());
                assertTrue(start.getMessage().contains("crash-loop: this worker refuses to start"),
                        "the message has the worker's stderr: " + start.getMessage());
            }
        }
        assertEquals(Set.of(0, 1), served);
        RejectedExecutionException rejected = assertThrows(RejectedExecutionException.class,
                () -> pool.applyAsync(task, 0));
        assertInstanceOf(WorkerStartException.class, rejected.getCause());
        assertTrue(pool.awaitTermination(Duration.ofSeconds(60)), "the broken pool ends by itself");
        List<String> tries = Files.readAllLines(Path.of(attempts));
        assertTrue(tries.size() >= 2 && tries.size() <= 8, "replacements started: " + tries);
        for (long pid : original) {
            Processes.awaitExit(pid, EXIT_WAIT);
        }
        for (String pid : tries) {
            Processes.awaitExit(Long.parseLong(pid), EXIT_WAIT);
        }
        assertEquals(List.of(), Processes.workerChildren());
        assertEquals(tries, Files.readAllLines(Path.of(attempts)), "no replacement after the pool ended");
    }

    @Test
    void everySubmittedItemIsCountedAsCompletedOrFailed() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).taskTimeout(Duration.ofSeconds(1)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            InFlight others = new InFlight(pool, 0, 10, 5);
            CompletableFuture<Integer> halted = pool.applyAsync(x -> {
                Runtime.getRuntime().halt(3);
                return x;
            }, 0);
            CompletableFuture<Integer> timedOut = pool.applyAsync(x -> {
                Blocker.blockForever();
                return x;
            }, 0);
            CompletableFuture<Integer> cancelled = pool.applyAsync(hangWithChild(checkpoint.port()), 0,
                    Duration.ofSeconds(60));
            awaitStarted(checkpoint, audit);
            assertTrue(cancelled.cancel(true));
            CompletableFuture<Integer> thrown = pool.applyAsync(x -> {
                throw new IllegalStateException("boom");
            }, 0);
            failureOf(halted, WorkerCrashedException.class);
            failureOf(timedOut, TaskTimeoutException.class);
            failureOf(thrown, IllegalStateException.class);
            others.assertAllCorrect();
            pool.close();
            PoolStats stats = pool.stats();
            assertEquals(14, stats.submitted(), stats.toString());
            assertEquals(10, stats.completed(), stats.toString());
            assertEquals(4, stats.failed(), "halt, timeout, cancellation and exception: " + stats);
            assertEquals(1, stats.workersCrashed(), "the halt: " + stats);
            assertEquals(2, stats.workersKilled(), "the timeout and the cancellation: " + stats);
        }
    }

    @Test
    void closingAPoolCountsNoCrash() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        assertServesHundredMore(pool);
        pool.close();
        assertEquals(0, pool.stats().workersCrashed(), pool.stats().toString());
        assertEquals(0, pool.stats().workersKilled(), pool.stats().toString());
    }
}
