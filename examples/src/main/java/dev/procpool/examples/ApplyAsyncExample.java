package dev.procpool.examples;

import dev.procpool.ProcessPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * applyAsync with callbacks: Python's {@code pool.apply_async(f, args, callback=..., error_callback=...)}. The
 * callbacks run on the pool's threads, so they stay short.
 */
public final class ApplyAsyncExample {
    private ApplyAsyncExample() {
    }

    public static void main(String[] args) {
        try (ProcessPool pool = ProcessPool.create(2)) {
            List<CompletableFuture<Void>> printed = new ArrayList<>();
            for (String range : List.of("1 100000", "100001 200000", "200001 300000", "oops")) {
                printed.add(pool.applyAsync(new PrimeCountTask(), range)
                        .thenAccept(count -> System.out.println("primes in [" + range + "]: " + count))
                        .exceptionally(failure -> {
                            System.out.println("[" + range + "] failed: " + failure.getCause());
                            return null;
                        }));
            }
            // Wait for the callbacks themselves, not only for the results, before the pool closes.
            CompletableFuture.allOf(printed.toArray(CompletableFuture[]::new)).join();

            CompletableFuture<Integer> sum = pool.applyAsync((Integer x) -> x * x, 3)
                    .thenCombine(pool.applyAsync((Integer x) -> x * x, 4), Integer::sum);
            System.out.println("3*3 + 4*4 = " + sum.join());
        }
    }
}
