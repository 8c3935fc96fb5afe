package dev.procpool;

import static dev.procpool.testing.Faults.servingPids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Await;
import dev.procpool.testing.Checkpoint;
import dev.procpool.testing.InFlight;
import dev.procpool.testing.Processes;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Task;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9, defects 1 and 2: a result or an exception that overflows the stack while the worker converts it (a
 * linked list too deep for Kryo's recursion; an exception whose getMessage() calls toString(), which calls
 * getMessage()). Today the worker either dies or keeps its heartbeat with the task unanswered forever, depending on
 * which of its two threads ran the task. Wanted: the item fails with a clear exception, the other tasks in flight and
 * later ones succeed, and a worker whose JVM may be damaged (a StackOverflowError is a VirtualMachineError) retires
 * after answering. Every fault is injected while other tasks are in flight, each on a fresh pool.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileResultTest {
    private static final int DEPTH = 200_000;
    /** Generous bound for a retiring worker to be gone (the grace period is a few seconds). */
    private static final Duration GONE_WITHIN = Duration.ofSeconds(30);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** A link of a chain; Kryo writes a chain recursively, a few stack frames per link. */
    static final class SerializableLink implements Serializable {
        final int value;
        final SerializableLink next;

        SerializableLink(int value, SerializableLink next) {
            this.value = value;
            this.next = next;
        }
    }

    static final class PlainLink {
        final int value;
        final PlainLink next;

        PlainLink(int value, PlainLink next) {
            this.value = value;
            this.next = next;
        }
    }

    enum Shape {
        SERIALIZABLE(SerializableLink.class), PLAIN(PlainLink.class);

        final Class<?> type;

        Shape(Class<?> type) {
            this.type = type;
        }
    }

    enum When { FIRST_TASK_OF_A_FRESH_WORKER, AFTER_OTHER_TASKS }

    /** A chain of DEPTH links of the shape's class (0 Serializable, 1 plain), built inside the worker. */
    static Object chain(int shape) {
        if (shape == 0) {
            SerializableLink head = null;
            for (int i = 0; i < DEPTH; i++) {
                head = new SerializableLink(i, head);
            }
            return head;
        }
        PlainLink head = null;
        for (int i = 0; i < DEPTH; i++) {
            head = new PlainLink(i, head);
        }
        return head;
    }

    /** Two attempts of each case, each on fresh workers: 8 workers in all, as the issue saw it fail differently. */
    static Stream<Arguments> attempts() {
        List<Arguments> all = new ArrayList<>();
        for (int attempt = 1; attempt <= 2; attempt++) {
            for (Shape shape : Shape.values()) {
                for (When when : When.values()) {
                    all.add(Arguments.of(shape, when, attempt));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} links, {1}, attempt {2}")
    @MethodSource("attempts")
    void aResultTooDeepToSerializeFailsWithSerializationExceptionAndItsWorkerRetires(Shape shape, When when,
            int attempt) throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        try (Checkpoint checkpoint = new Checkpoint()) {
            int port = checkpoint.port();
            InFlight before = null;
            if (when == When.AFTER_OTHER_TASKS) {
                servingPids(pool, checkpoint, 2, audit); // each worker has run a task
                before = new InFlight(pool, 0, 6, 5);
            }
            CompletableFuture<Object> deep = pool.applyAsync(kind -> {
                Checkpoint.reach(port, Long.toString(ProcessHandle.current().pid()));
                return chain(kind);
            }, shape.ordinal());
            InFlight after = new InFlight(pool, 100, 10, 5);
            long pid = checkpoint.awaitMessage().field(0);
            audit.watch(pid, "the worker that ran the too-deep result");

            SerializationException failure = Await.failureOf(deep, SerializationException.class,
                    "the task whose result is too deep to serialize");
            assertTrue(failure.getMessage().contains(shape.type.getName()), "names the class: " + failure.getMessage());
            if (before != null) {
                before.assertAllCorrect();
            }
            after.assertAllCorrect();

            // the worker answered, then retired: its JVM may be damaged (StringBuffer could no longer initialize)
            Processes.awaitExit(pid, GONE_WITHIN);
            Set<Long> serving = servingPids(pool, checkpoint, 2, audit);
            assertFalse(serving.contains(pid), "the worker that overflowed its stack still serves: " + serving);
            Task<Integer, String> usesStringBuffer = x -> new StringBuffer("v").append(x).toString();
            assertEquals(IntStream.range(0, 20).mapToObj(x -> "v" + x).toList(),
                    assertTimeoutPreemptively(Await.ANSWER, () -> pool.map(usesStringBuffer,
                            IntStream.range(0, 20).boxed().toList(), 1)));
            InFlight.assertServes(pool, 40);
            Await.closeWithin(pool, Await.ANSWER);
            PoolStats stats = pool.stats();
            assertEquals(0, stats.workersCrashed(), "the worker answered before it went: " + stats);
            assertEquals(0, stats.workersKilled(), stats.toString());
            assertTrue(stats.workersRecycled() >= 1, "the damaged worker retired: " + stats);
        }
    }

    @Test
    void aTooDeepResultInAChunkFailsOnlyItsItem() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        InFlight others = new InFlight(pool, 0, 10, 5);
        Task<Integer, Object> deepAtTwo = x -> x == 2 ? chain(1) : (Object) (x * 10);
        List<Object> seen = Await.outcomes(pool.imap(deepAtTwo, IntStream.range(0, 8).boxed().toList(), 4),
                SerializationException.class, PlainLink.class.getName());
        assertEquals(List.of(0, 10, "failed 2", 30, 40, 50, 60, 70), seen);
        others.assertAllCorrect();

        TaskFailedException inMap = assertThrows(TaskFailedException.class, () -> assertTimeoutPreemptively(
                Await.ANSWER, () -> pool.map(deepAtTwo, IntStream.range(0, 8).boxed().toList(), 4)));
        assertEquals(2, inMap.index());
        assertInstanceOf(SerializationException.class, inMap.getCause());
        InFlight.assertServes(pool, 40);
        Await.closeWithin(pool, Await.ANSWER);
        assertEquals(0, pool.stats().workersCrashed(), pool.stats().toString());
    }

    /**
     * getMessage() calls toString(), which calls getLocalizedMessage(), which calls getMessage(): reading the message
     * overflows the stack, in the worker and in the supervisor alike. The class could be rebuilt by its constructor,
     * but a rebuilt instance would hand the caller the same trap: only a RemoteException is a safe answer.
     */
    static final class SelfDescribingException extends RuntimeException {
        public SelfDescribingException(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String getMessage() {
            return "trouble in " + this;
        }
    }

    static int throwSelfDescribing(int x) {
        throw new SelfDescribingException("never readable", new IllegalStateException("root cause " + x));
    }

    @Test
    void anExceptionWhoseGetMessageRecursesArrivesAsRemoteExceptionWithWhatCouldBeRead() throws Exception {
        ProcessPool pool = audit.track(ProcessPool.create(2));
        for (int attempt = 0; attempt < 4; attempt++) { // the task lands on either worker thread
            InFlight before = new InFlight(pool, 100 * attempt, 5, 5);
            CompletableFuture<Integer> faulty = pool.applyAsync(HostileResultTest::throwSelfDescribing, attempt);
            InFlight after = new InFlight(pool, 100 * attempt + 50, 5, 5);

            RemoteException remote = Await.failureOf(faulty, RemoteException.class,
                    "attempt " + attempt + ": the task whose exception's getMessage() recurses");
            String name = SelfDescribingException.class.getName();
            assertEquals(name, remote.remoteClassName());
            assertTrue(remote.getMessage().contains(name), remote.getMessage());
            assertTrue(Arrays.stream(remote.getStackTrace())
                    .anyMatch(frame -> frame.getMethodName().equals("throwSelfDescribing")),
                    "the worker's stack trace: " + Arrays.toString(remote.getStackTrace()));
            IllegalStateException cause = assertInstanceOf(IllegalStateException.class, remote.getCause());
            assertEquals("root cause " + attempt, cause.getMessage());
            before.assertAllCorrect();
            after.assertAllCorrect();
        }

        // as the cause of an ordinary exception, in a chunk of four: only that item fails
        Task<Integer, Integer> badCauseAtOne = x -> {
            if (x == 1) {
                throw new IllegalArgumentException("outer", new SelfDescribingException("inner", null));
            }
            return x;
        };
        TaskFailedException inMap = assertThrows(TaskFailedException.class, () -> assertTimeoutPreemptively(
                Await.ANSWER, () -> pool.map(badCauseAtOne, List.of(0, 1, 2, 3), 4)));
        assertEquals(1, inMap.index());
        assertInstanceOf(IllegalArgumentException.class, inMap.getCause());
        assertEquals("outer", inMap.getCause().getMessage());
        RemoteException inner = assertInstanceOf(RemoteException.class, inMap.getCause().getCause());
        assertEquals(SelfDescribingException.class.getName(), inner.remoteClassName());

        InFlight.assertServes(pool, 40);
        Await.closeWithin(pool, Await.ANSWER);
        assertEquals(0, pool.stats().workersCrashed(), "every worker answered: " + pool.stats());
        assertEquals(0, pool.stats().workersKilled(), pool.stats().toString());
    }
}
