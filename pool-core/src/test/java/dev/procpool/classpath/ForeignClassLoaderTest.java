package dev.procpool.classpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.ProcessPool;
import dev.procpool.SerializationException;
import dev.procpool.TaskFailedException;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.Initializer;
import dev.procpool.worker.Task;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Classes a worker cannot find on its classpath: it asks the supervisor, which answers from the task's or the
 * initializer's class loader; what nobody has fails that task, naming the class; a result class only the worker
 * has fails in the supervisor with a SerializationException naming it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ForeignClassLoaderTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static Path classes;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        classes = Sources.compileFixtures(dir);
    }

    @SuppressWarnings("unchecked")
    private static <T> T instance(ClassLoader loader, String name) throws ReflectiveOperationException {
        return (T) loader.loadClass(name).getConstructor().newInstance();
    }

    @Test
    void aTaskAndAnInitializerOnlyTheSupervisorsLoaderHasAreFetchedFromIt() throws Exception {
        ClassLoader hidden = new DirLoader(classes, getClass().getClassLoader(), true);
        Task<Integer, Integer> square = instance(hidden, Sources.SQUARE);
        Initializer prepare = instance(hidden, Sources.PREPARE); // runs before any task: its class comes over CALL
        try (ProcessPool pool = ProcessPool.builder().workers(2).initializer(prepare).build()) {
            assertEquals(1049, pool.apply(square, 7));
            assertEquals(List.of(1001, 1004, 1009), pool.map(square, List.of(1, 2, 3), 1));
        }
    }

    @Test
    void aClassNobodyCanProvideFailsItsTaskNamingTheClass() throws Exception {
        ClassLoader opaque = new DirLoader(classes, getClass().getClassLoader(), false);
        Task<Integer, Integer> square = instance(opaque, Sources.SQUARE);
        try (ProcessPool pool = ProcessPool.create(1)) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(square, 7));
            assertTrue(String.valueOf(e.getCause()).contains(Sources.SQUARE), String.valueOf(e.getCause()));
            assertEquals(4, (int) pool.<Integer, Integer>apply(x -> x * x, 2), "the pool stays usable");
        }
    }

    @Test
    void aResultClassOnlyTheWorkerHasIsASerializationExceptionNamingIt() {
        String classpath = System.getProperty("java.class.path") + File.pathSeparator + classes; // workers only
        Task<Integer, Object> point = x -> Class.forName(Sources.POINT, true,
                Thread.currentThread().getContextClassLoader()).getConstructor().newInstance();
        try (ProcessPool pool = ProcessPool.builder().workers(1).classpath(classpath).build()) {
            TaskFailedException e = assertThrows(TaskFailedException.class, () -> pool.apply(point, 1));
            SerializationException cause = assertInstanceOf(SerializationException.class, e.getCause());
            assertTrue(cause.getMessage().contains(Sources.POINT), cause.getMessage());
            assertEquals(9, (int) pool.<Integer, Integer>apply(x -> x * x, 3), "the pool stays usable");
        }
    }
}
