package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.procpool.testing.LeakAudit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker reads its input through an interruptible channel (closed at exit so that the JVM ends at once): a task
 * that leaves its thread's interrupt status set must not close it, and the worker serves on.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LeftoverInterruptTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void aTaskThatLeavesItsThreadInterruptedDoesNotCostTheWorker() {
        try (ProcessPool pool = ProcessPool.create(1)) {
            long pid = pool.workerPids().get(0);
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, (int) pool.<Integer, Integer>apply(x -> {
                    Thread.currentThread().interrupt();
                    return x + 1;
                }, i));
            }
            assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3), 1));
            assertEquals(List.of(pid), pool.workerPids(), "the same worker served throughout");
            assertEquals(0, pool.stats().workersCrashed());
        }
    }
}
