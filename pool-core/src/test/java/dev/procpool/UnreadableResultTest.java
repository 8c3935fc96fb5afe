package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.testing.Await;
import dev.procpool.testing.InFlight;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Task;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, defect 5: a result whose class exists only in the worker (defined there from bytes by a class loader of
 * the task's, so the supervisor cannot find it) cannot be deserialized in the supervisor. Only its own item may
 * fail, with a SerializationException naming the class; the other items of its chunk, which come after it in the
 * same RESULT, are delivered with their values (today every item after it fails too). The worker did nothing wrong:
 * no worker ends.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnreadableResultTest {
    private static final String WORKER_ONLY = "hostile.workeronly.WorkerOnlyValue";

    /** The class file of WORKER_ONLY, compiled once, on no class path. */
    private static byte[] classBytes;

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();
    private ProcessPool pool;

    @BeforeAll
    static void compileTheWorkerOnlyClass(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("WorkerOnlyValue.java");
        Files.writeString(source, "package hostile.workeronly;\n"
                + "public final class WorkerOnlyValue implements java.io.Serializable {\n"
                + "    public final int value;\n"
                + "    public WorkerOnlyValue(int value) { this.value = value; }\n"
                + "}\n", StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests run on a JDK");
        assertEquals(0, javac.run(null, null, null, "-d", dir.resolve("classes").toString(), source.toString()));
        classBytes = Files.readAllBytes(dir.resolve("classes/hostile/workeronly/WorkerOnlyValue.class"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName(WORKER_ONLY), "the supervisor lacks it");
    }

    /** Defines WORKER_ONLY in the JVM it runs in; each loader defines its own copy. */
    static final class BytesLoader extends ClassLoader {
        BytesLoader() {
            super(BytesLoader.class.getClassLoader());
        }

        static Object newInstance(byte[] bytes, int value) throws ReflectiveOperationException {
            Class<?> type = new BytesLoader().defineClass(WORKER_ONLY, bytes, 0, bytes.length);
            return type.getConstructor(int.class).newInstance(value);
        }
    }

    /** x -> 10x, except for the inputs in {@code unreadable}: an instance of the worker-only class. */
    static Task<Integer, Object> workerOnlyAt(Set<Integer> unreadable) {
        byte[] bytes = classBytes;
        Set<Integer> at = new HashSet<>(unreadable);
        return x -> at.contains(x) ? BytesLoader.newInstance(bytes, x) : (Object) (x * 10);
    }

    @BeforeEach
    void startPool() {
        pool = audit.track(ProcessPool.create(2));
    }

    /** After the test's faults: the pool serves on, and no worker crashed, was killed or retired. */
    private void assertNoWorkerEnded() {
        InFlight.assertServes(pool, 40);
        Await.closeWithin(pool, Await.ANSWER);
        PoolStats stats = pool.stats();
        assertEquals(0, stats.workersCrashed() + stats.workersKilled() + stats.workersRecycled(), stats.toString());
    }

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void inAnImapChunkOfFourOnlyTheUnreadableItemFails() throws Exception {
        InFlight before = new InFlight(pool, 0, 10, 5);
        List<Object> seen = Await.outcomes(pool.imap(workerOnlyAt(Set.of(2, 8)), range(12), 4),
                SerializationException.class, WORKER_ONLY);
        InFlight after = new InFlight(pool, 100, 10, 5);
        // chunks [0..3] and [8..11]: the unreadable item second-to-last in one, first in the other
        assertEquals(List.of(0, 10, "failed 2", 30, 40, 50, 60, 70, "failed 8", 90, 100, 110), seen);
        before.assertAllCorrect();
        after.assertAllCorrect();
        assertNoWorkerEnded();
    }

    @Test
    void inAnImapUnorderedChunkOfFourOnlyTheUnreadableItemFails() throws Exception {
        InFlight before = new InFlight(pool, 0, 10, 5);
        List<Object> seen = Await.outcomes(pool.imapUnordered(workerOnlyAt(Set.of(1)), range(8), 4),
                SerializationException.class, WORKER_ONLY);
        before.assertAllCorrect();
        assertEquals(Set.of(0, "failed 1", 20, 30, 40, 50, 60, 70), Set.copyOf(seen), seen.toString());
        assertEquals(8, seen.size(), seen.toString());
        assertNoWorkerEnded();
    }

    @Test
    void mapReportsTheUnreadableItemAndNothingElseIsLost() throws Exception {
        InFlight before = new InFlight(pool, 0, 10, 5);
        Task<Integer, Object> task = workerOnlyAt(Set.of(2));
        TaskFailedException failure = assertThrows(TaskFailedException.class,
                () -> assertTimeoutPreemptively(Await.ANSWER, () -> pool.map(task, range(8), 4)));
        assertEquals(2, failure.index(), failure.toString());
        SerializationException cause = assertInstanceOf(SerializationException.class, failure.getCause());
        assertTrue(cause.getMessage().contains(WORKER_ONLY), cause.getMessage());
        before.assertAllCorrect();
        // the same items without the unreadable one come back whole, from the same workers
        assertEquals(List.of(0, 10, 20, 30, 40, 50, 60, 70),
                assertTimeoutPreemptively(Await.ANSWER, () -> pool.map(workerOnlyAt(Set.of()), range(8), 4)));
        assertNoWorkerEnded();
    }

    @Test
    void applyFailsWithSerializationExceptionNamingTheClass() throws Exception {
        InFlight before = new InFlight(pool, 0, 10, 5);
        Task<Integer, Object> task = workerOnlyAt(Set.of(5));
        SerializationException async = Await.failureOf(pool.applyAsync(task, 5), SerializationException.class,
                "applyAsync of an unreadable result");
        assertTrue(async.getMessage().contains(WORKER_ONLY), async.getMessage());
        InFlight after = new InFlight(pool, 100, 10, 5);
        TaskFailedException blocking = assertThrows(TaskFailedException.class,
                () -> assertTimeoutPreemptively(Await.ANSWER, () -> pool.apply(task, 5)));
        assertEquals(-1, blocking.index());
        assertInstanceOf(SerializationException.class, blocking.getCause());
        assertEquals(60, assertTimeoutPreemptively(Await.ANSWER, () -> pool.apply(task, 6)));
        before.assertAllCorrect();
        after.assertAllCorrect();
        assertEquals(List.of(0, 10, 30),
                assertTimeoutPreemptively(Await.ANSWER, () -> pool.map(task, List.of(0, 1, 3), 1)));
        assertNoWorkerEnded();
    }
}
