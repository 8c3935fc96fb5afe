package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.testing.LeakAudit;
import dev.procpool.worker.ProcessTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 200 children that loop (semaphore acquire; lock; counter step; unlock; release) on the fast path, each killed:
 * half by SIGKILL at a random moment, half halted by the test hook right after one of their compare-and-sets on a
 * lock or semaphore word (before the next step: the count of a permit, the WAKE of a waiter, the critical section).
 * Afterwards the lock is free, every permit is back, a new process gets both at once, and the counter is exact.
 *
 * <p>The counter's check: inside the lock a child writes its intent (child, total + 1, its record + 1), then its
 * record, then the total (the commit). The next owner that finds an intent one above the total knows its writer
 * died before the commit and sets that writer's record back to what it was, so the records always sum to the total
 * unless two processes held the lock at once (a lost update) or a dead owner's lock was never released (no progress).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SharedKillTest {
    private static final Duration END = Duration.ofSeconds(60);
    private static final int CHILDREN = 200;
    private static final int AT_ONCE = 4;
    private static final int PERMITS = 2;
    private static final int HALT = 70; // the hook's Runtime.halt status

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    /** Child 8 bits, total 32, record 24: far more than a child of a few hundred milliseconds reaches. */
    static long intent(int child, long total, long record) {
        return ((long) child << 56) | (total << 24) | record;
    }

    /** Inside the lock: repairs a dead owner's uncommitted step, then makes one step of {@code child}. */
    static void step(int child, SharedAtomicLong total, SharedAtomicLong intent, List<SharedAtomicLong> records) {
        long t = total.get();
        long in = intent.get();
        if (in != 0 && ((in >>> 24) & 0xFFFF_FFFFL) == t + 1) {
            records.get((int) (in >>> 56)).set((in & 0xFF_FFFF) - 1); // its writer died before the commit
        }
        if (child < 0) {
            return;
        }
        long r = records.get(child).get();
        intent.set(intent(child, t + 1, r + 1));
        records.get(child).set(r + 1);
        total.set(t + 1); // the commit
    }

    private static ProcessTarget loop(int child, SharedLock lock, SharedSemaphore permits, SharedAtomicLong total,
                                      SharedAtomicLong intent, List<SharedAtomicLong> records) {
        return () -> {
            while (true) {
                permits.acquire();
                lock.lock();
                try {
                    step(child, total, intent, records);
                } finally {
                    lock.unlock();
                }
                permits.release();
            }
        };
    }

    @Test
    void ownersAndHoldersKilledAtTheWorstMomentGiveBackExactly() throws Exception {
        SharedLock lock = Shared.lock();
        SharedSemaphore permits = Shared.semaphore(PERMITS);
        SharedAtomicLong total = Shared.atomicLong(0);
        SharedAtomicLong intent = Shared.atomicLong(0);
        List<SharedAtomicLong> records = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++) {
            records.add(Shared.atomicLong(0));
        }
        Random random = new Random(13);
        int halted = 0;
        int killed = 0;
        for (int first = 0; first < CHILDREN; first += AT_ONCE) {
            List<JvmProcess> children = new ArrayList<>();
            List<Integer> steps = new ArrayList<>();
            for (int c = first; c < first + AT_ONCE; c++) {
                JvmProcess.Builder builder = JvmProcess.builder().daemon(true);
                if (c % 2 == 0) { // 4 changes of words per loop: the halt lands on every kind of them
                    builder.jvmArgs("-XX:TieredStopAtLevel=1",
                            "-Dprocpool.test.haltAfterCas=" + (1 + random.nextInt(60)));
                } else {
                    builder.jvmArgs("-XX:TieredStopAtLevel=1");
                }
                children.add(builder.start(loop(c, lock, permits, total, intent, records)));
                steps.add(c % 2 == 0 ? Integer.MAX_VALUE : 1 + random.nextInt(10)); // a halted one: until it halts
            }
            long deadline = System.nanoTime() + END.toNanos();
            boolean[] done = new boolean[AT_ONCE];
            for (int left = AT_ONCE; left > 0; ) { // each is killed as soon as it made its steps: none idles
                for (int k = 0; k < AT_ONCE; k++) {
                    JvmProcess child = children.get(k);
                    if (done[k] || (child.isAlive() && records.get(first + k).get() < steps.get(k))) {
                        continue;
                    }
                    long spin = System.nanoTime() + random.nextInt(2_000_000); // a random moment of its loop
                    while (System.nanoTime() < spin) {
                        Thread.onSpinWait();
                    }
                    child.kill();
                    done[k] = true;
                    left--;
                }
                assertTrue(System.nanoTime() < deadline, "a child made no progress: a stuck waiter");
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // a bounded poll of the root's words
            }
            for (JvmProcess child : children) {
                assertTrue(child.join(END), child + " did not end");
                int code = child.exitCode().orElseThrow();
                if (code == HALT) {
                    halted++;
                } else if (code == 128 + 9 || code == -1) {
                    killed++; // -1: Commons Exec's execute() threw as the kill closed the pipes (ChildProcess.run)
                } else {
                    fail(child + " ended with " + code + ": " + child.failure());
                }
            }
        }
        assertTrue(halted >= 20 && killed >= 20, "halted " + halted + ", killed " + killed);
        assertTrue(lock.tryLock(30, TimeUnit.SECONDS), "the lock is free again");
        try {
            step(-1, total, intent, records);
        } finally {
            lock.unlock();
        }
        long sum = records.stream().mapToLong(SharedAtomicLong::get).sum();
        assertTrue(total.get() >= CHILDREN, "children made progress: " + total.get());
        assertEquals(total.get(), sum, "the counter is exact (halted " + halted + ", killed " + killed + ")");
        assertEquals(PERMITS, permits.availablePermits(), "every permit came back");
        JvmProcess next = JvmProcess.start(() -> {
            if (!lock.tryLock(30, TimeUnit.SECONDS) || !permits.tryAcquire(PERMITS, 30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a new process waits for what the dead held");
            }
        });
        assertTrue(next.join(END));
        assertEquals(OptionalInt.of(0), next.exitCode(), () -> "failure: " + next.failure());
    }
}
