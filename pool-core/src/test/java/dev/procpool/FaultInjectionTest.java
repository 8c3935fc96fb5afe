package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Children;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.Checkpoint.Arrival;
import dev.procpool.testing.ProcessWatch;
import dev.procpool.testing.Processes;
import dev.procpool.testing.SupervisorMain;
import dev.procpool.worker.Task;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fault injection (issue 3). Each fault is injected while other tasks are in flight, and each test checks that the
 * faulty task gets the right exception, that every other task completes with the right result and that the pool
 * then serves 100 more tasks. After every test ({@link #nothingIsLeftBehind}) no worker, no process a task started,
 * no zombie child and no extra file descriptor may remain.
 *
 * <p>The tasks that keep the pool busy around a fault take a millisecond or more, on purpose: the pool then sends a
 * worker one chunk at a time. With a pipeline of sub-millisecond tasks a fault can be blamed on the wrong task; the
 * disabled tests at the end ("bug: ...") show that.
 *
 * <p>No test waits by sleeping: tasks report to a {@link Checkpoint} (a loopback socket) when they have started, and
 * processes are awaited with {@code onExit()} and a timeout.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultInjectionTest {
    private static final Duration EXIT_WAIT = Duration.ofSeconds(20);
    private static final int FD_SLACK = 2;
    private static final int MIB = 1 << 20;

    /** Kept by the worker process that runs the leaking task; never touched in the test JVM. */
    static final List<byte[]> LEAK = new ArrayList<>();

    private final List<ProcessPool> pools = new ArrayList<>();
    private final ProcessWatch watch = new ProcessWatch();
    private int fdsBefore;

    /** x -> 3x + 1, after sleeping {@code millis} (so that it is in flight for a while). */
    static Task<Integer, Integer> sleepThenCompute(int millis) {
        return x -> {
            Thread.sleep(millis);
            return 3 * x + 1;
        };
    }

    /** Starts `sleep 1000`, tells the checkpoint "workerPid sleepPid", then hangs until its worker is killed. */
    static <T> Task<T, Integer> hangWithChild(int port) {
        return x -> {
            long child = Children.startSleep();
            Checkpoint.reach(port, ProcessHandle.current().pid() + " " + child);
            Blocker.blockForever();
            return -1;
        };
    }

    /**
     * Loads once what the tests use in this JVM (pool threads, Commons Exec, Kryo, sockets, ProcessHandle), so that
     * the file descriptors counted before and after each test compare like with like.
     */
    @BeforeAll
    static void warmUp() throws Exception {
        try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(3)
                .taskTimeout(Duration.ofSeconds(30)).build(); Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            CompletableFuture<Integer> child = pool.applyAsync(x -> {
                long pid = Children.startSleep();
                Checkpoint.reach(port, ProcessHandle.current().pid() + " " + pid);
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                return x;
            }, 1);
            Arrival arrival = checkpoint.awaitMessage();
            assertEquals(1, child.get(60, TimeUnit.SECONDS));
            Processes.awaitExit(arrival.field(1), EXIT_WAIT);
            pool.map(sleepThenCompute(1), IntStream.range(0, 20).boxed().toList(), 1);
        }
        Processes.zombieChildren();
    }

    @BeforeEach
    void countFileDescriptors() throws IOException {
        fdsBefore = Processes.openFileDescriptors();
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        for (ProcessPool pool : pools) {
            pool.terminate(); // a no-op for pools the test closed; ends those of a failed test at once
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), "the pool ends after terminate()");
        }
        watch.assertAllExit(EXIT_WAIT);
        assertEquals(List.of(), Processes.workerChildren().stream().map(ProcessHandle::pid).toList(),
                "worker processes left behind");
        assertEquals(List.of(), Processes.zombieChildren(), "zombie children");
        int fdsAfter = Processes.openFileDescriptors();
        assertTrue(fdsAfter <= fdsBefore + FD_SLACK,
                "open file descriptors: " + fdsBefore + " before the test, " + fdsAfter + " after");
    }

    // ---- helpers ----

    private ProcessPool track(ProcessPool pool) {
        pools.add(pool);
        pool.workerPids().forEach(pid -> watch.add(pid, "worker"));
        return pool;
    }

    /** Tasks submitted around a fault, each sleeping then returning 3x + 1 for x = first, first + 1, ... */
    private static final class InFlight {
        private final List<CompletableFuture<Integer>> futures = new ArrayList<>();
        private final int first;

        InFlight(ProcessPool pool, int first, int count, int millis) {
            this.first = first;
            Task<Integer, Integer> task = sleepThenCompute(millis);
            for (int i = 0; i < count; i++) {
                futures.add(pool.applyAsync(task, first + i));
            }
        }

        void assertAllCorrect() throws Exception {
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

    private static void assertServesHundredMore(ProcessPool pool, int chunksize) {
        List<Integer> inputs = IntStream.range(1000, 1100).boxed().toList();
        assertEquals(inputs.stream().map(x -> 3 * x + 1).toList(), pool.map(sleepThenCompute(1), inputs, chunksize),
                "the pool serves 100 more tasks");
    }

    private static void assertServesHundredMore(ProcessPool pool) {
        assertServesHundredMore(pool, 1);
    }

    private static <X extends Throwable> X failureOf(CompletableFuture<?> future, Class<X> type) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS),
                "the faulty task must fail");
        return assertInstanceOf(type, e.getCause(), "the faulty task's failure");
    }

    /** A task's "workerPid childPid" report (childPid -1 for none); both are watched. */
    private Arrival awaitStarted(Checkpoint checkpoint) throws IOException {
        Arrival arrival = checkpoint.awaitMessage();
        watch.add(arrival.field(0), "worker that ran a faulty task");
        if (arrival.field(1) > 0) {
            watch.add(arrival.field(1), "sleep 1000 started by a task");
        }
        return arrival;
    }

    /**
     * The pids of {@code n} workers serving at the same time: n tasks meet at the checkpoint, so each runs on its own
     * worker. Also proves that replacements are up.
     */
    private Set<Long> servingPids(ProcessPool pool, Checkpoint checkpoint, int n) throws Exception {
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
            assertTrue(pids.contains(future.get(60, TimeUnit.SECONDS)));
        }
        assertEquals(n, pids.size(), "n tasks held at once run on n workers: " + pids);
        pids.forEach(pid -> watch.add(pid, "worker"));
        return pids;
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    private static Set<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -" + signal + " " + pid);
    }

    // ---- task timeouts ----

    @Test
    void aTaskPastTheTaskTimeoutFailsAndItsWorkerAndChildAreKilledAndReplaced() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(2).taskTimeout(Duration.ofSeconds(2)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            List<Long> original = pool.workerPids();
            long submitted = System.nanoTime();
            CompletableFuture<Integer> hanging = pool.applyAsync(hangWithChild(checkpoint.port()), 0);
            Arrival started = awaitStarted(checkpoint);
            long workerPid = started.field(0);
            assertTrue(original.contains(workerPid));
            InFlight others = new InFlight(pool, 0, 30, 100); // 3 s of work: in flight when the deadline passes

            TaskTimeoutException timeout = failureOf(hanging, TaskTimeoutException.class);
            long waited = millisSince(submitted);
            assertEquals(Duration.ofSeconds(2), timeout.timeout());
            assertTrue(waited >= 2000, "failed " + waited + " ms after submission, before its timeout");
            assertTrue(timeout.getMessage().contains("pid " + workerPid), timeout.getMessage());
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            assertEquals(0, pool.stats().workersCrashed(), pool.stats().toString());
            Processes.awaitExit(workerPid, EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            others.assertAllCorrect();

            Set<Long> serving = servingPids(pool, checkpoint, 2);
            assertFalse(serving.contains(workerPid), "the killed worker still serves: " + serving);
            Set<Long> survivor = new HashSet<>(original);
            survivor.remove(workerPid);
            assertTrue(serving.containsAll(survivor), "the other worker was left alone: " + serving);
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    @Test
    void aPerCallTimeoutReplacesThePoolsOwnInBothDirections() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(1).taskTimeout(Duration.ofSeconds(2)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            CompletableFuture<String> longerAllowed = pool.applyAsync(x -> {
                Thread.sleep(3000); // longer than the pool's 2 s, within its own 60 s
                return "slow " + x;
            }, 1, Duration.ofSeconds(60));
            InFlight before = new InFlight(pool, 0, 10, 1);
            CompletableFuture<Integer> shorter = pool.applyAsync(hangWithChild(checkpoint.port()), 0, Duration.ofSeconds(1));
            InFlight after = new InFlight(pool, 10, 10, 1); // queued behind the hanging task: run on the replacement

            assertEquals("slow 1", longerAllowed.get(60, TimeUnit.SECONDS));
            Arrival started = awaitStarted(checkpoint);
            TaskTimeoutException timeout = failureOf(shorter, TaskTimeoutException.class);
            assertEquals(Duration.ofSeconds(1), timeout.timeout());
            before.assertAllCorrect();
            after.assertAllCorrect();
            long next = pool.apply(x -> ProcessHandle.current().pid(), 0);
            assertNotEquals(started.field(0), next, "the next task runs on a fresh worker");
            watch.add(next, "replacement worker");
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    @Test
    void aMapChunkOfNInputsGetsNTimesTheTimeout() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(2).taskTimeout(Duration.ofSeconds(1)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            // three inputs of 0.45 s: 1.35 s for the chunk, more than one input's 1 s, within 3 x 1 s
            assertEquals(List.of(0, 1, 2), pool.map(x -> {
                Thread.sleep(450);
                return x;
            }, List.of(0, 1, 2), 3));

            int port = checkpoint.port();
            Task<Integer, Integer> hangOnFive = x -> {
                if (x == 5) {
                    long child = Children.startSleep();
                    Checkpoint.reach(port, ProcessHandle.current().pid() + " " + child);
                    Blocker.blockForever();
                }
                Thread.sleep(10);
                return x;
            };
            long start = System.nanoTime();
            TaskFailedException failure = assertThrows(TaskFailedException.class,
                    () -> pool.map(hangOnFive, IntStream.range(0, 12).boxed().toList(), 3));
            long waited = millisSince(start);
            Arrival started = awaitStarted(checkpoint);
            assertEquals(3, failure.index(), "the first input of the chunk [3, 4, 5]");
            TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, failure.getCause());
            assertEquals(Duration.ofSeconds(3), timeout.timeout(), "3 inputs x 1 s");
            assertTrue(waited >= 3000, "the chunk was killed after " + waited + " ms");
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    // ---- cancellation ----

    @Test
    void cancellingARunningTaskKillsAndReplacesItsWorkerAndChild() throws Exception {
        ProcessPool pool = track(ProcessPool.create(2));
        try (Checkpoint checkpoint = new Checkpoint()) {
            CompletableFuture<Integer> running = pool.applyAsync(hangWithChild(checkpoint.port()), 0);
            Arrival started = awaitStarted(checkpoint);
            InFlight others = new InFlight(pool, 0, 20, 20);

            assertTrue(running.cancel(true));
            assertTrue(running.isCancelled());
            assertThrows(CancellationException.class, running::join);
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            others.assertAllCorrect();

            // the replacement serves (and was started by the same bookkeeping step that counted the kill)
            Set<Long> serving = servingPids(pool, checkpoint, 2);
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
        ProcessPool pool = track(ProcessPool.create(1)); // fresh: its worker is sent one chunk at a time
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
        ProcessPool pool = track(ProcessPool.create(2)); // fresh: each worker is sent one chunk at a time
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
            Arrival first = awaitStarted(checkpoint);
            Arrival second = awaitStarted(checkpoint);
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

    // ---- memory ----

    @Test
    void aLeakingWorkerIsRecycledOverMaxMemoryPerChildAfterDeliveringItsResult() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(2).maxMemoryPerChild(160L * MIB).build());
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
            watch.add(pid, "leaking worker");
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

    // ---- heartbeats ----

    @Test
    void aStoppedWorkerIsKilledForItsSilenceWhileHealthyIdleAndBusyWorkersLiveOn() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(3).heartbeatTimeout(Duration.ofSeconds(2)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            List<Long> original = pool.workerPids();
            CompletableFuture<Integer> toStop = pool.applyAsync(hangWithChild(port), 0);
            Arrival stopped = awaitStarted(checkpoint);
            CompletableFuture<Long> busy = pool.applyAsync(x -> {
                Checkpoint.reach(port, ProcessHandle.current().pid() + " -1");
                Thread.sleep(5000); // 2.5 times the heartbeat timeout, heartbeats going on meanwhile
                return ProcessHandle.current().pid();
            }, 1);
            long busyPid = awaitStarted(checkpoint).field(0);
            long stoppedPid = stopped.field(0);
            Set<Long> idle = new HashSet<>(original);
            idle.removeAll(List.of(stoppedPid, busyPid));
            assertEquals(1, idle.size(), original + " " + stoppedPid + " " + busyPid);
            long idlePid = idle.iterator().next();
            InFlight others = new InFlight(pool, 0, 20, 10); // on the third worker, idle again afterwards

            signal("STOP", stoppedPid);
            WorkerCrashedException silent = failureOf(toStop, WorkerCrashedException.class);
            assertTrue(silent.getMessage().contains("sent no heartbeat"), silent.getMessage());
            assertEquals(stoppedPid, silent.pid());
            assertTrue(pool.workerPids().contains(idlePid), "the idle worker is still serving");
            assertTrue(Processes.isAlive(idlePid));
            Processes.awaitExit(stoppedPid, EXIT_WAIT);
            Processes.awaitExit(stopped.field(1), EXIT_WAIT);
            assertEquals(busyPid, busy.get(60, TimeUnit.SECONDS), "the busy worker's long task completes");
            others.assertAllCorrect();
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            assertServesHundredMore(pool);
            assertTrue(pool.workerPids().containsAll(List.of(idlePid, busyPid)), "healthy workers were not killed: "
                    + pool.workerPids());
            pool.close();
        }
    }

    // ---- the supervisor JVM is signalled ----

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
                workers.forEach(pid -> watch.add(pid, "worker of the child supervisor"));
                Arrival first = awaitStarted(checkpoint);
                Arrival second = awaitStarted(checkpoint);
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

    // ---- what a task started dies with its worker ----

    enum Ending { RECYCLED, SYSTEM_EXIT, HALT, TERMINATED }

    @ParameterizedTest
    @EnumSource(Ending.class)
    void aSleepATaskStartedDiesWithItsWorker(Ending ending) throws Exception {
        ProcessPool.Builder builder = ProcessPool.builder().workers(2);
        if (ending == Ending.RECYCLED) {
            builder.maxTasksPerChild(1);
        }
        ProcessPool pool = track(builder.build());
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
            Arrival started = awaitStarted(checkpoint);
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
        ProcessPool pool = track(ProcessPool.create(2));
        try (Checkpoint checkpoint = new Checkpoint()) {
            InFlight before = new InFlight(pool, 0, 10, 20);
            CompletableFuture<Integer> faulty = pool.applyAsync(orphanSleepThen(checkpoint.port()), 1);
            InFlight after = new InFlight(pool, 100, 10, 20);
            Arrival started = awaitStarted(checkpoint);
            assertEquals(4, failureOf(faulty, WorkerCrashedException.class).exitCode());
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT); // no longer a descendant, still in the worker's group
            before.assertAllCorrect();
            after.assertAllCorrect();
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    // ---- protocol corruption ----

    enum Garbage {
        SMALL(16), LARGE(100 * 1024);

        final int bytes;

        Garbage(int bytes) {
            this.bytes = bytes;
        }
    }

    @ParameterizedTest
    @EnumSource(Garbage.class)
    void aTaskWritingNonFramesToFdOneCostsItsWorkerAndTheMessageShowsTheBytes(Garbage garbage) throws Exception {
        ProcessPool pool = track(ProcessPool.create(2));
        List<Long> original = pool.workerPids();
        int size = garbage.bytes;
        InFlight before = new InFlight(pool, 0, 20, 10);
        CompletableFuture<Integer> corrupting = pool.applyAsync(x -> {
            byte[] bytes = new byte[size];
            Arrays.fill(bytes, (byte) 'Z');
            byte[] start = "NOT-A-FRAME:".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(start, 0, bytes, 0, start.length);
            FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out); // never closed: fd 1 stays open
            fd1.write(bytes);
            fd1.flush();
            return x; // a result after the garbage: must not be taken for this task's result
        }, 7);
        InFlight after = new InFlight(pool, 100, 20, 10);

        WorkerCrashedException crash = failureOf(corrupting, WorkerCrashedException.class);
        assertTrue(crash.getMessage().contains("NOT-A-FRAME:ZZZ"), "the message shows the first bytes: "
                + crash.getMessage());
        assertTrue(original.contains(crash.pid()));
        Processes.awaitExit(crash.pid(), EXIT_WAIT);
        before.assertAllCorrect();
        after.assertAllCorrect();
        assertEquals(1, pool.stats().workersCrashed(), pool.stats().toString());
        assertServesHundredMore(pool);
        assertFalse(pool.workerPids().contains(crash.pid()));
        pool.close();
    }

    // ---- oversized frames ----

    /** An object of any size whose class name the error messages must show. */
    static final class Blob {
        final byte[] data;

        Blob(int size) {
            data = new byte[size];
        }
    }

    @Test
    void inputsAndResultsOverMaxFrameBytesFailWithSerializationExceptionAndTheWorkerServesOn() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(2).maxFrameBytes(64 * 1024).build());
        Set<Long> original = Set.copyOf(pool.workerPids());
        InFlight before = new InFlight(pool, 0, 20, 10);
        CompletableFuture<Integer> bigInput = pool.applyAsync(blob -> blob.data.length, new Blob(MIB));
        CompletableFuture<Blob> bigResult = pool.applyAsync(Blob::new, MIB);
        CompletableFuture<Integer> fits = pool.applyAsync(blob -> blob.data.length, new Blob(60 * 1024));
        InFlight after = new InFlight(pool, 100, 20, 10);

        for (CompletableFuture<?> tooBig : List.of(bigInput, bigResult)) {
            SerializationException failure = failureOf(tooBig, SerializationException.class);
            assertTrue(failure.getMessage().contains(Blob.class.getName()), "names the class: " + failure.getMessage());
            assertTrue(failure.getMessage().contains("65536"), "names the limit: " + failure.getMessage());
        }
        assertEquals(60 * 1024, fits.get(60, TimeUnit.SECONDS), "a message under the limit goes through");
        TaskFailedException inMap = assertThrows(TaskFailedException.class, () -> pool.map(blob -> blob.data.length,
                List.of(new Blob(10), new Blob(MIB), new Blob(10)), 1));
        assertEquals(1, inMap.index());
        assertInstanceOf(SerializationException.class, inMap.getCause());
        before.assertAllCorrect();
        after.assertAllCorrect();
        assertServesHundredMore(pool);
        assertEquals(original, Set.copyOf(pool.workerPids()), "the same workers serve on");
        PoolStats stats = pool.stats();
        assertEquals(0, stats.workersCrashed() + stats.workersKilled() + stats.workersRecycled(), stats.toString());
        pool.close();
    }

    // ---- crash loops ----

    @Test
    void replacementsThatDieAtStartBreakThePoolAfterABoundedNumberOfTries(@TempDir Path dir) throws Exception {
        String flag = dir.resolve("die-at-start").toString();
        String attempts = dir.resolve("attempts").toString();
        ProcessPool pool = track(ProcessPool.builder().workers(2).maxTasksPerChild(1)
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

    // ---- statistics after faults ----

    @Test
    void everySubmittedItemIsCountedAsCompletedOrFailed() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(2).taskTimeout(Duration.ofSeconds(1)).build());
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
            awaitStarted(checkpoint);
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
        ProcessPool pool = track(ProcessPool.create(2));
        assertServesHundredMore(pool);
        pool.close();
        assertEquals(0, pool.stats().workersCrashed(), pool.stats().toString());
        assertEquals(0, pool.stats().workersKilled(), pool.stats().toString());
    }

    // ---- faults inside a worker's pipeline (tasks under 200 us are sent ahead, up to 32 per worker) ----

    /** Sub-millisecond tasks: the pool then keeps a pipeline of up to 32 chunks in each worker. */
    private static void startPipelining(ProcessPool pool) {
        pool.map(x -> x, IntStream.range(0, 3000).boxed().toList(), 1);
    }

    private static <V> V resultOf(CompletableFuture<V> future, String what) throws Exception {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    enum PipelinedFault { SYSTEM_EXIT, HALT, GARBAGE_ON_FD1 }

    @ParameterizedTest
    @EnumSource(PipelinedFault.class)
    void aFaultInAPipelineFailsTheFaultyTaskOnlyAndRunsItOnce(PipelinedFault fault, @TempDir Path dir)
            throws Exception {
        ProcessPool pool = track(ProcessPool.create(1));
        startPipelining(pool);
        String runs = dir.resolve("runs").toString();
        CompletableFuture<Integer> predecessor = pool.applyAsync(x -> {
            Thread.sleep(300); // the faulty task reaches the worker's inbox meanwhile
            return x + 1;
        }, 1);
        CompletableFuture<Integer> faulty = pool.applyAsync(x -> {
            Files.writeString(Path.of(runs), "ran\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            switch (x) {
                case 0 -> System.exit(3);
                case 1 -> Runtime.getRuntime().halt(4);
                default -> {
                    FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);
                    fd1.write("NOT-A-FRAME:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ".getBytes(StandardCharsets.US_ASCII));
                    fd1.flush();
                }
            }
            return x;
        }, fault.ordinal());
        assertEquals(2, resultOf(predecessor, "the task before the faulty one"));
        failureOf(faulty, WorkerCrashedException.class);
        assertEquals(1, Files.readAllLines(Path.of(runs)).size(), "the faulty task ran once");
        assertEquals(1, pool.stats().workersCrashed(), pool.stats().toString());
        assertServesHundredMore(pool);
        pool.close();
    }

    @Test
    void aTimeoutInAPipelineFailsTheHangingTaskOnly() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(1).taskTimeout(Duration.ofSeconds(2)).build());
        startPipelining(pool);
        CompletableFuture<Integer> predecessor = pool.applyAsync(x -> {
            Thread.sleep(300);
            return x + 1;
        }, 1);
        CompletableFuture<Integer> hanging = pool.applyAsync(x -> {
            Blocker.blockForever();
            return x;
        }, 2);
        assertEquals(2, resultOf(predecessor, "the task before the hanging one"));
        failureOf(hanging, TaskTimeoutException.class);
        assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
        assertServesHundredMore(pool);
        pool.close();
    }

    @Test
    void cancellingAPipelinedRunningTaskKillsItsWorker() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(1).heartbeatTimeout(Duration.ofSeconds(120)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            startPipelining(pool);
            CompletableFuture<Integer> predecessor = pool.applyAsync(x -> {
                Thread.sleep(300);
                return x + 1;
            }, 1);
            CompletableFuture<Integer> running = pool.applyAsync(hangWithChild(checkpoint.port()), 2);
            Arrival started = awaitStarted(checkpoint);
            assertTrue(running.cancel(true));
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            assertEquals(2, resultOf(predecessor, "the task before the cancelled one"));
            assertEquals(5, pool.applyAsync(x -> x + 1, 4).get(30, TimeUnit.SECONDS), "the pool serves on");
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    /**
     * A task sent ahead to a busy worker (pipelining) and then cancelled is asked back (REVOKE, written before
     * cancel() returns). If the worker took it up in the instant before the REVOKE was read, it runs and its worker is
     * killed; that race cannot be closed without a round trip per task, so this checks that asking back works in
     * general (not every one of 90 ran), that no cancelled result reaches anyone and the blockers are untouched.
     * A task still in the pool's queue never runs: see cancelledQueuedTasksNeverRun.
     */
    @Test
    void aCancelledTaskWaitingInsideItsWorkerIsAskedBack(@TempDir Path dir) throws Exception {
        ProcessPool pool = track(ProcessPool.create(1));
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            String marks = dir.toString();
            for (int round = 0; round < 30; round++) {
                startPipelining(pool); // the worker is then sent the blocker and the tasks behind it at once
                CompletableFuture<Integer> blocker = pool.applyAsync(x -> {
                    Checkpoint.hold(port, ProcessHandle.current().pid() + " blocker");
                    return x;
                }, round);
                List<CompletableFuture<Integer>> cancelled = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    cancelled.add(pool.applyAsync(x -> {
                        Files.createFile(Path.of(marks, "ran-" + x));
                        return x;
                    }, 10 * round + i));
                }
                try (Arrival blocking = checkpoint.awaitArrival()) {
                    for (CompletableFuture<Integer> future : cancelled) {
                        assertTrue(future.cancel(true)); // none of them has started: the blocker still runs
                    }
                    blocking.release();
                }
                assertEquals(round, blocker.get(60, TimeUnit.SECONDS));
            }
            assertServesHundredMore(pool);
            pool.close();
            Set<String> ran = fileNames(dir);
            assertTrue(ran.size() < 90, "all 90 cancelled tasks ran: asking back does not work: " + ran);
        }
    }

    @Test
    void aResultIsDeliveredWhileTheNextPipelinedTaskStillRuns() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(1).heartbeatTimeout(Duration.ofSeconds(120)).build());
        startPipelining(pool);
        CompletableFuture<Integer> quick = pool.applyAsync(x -> {
            Thread.sleep(300);
            return x + 1;
        }, 1);
        CompletableFuture<Integer> slow = pool.applyAsync(x -> {
            Thread.sleep(15_000);
            return x;
        }, 2);
        try {
            assertEquals(2, quick.get(10, TimeUnit.SECONDS));
        } catch (TimeoutException e) {
            throw new AssertionError("a 0.3 s task's result still missing after 10 s, while the next task runs", e);
        }
        assertEquals(2, slow.get(60, TimeUnit.SECONDS));
        pool.close();
    }

    @Test
    void aReparentedSleepATaskStartedDiesWhenItsWorkerIsRecycled() throws Exception {
        ProcessPool pool = track(ProcessPool.builder().workers(2).maxTasksPerChild(1).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            InFlight before = new InFlight(pool, 0, 3, 20);
            CompletableFuture<Integer> recycled = pool.applyAsync(orphanSleepThen(checkpoint.port()), 0);
            InFlight after = new InFlight(pool, 100, 3, 20);
            Arrival started = awaitStarted(checkpoint);
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
}
