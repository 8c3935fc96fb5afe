package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProcessPool;
import dev.procpool.testing.Checkpoint.Arrival;
import dev.procpool.worker.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * What the fault-injection tests (the {@code *FaultTest} classes) share. Each injects a fault while other tasks are
 * in flight and checks that the faulty task gets the right exception, that every other task completes with the
 * right result and that the pool then serves 100 more tasks; their {@link LeakAudit} checks that no worker, no
 * process a task started, no zombie and no file descriptor is left behind.
 *
 * <p>The tasks that keep a pool busy around a fault ({@link InFlight}) take a millisecond or more, so that the pool
 * sends each worker one chunk at a time; faults inside a worker's pipeline of sub-millisecond tasks are the subject
 * of PipelineFaultTest. No test orders events by sleeping: tasks report to a {@link Checkpoint} when they have
 * started, or hold there until the test releases them, and processes are awaited with {@code onExit()} and a
 * timeout. Only tests of time limits let time pass on purpose ({@link #assertStillRunningFor}).
 */
public final class Faults {
    public static final Duration EXIT_WAIT = LeakAudit.EXIT_WAIT;
    public static final int MIB = 1 << 20;

    private Faults() {
    }

    /** x -> 3x + 1, after sleeping {@code millis}: slow enough that the pool sends it to a worker on its own. */
    public static Task<Integer, Integer> sleepThenCompute(int millis) {
        return x -> {
            Thread.sleep(millis);
            return 3 * x + 1;
        };
    }

    /** x -> 3x + 1, after holding at the checkpoint with the message "workerPid -1" until the test releases it. */
    public static Task<Integer, Integer> holdThenCompute(int port) {
        return x -> {
            Checkpoint.hold(port, ProcessHandle.current().pid() + " -1");
            return 3 * x + 1;
        };
    }

    /** Starts `sleep 1000`, tells the checkpoint "workerPid sleepPid", then hangs until its worker is killed. */
    public static <T> Task<T, Integer> hangWithChild(int port) {
        return x -> {
            long child = Children.startSleep();
            Checkpoint.reach(port, ProcessHandle.current().pid() + " " + child);
            Blocker.blockForever();
            return -1;
        };
    }

    /** Tasks submitted around a fault, each returning 3x + 1 for x = first, first + 1, ... */
    public static final class InFlight {
        private final List<CompletableFuture<Integer>> futures = new ArrayList<>();
        private final int first;

        /** {@code count} tasks of {@link #sleepThenCompute}{@code (millis)}. */
        public InFlight(ProcessPool pool, int first, int count, int millis) {
            this.first = first;
            Task<Integer, Integer> task = sleepThenCompute(millis);
            for (int i = 0; i < count; i++) {
                futures.add(pool.applyAsync(task, first + i));
            }
        }

        public void assertAllCorrect() throws Exception {
            for (int i = 0; i < futures.size(); i++) {
                int x = first + i;
                try {
                    assertEquals(3 * x + 1, futures.get(i).get(60, TimeUnit.SECONDS),
                            "task " + x + " that was in flight during the fault");
                } catch (ExecutionException e) {
                    throw new AssertionError("task " + x + ", in flight during the fault, failed: " + e.getCause(),
                            e.getCause());
                }
            }
        }
    }

    public static void assertServesHundredMore(ProcessPool pool, int chunksize) {
        List<Integer> inputs = IntStream.range(1000, 1100).boxed().toList();
        assertEquals(inputs.stream().map(x -> 3 * x + 1).toList(), pool.map(sleepThenCompute(1), inputs, chunksize),
                "the pool serves 100 more tasks");
    }

    public static void assertServesHundredMore(ProcessPool pool) {
        assertServesHundredMore(pool, 1);
    }

    public static <X extends Throwable> X failureOf(CompletableFuture<?> future, Class<X> type) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS),
                "the faulty task must fail");
        return assertInstanceOf(type, e.getCause(), "the faulty task's failure");
    }

    public static <V> V resultOf(CompletableFuture<V> future, String what) throws Exception {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * For tests of time limits: the task, held at a checkpoint, must neither complete nor fail for {@code period}.
     * This waits out the period on purpose; it orders nothing.
     */
    public static void assertStillRunningFor(CompletableFuture<?> future, Duration period, String why) {
        assertThrows(TimeoutException.class, () -> future.get(period.toMillis(), TimeUnit.MILLISECONDS),
                "the task ended within " + period + ": " + why);
    }

    /** A task's "workerPid childPid" report (childPid -1 for none); both are watched. */
    public static Arrival awaitStarted(Checkpoint checkpoint, LeakAudit audit) throws IOException {
        return watched(checkpoint.awaitMessage(), audit);
    }

    /** As {@link #awaitStarted}, for a task held at the checkpoint: release the arrival. */
    public static Arrival awaitHeld(Checkpoint checkpoint, LeakAudit audit) throws IOException {
        return watched(checkpoint.awaitArrival(), audit);
    }

    private static Arrival watched(Arrival arrival, LeakAudit audit) {
        audit.watch(arrival.field(0), "worker that ran a faulty task");
        if (arrival.field(1) > 0) {
            audit.watch(arrival.field(1), "sleep 1000 started by a task");
        }
        return arrival;
    }

    /**
     * The pids of {@code n} workers serving at the same time: n tasks meet at the checkpoint, so each runs on its own
     * worker. Also proves that replacements are up.
     */
    public static Set<Long> servingPids(ProcessPool pool, Checkpoint checkpoint, int n, LeakAudit audit)
            throws Exception {
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
        assertEquals(n, pids.size(), "n tasks held at once run on n workers: " + pids);
        pids.forEach(pid -> audit.watch(pid, "worker"));
        return pids;
    }

    public static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    public static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    public static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid);
    }
}
