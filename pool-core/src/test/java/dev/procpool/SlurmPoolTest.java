package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Await;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.SlurmCluster;
import dev.procpool.worker.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pool with its workers as job steps on the two-node Slurm of shared/slurm (n1 and n2, both on this machine,
 * so that a test can find a worker's process and kill it). Most tests run in one allocation of the test class, as a
 * pool under salloc or sbatch would; one lets the pool request and release its own.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SlurmPoolTest {
    /** The node a worker runs on, as Slurm tells it. */
    private static final Task<Integer, String> NODE = x -> System.getenv("SLURMD_NODENAME");
    private static final Task<Integer, String> PID_AND_NODE =
            x -> ProcessHandle.current().pid() + " " + System.getenv("SLURMD_NODENAME");
    private static final Set<String> BOTH = Set.copyOf(SlurmCluster.NODES);

    private static String job;

    @BeforeAll
    static void allocate() throws Exception {
        SlurmCluster.ensureUp();
        job = SlurmCluster.allocate("procpool-test-" + ProcessHandle.current().pid());
    }

    @AfterAll
    static void release() throws Exception {
        if (job != null) {
            SlurmCluster.cancel(job);
        }
        SlurmCluster.stopIfStartedHere();
    }

    /** Whatever a test did, the pool's steps are gone once it closed: only the class's allocation stays. */
    @AfterEach
    void noStepLeft() throws Exception {
        assertEquals(List.of(), SlurmCluster.steps(), "job steps left after the test");
    }

    private static ProcessPool.Builder inAllocation() {
        return ProcessPool.builder().slurm(Slurm.allocation(job)).workers(2);
    }

    /**
     * The nodes of the two workers serving now: each holds a task until both have arrived, so a replacement that is
     * still starting is waited for (fast tasks alone would all go to the worker already there).
     */
    private static Set<String> servingNodes(ProcessPool pool) throws Exception {
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            List<CompletableFuture<String>> nodes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                nodes.add(pool.applyAsync(x -> {
                    String node = System.getenv("SLURMD_NODENAME");
                    Checkpoint.hold(port, node);
                    return node;
                }, i));
            }
            Checkpoint.Arrival first = checkpoint.awaitArrival();
            Checkpoint.Arrival second = checkpoint.awaitArrival();
            first.release();
            second.release();
            Set<String> serving = new HashSet<>();
            for (CompletableFuture<String> node : nodes) {
                serving.add(Await.resultOf(node, "a held task"));
            }
            return serving;
        }
    }

    @Test
    void mapOverTenThousandItemsRunsOnBothNodesAndReleasesItsOwnAllocation() throws Exception {
        List<String> before = SlurmCluster.jobs();
        ProcessPool pool = ProcessPool.builder().slurm(Slurm.newAllocation("-N2", "--immediate=100"))
                .workers(2).build();
        try {
            assertEquals(before.size() + 1, SlurmCluster.jobs().size(), "the pool's own allocation");
            List<Integer> inputs = IntStream.range(0, 10_000).boxed().toList();
            List<String> results = pool.map(x -> System.getenv("SLURMD_NODENAME") + " " + (long) x * x, inputs, 50);
            assertEquals(10_000, results.size());
            Set<String> nodes = new HashSet<>();
            for (int i = 0; i < results.size(); i++) {
                String[] parts = results.get(i).split(" ");
                nodes.add(parts[0]);
                assertEquals((long) i * i, Long.parseLong(parts[1]), "item " + i);
            }
            assertEquals(BOTH, nodes, "the workers' nodes");
        } finally {
            Await.closeWithin(pool, Duration.ofSeconds(60));
        }
        assertEquals(before, SlurmCluster.jobs(), "the pool's allocation is released when close() returns");
        assertEquals(List.of(), SlurmCluster.steps(), "no job step after close()");
    }

    @Test
    void oneMebibyteInputsAndResultsCrossTheConnection() throws Exception {
        try (ProcessPool pool = inAllocation().build()) {
            byte[] input = new byte[1 << 20];
            new Random(14).nextBytes(input);
            Task<byte[], byte[]> flip = bytes -> {
                byte[] out = new byte[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    out[i] = (byte) ~bytes[i];
                }
                return out;
            };
            byte[] expected = flip.apply(input);
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(expected, pool.apply(flip, input), "apply " + i);
            }
            List<byte[]> results = pool.map(flip, java.util.Collections.nCopies(16, input), 1);
            results.forEach(result -> assertArrayEquals(expected, result));
            assertEquals(BOTH, Set.copyOf(pool.map(NODE, List.of(1, 2, 3, 4, 5, 6, 7, 8), 1)));
        }
    }

    @Test
    void maxTasksPerChildReplacesWorkersOnTheNodes() throws Exception {
        try (ProcessPool pool = inAllocation().maxTasksPerChild(2).build()) {
            Map<String, Integer> uses = new HashMap<>();
            Set<String> nodes = new HashSet<>();
            for (int i = 0; i < 12; i++) {
                String pidAndNode = pool.apply(PID_AND_NODE, i);
                uses.merge(pidAndNode, 1, Integer::sum);
                nodes.add(pidAndNode.split(" ")[1]);
            }
            assertTrue(uses.values().stream().allMatch(n -> n <= 2), "each worker serves two tasks: " + uses);
            assertTrue(uses.size() >= 6, "new workers: " + uses);
            assertTrue(BOTH.containsAll(nodes), "nodes " + nodes);
            assertEquals(BOTH, Set.copyOf(pool.map(NODE, IntStream.range(0, 40).boxed().toList(), 1)));
            assertTrue(pool.stats().toString().length() > 0);
        }
    }

    @Test
    void aWorkerKilledOnOneNodeFailsItsTaskAndIsReplacedThere() throws Exception {
        try (Checkpoint checkpoint = new Checkpoint(); ProcessPool pool = inAllocation().build()) {
            int port = checkpoint.port();
            Task<Integer, Integer> held = x -> {
                Checkpoint.hold(port, ProcessHandle.current().pid() + " " + System.getenv("SLURMD_NODENAME") + " " + x);
                return x;
            };
            List<CompletableFuture<Integer>> futures = List.of(pool.applyAsync(held, 1), pool.applyAsync(held, 2));
            Checkpoint.Arrival first = checkpoint.awaitArrival();
            Checkpoint.Arrival second = checkpoint.awaitArrival();
            Checkpoint.Arrival onN1 = first.message().contains(" n1 ") ? first : second;
            Checkpoint.Arrival onN2 = onN1 == first ? second : first;
            assertEquals(Set.of("n1", "n2"), Set.of(first.message().split(" ")[1], second.message().split(" ")[1]));
            long victim = onN1.field(0);
            assertEquals("n1", SlurmCluster.nodeOf(victim));
            ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // the nodes are on this machine

            int victimInput = (int) onN1.field(2);
            CompletableFuture<Integer> victimFuture = futures.get(victimInput - 1);
            WorkerCrashedException crash = Await.failureOf(victimFuture, WorkerCrashedException.class, "the task");
            assertTrue(crash.getMessage().contains("n1"), "the message names the node: " + crash.getMessage());
            onN2.release();
            assertEquals(3 - victimInput, Await.resultOf(futures.get(2 - victimInput), "the other task"));
            onN1.close();
            assertEquals(BOTH, servingNodes(pool), "the replacement serves on n1");
            assertEquals(1, pool.stats().workersCrashed());
        }
    }

    @Test
    void aTaskPastItsTimeoutFailsAndItsStepIsKilled() throws Exception {
        try (ProcessPool pool = inAllocation().build()) {
            // this call's own limit: the pool's would also limit the held tasks that wait for the replacement
            CompletableFuture<Object> stuck = pool.applyAsync(x -> {
                new CountDownLatch(1).await(); // never returns: only the timeout ends it
                return x;
            }, 1, Duration.ofSeconds(2));
            Await.failureOf(stuck, TaskTimeoutException.class, "the stuck task");
            assertEquals(BOTH, servingNodes(pool), "the replacement serves where the killed worker was");
        }
    }

    @Test
    void cancellingARunningTaskCostsItsStepWhichIsReplaced() throws Exception {
        try (Checkpoint checkpoint = new Checkpoint(); ProcessPool pool = inAllocation().build()) {
            int port = checkpoint.port();
            CompletableFuture<Integer> running = pool.applyAsync(x -> {
                Checkpoint.hold(port, "running");
                return x;
            }, 1);
            Checkpoint.Arrival arrival = checkpoint.awaitArrival();
            assertTrue(running.cancel(true));
            assertEquals(BOTH, servingNodes(pool), "a replacement serves where the cancelled task ran");
            assertEquals(1, pool.stats().workersKilled(), pool.stats().toString());
            arrival.close();
        }
    }

    @Test
    void aStoppedWorkerIsNoticedByItsHeartbeatAsADeadNodeWouldBe() throws Exception {
        try (Checkpoint checkpoint = new Checkpoint();
             ProcessPool pool = inAllocation().heartbeatTimeout(Duration.ofSeconds(3)).build()) {
            int port = checkpoint.port();
            CompletableFuture<Integer> future = pool.applyAsync(x -> {
                Checkpoint.hold(port, Long.toString(ProcessHandle.current().pid()));
                return x;
            }, 1);
            Checkpoint.Arrival arrival = checkpoint.awaitArrival();
            long stopped = arrival.field(0);
            // SIGSTOP: the worker neither answers nor closes its connection, as on a node that lost power
            assertEquals(0, SlurmCluster.run(10, "kill", "-STOP", Long.toString(stopped)).exit());
            long start = System.nanoTime();
            WorkerCrashedException crash = Await.failureOf(future, WorkerCrashedException.class, "the task");
            long noticedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(crash.getMessage().contains("heartbeat"), crash.getMessage());
            assertTrue(noticedMillis < 30_000, "noticed after " + noticedMillis + " ms");
            arrival.close();
            assertEquals(BOTH, servingNodes(pool), "the replacement serves where the stopped worker was");
        }
    }

    @Test
    void aJobThatDoesNotExistFailsTheBuildAtOnce() {
        WorkerStartException failure = org.junit.jupiter.api.Assertions.assertThrows(WorkerStartException.class,
                () -> ProcessPool.builder().slurm(Slurm.allocation("999999")).workers(1).build());
        assertTrue(failure.getMessage().contains("999999"), failure.getMessage());
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.info().commandLine().orElse("")
                .contains("procpool-slurm-watchdog")), "its watchdog has ended");
    }

    @Test
    void closeAndTerminateLeaveNoJobStep() throws Exception {
        ProcessPool closed = inAllocation().build();
        assertEquals(2, SlurmCluster.steps().size(), "one step per worker: " + SlurmCluster.steps());
        assertTrue(SlurmCluster.steps().stream().allMatch(step -> step.startsWith(job + ".")));
        closed.map(NODE, List.of(1, 2, 3, 4), 1);
        Await.closeWithin(closed, Duration.ofSeconds(60));
        assertEquals(List.of(), SlurmCluster.steps(), "no job step after close()");

        try (Checkpoint checkpoint = new Checkpoint()) {
            ProcessPool terminated = inAllocation().build();
            int port = checkpoint.port();
            List<CompletableFuture<Integer>> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(terminated.applyAsync(x -> {
                    Checkpoint.hold(port, "held");
                    return x;
                }, i));
            }
            checkpoint.awaitArrival();
            checkpoint.awaitArrival();
            terminated.terminate();
            assertTrue(terminated.awaitTermination(Duration.ofSeconds(60)), "terminate() ends the pool");
            running.forEach(future -> assertTrue(future.isCompletedExceptionally()));
            assertEquals(List.of(), SlurmCluster.steps(), "no job step after terminate()");
        }
        assertFalse(SlurmCluster.jobs().isEmpty(), "the class's own allocation is not the pool's to cancel");
        assertTrue(SlurmCluster.jobs().stream().anyMatch(line -> line.startsWith(job + " ")));
        assertTrue(ProcessHandle.current().children().noneMatch(p -> p.info().command().orElse("").endsWith("srun")),
                "every srun was reaped: " + ProcessHandle.current().children().map(ProcessHandle::pid)
                        .collect(Collectors.toList()));
    }
}
