package dev.procpool;

import static dev.procpool.testing.Faults.EXIT_WAIT;
import static dev.procpool.testing.Faults.assertServesHundredMore;
import static dev.procpool.testing.Faults.assertStillRunningFor;
import static dev.procpool.testing.Faults.awaitHeld;
import static dev.procpool.testing.Faults.awaitStarted;
import static dev.procpool.testing.Faults.failureOf;
import static dev.procpool.testing.Faults.hangWithChild;
import static dev.procpool.testing.Faults.holdThenCompute;
import static dev.procpool.testing.Faults.millisSince;
import static dev.procpool.testing.Faults.resultOf;
import static dev.procpool.testing.Faults.servingPids;
import static dev.procpool.testing.Faults.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.Checkpoint.Arrival;
import dev.procpool.testing.Children;
import dev.procpool.testing.Faults.InFlight;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Processes;
import dev.procpool.worker.Task;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults (see {@link dev.procpool.testing.Faults}): task timeouts, per call and per chunk, and missed heartbeats. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TimeoutFaultTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void aTaskPastTheTaskTimeoutFailsAndItsWorkerAndChildAreKilledAndReplaced() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).taskTimeout(Duration.ofSeconds(2)).build());
        try (Checkpoint checkpoint = new Checkpoint(); Checkpoint holds = new Checkpoint()) {
            List<Long> original = pool.workerPids();
            long submitted = System.nanoTime();
            CompletableFuture<Integer> hanging = pool.applyAsync(hangWithChild(checkpoint.port()), 0);
            Arrival started = awaitStarted(checkpoint, audit);
            long workerPid = started.field(0);
            assertTrue(original.contains(workerPid));
            // the other worker holds one task (with its own time limit) until the deadline has passed; the rest of
            // the tasks in flight wait behind it
            CompletableFuture<Integer> held = pool.applyAsync(holdThenCompute(holds.port()), 0,
                    Duration.ofSeconds(60));
            InFlight others = new InFlight(pool, 1, 29, 1);
            Arrival holding = holds.awaitArrival();

            TaskTimeoutException timeout = failureOf(hanging, TaskTimeoutException.class);
            long waited = millisSince(submitted);
            assertEquals(Duration.ofSeconds(2), timeout.timeout());
            assertTrue(waited >= 2000, "failed " + waited + " ms after submission, before its timeout");
            assertTrue(timeout.getMessage().contains("pid " + workerPid), timeout.getMessage());
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            assertEquals(0, pool.stats().workersCrashed(), pool.stats().toString());
            Processes.awaitExit(workerPid, EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            holding.release();
            assertEquals(1, resultOf(held, "the task held on the other worker during the fault"));
            others.assertAllCorrect();

            Set<Long> serving = servingPids(pool, checkpoint, 2, audit);
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
        ProcessPool pool = audit.track(ProcessPool.builder().workers(1).taskTimeout(Duration.ofSeconds(2)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            CompletableFuture<String> longerAllowed = pool.applyAsync(x -> {
                Checkpoint.hold(port, ProcessHandle.current().pid() + " -1");
                return "slow " + x;
            }, 1, Duration.ofSeconds(60));
            InFlight before = new InFlight(pool, 0, 10, 1);
            CompletableFuture<Integer> shorter = pool.applyAsync(hangWithChild(port), 0, Duration.ofSeconds(1));
            InFlight after = new InFlight(pool, 10, 10, 1); // queued behind the hanging task: run on the replacement

            Arrival holding = checkpoint.awaitArrival();
            assertStillRunningFor(longerAllowed, Duration.ofSeconds(3),
                    "held longer than the pool's 2 s, within its own 60 s");
            holding.release();
            assertEquals("slow 1", longerAllowed.get(60, TimeUnit.SECONDS));
            Arrival started = awaitStarted(checkpoint, audit);
            TaskTimeoutException timeout = failureOf(shorter, TaskTimeoutException.class);
            assertEquals(Duration.ofSeconds(1), timeout.timeout());
            before.assertAllCorrect();
            after.assertAllCorrect();
            long next = pool.apply(x -> ProcessHandle.current().pid(), 0);
            assertNotEquals(started.field(0), next, "the next task runs on a fresh worker");
            audit.watch(next, "replacement worker");
            Processes.awaitExit(started.field(0), EXIT_WAIT);
            Processes.awaitExit(started.field(1), EXIT_WAIT);
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            assertServesHundredMore(pool);
            pool.close();
        }
    }

    @Test
    void aMapChunkOfNInputsGetsNTimesTheTimeout() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(2).taskTimeout(Duration.ofSeconds(1)).build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            // three inputs of 0.45 s: 1.35 s for the chunk, more than one input's 1 s, within 3 x 1 s (the time a
            // chunk takes is the subject here: these sleeps order nothing)
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
            Arrival started = awaitStarted(checkpoint, audit);
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

    @Test
    void aStoppedWorkerIsKilledForItsSilenceWhileHealthyIdleAndBusyWorkersLiveOn() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.builder().workers(3).heartbeatTimeout(Duration.ofSeconds(2))
                .build());
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            List<Long> original = pool.workerPids();
            CompletableFuture<Integer> toStop = pool.applyAsync(hangWithChild(port), 0);
            Arrival stopped = awaitStarted(checkpoint, audit);
            CompletableFuture<Long> busy = pool.applyAsync(x -> {
                Checkpoint.hold(port, ProcessHandle.current().pid() + " -1"); // busy until released, heartbeating
                return ProcessHandle.current().pid();
            }, 1);
            Arrival busyHeld = awaitHeld(checkpoint, audit);
            long busySince = System.nanoTime();
            long busyPid = busyHeld.field(0);
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
            // busy since before the STOP; kept busy until 2.5 times the heartbeat timeout have passed
            Duration busyFor = Duration.ofMillis(5000 - millisSince(busySince));
            if (!busyFor.isNegative()) {
                assertStillRunningFor(busy, busyFor, "the busy worker heartbeats while its task runs");
            }
            busyHeld.release();
            assertEquals(busyPid, busy.get(60, TimeUnit.SECONDS), "the busy worker's long task completes");
            others.assertAllCorrect();
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            assertServesHundredMore(pool);
            assertTrue(pool.workerPids().containsAll(List.of(idlePid, busyPid)), "healthy workers were not killed: "
                    + pool.workerPids());
            pool.close();
        }
    }

    @Test
    void aTaskThatInterruptsEveryThreadOfItsWorkerDoesNotSilenceItsHeartbeats() throws Exception {
        Duration heartbeat = Duration.ofMillis(800);
        try (ProcessPool pool = audit.track(ProcessPool.builder().workers(1).heartbeatTimeout(heartbeat).build());
             Checkpoint checkpoint = new Checkpoint()) {
            List<Long> pids = pool.workerPids();
            int interrupted = pool.apply(x -> {
                Set<Thread> others = new HashSet<>(Thread.getAllStackTraces().keySet());
                others.remove(Thread.currentThread());
                others.forEach(Thread::interrupt); // the heartbeat's thread among them
                return others.size();
            }, 0);
            assertTrue(interrupted > 2, "it reached the worker's other threads: " + interrupted);
            CompletableFuture<Integer> held = pool.applyAsync(holdThenCompute(checkpoint.port()), 1);
            Arrival arrival = awaitHeld(checkpoint, audit);
            // time passes on purpose: several heartbeat timeouts after the interrupts
            assertStillRunningFor(held, heartbeat.multipliedBy(4), "held at the checkpoint");
            arrival.release();
            assertEquals(4, resultOf(held, "the held task"));
            assertEquals(pids, pool.workerPids(), "no worker was declared hung and replaced");
            assertEquals(0, pool.stats().workersKilled());
        }
    }
}
