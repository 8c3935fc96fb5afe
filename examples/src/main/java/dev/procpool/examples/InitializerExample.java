package dev.procpool.examples;

import dev.procpool.ProcessPool;
import dev.procpool.worker.WorkerContext;
import java.util.List;

/**
 * An initializer that opens a per-worker resource once and keeps it in a static field that tasks use: Python's
 * {@code Pool(initializer=init)} with {@code init} setting a global. Each worker process has its own copy of the
 * static field; in this (the supervisor's) JVM it stays null.
 */
public final class InitializerExample {
    /** Set in each worker by {@link #open()}; stands for a database connection, a model, a native handle. */
    private static Connection connection;

    private InitializerExample() {
    }

    /** Expensive to open, so once per worker, not once per task. Not thread-safe: a worker runs one task at a time. */
    static final class Connection {
        private final long pid = ProcessHandle.current().pid();
        private final int workerId = WorkerContext.current().workerId();
        private int uses;

        String query(String question) {
            uses++;
            return question.toUpperCase() + " (worker " + workerId + ", pid " + pid + ", use " + uses + ")";
        }
    }

    static void open() {
        connection = new Connection();
    }

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.builder().workers(2).initializer(InitializerExample::open).build()) {
            List<String> questions = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta");
            for (String answer : pool.map(question -> connection.query(question), questions, 1)) {
                System.out.println(answer);
            }
        }
        System.out.println("connection in this JVM: " + connection);
    }
}
