package dev.procpool.examples;

import dev.procpool.ProcessPool;
import dev.procpool.TaskFailedException;
import java.util.List;

/** The library example of the README, verbatim, so that it is compiled and run by the build. */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(100).build()) {
            List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3, 4));     // [1, 4, 9, 16]
            String hash = pool.applyAsync(new Sha256Task(), "hello").join();       // runs in a worker JVM
            System.out.println(squares + " " + hash);
            try {
                pool.apply(x -> 10 / x, 0);                                        // throws in the worker...
            } catch (TaskFailedException e) {
                System.out.println("failed: " + e.getCause());                     // ...ArithmeticException here
            }
        }                                                                          // close(): workers exit
    }
}
