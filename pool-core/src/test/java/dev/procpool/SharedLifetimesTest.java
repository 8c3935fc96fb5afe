package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.objects.Factory;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedMap;
import dev.procpool.shared.SharedQueue;
import dev.procpool.testing.LeakAudit;
import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Shared objects live as long as someone holds them: a worker given one, yes; a value dropped from a container, no. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SharedLifetimesTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** Many, so that objects of earlier tests freed meanwhile (the count is the JVM's) cannot hide a leak. */
    private static final int QUEUES = 200;

    @Test
    void aValueAConditionalReplaceOrRemoveDropsIsFreedOnceNothingElseHoldsIt() {
        SharedMap<String, Object> map = Shared.map();
        int before = Factory.aliveInRoot();
        storeQueuesThenDropThem(map, true);
        int alive = aliveAfterCollecting(before);
        assertTrue(alive <= before, "the queues replace(key, old, new) dropped were freed: " + before + " objects"
                + " before, " + alive + " after");
        storeQueuesThenDropThem(map, false);
        alive = aliveAfterCollecting(before);
        assertTrue(alive <= before, "the queues remove(key, value) dropped were freed: " + before + " objects"
                + " before, " + alive + " after");
    }

    /** Where a worker keeps the queue it was given, beyond the task (a static field of the worker's JVM). */
    private static volatile SharedQueue<Integer> kept;

    @Test
    void anObjectAWorkerGotInATaskStaysAliveAfterTheRootDropsItsHandle() {
        try (ProcessPool pool = ProcessPool.builder().workers(1).build()) {
            WeakReference<SharedQueue<Integer>> rootHandle = sendAQueue(pool);
            for (int gc = 0; gc < 200 && rootHandle.get() != null; gc++) {
                System.gc();
            }
            assertTrue(rootHandle.get() == null, "the root's handle was collected");
            int alive = Factory.aliveInRoot();
            aliveAfterCollecting(alive - 1); // time for the handle's cleaner, which would free an object nobody holds
            assertEquals(1, (int) pool.<Integer, Integer>apply(x -> {
                kept.add(x);
                return kept.size();
            }, 1), "the worker still uses the queue: handles in a task's input count as given to the worker");
        }
    }

    /** In a method of its own, so that the root's handle to the queue is unreachable once it returns. */
    private static WeakReference<SharedQueue<Integer>> sendAQueue(ProcessPool pool) {
        SharedQueue<Integer> queue = Shared.queue();
        assertEquals("kept", pool.apply(q -> {
            kept = q;
            return "kept";
        }, queue));
        return new WeakReference<>(queue);
    }

    /** In a method of its own, so that the root's handles to the queues are unreachable once it returns. */
    private static void storeQueuesThenDropThem(SharedMap<String, Object> map, boolean replace) {
        for (int i = 0; i < QUEUES; i++) {
            SharedQueue<Integer> queue = Shared.queue();
            map.put("queue", queue);
            assertTrue(replace ? map.replace("queue", queue, "no queue") : map.remove("queue", queue));
        }
    }

    /** Collects until the count falls to {@code expected} or below (each GC is a full collection, not a timer). */
    private static int aliveAfterCollecting(int expected) {
        for (int gc = 0; gc < 200 && Factory.aliveInRoot() > expected; gc++) {
            System.gc();
        }
        return Factory.aliveInRoot();
    }
}
