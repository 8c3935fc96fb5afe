package dev.procpool.classpath;

import dev.procpool.JvmProcess;
import dev.procpool.ProcessPool;
import dev.procpool.TaskFailedException;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedQueue;
import dev.procpool.worker.Task;
import java.nio.file.Path;
import java.util.List;

/**
 * The application the isolated-classpath tests run in a child JVM, started by {@link IsolatedLauncher} or
 * {@link NestedJarLauncher}: it prints one line per check, which the test reads.
 *
 * <p>Argument: the directory of the fixture classes ({@link Sources}).
 */
public final class IsolatedApp {
    private IsolatedApp() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of(args[0]);
        try (ProcessPool pool = ProcessPool.builder().workers(2)
                .initializer(() -> System.setProperty("hidden.offset", "1000")).build()) {
            System.out.println("squares=" + pool.map(x -> x * x, List.of(1, 2, 3, 4), 1));
            ClassLoader hidden = new DirLoader(fixtures, IsolatedApp.class.getClassLoader(), true);
            Task<Integer, Integer> square = (Task<Integer, Integer>) hidden.loadClass(Sources.SQUARE)
                    .getConstructor().newInstance();
            System.out.println("hidden=" + pool.apply(square, 7));
            System.out.println("workerBoot=" + pool.<Integer, String>apply(x -> System.getProperty("java.class.path"), 0));
        }
        // the fixtures alone as the user classpath: the task's own class comes from this JVM on request
        Task<Integer, Object> point = x -> Class.forName(Sources.POINT, true,
                Thread.currentThread().getContextClassLoader()).getConstructor().newInstance();
        try (ProcessPool pool = ProcessPool.builder().workers(1).classpath(fixtures.toString()).build()) {
            try {
                System.out.println("workerOnly=unexpected " + pool.apply(point, 1));
            } catch (TaskFailedException e) {
                System.out.println("workerOnly=" + e.getCause());
            }
        }
        SharedQueue<Integer> answers = Shared.queue();
        JvmProcess process = JvmProcess.start(() -> answers.put(6 * 7)); // a target of this application's classes
        process.join();
        System.out.println("process=" + process.exitCode().orElse(-1) + "/" + answers.poll());
        System.out.println("done");
    }
}
