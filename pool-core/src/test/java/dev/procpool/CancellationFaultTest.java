package dev.procpool;

import static dev.procpool.testing.Faults.EXIT_WAIT;
import static dev.procpool.testing.Faults.assertServesHundredMore;
import static dev.procpool.testing.Faults.awaitStarted;
import static dev.procpool.testing.Faults.fileNames;
import static dev.procpool.testing.Faults.hangWithChild;
import static dev.procpool.testing.Faults.servingPids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.Checkpoint.Arrival;
import dev.procpool.testing.Children;
import dev.procpool.testing.Faults.InFlight;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults (see {@link dev.procpool.testing.Faults}): the caller cancels a running task, queued tasks, a mapAsync.
 * Cancelling tasks sent ahead to a busy worker is in PipelineFaultTest.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CancellationFaultTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void cancellingARunningTaskKillsAndReplacesItsWorkerAndChild() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        try (Checkpoint checkpoint = new Checkpoint()) {
            CompletableFuture<Integer> running = pool.applyAsync(hangWithChild(checkpoint.port()), 0);
            Arrival started = awaitStarted(checkpoint, audit);
            InFlight others = new InFlight(pool, 0, 20, 20);

            assertTrue(running.cancel(true));
            assertTrue(running.isCancelled());
            assertThrows(CancellationException.class, running::join);
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            others.assertAllCorrect();

            // the replacement serves (and was started by the same bookkeeping step that counted the kill)
            Set<Long> serving = servingPids(pool, checkpoint, 2, audit);
            assertFalse(serving.contains(started.field(0)));
            PoolStats stats = pool.stats();
            assertEquals(1, stats.workersKilled(), stats.toString());
            assertEquals(0, stats.workersCrashed(), stats.toString());
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    @Test
    void cancelledQueuedTasksNeverRun(@TempDir Path dir) throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(1)); // fresh: its worker is sent one chunk at a time
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            String marks = dir.toString();
            long pid = pool.workerPids().get(0);
            CompletableFuture<Long> blocker = pool.applyAsync(x -> {
                Checkpoint.hold(port, ProcessHandle.current().pid() + " blocker");
                return ProcessHandle.current().pid();
            }, 0);
            List<CompletableFuture<Integer>> cancelled = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                cancelled.add(pool.applyAsync(x -> {
                    Files.createFile(Path.of(marks, "ran-" + x));
                    return x;
                }, i));
            }
            InFlight others = new InFlight(pool, 0, 10, 1);
            try (Arrival blocking = checkpoint.awaitArrival()) {
                assertEquals(pid, blocking.field(0));
                for (CompletableFuture<Integer> future : cancelled) {
                    assertTrue(future.cancel(true));
                }
                blocking.release();
            }
            assertEquals(pid, blocker.get(60, TimeUnit.SECONDS));
            others.assertAllCorrect();
            for (CompletableFuture<Integer> future : cancelled) {
                assertThrows(CancellationException.class, future::join);
            }
            assertServesHundredMore(pool);
            assertEquals(List.of(pid), pool.workerPids(), "cancelling queued tasks kills no worker");
            assertEquals(0, pool.stats().workersKilled(), pool.stats().toString());
            pool.close();
            assertEquals(Set.of(), fileNames(dir), "cancelled tasks ran");
            PoolStats stats = pool.stats();
            assertEquals(1 + 10 + 100, stats.completed(), "the blocker, the others and 100 more: " + stats);
            assertEquals(5, stats.failed(), "the cancelled tasks: " + stats);
        }
    }

    @Test
    void cancellingAMapAsyncCancelsItsRemainingItems(@TempDir Path dir) throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2)); // fresh: each worker is sent one chunk at a time
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            String marks = dir.toString();
            CompletableFuture<List<Integer>> map = pool.mapAsync(x -> {
                Files.createFile(Path.of(marks, "item-" + x));
                if (x < 2) {
                    long child = Children.startSleep();
                    Checkpoint.reach(port, ProcessHandle.current().pid() + " " + child);
                    Blocker.blockForever();
                }
                return x;
            }, IntStream.range(0, 30).boxed().toList(), 1);
            Arrival first = awaitStarted(checkpoint, audit);
            Arrival second = awaitStarted(checkpoint, audit);
            InFlight others = new InFlight(pool, 0, 20, 10); // queued behind the map's 28 waiting items

            assertTrue(map.cancel(true));
            assertThrows(CancellationException.class, map::join);
            others.assertAllCorrect();
            for (Arrival running : List.of(first, second)) {
                Processes.awaitExit(running.field(0), EXIT_WAIT);
                Processes.awaitExit(running.field(1), EXIT_WAIT);
            }
            assertServesHundredMore(pool);
            pool.close();
            assertEquals(Set.of("item-0", "item-1"), fileNames(dir),
                    "only the two items running when the map was cancelled ran");
            assertEquals(2, pool.stats().workersKilled(), pool.stats().toString());
        }
    }
}
