package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.worker.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** shutdown, join, awaitTermination, terminate and close. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LifecycleTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static final Task<Integer, Integer> SLOW_SQUARE = x -> {
        Thread.sleep(20);
        return x * x;
    };

    @Test
    void shutdownFinishesQueuedWorkThenTheWorkersExit() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        List<Long> pids = pool.workerPids();
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(pool.applyAsync(SLOW_SQUARE, i));
        }
        pool.shutdown();
        assertThrows(RejectedExecutionException.class, () -> pool.applyAsync(SLOW_SQUARE, 1));
        assertThrows(RejectedExecutionException.class, () -> pool.map(SLOW_SQUARE, List.of(1)));
        assertThrows(RejectedExecutionException.class, () -> pool.imap(SLOW_SQUARE, List.of(1), 1));
        assertThrows(RejectedExecutionException.class, () -> pool.mapAsync(SLOW_SQUARE, List.of(1), 1));
        pool.join();
        for (int i = 0; i < 50; i++) {
            assertTrue(futures.get(i).isDone());
            assertEquals(i * i, futures.get(i).join());
        }
        assertEquals(List.of(), pool.workerPids());
        for (long pid : pids) {
            assertFalse(Processes.isAlive(pid));
        }
        assertTrue(pool.awaitTermination(Duration.ZERO));
        PoolStats stats = pool.stats();
        assertEquals(new PoolStats(50, 50, 0, 0, 2, 0, 0, 0), stats, "an orderly end is neither crash nor recycle");
        pool.close(); // idempotent
    }

    @Test
    void terminateKillsRunningWorkCancelsTheQueueAndReturnsAtOnce() throws Exception {
        ProcessPool pool = ProcessPool.create(2);
        try (Checkpoint started = new Checkpoint()) {
            int port = started.port();
            Task<Integer, Integer> hang = x -> {
                Checkpoint.reach(port, "started");
                Blocker.blockForever();
                return x;
            };
            List<CompletableFuture<Integer>> running = List.of(pool.applyAsync(hang, 1), pool.applyAsync(hang, 2));
            started.awaitMessage();
            started.awaitMessage();
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                queued.add(pool.applyAsync(hang, i));
            }
            Iterator<Integer> lazy = pool.imap(hang, IntStream.range(0, 100).boxed().toList(), 1);
            List<Long> pids = pool.workerPids();

            long start = System.nanoTime();
            pool.terminate();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1000, "terminate took " + millis + " ms");

            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
            for (CompletableFuture<Integer> future : running) {
                assertThrows(CancellationException.class, () -> future.get(30, TimeUnit.SECONDS));
            }
            for (CompletableFuture<Integer> future : queued) {
                assertTrue(future.isCancelled());
            }
            assertThrows(CancellationException.class, lazy::next);
            for (long pid : pids) {
                assertFalse(Processes.isAlive(pid));
            }
            assertThrows(RejectedExecutionException.class, () -> pool.apply(x -> x, 1));
            assertEquals(List.of(), Processes.zombieChildren());
        } finally {
            pool.terminate();
        }
    }

    @Test
    void awaitTerminationTimesOutWhileWorkRemains() throws Exception {
        try (Checkpoint started = new Checkpoint()) {
            ProcessPool pool = audit.track(ProcessPool.create(1));
            int port = started.port();
            CompletableFuture<Integer> hanging = pool.applyAsync(x -> {
                Checkpoint.reach(port, "started");
                Blocker.blockForever();
                return x;
            }, 1);
            started.awaitMessage();
            pool.shutdown();
            assertFalse(pool.awaitTermination(Duration.ofMillis(200)));
            pool.terminate();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
            assertTrue(hanging.isCancelled());
        }
    }

    @Test
    void closeDrainsTheQueueLikeTryWithResources() {
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        try (ProcessPool pool = ProcessPool.create(2)) {
            for (int i = 0; i < 20; i++) {
                futures.add(pool.applyAsync(SLOW_SQUARE, i));
            }
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(i * i, futures.get(i).getNow(-1));
        }
    }

    @Test
    void waitingOnThePoolFromItsOwnCallbackThreadFailsInsteadOfDeadlocking() throws Exception {
        try (ProcessPool pool = ProcessPool.create(1); Checkpoint gate = new Checkpoint()) {
            int port = gate.port();
            Task<Integer, Integer> held = x -> {
                Checkpoint.hold(port, "held");
                return x;
            };
            // the callbacks are attached before the task can finish, so they run on the pool's result thread
            CompletableFuture<Object> inCallback = pool.applyAsync(held, 1).thenApply(x -> {
                try {
                    return pool.apply(y -> y, 2);
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            gate.awaitArrival().release();
            Object outcome = inCallback.get(60, TimeUnit.SECONDS);
            assertTrue(outcome instanceof IllegalStateException, String.valueOf(outcome));
            CompletableFuture<Object> closing = pool.applyAsync(held, 1).thenApply(x -> {
                try {
                    pool.close();
                    return "closed";
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            gate.awaitArrival().release();
            assertTrue(closing.get(60, TimeUnit.SECONDS) instanceof IllegalStateException);
        }
    }
}
