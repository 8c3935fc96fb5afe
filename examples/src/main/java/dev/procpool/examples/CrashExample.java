package dev.procpool.examples;

import dev.procpool.ProcessPool;
import dev.procpool.WorkerCrashedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

/**
 * A task that ends its JVM (System.exit, Runtime.halt) costs one worker, not the pool: its caller gets a
 * {@link WorkerCrashedException} with the exit code and the tail of the worker's stderr, a replacement starts, and
 * the other tasks are not affected. In Python a worker killed inside {@code Pool.map} makes the call hang forever
 * (see anchors/python-pool/failure.py).
 */
public final class CrashExample {
    private CrashExample() {
    }

    static int squareOrDie(int x) {
        if (x == 3) {
            System.err.println("task 3: calling System.exit(3)");
            System.exit(3);
        }
        if (x == 7) {
            Runtime.getRuntime().halt(42); // no shutdown hooks, as close to a JVM crash as plain Java gets
        }
        return x * x;
    }

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.create(2)) {
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                futures.add(pool.applyAsync(CrashExample::squareOrDie, i));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    System.out.println("input " + i + ": " + futures.get(i).join());
                } catch (CompletionException e) {
                    if (e.getCause() instanceof WorkerCrashedException crash) {
                        // the message has the exit code and the last lines the worker wrote to stderr
                        System.out.println("input " + i + ": WorkerCrashedException, exit code " + crash.exitCode());
                        crash.getMessage().lines().forEach(line -> System.out.println("    " + line));
                    } else {
                        System.out.println("input " + i + ": " + e.getCause());
                    }
                }
            }
            System.out.println("after the crashes: " + pool.map(x -> x + 1, IntStream.range(0, 5).boxed().toList()));
            System.out.println("workers started: " + pool.stats().workersStarted() + ", crashed: "
                    + pool.stats().workersCrashed());
        }
    }
}
