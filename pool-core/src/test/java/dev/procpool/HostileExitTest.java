package dev.procpool;

import static dev.procpool.testing.Faults.servingPids;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Await;
import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.InFlight;
import dev.procpool.testing.ProcessWatch;
import dev.procpool.testing.Processes;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9, defect 4: a task installs a shutdown hook that never ends. A worker told to exit (pool closed, worker
 * retired) must be gone within a bounded grace period whatever its hooks do: close() returns, retired workers do not
 * pile up, and workerPids() lists only serving workers. The grace period is the pool's to choose and document (a few
 * seconds); these tests only bound it generously.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileExitTest {
    /** Generous upper bound of the grace period plus reaping, on a loaded machine. */
    private static final Duration GRACE_BOUND = Duration.ofSeconds(30);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** Blocks forever without spinning, and ignores interrupts, as a hostile hook may. */
    static void blockForeverIgnoringInterrupts() {
        while (true) {
            try {
                Blocker.blockForever();
            } catch (InterruptedException e) {
                // a hook that will not be stopped
            }
        }
    }

    /** Installs a never-ending shutdown hook in its worker and returns the worker's pid. */
    static final Task<Integer, Long> INSTALL_NEVER_ENDING_HOOK = x -> {
        Runtime.getRuntime().addShutdownHook(new Thread(HostileExitTest::blockForeverIgnoringInterrupts,
                "never-ending-hook-" + x));
        return ProcessHandle.current().pid();
    };

    @Test
    void closeReturnsWithinTheGracePeriodWhenAWorkerHasANeverEndingShutdownHook() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        InFlight before = new InFlight(pool, 0, 10, 5);
        CompletableFuture<Long> hook = pool.applyAsync(INSTALL_NEVER_ENDING_HOOK, 0);
        InFlight after = new InFlight(pool, 100, 10, 5);
        long hooked = Await.resultOf(hook, "the task installing the hook");
        audit.watch(hooked, "the worker with a never-ending shutdown hook");
        List<Long> workers = pool.workerPids();
        assertTrue(workers.contains(hooked), "it serves until the pool closes: " + workers);
        InFlight queued = new InFlight(pool, 200, 10, 5); // queued when close() is called: drained first

        Await.closeWithin(pool, GRACE_BOUND);
        before.assertAllCorrect();
        after.assertAllCorrect();
        queued.assertAllCorrect();
        assertEquals(List.of(), pool.workerPids());
        for (long pid : workers) {
            Processes.awaitExit(pid, Duration.ofSeconds(5)); // close() returned: they are gone already
        }
    }

    @Test
    void retiredWorkersWithNeverEndingHooksAreGoneWithinTheGracePeriodAndCounted() throws Exception {
        int hooks = 4;
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).maxTasksPerChild(1).build());
        List<CompletableFuture<Long>> hookFutures = new ArrayList<>();
        List<InFlight> others = new ArrayList<>();
        for (int i = 0; i < hooks; i++) {
            hookFutures.add(pool.applyAsync(INSTALL_NEVER_ENDING_HOOK, i));
            others.add(new InFlight(pool, 10 * i, 1, 5));
        }
        ProcessWatch retired = new ProcessWatch();
        Set<Long> hooked = new HashSet<>();
        for (CompletableFuture<Long> future : hookFutures) {
            long pid = Await.resultOf(future, "a task installing a hook");
            hooked.add(pid);
            retired.add(pid, "retired worker with a never-ending shutdown hook");
            audit.watch(pid, "retired worker with a never-ending shutdown hook");
        }
        assertEquals(hooks, hooked.size(), "maxTasksPerChild(1): each task on a worker of its own: " + hooked);
        for (InFlight batch : others) {
            batch.assertAllCorrect();
        }

        List<Long> listed = pool.workerPids();
        assertAll(
                () -> assertTrue(listed.size() <= 2, "workerPids() lists more than the 2 workers: " + listed),
                () -> assertTrue(Collections.disjoint(listed, hooked),
                        "workerPids() " + listed + " lists retired workers " + hooked),
                () -> retired.assertAllExit(GRACE_BOUND)); // every retired worker is gone within the grace period

        InFlight.assertServes(pool, 6); // replacements serve
        assertTrue(Collections.disjoint(pool.workerPids(), hooked), pool.workerPids().toString());
        Await.closeWithin(pool, GRACE_BOUND);
        PoolStats stats = pool.stats();
        assertTrue(stats.workersRecycled() >= hooks, "each retired worker counts as recycled: " + stats);
        assertEquals(0, stats.workersKilled(), "nothing was cancelled or timed out: " + stats);
    }

    /**
     * Not in the list, a sibling: System.exit() in a task whose worker has a never-ending hook. The JVM
     * blocks in the hook with its heartbeat going on; today the task is never answered. Wanted: the worker is gone
     * within the grace period, the task fails with WorkerCrashedException, the pool serves on.
     */
    @Test
    void systemExitWithANeverEndingHookFailsTheTaskAsACrashWithinTheGracePeriod() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            InFlight before = new InFlight(pool, 0, 10, 5);
            CompletableFuture<Integer> exiting = pool.applyAsync(x -> {
                INSTALL_NEVER_ENDING_HOOK.apply(x);
                Checkpoint.reach(port, Long.toString(ProcessHandle.current().pid()));
                System.exit(3);
                return x;
            }, 0);
            InFlight after = new InFlight(pool, 100, 10, 5);
            long pid = checkpoint.awaitMessage().field(0);
            audit.watch(pid, "the worker that called System.exit with a never-ending hook");

            WorkerCrashedException crash = Await.failureOf(exiting, WorkerCrashedException.class,
                    "the task calling System.exit");
            assertEquals(pid, crash.pid());
            Processes.awaitExit(pid, GRACE_BOUND);
            before.assertAllCorrect();
            after.assertAllCorrect();
            Set<Long> serving = servingPids(pool, checkpoint, 2, audit);
            assertFalse(serving.contains(pid), serving.toString());
            InFlight.assertServes(pool, 40);
            Await.closeWithin(pool, GRACE_BOUND);
        }
    }
}
