package dev.procpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedBarrier;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedJoinableQueue;
import dev.procpool.shared.SharedList;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedMap;
import dev.procpool.shared.SharedNamespace;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.testing.LeakAudit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared objects used from the root and from children (JvmProcess and pool workers). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedObjectsTest {
    private static final Duration END = Duration.ofSeconds(60);

    @RegisterExtension
    final LeakAudit audit = new LeakAudit();

    private static void succeeds(JvmProcess child) throws InterruptedException {
        assertTrue(child.join(END), child + " did not end");
        assertEquals(OptionalInt.of(0), child.exitCode(), () -> "failure: " + child.failure());
    }

    @Test
    void aQueueCarriesCopiesBetweenProcessesInOrder() throws Exception {
        SharedQueue<String> queue = Shared.queue();
        JvmProcess producer = JvmProcess.start(() -> {
            for (int i = 0; i < 1000; i++) {
                queue.put("item " + i);
            }
            queue.put("done");
        });
        List<String> taken = new ArrayList<>();
        for (String item = queue.take(); !item.equals("done"); item = queue.take()) {
            taken.add(item);
        }
        succeeds(producer);
        assertEquals(IntStream.range(0, 1000).mapToObj(i -> "item " + i).toList(), taken);
        assertNull(queue.poll(50, TimeUnit.MILLISECONDS), "empty: a timed poll gives null");
        assertThrows(NullPointerException.class, () -> queue.put(null));
        IllegalArgumentException unserializable = assertThrows(IllegalArgumentException.class,
                () -> ((SharedQueue<Object>) (SharedQueue<?>) queue).put(new Thread()));
        assertTrue(unserializable.getMessage().contains("Thread"), unserializable.getMessage());
        assertEquals(0, queue.size(), "the bad element was never stored");
    }

    @Test
    void aBoundedQueueBlocksThePutterAndOfferReturnsFalse() throws Exception {
        SharedQueue<Integer> queue = Shared.queue(2);
        assertTrue(queue.offer(1));
        assertTrue(queue.offer(2));
        assertFalse(queue.offer(3));
        assertFalse(queue.offer(3, 50, TimeUnit.MILLISECONDS));
        JvmProcess taker = JvmProcess.start(() -> {
            if (queue.take() != 1) {
                throw new IllegalStateException("FIFO");
            }
        });
        queue.put(3); // blocks until the child took one
        succeeds(taker);
        assertEquals(List.of(2, 3), new ArrayList<>(queue));
    }

    @Test
    void aJoinableQueueCountsTaskDoneAcrossProcesses() throws Exception {
        SharedJoinableQueue<Integer> tasks = Shared.joinableQueue();
        SharedAtomicLong sum = Shared.atomicLong(0);
        for (int i = 1; i <= 100; i++) {
            tasks.put(i);
        }
        List<JvmProcess> consumers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            consumers.add(JvmProcess.builder().daemon(true).start(() -> {
                while (true) {
                    int n = tasks.take();
                    sum.addAndGet(n);
                    tasks.taskDone();
                }
            }));
        }
        assertTrue(tasks.join(END), "every item had its taskDone()");
        assertEquals(5050, sum.get());
        assertThrows(IllegalStateException.class, tasks::taskDone, "more taskDone() calls than items");
        consumers.forEach(JvmProcess::terminate);
        for (JvmProcess consumer : consumers) {
            assertTrue(consumer.join(END));
        }
    }

    @Test
    void aLockSerializesACounterAcrossPoolWorkersAndOwnershipIsChecked() throws Exception {
        SharedLock lock = Shared.lock();
        SharedMap<String, Integer> counter = Shared.map();
        counter.put("n", 0);
        try (ProcessPool pool = ProcessPool.create(2)) {
            pool.map(x -> {
                for (int i = 0; i < 200; i++) {
                    lock.lock();
                    try {
                        counter.put("n", counter.get("n") + 1);
                    } finally {
                        lock.unlock();
                    }
                }
                return x;
            }, List.of(1, 2, 3, 4), 1);
        }
        assertEquals(800, counter.get("n"));
        assertThrows(IllegalMonitorStateException.class, lock::unlock, "unlock by a non-owner");
        lock.lock();
        assertTrue(lock.isLocked());
        assertTrue(lock.isHeldByCurrentThread());
        assertFalse(lock.tryLock(), "tryLock by the owner of a non-reentrant lock");
        assertThrows(IllegalMonitorStateException.class, lock::lock, "lock again by its owner");
        lock.unlock();
        SharedLock reentrant = Shared.reentrantLock();
        reentrant.lock();
        reentrant.lock();
        reentrant.unlock();
        assertTrue(reentrant.isHeldByCurrentThread());
        reentrant.unlock();
        assertFalse(reentrant.isLocked());
    }

    @Test
    void aLockHeldByAKilledProcessIsReleased() throws Exception {
        SharedLock lock = Shared.lock();
        SharedEvent locked = Shared.event();
        JvmProcess holder = JvmProcess.start(() -> {
            lock.lock();
            locked.set();
            new java.util.concurrent.CountDownLatch(1).await();
        });
        assertTrue(locked.await(END));
        assertFalse(lock.tryLock());
        holder.kill();
        assertTrue(lock.tryLock(60, TimeUnit.SECONDS), "released when its owner's process died");
        lock.unlock();
        assertTrue(holder.join(END));
    }

    @Test
    void semaphorePermitsOfAProcessThatDiedAbnormallyComeBack() throws Exception {
        SharedSemaphore semaphore = Shared.semaphore(2);
        SharedEvent acquired = Shared.event();
        JvmProcess holder = JvmProcess.start(() -> {
            semaphore.acquire(2);
            acquired.set();
            new java.util.concurrent.CountDownLatch(1).await();
        });
        assertTrue(acquired.await(END));
        assertEquals(0, semaphore.availablePermits());
        assertFalse(semaphore.tryAcquire(50, TimeUnit.MILLISECONDS));
        holder.kill();
        assertTrue(semaphore.tryAcquire(2, 60, TimeUnit.SECONDS), "its two permits came back");
        assertTrue(holder.join(END));
        JvmProcess exits = JvmProcess.start(() -> {
            semaphore.release(2);
            semaphore.acquire();
            System.exit(0); // an orderly end: what it holds stays spent
        });
        assertTrue(exits.join(END));
        assertEquals(1, semaphore.availablePermits());
        SharedSemaphore bounded = Shared.boundedSemaphore(1);
        assertThrows(IllegalStateException.class, bounded::release);
    }

    @Test
    void eventsConditionsAndBarriersCoordinateProcesses() throws Exception {
        SharedEvent go = Shared.event();
        SharedBarrier barrier = Shared.barrier(3);
        SharedLock lock = Shared.reentrantLock();
        var ready = lock.newCondition();
        SharedNamespace ns = Shared.namespace();
        List<JvmProcess> parties = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            parties.add(JvmProcess.start(() -> {
                go.await();
                barrier.await(60, TimeUnit.SECONDS);
            }));
        }
        assertFalse(go.isSet());
        go.set();
        barrier.await(60, TimeUnit.SECONDS);
        for (JvmProcess party : parties) {
            succeeds(party);
        }
        JvmProcess signaller = JvmProcess.start(() -> {
            lock.lock();
            try {
                ns.set("stage", "two");
                ready.signalAll();
            } finally {
                lock.unlock();
            }
        });
        lock.lock();
        try {
            while (!ns.has("stage")) {
                assertTrue(ready.await(60, TimeUnit.SECONDS), "signalled");
            }
        } finally {
            lock.unlock();
        }
        succeeds(signaller);
        assertEquals("two", ns.get("stage"));
        assertEquals("Namespace(stage='two')", ns.toString());
        assertThrows(NoSuchElementException.class, () -> ns.get("nothing"));
        assertThrows(IllegalMonitorStateException.class, ready::signal, "signal without the lock");
    }

    @Test
    void mapsAndListsHoldCopiesAndComputeRunsInTheCaller() throws Exception {
        SharedMap<String, Integer> map = Shared.map();
        SharedList<String> list = Shared.list();
        List<JvmProcess> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            writers.add(JvmProcess.start(() -> {
                map.put("child-" + n, n);
                map.merge("total", n, Integer::sum);
                list.add("from " + n);
            }));
        }
        for (JvmProcess writer : writers) {
            succeeds(writer);
        }
        assertEquals(6, map.get("total"));
        assertEquals(5, map.size());
        assertEquals(4, list.size());
        assertTrue(list.contains("from 3"));
        assertThrows(NullPointerException.class, () -> map.put("x", null));
        List<Integer> copy = new ArrayList<>(List.of(1));
        SharedList<List<Integer>> lists = Shared.list();
        lists.add(copy);
        copy.add(2);
        assertEquals(List.of(1), lists.get(0), "a copy was stored, not the object");
        JvmProcess failing = JvmProcess.start(() -> {
            throw new IllegalStateException(Shared.lock().toString());
        });
        assertTrue(failing.join(END));
        assertInstanceOf(IllegalStateException.class, failing.failure().get());
    }

    @Test
    void objectsThatNoProcessCanReachAreFreed() throws Exception {
        int before = dev.procpool.objects.Factory.aliveInRoot();
        SharedQueue<Integer> kept = Shared.queue();
        JvmProcess child = JvmProcess.start(() -> {
            for (int i = 0; i < 100_000; i++) {
                SharedQueue<Integer> dropped = Shared.queue();
                dropped.offer(i);
            }
            kept.put(dev.procpool.objects.Factory.aliveInRoot()); // all of them, or fewer if some were freed
            // the dropped handles are collected and reported; each GC here is a full collection, not a timer
            for (int gc = 0; gc < 200 && dev.procpool.objects.Factory.aliveInRoot() > 1_000; gc++) {
                System.gc();
            }
            kept.put(dev.procpool.objects.Factory.aliveInRoot());
        });
        int afterCreating = kept.take();
        int afterCollecting = kept.take();
        succeeds(child);
        assertTrue(afterCollecting <= 1_000, "the child's dropped queues were freed while it ran: " + afterCreating
                + " then " + afterCollecting);
        assertTrue(dev.procpool.objects.Factory.aliveInRoot() <= before + 1,
                "after its end only what the root holds is left: " + dev.procpool.objects.Factory.aliveInRoot());
        assertEquals(0, kept.size());
    }
}
