package dev.procpool.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.procpool.ProcessPool;
import dev.procpool.worker.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

/**
 * Ordinary tasks submitted around a fault, each busy for a few milliseconds (so that it is in flight, not as a
 * synchronisation) and then returning 3x + 1; {@link #assertAllCorrect()} checks every one of them.
 */
public final class InFlight {
    private final List<CompletableFuture<Integer>> futures = new ArrayList<>();
    private final int first;

    public InFlight(ProcessPool pool, int first, int count, int millis) {
        this.first = first;
        Task<Integer, Integer> task = sleepThenCompute(millis);
        for (int i = 0; i < count; i++) {
            futures.add(pool.applyAsync(task, first + i));
        }
    }

    /** x -> 3x + 1, after being busy for {@code millis}. */
    public static Task<Integer, Integer> sleepThenCompute(int millis) {
        return x -> {
            Thread.sleep(millis);
            return 3 * x + 1;
        };
    }

    public void assertAllCorrect() throws InterruptedException {
        for (int i = 0; i < futures.size(); i++) {
            int x = first + i;
            assertEquals(3 * x + 1, Await.resultOf(futures.get(i), "task " + x + ", in flight during the fault"));
        }
    }

    /** The pool serves {@code count} more tasks, one per chunk, with the right results. */
    public static void assertServes(ProcessPool pool, int count) {
        List<Integer> inputs = IntStream.range(1000, 1000 + count).boxed().toList();
        List<Integer> results = assertTimeoutPreemptively(Await.ANSWER,
                () -> pool.map(sleepThenCompute(1), inputs, 1), "the pool hangs");
        assertEquals(inputs.stream().map(x -> 3 * x + 1).toList(), results, "the pool serves " + count + " more tasks");
    }
}
