package dev.procpool.bench;

import dev.procpool.ProcessPool;
import dev.procpool.worker.Task;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The operations the benchmarks time, on either a procpool {@link ProcessPool} or an in-process thread pool that
 * runs the same tasks without any IPC (the ceiling).
 */
public interface Engine extends AutoCloseable {
    <T, R> R apply(Task<T, R> task, T input);

    <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input);

    <T, R> List<R> map(Task<T, R> task, List<T> inputs, int chunksize);

    @Override
    void close();

    /** "procpool" or "threads". */
    static Engine open(String backend, int workers) {
        return switch (backend) {
            case "procpool" -> new ProcpoolEngine(Pools.create(workers));
            case "threads" -> new ThreadsEngine(workers);
            default -> throw new IllegalArgumentException("unknown backend " + backend);
        };
    }

    /** The real thing. */
    final class ProcpoolEngine implements Engine {
        final ProcessPool pool;

        ProcpoolEngine(ProcessPool pool) {
            this.pool = pool;
        }

        @Override
        public <T, R> R apply(Task<T, R> task, T input) {
            return pool.apply(task, input);
        }

        @Override
        public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input) {
            return pool.applyAsync(task, input);
        }

        @Override
        public <T, R> List<R> map(Task<T, R> task, List<T> inputs, int chunksize) {
            return pool.map(task, inputs, chunksize);
        }

        @Override
        public void close() {
            pool.close();
        }
    }
}
