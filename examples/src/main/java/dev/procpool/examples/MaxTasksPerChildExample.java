package dev.procpool.examples;

import dev.procpool.ProcessPool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * maxTasksPerChild: each worker process is replaced after 3 tasks, so 12 tasks on 2 workers run in at least 4
 * different processes. Python's {@code Pool(2, maxtasksperchild=3)}; it bounds what a leaking task can pile up.
 */
public final class MaxTasksPerChildExample {
    private MaxTasksPerChildExample() {
    }

    public static void main(String[] args) {
        ProcessPool pool = ProcessPool.builder().workers(2).maxTasksPerChild(3).build();
        try (pool) {
            List<Integer> tasks = IntStream.range(0, 12).boxed().toList();
            // chunksize 1: a "task" for maxTasksPerChild is one chunk, as in Python
            List<Long> pids = pool.map(i -> ProcessHandle.current().pid(), tasks, 1);
            for (int i = 0; i < pids.size(); i++) {
                System.out.println("task " + i + " ran in pid " + pids.get(i));
            }
            System.out.println("distinct pids: " + pids.stream().distinct().count());
        }
        // after close(): a worker counts as recycled once it has exited, and the last ones may still be exiting
        // when map() returns (their replacements already serve)
        System.out.println("workers recycled: " + pool.stats().workersRecycled());
    }
}
