package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProcessPool;
import dev.procpool.testing.Checkpoint.Arrival;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The leak audit: after a test, no zombie child of this JVM, no process started during the test still alive, and as
 * many open file descriptors as before it. On an instance field it audits every test of the class:
 * <pre>{@code @RegisterExtension final LeakAudit audit = new LeakAudit();}</pre>
 * A class whose tests share a pool opened in {@code @BeforeAll} registers {@link #perClass()} on a static field
 * instead: the class is audited as a whole, from before its {@code @BeforeAll} to after its {@code @AfterAll}.
 *
 * <p>A process "started during the test" was not alive at the start (compared by pid and start time, so that a
 * reused pid is not taken for an old process) and is a descendant of this JVM, or is in the session or process group
 * of a process known to be ours (a descendant, a {@linkplain #track tracked} pool's worker, a {@linkplain #watch
 * watched} process) and has this JVM's working directory: a task's child re-parented to init is found through its
 * worker's session. Give {@link #watch} what a test learns of otherwise (the workers of a supervisor in a child JVM).
 * All are awaited with {@code onExit()} within {@link #EXIT_WAIT}, one deadline for all; survivors are killed, so
 * that the next test does not inherit them, and reported. Pools given to {@link #track} are terminated first (a
 * no-op for one the test closed), so that a failed test does not leave its workers running.
 *
 * <p>What this JVM opens once and keeps (a jar the first pool loads classes from) is not a leak: the first audit in
 * a JVM runs a warm-up pool through what the tests use (recycling, a timeout, a task's child process, a checkpoint)
 * before its first count, and {@value #FD_SLACK} descriptors more at the end are tolerated. Tests must not run
 * concurrently: the counts are the JVM's.
 */
public final class LeakAudit implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** How long the processes of a test may take to exit after it; also the tests' own wait for one exit. */
    public static final Duration EXIT_WAIT = Duration.ofSeconds(20);
    private static final int FD_SLACK = 2;
    private static boolean warmedUp;

    private final boolean perClass;
    private final List<ProcessPool> pools = new ArrayList<>();
    private ProcessWatch watch = new ProcessWatch();
    private Map<Long, Optional<Instant>> aliveAtStart;
    private List<Long> zombiesAtStart;
    private int fdsAtStart = -1;

    /** Audits each test; register on an instance field. */
    public LeakAudit() {
        this(false);
    }

    private LeakAudit(boolean perClass) {
        this.perClass = perClass;
    }

    /** Audits the class as a whole; register on a static field. */
    public static LeakAudit perClass() {
        return new LeakAudit(true);
    }

    /** A pool the audit terminates and awaits before checking; its workers are watched. */
    public synchronized ProcessPool track(ProcessPool pool) {
        pools.add(pool);
        pool.workerPids().forEach(pid -> watch.add(pid, "worker"));
        return pool;
    }

    /** A process that must have exited after the test; one already gone is fine. */
    public void watch(long pid, String what) {
        watch.add(pid, what);
    }

    /** As {@link #watch(long, String)}, with the start time {@link Children#startMillis} took where it was alive. */
    public void watch(long pid, long startMillis, String what) {
        watch.add(pid, startMillis, what);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (perClass) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (perClass) {
            finish();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            start();
        } else if (fdsAtStart < 0) {
            throw new IllegalStateException("LeakAudit.perClass() belongs on a static field");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            finish();
        }
    }

    private synchronized void start() throws Exception {
        warmUpOnce();
        pools.clear();
        watch = new ProcessWatch();
        zombiesAtStart = Processes.zombieChildren();
        aliveAtStart = new HashMap<>();
        ProcessHandle.allProcesses().forEach(p -> aliveAtStart.put(p.pid(), p.info().startInstant()));
        fdsAtStart = Processes.openFileDescriptors();
    }

    private synchronized void finish() {
        Set<Long> ours = new HashSet<>(watch.pids());
        ProcessHandle.current().descendants().forEach(p -> ours.add(p.pid()));
        assertAll("leak audit",
                () -> endPools(ours),
                () -> awaitExitOfWhatTheTestStarted(ours),
                () -> assertEquals(List.of(), newZombies(), "zombie children of this JVM"),
                () -> {
                    int fds = Processes.openFileDescriptors();
                    assertTrue(fds <= fdsAtStart + FD_SLACK, "open file descriptors: " + fdsAtStart
                            + " at the start, " + fds + " at the end");
                });
    }

    private void endPools(Set<Long> ours) throws InterruptedException {
        for (ProcessPool pool : pools) {
            ours.addAll(pool.workerPids());
            pool.terminate();
        }
        for (ProcessPool pool : pools) {
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), pool + " ends after terminate()");
        }
    }

    private void awaitExitOfWhatTheTestStarted(Set<Long> ours) throws InterruptedException {
        ProcessHandle self = ProcessHandle.current();
        Set<Long> descendants = self.descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
        Optional<Path> workingDirectory = Processes.workingDirectory(self.pid());
        for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
            Optional<Instant> started = process.info().startInstant();
            if (started.isEmpty() || started.equals(aliveAtStart.get(process.pid()))) {
                continue; // not ours to read, or there before the test
            }
            boolean inOurSession = Processes.stat(process.pid())
                    .map(stat -> ours.contains(stat.session()) || ours.contains(stat.group())).orElse(false)
                    && workingDirectory.isPresent()
                    && workingDirectory.equals(Processes.workingDirectory(process.pid()));
            if (descendants.contains(process.pid()) || inOurSession) {
                watch.add(process, "started during the test");
            }
        }
        watch.assertAllExit(EXIT_WAIT);
    }

    private List<Long> newZombies() throws Exception {
        List<Long> zombies = new ArrayList<>(Processes.zombieChildren());
        zombies.removeAll(zombiesAtStart);
        return zombies;
    }

    private static synchronized void warmUpOnce() throws Exception {
        if (!warmedUp) {
            warmedUp = true; // once, even if it fails: the first test then reports why
            WarmUp.run();
        }
    }

    /** What a JVM opens once and keeps, opened before the first count. */
    private static final class WarmUp {
        static void run() throws Exception {
            long child;
            try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(3)
                    .taskTimeout(Duration.ofSeconds(30)).build(); Checkpoint checkpoint = new Checkpoint()) {
                int port = checkpoint.port();
                CompletableFuture<Integer> withChild = pool.applyAsync(x -> {
                    long pid = Children.startSleep();
                    Checkpoint.reach(port, ProcessHandle.current().pid() + " " + pid);
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    return x;
                }, 1);
                Arrival arrival = checkpoint.awaitMessage();
                child = arrival.field(1);
                assertEquals(1, withChild.get(60, TimeUnit.SECONDS));
                CompletableFuture<Integer> timedOut = pool.applyAsync(x -> {
                    Blocker.blockForever();
                    return x;
                }, 2, Duration.ofMillis(200));
                assertTrue(timedOut.handle((result, failure) -> failure).get(60, TimeUnit.SECONDS) != null);
                pool.map(x -> x, IntStream.range(0, 20).boxed().toList(), 1);
            }
            Processes.awaitExit(child, EXIT_WAIT);
        }
    }
}
