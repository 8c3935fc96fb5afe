package dev.procpool.bench;

import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.worker.ProcessTarget;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shared objects: a proxy call round trip and queue throughput. JMH's forked JVM is the root, where a handle is the
 * object itself, so the proxy side is measured from one JvmProcess child started in the trial set-up: the measured
 * method sends the child a command over a shared queue, the child does {@link #CALLS} calls or moves {@link #ITEMS}
 * items, and says done over a second queue. That command and that "done" (one queue ping-pong, about one call's
 * cost) are spread over the invocation's operations. The {@code root*} benchmarks are the same calls on the root's
 * own objects (no I/O): the floor. The lock and semaphore benchmarks measure an uncontended acquire + release on the
 * shared-memory fast path (a CAS and a swap on the mapped word), in the root and in the child ({@link #FAST_CALLS}
 * pairs per command, so that the command's round trip costs about a nanosecond of each).
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SharedObjectsBenchmark {
    static final int CALLS = 1_000;
    static final int ITEMS = 10_000;
    static final int FAST_CALLS = 200_000;
    private static final int STOP = 0;
    private static final int GETS = 1;
    private static final int TAKE = 2;
    private static final int PUT = 3;
    private static final int LOCKS = 4;
    private static final int PERMITS = 5;

    private SharedAtomicLong atomic;
    private SharedLock lock;
    private SharedSemaphore semaphore;
    private SharedQueue<Integer> commands;
    private SharedQueue<Integer> done;
    private SharedQueue<Integer> items;
    private SharedQueue<Integer> local;
    private JvmProcess child;

    @Setup(Level.Trial)
    public void start() throws InterruptedException {
        atomic = Shared.atomicLong(42);
        lock = Shared.lock();
        semaphore = Shared.semaphore(1);
        commands = Shared.queue();
        done = Shared.queue();
        items = Shared.queue();
        local = Shared.queue();
        child = JvmProcess.builder().daemon(true).jvmArgs(Pools.workerJvmArgs().toArray(String[]::new))
                .start(childLoop(atomic, lock, semaphore, commands, done, items));
        command(GETS); // the child runs and its proxies are connected
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        commands.put(STOP);
        if (!child.join(Duration.ofSeconds(60))) {
            child.kill();
        }
    }

    /** The child: one command at a time until STOP. Static, so that the target captures the handles, not the state. */
    private static ProcessTarget childLoop(SharedAtomicLong atomic, SharedLock lock, SharedSemaphore semaphore,
                                           SharedQueue<Integer> commands, SharedQueue<Integer> done,
                                           SharedQueue<Integer> items) {
        return () -> {
            for (int command = commands.take(); command != STOP; command = commands.take()) {
                long sum = 0;
                switch (command) {
                    case GETS -> {
                        for (int i = 0; i < CALLS; i++) {
                            sum += atomic.get();
                        }
                    }
                    case TAKE -> {
                        for (int i = 0; i < ITEMS; i++) {
                            sum += items.take();
                        }
                    }
                    case PUT -> {
                        for (int i = 0; i < ITEMS; i++) {
                            items.put(i);
                        }
                    }
                    case LOCKS -> {
                        for (int i = 0; i < FAST_CALLS; i++) {
                            lock.lock();
                            lock.unlock();
                        }
                    }
                    case PERMITS -> {
                        for (int i = 0; i < FAST_CALLS; i++) {
                            semaphore.acquire();
                            semaphore.release();
                        }
                    }
                    default -> throw new IllegalArgumentException("command " + command);
                }
                done.put((int) sum);
            }
        };
    }

    private int command(int command) throws InterruptedException {
        commands.put(command);
        return done.take();
    }

    /** One AtomicLong.get() from the child: CALL to the root, REPLY back. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(CALLS)
    public int childAtomicGet() throws InterruptedException {
        return command(GETS);
    }

    /** The same get() in the root: the object itself. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long rootAtomicGet() {
        return atomic.get();
    }

    /** An uncontended lock() + unlock() in the root: a CAS and a swap on the lock's word. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void rootLockUnlock() {
        lock.lock();
        lock.unlock();
    }

    /** An uncontended acquire() + release() in the root (the root's changes carry no journal). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void rootSemaphoreAcquireRelease() throws InterruptedException {
        semaphore.acquire();
        semaphore.release();
    }

    /** The same lock() + unlock() in the child, on the mapped file. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(FAST_CALLS)
    public int childLockUnlock() throws InterruptedException {
        return command(LOCKS);
    }

    /** The same acquire() + release() in the child: journal, CAS and count of held permits each. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(FAST_CALLS)
    public int childSemaphoreAcquireRelease() throws InterruptedException {
        return command(PERMITS);
    }

    /** Items/s: the root puts ITEMS ints, the child takes them (primitives.py's queue_stream, child running). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ITEMS)
    public int queueRootToChild() throws InterruptedException {
        commands.put(TAKE);
        for (int i = 0; i < ITEMS; i++) {
            items.put(i);
        }
        return done.take();
    }

    /** Items/s: the child puts ITEMS ints, the root takes them. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ITEMS)
    public long queueChildToRoot() throws InterruptedException {
        commands.put(PUT);
        long sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            sum += items.take();
        }
        return sum + done.take();
    }

    /** Items/s: put then take on a queue of the root, in the root (each put serializes a copy, each take reads it). */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ITEMS)
    public long queueRootLocal() throws InterruptedException {
        long sum = 0;
        for (int i = 0; i < ITEMS; i++) {
            local.put(i);
            sum += local.take();
        }
        return sum;
    }
}
