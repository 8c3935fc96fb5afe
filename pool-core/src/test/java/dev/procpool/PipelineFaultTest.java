package dev.procpool;

import static dev.procpool.testing.Faults.EXIT_WAIT;
import static dev.procpool.testing.Faults.assertServesHundredMore;
import static dev.procpool.testing.Faults.awaitStarted;
import static dev.procpool.testing.Faults.failureOf;
import static dev.procpool.testing.Faults.fileNames;
import static dev.procpool.testing.Faults.hangWithChild;
import static dev.procpool.testing.Faults.resultOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.Checkpoint.Arrival;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.worker.Task;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults (see {@link dev.procpool.testing.Faults}) inside a worker's pipeline: after sub-millisecond tasks the pool
 * sends a worker the next tasks while it still runs one. Each test holds a task at a checkpoint, submits the next,
 * waits until the pool has sent it ahead to that worker, and only then releases the first ({@link #holdPipelined}).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PipelineFaultTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** Sub-millisecond tasks: the pool then keeps a pipeline of chunks in each worker. */
    private static void startPipelining(ProcessPool pool) {
        pool.map(x -> x, IntStream.range(0, 3000).boxed().toList(), 1);
    }

    /** x -> x + 1 after holding at the checkpoint until the test releases it. */
    private static Task<Integer, Integer> holdThenAddOne(int port) {
        return x -> {
            Checkpoint.hold(port, ProcessHandle.current().pid() + " -1");
            return x + 1;
        };
    }

    /** A task x -> x + 1 for x = 1 running on the pool's only worker, held, and a probe x -> x for x = 0 behind it. */
    private record Held(CompletableFuture<Integer> predecessor, Arrival running, CompletableFuture<Integer> probe) {
        /** Lets the held task go on; it and the probe must then complete. */
        void release() throws Exception {
            running.release();
            assertEquals(2, resultOf(predecessor, "the held task"));
            assertEquals(0, resultOf(probe, "the probe sent ahead behind it"));
        }
    }

    /**
     * Sub-millisecond tasks, then a task held at the checkpoint ({@code timeout} null: the pool's limit) and a probe
     * that the pool has sent ahead into the held worker's pipeline. Whether the pool sends ahead depends on its
     * running estimate of task time, which a scheduling hiccup on a loaded machine can push up just then (about one
     * time in 150); the probe then stays queued and the attempt is repeated. Once the probe was sent ahead, so are the
     * next two tasks submitted while the held task runs (a worker holding fewer than four chunks is sent new ones at
     * once; the estimate changes only when a result arrives).
     */
    private static Held holdPipelined(ProcessPool pool, Checkpoint checkpoint, Duration timeout) throws Exception {
        Task<Integer, Integer> held = holdThenAddOne(checkpoint.port());
        for (int attempt = 1; attempt <= 5; attempt++) {
            startPipelining(pool);
            CompletableFuture<Integer> predecessor = timeout == null ? pool.applyAsync(held, 1)
                    : pool.applyAsync(held, 1, timeout);
            Held attemptHeld = new Held(predecessor, checkpoint.awaitArrival(), pool.applyAsync(x -> x, 0));
            if (queueEmptiesWithin(pool, Duration.ofSeconds(2))) {
                return attemptHeld;
            }
            attemptHeld.release(); // not pipelining this time: the probe runs after the held task; again
        }
        throw new AssertionError("in 5 attempts the pool never sent a task ahead to its busy worker");
    }

    /**
     * Waits until nothing is left in the pool's queue: with its only worker held, what was submitted has been sent
     * ahead into that worker's pipeline. The pool signals no event for this, so its public counter is read every
     * millisecond until it says so: a wait for a state, not for a length of time.
     */
    private static boolean queueEmptiesWithin(ProcessPool pool, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pool.stats().queued() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** After {@link #holdPipelined}: what was submitted since is sent ahead, within 60 s or the test fails. */
    private static void awaitSentAhead(ProcessPool pool) {
        assertTrue(queueEmptiesWithin(pool, Duration.ofSeconds(60)),
                "the pool did not send the task ahead to its busy worker within 60 s: " + pool.stats());
    }

    enum PipelinedFault { SYSTEM_EXIT, HALT, GARBAGE_IN_THE_PROTOCOL }

    @ParameterizedTest
    @EnumSource(PipelinedFault.class)
    void aFaultInAPipelineFailsTheFaultyTaskOnlyAndRunsItOnce(PipelinedFault fault, @TempDir Path dir)
            throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(1));
        try (Checkpoint checkpoint = new Checkpoint()) {
            String runs = dir.resolve("runs").toString();
            Held held = holdPipelined(pool, checkpoint, null);
            CompletableFuture<Integer> faulty = pool.applyAsync(x -> {
                Files.writeString(Path.of(runs), "ran\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                switch (x) {
                    case 0 -> System.exit(3);
                    case 1 -> Runtime.getRuntime().halt(4);
                    default -> {
                        FileOutputStream protocol = new FileOutputStream("/proc/self/fd/4");
                        protocol.write("NOT-A-FRAME:ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ"
                                .getBytes(StandardCharsets.US_ASCII));
                        protocol.flush();
                    }
                }
                return x;
            }, fault.ordinal());
            awaitSentAhead(pool); // the faulty task waits in the worker behind the held one and the probe
            held.release();
            failureOf(faulty, WorkerCrashedException.class);
            assertEquals(1, Files.readAllLines(Path.of(runs)).size(), "the faulty task ran once");
            assertEquals(1, pool.stats().workersCrashed(), pool.stats().toString());
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    @Test
    void aTimeoutInAPipelineFailsTheHangingTaskOnly() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(1).taskTimeout(Duration.ofSeconds(2)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            // the held task has its own time limit: held for as long as the test takes, never timed out itself
            Held held = holdPipelined(pool, checkpoint, Duration.ofSeconds(60));
            CompletableFuture<Integer> hanging = pool.applyAsync(x -> {
                Blocker.blockForever();
                return x;
            }, 2);
            awaitSentAhead(pool);
            held.release();
            failureOf(hanging, TaskTimeoutException.class);
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    @Test
    void cancellingAPipelinedRunningTaskKillsItsWorker() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(1).heartbeatTimeout(Duration.ofSeconds(120))
                .build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            Held held = holdPipelined(pool, checkpoint, null);
            CompletableFuture<Integer> running = pool.applyAsync(hangWithChild(checkpoint.port()), 2);
            awaitSentAhead(pool);
            held.running().release();
            Arrival started = awaitStarted(checkpoint, audit);
            assertTrue(running.cancel(true));
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            assertEquals(2, resultOf(held.predecessor(), "the task before the cancelled one"));
            assertEquals(0, resultOf(held.probe(), "the probe behind it"));
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
     * A task still in the pool's queue never runs: see CancellationFaultTest.cancelledQueuedTasksNeverRun.
     */
    @Test
    void aCancelledTaskWaitingInsideItsWorkerIsAskedBack(@TempDir Path dir) throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(1));
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
        ProcessPool pool = audit.track(ProcessPool.builder().workers(1).heartbeatTimeout(Duration.ofSeconds(120))
                .build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            Held quick = holdPipelined(pool, checkpoint, null);
            CompletableFuture<Integer> slow = pool.applyAsync(x -> {
                Checkpoint.hold(port, ProcessHandle.current().pid() + " -1");
                return x;
            }, 2);
            awaitSentAhead(pool);
            quick.running().release();
            try (Arrival slowHeld = checkpoint.awaitArrival()) { // the next task runs, and runs until released
                try {
                    assertEquals(2, quick.predecessor().get(60, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("a finished task's result is still missing after 60 s, while the next "
                            + "task runs", e);
                }
                assertEquals(0, resultOf(quick.probe(), "the probe"));
                slowHeld.release();
            }
            assertEquals(2, slow.get(60, TimeUnit.SECONDS));
            pool.close();
        }
    }
}
