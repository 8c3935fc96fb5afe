package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProcessPool;
import dev.procpool.testing.Checkpoint.Arrival;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The pools a test started and the worker processes it saw. {@link #assertNothingLeft()}, called from
 * {@code @AfterEach}, terminates every pool (a no-op for one the test closed; the end of one a failed test left
 * hanging) and fails when a worker, a watched process or a zombie child remains.
 */
public final class TrackedPools {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(20);

    private final List<ProcessPool> pools = new ArrayList<>();
    private final ProcessWatch watch = new ProcessWatch();

    public ProcessPool track(ProcessPool pool) {
        pools.add(pool);
        pool.workerPids().forEach(pid -> watch.add(pid, "worker"));
        return pool;
    }

    /** A process (a worker a task reported, say) that must be gone at the end of the test. */
    public void watch(long pid, String what) {
        watch.add(pid, what);
    }

    /**
     * The pids of {@code n} workers serving at the same time: n tasks are held at the checkpoint together, so each
     * runs on a worker of its own. Proves that replacements are up and serve; the pids are watched.
     */
    public Set<Long> servingPids(ProcessPool pool, Checkpoint checkpoint, int n) throws Exception {
        int port = checkpoint.port();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.applyAsync(x -> {
                long pid = ProcessHandle.current().pid();
                Checkpoint.hold(port, pid + " serving");
                return pid;
            }, i));
        }
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            arrivals.add(checkpoint.awaitArrival());
        }
        Set<Long> pids = new HashSet<>();
        for (Arrival arrival : arrivals) {
            pids.add(arrival.field(0));
            arrival.release();
        }
        for (CompletableFuture<Long> future : futures) {
            assertTrue(pids.contains(Await.resultOf(future, "a task held at the checkpoint")));
        }
        assertEquals(n, pids.size(), n + " tasks held at once run on " + n + " workers: " + pids);
        pids.forEach(pid -> watch.add(pid, "worker"));
        return pids;
    }

    public void assertNothingLeft() throws Exception {
        for (ProcessPool pool : pools) {
            pool.terminate();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), "the pool ends after terminate()");
        }
        watch.assertAllExit(EXIT_WAIT);
        assertEquals(List.of(), Processes.workerChildren().stream().map(ProcessHandle::pid).toList(),
                "worker processes left behind");
        assertEquals(List.of(), Processes.zombieChildren(), "zombie children");
    }
}
