package dev.procpool.bench;

import dev.procpool.worker.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The no-IPC ceiling: the same tasks on a {@link ThreadPoolExecutor} of as many threads as the pool has workers,
 * with the same chunking for map.
 */
final class ThreadsEngine implements Engine {
    private static final AtomicInteger IDS = new AtomicInteger();
    private final ThreadPoolExecutor executor;

    ThreadsEngine(int threads) {
        String prefix = "bench-threads-" + IDS.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> new Thread(r, prefix + n.getAndIncrement()));
        executor.prestartAllCoreThreads();
    }

    @Override
    public <T, R> R apply(Task<T, R> task, T input) {
        return applyAsync(task, input).join();
    }

    @Override
    public <T, R> CompletableFuture<R> applyAsync(Task<T, R> task, T input) {
        return CompletableFuture.supplyAsync(() -> call(task, input), executor);
    }

    @Override
    public <T, R> List<R> map(Task<T, R> task, List<T> inputs, int chunksize) {
        List<CompletableFuture<List<R>>> chunks = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += chunksize) {
            List<T> chunk = inputs.subList(from, Math.min(inputs.size(), from + chunksize));
            chunks.add(CompletableFuture.supplyAsync(() -> {
                List<R> out = new ArrayList<>(chunk.size());
                for (T input : chunk) {
                    out.add(call(task, input));
                }
                return out;
            }, executor));
        }
        List<R> results = new ArrayList<>(inputs.size());
        for (CompletableFuture<List<R>> chunk : chunks) {
            results.addAll(chunk.join());
        }
        return results;
    }

    private static <T, R> R call(Task<T, R> task, T input) {
        try {
            return task.apply(input);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(1, TimeUnit.MINUTES)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
