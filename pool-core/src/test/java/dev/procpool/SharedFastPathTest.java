package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.objects.Factory;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.testing.LeakAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared-memory fast path of locks and semaphores: a child on the pipe path and one on the mapped file agree on
 * one lock and one semaphore; owners and permit holders killed at the worst moment give back exactly what they held.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedFastPathTest {
    private static final Duration END = Duration.ofSeconds(60);
    private static final int ROUNDS = 2_000;

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static void succeeds(JvmProcess child) throws InterruptedException {
        assertTrue(child.join(END), child + " did not end");
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
    }

    @Test
    void aChildOnThePipesAndOneOnTheMappedFileShareALockAndASemaphore() throws Exception {
        SharedLock lock = Shared.reentrantLock();
        SharedSemaphore one = Shared.boundedSemaphore(1);
        SharedAtomicLong counter = Shared.atomicLong(0);
        SharedAtomicLong inside = Shared.atomicLong(0);
        SharedAtomicLong overlaps = Shared.atomicLong(0);
        SharedQueue<String> paths = Shared.queue();
        List<JvmProcess> children = new ArrayList<>();
        for (String shm : List.of("true", "false")) {
            children.add(JvmProcess.builder().jvmArgs("-Dprocpool.shm=" + shm).start(() -> {
                paths.put(shm + ":" + Factory.mapped());
                for (int i = 0; i < ROUNDS; i++) {
                    lock.lock();
                    try {
                        lock.lock(); // reentrant: the hold count is kept by whichever side owns it
                        counter.set(counter.get() + 1); // a read and a write: lost if two held the lock
                        lock.unlock();
                    } finally {
                        lock.unlock();
                    }
                    one.acquire();
                    if (inside.getAndIncrement() != 0) {
                        overlaps.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    one.release();
                }
            }));
        }
        List<String> seen = List.of(paths.poll(60, TimeUnit.SECONDS), paths.poll(60, TimeUnit.SECONDS));
        assertTrue(seen.contains("true:true"), "the default child maps the file: " + seen);
        assertTrue(seen.contains("false:false"), "-Dprocpool.shm=false keeps a child on the pipes: " + seen);
        for (JvmProcess child : children) {
            succeeds(child);
        }
        assertEquals(2L * ROUNDS, counter.get(), "every increment under the lock counted once");
        assertEquals(0, overlaps.get(), "never two holders of the one permit");
        assertEquals(1, one.availablePermits());
        assertFalse(lock.isLocked());
        assertTrue(Factory.mapped(), "the root acts on the words itself");
    }
}
