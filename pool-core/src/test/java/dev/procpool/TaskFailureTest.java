package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Failures the worker survives: exceptions, serialization problems, output on System.out. One shared pool. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TaskFailureTest {
    @RegisterExtension
    static final LeakAudit AUDIT = LeakAudit.perClass();

    private static ProcessPool pool;

    @BeforeAll
    static void startPool() {
        pool = AUDIT.track(ProcessPool.create(2));
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    static final class CheckedProblem extends Exception {
        CheckedProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Only a constructor the supervisor cannot call with a message: it cannot be rebuilt. */
    static final class OddException extends RuntimeException {
        OddException(int code, long detail) {
            super("odd " + code + "/" + detail);
        }
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(60, TimeUnit.SECONDS));
        return e.getCause();
    }

    static int failChecked(int x) throws CheckedProblem {
        IOException root = new IOException("disk on fire");
        CheckedProblem problem = new CheckedProblem("cannot handle " + x, new IllegalStateException("middle", root));
        problem.addSuppressed(new UnsupportedOperationException("while cleaning up"));
        throw problem;
    }

    @Test
    void aTaskExceptionIsRebuiltWithClassMessageCausesSuppressedAndWorkerFrames() throws Exception {
        Throwable failure = failureOf(pool.applyAsync(TaskFailureTest::failChecked, 3));
        assertInstanceOf(CheckedProblem.class, failure);
        assertEquals("cannot handle 3", failure.getMessage());
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals("middle", failure.getCause().getMessage());
        assertInstanceOf(IOException.class, failure.getCause().getCause());
        assertEquals("disk on fire", failure.getCause().getCause().getMessage());
        assertNull(failure.getCause().getCause().getCause());
        assertEquals(1, failure.getSuppressed().length);
        assertInstanceOf(UnsupportedOperationException.class, failure.getSuppressed()[0]);
        assertTrue(Arrays.stream(failure.getStackTrace()).anyMatch(f -> f.getMethodName().equals("failChecked")),
                "the worker's frames: " + Arrays.toString(failure.getStackTrace()));
        // the worker's task runner; a task runs on either serving thread, so WorkerMain need not be on its stack
        assertTrue(Arrays.stream(failure.getStackTrace())
                .anyMatch(f -> f.getClassName().equals("dev.procpool.worker.ChunkRunner")), "and the worker's own");
    }

    @Test
    void blockingCallsWrapTheFailureInTaskFailedExceptionWithTheIndex() {
        Task<Integer, Integer> failOnSeven = x -> {
            if (x == 7) {
                throw new IllegalArgumentException("seven");
            }
            return x;
        };
        TaskFailedException applyFailure = assertThrows(TaskFailedException.class, () -> pool.apply(failOnSeven, 7));
        assertEquals(-1, applyFailure.index());
        assertInstanceOf(IllegalArgumentException.class, applyFailure.getCause());

        for (int chunksize : new int[] {1, 3, 100}) {
            TaskFailedException mapFailure = assertThrows(TaskFailedException.class,
                    () -> pool.map(failOnSeven, IntStream.range(0, 20).boxed().toList(), chunksize));
            assertEquals(7, mapFailure.index(), "chunksize " + chunksize);
            assertEquals("seven", mapFailure.getCause().getMessage());
        }
    }

    @Test
    void imapThrowsForTheFailedItemAndGoesOn() {
        Task<Integer, Integer> failOnOdd = x -> {
            if (x % 2 == 1) {
                throw new ArithmeticException("odd " + x);
            }
            return x;
        };
        Iterator<Integer> results = pool.imap(failOnOdd, IntStream.range(0, 6).boxed().toList(), 4);
        List<Object> seen = new ArrayList<>();
        while (results.hasNext()) {
            try {
                seen.add(results.next());
            } catch (TaskFailedException e) {
                assertInstanceOf(ArithmeticException.class, e.getCause());
                seen.add("failed " + e.index());
            }
        }
        assertEquals(List.of(0, "failed 1", 2, "failed 3", 4, "failed 5"), seen);
    }

    @Test
    void anExceptionThatCannotBeRebuiltArrivesAsRemoteException() throws Exception {
        Throwable failure = failureOf(pool.applyAsync(x -> {
            throw new OddException(x, 42L);
        }, 1));
        RemoteException remote = assertInstanceOf(RemoteException.class, failure);
        assertEquals(OddException.class.getName(), remote.remoteClassName());
        assertTrue(remote.getMessage().contains("odd 1/42"), remote.getMessage());
        assertTrue(remote.getStackTrace().length > 0);
    }

    @Test
    void unusualCausesSurvive() throws Exception {
        // a null message, a cause that cannot be rebuilt, and a cause cycle
        Throwable nullMessage = failureOf(pool.applyAsync(x -> {
            throw new IllegalStateException((String) null);
        }, 1));
        assertInstanceOf(IllegalStateException.class, nullMessage);
        assertNull(nullMessage.getMessage());

        Throwable unrebuildableCause = failureOf(pool.applyAsync(x -> {
            throw new RuntimeException("outer", new OddException(2, 3));
        }, 1));
        assertEquals("outer", unrebuildableCause.getMessage());
        assertInstanceOf(RemoteException.class, unrebuildableCause.getCause());

        Throwable cyclic = failureOf(pool.applyAsync(x -> {
            RuntimeException a = new RuntimeException("a");
            IllegalStateException b = new IllegalStateException("b", a);
            a.initCause(b);
            throw a;
        }, 1));
        assertEquals("a", cyclic.getMessage());
        assertEquals("b", cyclic.getCause().getMessage());
        assertNull(cyclic.getCause().getCause(), "the cycle is cut");
    }

    @Test
    void stackOverflowIsReportedAndThePoolGoesOn() throws Exception {
        // a pool of its own: its worker retires, and the shared pool's counters must not see that exit late
        try (ProcessPool own = ProcessPool.create(1)) {
            Throwable failure = failureOf(own.applyAsync(TaskFailureTest::recurse, 0));
            assertInstanceOf(StackOverflowError.class, failure);
            assertEquals(List.of(1, 4, 9), own.map(x -> x * x, List.of(1, 2, 3), 1));
        }
    }

    static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    void anUnserializableInputFailsWithSerializationExceptionNamingTheClass() throws Exception {
        Holder input = new Holder(() -> { }); // a lambda that is not Serializable
        PoolStats before = pool.stats();
        Throwable failure = failureOf(pool.applyAsync(h -> "never", input));
        assertInstanceOf(SerializationException.class, failure);
        assertTrue(failure.getMessage().contains(Holder.class.getName()), failure.getMessage());
        assertEquals("fine", pool.apply(x -> x, "fine"));
        assertNoWorkerEnded(before);
    }

    /** The workers that served before still serve: none crashed, was killed or retired since. */
    private static void assertNoWorkerEnded(PoolStats before) {
        PoolStats after = pool.stats();
        assertEquals(before.workersCrashed(), after.workersCrashed(), after.toString());
        assertEquals(before.workersKilled(), after.workersKilled(), after.toString());
        assertEquals(before.workersRecycled(), after.workersRecycled(), after.toString());
    }

    static final class Holder {
        final Runnable action;

        Holder(Runnable action) {
            this.action = action;
        }
    }

    @Test
    void anUnserializableResultFailsWithSerializationExceptionAndTheWorkerKeepsServing() throws Exception {
        PoolStats before = pool.stats();
        Throwable failure = failureOf(pool.applyAsync(x -> new Holder(() -> { }), 1));
        assertInstanceOf(SerializationException.class, failure);
        assertTrue(failure.getMessage().contains(Holder.class.getName()), failure.getMessage());

        // in a chunk, only the bad item fails
        TaskFailedException inMap = assertThrows(TaskFailedException.class, () -> pool.map(
                x -> x == 2 ? new Holder(() -> { }) : x, List.of(0, 1, 2, 3), 4));
        assertEquals(2, inMap.index());
        assertNoWorkerEnded(before);
        assertEquals(List.of(0, 1, 2, 3), pool.map(x -> x, List.of(0, 1, 2, 3), 4));
    }

    @Test
    void anUnserializableTaskFailsWithSerializationExceptionNamingTheClass() throws Exception {
        InputStream notSerializable = InputStream.nullInputStream();
        Task<Integer, Integer> captures = x -> x + notSerializable.available();
        Throwable failure = failureOf(pool.applyAsync(captures, 1));
        assertInstanceOf(SerializationException.class, failure);
        assertTrue(failure.getMessage().contains("task"), failure.getMessage());
        TaskFailedException blocking = assertThrows(TaskFailedException.class, () -> pool.apply(captures, 1));
        assertInstanceOf(SerializationException.class, blocking.getCause());
        assertThrows(TaskFailedException.class, () -> pool.map(captures, List.of(1, 2)));
    }

    @Test
    void writingToSystemOutDoesNotDisturbResults() {
        Task<Integer, Integer> noisy = x -> {
            String line = "x".repeat(1000) + x;
            for (int i = 0; i < 2000; i++) {
                System.out.println(line); // 2 MB per task
            }
            System.out.flush();
            new PrintStream(System.out).print("no newline");
            return x * 2;
        };
        assertEquals(List.of(0, 2, 4, 6), pool.map(noisy, List.of(0, 1, 2, 3), 1));
        assertEquals(10, (int) pool.<Integer, Integer>apply(x -> x * 2, 5));
    }

    @Test
    void cancellingAQueuedTaskKeepsItFromRunning() throws Exception {
        try (ProcessPool single = ProcessPool.create(1); Checkpoint gate = new Checkpoint()) {
            int port = gate.port();
            CompletableFuture<Integer> first = single.applyAsync(x -> {
                Checkpoint.hold(port, "first"); // holds the only worker until the second task is cancelled
                return x;
            }, 1);
            CompletableFuture<Integer> second = single.applyAsync(x -> {
                System.exit(9); // would crash the worker if it ran
                return x;
            }, 2);
            assertTrue(second.cancel(true));
            gate.awaitArrival().release();
            assertEquals(1, first.get(60, TimeUnit.SECONDS));
            assertEquals(3, (int) single.<Integer, Integer>apply(x -> x, 3));
            assertEquals(0, single.stats().workersCrashed());
            assertSame(true, second.isCancelled());
        }
    }
}
