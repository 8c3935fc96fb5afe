package dev.procpool.examples;

import dev.procpool.PoolStats;
import dev.procpool.ProcessPool;
import dev.procpool.worker.WorkerContext;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Port of the two programs of section 9, "进程池 multiprocessing.Pool", in
 * reference/signalling-and-process-control.zh.txt: a pool of cpu_count * 2 workers with an initializer that says
 * "Starting", then the same with {@code maxtasksperchild=2}, where workers are replaced as they finish their tasks.
 *
 * <p>What a worker prints goes to its stderr, which the supervisor logs line by line (SLF4J logger
 * {@code dev.procpool.worker.stderr}), so the "Starting" lines appear there; the count of started workers comes from
 * {@link ProcessPool#stats()}.
 */
public final class PoolInitializerExample {
    private PoolInitializerExample() {
    }

    /** cpu_count() * 2 as in the tutorial, but at most 8 JVMs, so that the example stays quick on big machines. */
    static int poolSize() {
        return Math.min(Runtime.getRuntime().availableProcessors() * 2, 8);
    }

    static int doCalculation(int data) {
        return data * 2;
    }

    static void startProcess() {
        System.out.println("Starting worker " + WorkerContext.current().workerId() + ", pid "
                + ProcessHandle.current().pid());
    }

    public static void main(String[] args) throws InterruptedException {
        List<Integer> inputs = IntStream.range(0, 10).boxed().toList();
        System.out.println("Input   : " + inputs);
        System.out.println("Built-in: " + inputs.stream().map(PoolInitializerExample::doCalculation).toList());

        int poolSize = poolSize();
        runPool(ProcessPool.builder().workers(poolSize).initializer(PoolInitializerExample::startProcess), inputs);
        runPool(ProcessPool.builder().workers(poolSize).initializer(PoolInitializerExample::startProcess)
                .maxTasksPerChild(2), inputs);
    }

    private static void runPool(ProcessPool.Builder builder, List<Integer> inputs) throws InterruptedException {
        try (ProcessPool pool = builder.build()) {
            List<Integer> poolOutputs = pool.map(PoolInitializerExample::doCalculation, inputs);
            pool.shutdown(); // no more tasks
            pool.join(); // wrap up current tasks
            PoolStats stats = pool.stats();
            System.out.println("Pool    : " + poolOutputs);
            System.out.println("Workers started: " + stats.workersStarted() + ", recycled: " + stats.workersRecycled());
        }
    }
}
