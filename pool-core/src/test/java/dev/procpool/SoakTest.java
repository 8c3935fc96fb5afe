package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Blocker;
import dev.procpool.testing.Children;
import dev.procpool.testing.LeakAudit;
import dev.procpool.testing.Mailbox;
import dev.procpool.testing.ProcessWatch;
import dev.procpool.testing.Processes;
import dev.procpool.worker.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Soak: two workers with maxTasksPerChild 1, so that every task that ends normally recycles its worker, under a
 * seeded random mix of faults (System.exit, Runtime.halt, exceptions, timeouts, cancellations of queued and of
 * running tasks, some tasks starting a `sleep 1000` child). Every outcome is checked, then the counters, the
 * processes, the zombies and the file descriptors. Prints one summary line starting with "SOAK".
 *
 * <p>{@link #shortSoak} (about 60 recycles) runs in the normal build. {@link #longSoak} (2,000 recycles, some
 * minutes) is tagged "soak", which pool-core's pom excludes by default; run it with
 * <pre>
 * mvn -B -pl pool-core test -Dtest=SoakTest -Dgroups=soak -DexcludedGroups=none
 * </pre>
 * ({@code -Dsoak.seed=N} picks another seed, {@code -Dsoak.recycles=N} another length.)
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SoakTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static final long DEFAULT_SEED = 20_240_615L;
    private static final int WAVE = 8;
    private static final Duration OUTCOME_WAIT = Duration.ofSeconds(120);
    private static final Duration HANG_TIMEOUT = Duration.ofMillis(500);
    /** Timeout of a hanging task that starts a child: long enough to start it and report it first. */
    private static final Duration HANG_WITH_CHILD_TIMEOUT = Duration.ofSeconds(3);
    private static final int FD_SLACK = 2;

    @Test
    void shortSoak() throws Exception {
        new Soak(Long.getLong("soak.seed", DEFAULT_SEED), 60).run();
    }

    @Test
    @Tag("soak")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void longSoak() throws Exception {
        new Soak(Long.getLong("soak.seed", DEFAULT_SEED), Integer.getInteger("soak.recycles", 2000)).run();
    }

    enum Kind {
        NORMAL(52), EXCEPTION(12), SYSTEM_EXIT(8), HALT(8), TIMEOUT(6), CANCEL_QUEUED(7), CANCEL_RUNNING(7);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }

        static Kind pick(Random random) {
            int roll = random.nextInt(100);
            for (Kind kind : values()) {
                roll -= kind.weight;
                if (roll < 0) {
                    return kind;
                }
            }
            throw new AssertionError();
        }
    }

    /**
     * Inputs carry the task number and whether to start a child: input = 2 x number + (child ? 1 : 0). The tasks
     * report "child-n pid startMillis" and "start-n ..." letters to the test's mailbox.
     */
    static final class Tasks {
        final Task<Integer, String> normal;
        final Task<Integer, String> exception;
        final Task<Integer, String> exit;
        final Task<Integer, String> halt;
        final Task<Integer, String> hang;

        Tasks(int port) {
            normal = input -> {
                int n = startChildIfAsked(port, input);
                Thread.sleep(n % 3);
                long pid = ProcessHandle.current().pid();
                return (7L * n + 3) + " " + pid + " " + Children.startMillis(pid);
            };
            exception = input -> {
                int n = startChildIfAsked(port, input);
                throw new IllegalStateException("boom " + n);
            };
            exit = input -> {
                System.exit(exitCode(startChildIfAsked(port, input)));
                return null;
            };
            halt = input -> {
                Runtime.getRuntime().halt(exitCode(startChildIfAsked(port, input)));
                return null;
            };
            hang = input -> {
                int n = startChildIfAsked(port, input);
                Mailbox.send(port, "start-" + n, Long.toString(ProcessHandle.current().pid()));
                Blocker.blockForever();
                return null;
            };
        }

        static int startChildIfAsked(int port, int input) throws Exception {
            int n = input / 2;
            if (input % 2 == 1) {
                long child = Children.startSleep();
                Mailbox.send(port, "child-" + n, child + " " + Children.startMillis(child));
            }
            return n;
        }

        static int exitCode(int n) {
            return 1 + n % 120;
        }
    }

    private record Pending(Kind kind, int n, boolean child, CompletableFuture<String> future) {
    }

    private static final class Soak {
        private final long seed;
        private final int recycles;
        private final Random random;
        private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        private final ProcessWatch watch = new ProcessWatch();
        private final Set<String> normalWorkers = new HashSet<>();
        private int children;
        private int tasks;

        Soak(long seed, int recycles) {
            this.seed = seed;
            this.recycles = recycles;
            this.random = new Random(seed);
            for (Kind kind : Kind.values()) {
                counts.put(kind, 0);
            }
        }

        void run() throws Exception {
            warmUp();
            assertEquals(List.of(), Processes.zombieChildren());
            int fdsStart = Processes.openFileDescriptors();
            long start = System.nanoTime();
            PoolStats beforeClose;
            PoolStats afterClose;
            try (Mailbox mailbox = new Mailbox()) {
                Tasks taskSet = new Tasks(mailbox.port());
                ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(1).build();
                try {
                    pool.workerPids().forEach(pid -> watch.add(pid, "worker"));
                    while (count(Kind.NORMAL) + count(Kind.EXCEPTION) < recycles) {
                        runWave(pool, taskSet, mailbox);
                    }
                    beforeClose = pool.stats();
                    pool.close();
                    afterClose = pool.stats();
                } finally {
                    pool.terminate();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String survivors = "none";
            try {
                watch.assertAllExit(Duration.ofSeconds(30));
            } catch (AssertionError e) {
                survivors = e.getMessage();
            }
            List<Long> zombies = Processes.zombieChildren();
            List<ProcessHandle> leftWorkers = Processes.workerChildren();
            int fdsEnd = Processes.openFileDescriptors();

            System.out.printf("SOAK seed=%d tasks=%d faults: %s children=%d | recycles=%d crashes=%d kills=%d "
                            + "started=%d failed=%d | fds start=%d end=%d | zombies=%d workersLeft=%d "
                            + "processesWatched=%d survivors=%s | %.1f s%n",
                    seed, tasks, counts.entrySet().stream().map(e -> e.getKey().name().toLowerCase() + "="
                            + e.getValue()).collect(Collectors.joining(" ")), children,
                    afterClose.workersRecycled(), afterClose.workersCrashed(), afterClose.workersKilled(),
                    afterClose.workersStarted(), afterClose.failed(), fdsStart, fdsEnd, zombies.size(),
                    leftWorkers.size(), watch.size(), survivors, seconds);

            int clean = count(Kind.NORMAL) + count(Kind.EXCEPTION);
            int crashes = count(Kind.SYSTEM_EXIT) + count(Kind.HALT);
            int cancels = count(Kind.CANCEL_QUEUED) + count(Kind.CANCEL_RUNNING);
            assertEquals(crashes, beforeClose.workersCrashed(), "crashes: " + beforeClose);
            assertEquals(crashes, afterClose.workersCrashed(), "the workers' exit at close is no crash: " + afterClose);
            assertEquals(clean, afterClose.workersRecycled(),
                    "every task that ended normally or threw retired its worker: " + afterClose);
            int killedAtLeast = count(Kind.TIMEOUT) + count(Kind.CANCEL_RUNNING);
            assertTrue(afterClose.workersKilled() >= killedAtLeast
                            && afterClose.workersKilled() <= count(Kind.TIMEOUT) + cancels,
                    "timeouts and cancellations of running tasks killed their workers: " + afterClose);
            assertEquals(tasks, afterClose.submitted(), afterClose.toString());
            assertEquals(count(Kind.NORMAL), afterClose.completed(), afterClose.toString());
            assertEquals(tasks - count(Kind.NORMAL), afterClose.failed(), "every other task failed: " + afterClose);
            assertTrue(afterClose.workersStarted() >= 2 + clean + crashes + killedAtLeast, afterClose.toString());
            assertEquals("none", survivors, "processes of the soak still alive");
            assertEquals(List.of(), zombies, "zombie children");
            assertEquals(List.of(), leftWorkers, "workers left");
            assertTrue(fdsEnd <= fdsStart + FD_SLACK, "file descriptors: " + fdsStart + " at the start, " + fdsEnd
                    + " at the end");
        }

        private int count(Kind kind) {
            return counts.get(kind);
        }

        /** The classes and threads a soak uses, loaded before the file descriptors are counted. */
        private static void warmUp() throws Exception {
            try (Mailbox mailbox = new Mailbox();
                 ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(1).build()) {
                Tasks tasks = new Tasks(mailbox.port());
                assertThrows(ExecutionException.class, () -> pool.applyAsync(tasks.halt, 2)
                        .get(60, TimeUnit.SECONDS));
                assertThrows(ExecutionException.class, () -> pool.applyAsync(tasks.hang, 4, HANG_TIMEOUT)
                        .get(60, TimeUnit.SECONDS));
                pool.applyAsync(tasks.normal, 1).get(60, TimeUnit.SECONDS); // task 0, with a child
                long child = Long.parseLong(mailbox.await("child-0", Duration.ofSeconds(60)).split(" ")[0]);
                Processes.awaitExit(child, Duration.ofSeconds(30)); // killed when its worker retired
            }
        }

        private void runWave(ProcessPool pool, Tasks taskSet, Mailbox mailbox) throws Exception {
            List<Pending> wave = new ArrayList<>();
            for (int i = 0; i < WAVE; i++) {
                Kind kind = Kind.pick(random);
                int n = tasks++;
                boolean child = kind != Kind.CANCEL_QUEUED && random.nextInt(100) < 15;
                int input = 2 * n + (child ? 1 : 0);
                CompletableFuture<String> future = switch (kind) {
                    case NORMAL -> pool.applyAsync(taskSet.normal, input);
                    case EXCEPTION -> pool.applyAsync(taskSet.exception, input);
                    case SYSTEM_EXIT -> pool.applyAsync(taskSet.exit, input);
                    case HALT -> pool.applyAsync(taskSet.halt, input);
                    case TIMEOUT -> pool.applyAsync(taskSet.hang, input,
                            child ? HANG_WITH_CHILD_TIMEOUT : HANG_TIMEOUT);
                    case CANCEL_QUEUED, CANCEL_RUNNING -> pool.applyAsync(taskSet.hang, input, Duration.ofMinutes(5));
                };
                if (kind == Kind.CANCEL_QUEUED) {
                    future.cancel(true); // most often still queued; if a worker took it already, it is killed
                }
                counts.merge(kind, 1, Integer::sum);
                children += child ? 1 : 0;
                wave.add(new Pending(kind, n, child, future));
            }
            for (Pending task : wave) {
                if (task.kind() == Kind.CANCEL_RUNNING) {
                    mailbox.await("start-" + task.n(), OUTCOME_WAIT);
                    task.future().cancel(true);
                }
            }
            for (Pending task : wave) {
                check(task);
                if (task.child()) {
                    String[] child = mailbox.await("child-" + task.n(), OUTCOME_WAIT).split(" ");
                    watch.add(Long.parseLong(child[0]), Long.parseLong(child[1]), "sleep 1000 of task " + task.n()
                            + " (" + task.kind() + ")");
                }
            }
        }

        private void check(Pending task) throws Exception {
            int n = task.n();
            String what = "task " + n + " (" + task.kind() + ", seed " + seed + ")";
            if (task.kind() == Kind.CANCEL_QUEUED || task.kind() == Kind.CANCEL_RUNNING) {
                assertTrue(task.future().isCancelled(), what);
                assertThrows(CancellationException.class, () -> task.future().get(1, TimeUnit.SECONDS), what);
                return;
            }
            if (task.kind() == Kind.NORMAL) {
                String result;
                try {
                    result = task.future().get(OUTCOME_WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
                }
                String[] parts = result.split(" ");
                assertEquals(7L * n + 3, Long.parseLong(parts[0]), what);
                assertTrue(normalWorkers.add(parts[1] + "@" + parts[2]), what + " ran in a worker that had run a "
                        + "task before: " + result);
                watch.add(Long.parseLong(parts[1]), Long.parseLong(parts[2]), "worker of " + what);
                return;
            }
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> task.future().get(OUTCOME_WAIT.toSeconds(), TimeUnit.SECONDS), what);
            Throwable failure = e.getCause();
            switch (task.kind()) {
                case EXCEPTION -> {
                    assertInstanceOf(IllegalStateException.class, failure, what);
                    assertEquals("boom " + n, failure.getMessage(), what);
                }
                case SYSTEM_EXIT, HALT -> {
                    WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, failure, what);
                    assertEquals(Tasks.exitCode(n), crash.exitCode(), what + ": " + crash.getMessage());
                }
                case TIMEOUT -> {
                    TaskTimeoutException timeout = assertInstanceOf(TaskTimeoutException.class, failure, what);
                    assertEquals(task.child() ? HANG_WITH_CHILD_TIMEOUT : HANG_TIMEOUT, timeout.timeout(), what);
                }
                default -> throw new AssertionError(task.kind());
            }
        }
    }
}
