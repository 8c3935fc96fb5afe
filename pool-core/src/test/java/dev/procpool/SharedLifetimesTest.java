package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.objects.Factory;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedMap;
import dev.procpool.shared.SharedQueue;
import dev.procpool.testing.LeakAudit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A stored value that leaves its container for no one stops keeping the shared objects in it alive. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SharedLifetimesTest {
    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void aValueAConditionalReplaceOrRemoveDropsIsFreedOnceNothingElseHoldsIt() {
        SharedMap<String, Object> map = Shared.map();
        int before = Factory.aliveInRoot();
        storeAQueueThenDropIt(map, true);
        assertEquals(before, aliveAfterCollecting(before), "the queue replace(key, old, new) dropped was freed");
        storeAQueueThenDropIt(map, false);
        assertEquals(before, aliveAfterCollecting(before), "the queue remove(key, value) dropped was freed");
    }

    /** In a method of its own, so that the root's handle to the queue is unreachable once it returns. */
    private static void storeAQueueThenDropIt(SharedMap<String, Object> map, boolean replace) {
        SharedQueue<Integer> queue = Shared.queue();
        map.put("queue", queue);
        assertTrue(replace ? map.replace("queue", queue, "no queue") : map.remove("queue", queue));
    }

    /** Collects until the count falls to {@code expected} (each GC is a full collection here, not a timer). */
    private static int aliveAfterCollecting(int expected) {
        for (int gc = 0; gc < 200 && Factory.aliveInRoot() > expected; gc++) {
            System.gc();
        }
        return Factory.aliveInRoot();
    }
}
