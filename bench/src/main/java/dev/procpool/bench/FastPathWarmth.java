package dev.procpool.bench;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedBarrier;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock and semaphore rows of primitives.py (2 children, each 20,000 operations right after its start) with a
 * warm-up first: how much of those rows is the shared-memory fast path and how much a fresh JVM's interpreter.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.procpool.bench.FastPathWarmth lock|semaphore CHILDREN OPS WARMUP</pre>
 *
 * Prints one line: the operations of all children per second of the slower child's timed loop, which each child
 * times itself after a barrier, as primitives.py does.
 */
public final class FastPathWarmth {
    private FastPathWarmth() {
    }

    public static void main(String[] args) throws Exception {
        boolean lockRow = args[0].equals("lock");
        int children = Integer.parseInt(args[1]);
        int ops = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        SharedLock lock = Shared.lock();
        SharedSemaphore semaphore = Shared.semaphore(1);
        SharedAtomicLong counter = Shared.atomicLong(0);
        SharedBarrier start = Shared.barrier(children + 1);
        SharedQueue<Long> done = Shared.queue();
        List<JvmProcess> started = new ArrayList<>();
        for (int c = 0; c < children; c++) {
            started.add(JvmProcess.start(() -> {
                run(lockRow, lock, semaphore, counter, warmup);
                start.await();
                long t = System.nanoTime();
                run(lockRow, lock, semaphore, counter, ops);
                done.put(System.nanoTime() - t);
            }));
        }
        start.await();
        long slowest = 0;
        for (int c = 0; c < children; c++) {
            slowest = Math.max(slowest, done.take());
        }
        for (JvmProcess child : started) {
            child.join();
        }
        long expected = (long) children * (ops + warmup);
        if (lockRow && counter.get() != expected) {
            throw new AssertionError("counter " + counter.get() + ", expected " + expected);
        }
        System.out.printf("%s: %d children x %,d ops after %,d warm-up ops each: %,.0f ops/s%n", args[0], children,
                ops, warmup, children * (double) ops / (slowest / 1e9));
    }

    private static void run(boolean lockRow, SharedLock lock, SharedSemaphore semaphore, SharedAtomicLong counter,
                            int ops) throws InterruptedException {
        for (int i = 0; i < ops; i++) {
            if (lockRow) {
                lock.lock();
                try {
                    counter.incrementAndGet();
                } finally {
                    lock.unlock();
                }
            } else {
                semaphore.acquire();
                semaphore.release();
            }
        }
    }
}
