package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedBarrier;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedQueue;
import dev.procpool.testing.LeakAudit;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Interrupts, timeouts and the deaths of waiters: nothing is lost, nobody waits forever. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedGiveBackTest {
    private static final Duration END = Duration.ofSeconds(60);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    @Test
    void anInterruptedTakeInAChildThrowsAndLosesNoItem() throws Exception {
        SharedQueue<String> queue = Shared.queue();
        SharedQueue<String> report = Shared.queue();
        SharedEvent waiting = Shared.event();
        JvmProcess child = JvmProcess.start(() -> {
            Thread taker = new Thread(() -> {
                try {
                    waiting.set();
                    queue.take();
                    report.offer("took");
                } catch (InterruptedException e) {
                    report.offer("interrupted");
                } catch (Exception e) {
                    report.offer("failed " + e);
                }
            });
            taker.start();
            waiting.await(); // the interrupt comes before or during the take's wait in the root: same outcome
            taker.interrupt();
            taker.join();
        });
        assertEquals("interrupted", report.poll(60, TimeUnit.SECONDS));
        assertTrue(child.join(END));
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
        queue.put("item");
        assertEquals("item", queue.poll(5, TimeUnit.SECONDS), "the cancelled taker took nothing");
    }

    @Test
    void aRootThreadInterruptedInAWaitGetsInterruptedException() throws Exception {
        SharedQueue<Integer> queue = Shared.queue();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            started.countDown();
            try {
                queue.take();
                outcome.complete("took");
            } catch (InterruptedException e) {
                outcome.complete("interrupted");
            }
        });
        taker.start();
        assertTrue(started.await(60, TimeUnit.SECONDS));
        taker.interrupt();
        assertEquals("interrupted", outcome.get(60, TimeUnit.SECONDS));
        taker.join();
        queue.put(1);
        assertEquals(1, queue.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void aPartyThatDiesBreaksTheBarrierForTheOthers() throws Exception {
        SharedBarrier barrier = Shared.barrier(3);
        SharedEvent arrived = Shared.event();
        JvmProcess party = JvmProcess.start(() -> {
            arrived.set();
            barrier.await();
        });
        assertTrue(arrived.await(END));
        // the party's await is in flight until the root counts it: a party that dies before it arrives breaks nothing
        long deadline = System.nanoTime() + END.toNanos();
        while (barrier.getNumberWaiting() < 1) {
            assertTrue(System.nanoTime() < deadline, "the child's party never arrived at the barrier");
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a bounded poll: the root has no event for it
        }
        CompletableFuture<Throwable> mine = CompletableFuture.supplyAsync(() -> {
            try {
                barrier.await(60, TimeUnit.SECONDS);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        // both wait now or soon; the child's death breaks the barrier whichever came first
        party.kill();
        assertTrue(party.join(END));
        Throwable failure = mine.get(90, TimeUnit.SECONDS);
        assertTrue(failure instanceof BrokenBarrierException, "broken by the death: " + failure);
        assertTrue(barrier.isBroken());
        barrier.reset();
        assertFalse(barrier.isBroken());
        assertEquals(0, barrier.getNumberWaiting());
    }

    @Test
    void timedWaitsAnswerInTime() throws Exception {
        SharedEvent never = Shared.event();
        assertFalse(never.await(Duration.ofMillis(100)));
        SharedBarrier barrier = Shared.barrier(2);
        assertThrows(java.util.concurrent.TimeoutException.class, () -> barrier.await(100, TimeUnit.MILLISECONDS));
        assertTrue(barrier.isBroken(), "a party that timed out breaks the barrier");
    }

    @Test
    void aGrandchildReachesTheRootsObjectsThroughItsParent() throws Exception {
        SharedQueue<String> queue = Shared.queue();
        JvmProcess child = JvmProcess.start(() -> {
            SharedQueue<String> madeInTheChild = Shared.queue(); // lives in the root too
            JvmProcess grandchild = JvmProcess.start(() -> {
                String seen = madeInTheChild.take();
                queue.put(seen + " via " + dev.procpool.worker.CurrentProcess.name());
            });
            madeInTheChild.put("hello");
            grandchild.join();
            if (grandchild.exitCode().orElse(-1) != 0) {
                throw new IllegalStateException("grandchild failed: " + grandchild.failure());
            }
        });
        assertEquals("hello via JvmProcess-1", queue.poll(60, TimeUnit.SECONDS));
        assertTrue(child.join(END));
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
    }
}
