package dev.procpool.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.procpool.JvmProcess;
import dev.procpool.shared.Shared;
import dev.procpool.shared.SharedAtomicLong;
import dev.procpool.shared.SharedCondition;
import dev.procpool.shared.SharedEvent;
import dev.procpool.shared.SharedJoinableQueue;
import dev.procpool.shared.SharedLock;
import dev.procpool.shared.SharedMap;
import dev.procpool.shared.SharedQueue;
import dev.procpool.shared.SharedSemaphore;
import dev.procpool.worker.ProcessTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * The procpool side of ../shared/anchors/python-mp/primitives.py: JvmProcess children and shared objects, workload by
 * workload with the script's sizes and timers, one JSON line per measurement with the script's field names
 * ({@code "name": "procpool.queue_stream"} where it prints {@code "mp_fork.queue_stream"}).
 *
 * <p>Where primitives.py's timer runs while its children start ({@code queue_stream}, {@code joinable_queue}), the
 * timer here includes the JVM start of the children too; a second line {@code <name>.children_ready} times the same
 * work once the children have said they run (not in the Python script: what a long-lived child sees). Where the
 * script sleeps until both children are up ({@code timed_pair}), the children here say so through a semaphore.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.procpool.bench.PrimitivesSideBySide [--reps N] [--only a,b]</pre>
 * Workloads: process_start_join, queue_stream, queue_pingpong, joinable_queue, lock_counter, event_pingpong,
 * semaphore, condition_pingpong, manager_dict, manager_queue.
 */
public final class PrimitivesSideBySide {
    static final List<String> ALL = List.of("process_start_join", "queue_stream", "queue_pingpong", "joinable_queue",
            "lock_counter", "event_pingpong", "semaphore", "condition_pingpong", "manager_dict", "manager_queue");
    private static final Duration END = Duration.ofMinutes(2);
    private int rep;

    public static void main(String[] args) throws InterruptedException {
        PrimitivesSideBySide bench = new PrimitivesSideBySide();
        int reps = 1;
        List<String> only = ALL;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: PrimitivesSideBySide [--reps N] [--only workload,...]");
            }
        }
        boolean allOk = true;
        for (int r = 1; r <= reps; r++) {
            bench.rep = r;
            for (String workload : only) {
                allOk &= bench.run(workload);
            }
        }
        System.exit(allOk ? 0 : 1);
    }

    private boolean run(String workload) throws InterruptedException {
        long t = System.nanoTime();
        try {
            switch (workload) {
                case "process_start_join" -> processStartJoin();
                case "queue_stream" -> queueStream();
                case "queue_pingpong" -> queuePingPong();
                case "joinable_queue" -> joinableQueue();
                case "lock_counter" -> lockCounter();
                case "event_pingpong" -> eventPingPong();
                case "semaphore" -> semaphore();
                case "condition_pingpong" -> conditionPingPong();
                case "manager_dict" -> managerDict();
                case "manager_queue" -> managerQueue();
                default -> throw new IllegalArgumentException("unknown workload " + workload);
            }
            System.err.printf("[PrimitivesSideBySide] rep %d %s: %.1f s%n", rep, workload, seconds(t));
            return true;
        } catch (RuntimeException | AssertionError e) {
            emit("procpool." + workload + ".error", Json.obj().put("error", e.toString()));
            e.printStackTrace();
            return false;
        }
    }

    /** 50 sequential start(noop); join(). */
    private void processStartJoin() throws InterruptedException {
        int n = 50;
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            ends(start(() -> { }));
        }
        double dt = seconds(t); // before Json.obj(): the first JSON object of a JVM loads Jackson
        emit("procpool.process_start_join", Json.obj().put("per_s", n / dt));
    }

    /** The root puts 100,000 ints, one child takes them all; from the first put to the child's end. */
    private void queueStream() throws InterruptedException {
        int n = 100_000;
        for (boolean ready : new boolean[] {false, true}) {
            SharedQueue<Integer> q = Shared.queue();
            SharedSemaphore up = Shared.semaphore(0);
            JvmProcess p = start(() -> {
                up.release();
                drain(q, n);
            });
            if (ready) {
                up.acquire();
            }
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                q.put(i);
            }
            ends(p);
            double dt = seconds(t);
            emit("procpool.queue_stream" + (ready ? ".children_ready" : ""), Json.obj().put("items_per_s", n / dt));
        }
    }

    /** 5,000 round trips root -> child -> root over two queues, each timed. */
    private void queuePingPong() throws InterruptedException {
        int n = 5_000;
        SharedQueue<Integer> a = Shared.queue();
        SharedQueue<Integer> b = Shared.queue();
        JvmProcess p = start(() -> {
            for (int i = 0; i < n; i++) {
                b.put(a.take());
            }
        });
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            a.put(i);
            check(b.take() == i, "echo");
            lat[i] = System.nanoTime() - t;
        }
        ends(p);
        emit("procpool.queue_pingpong", Json.obj().put("median_us", medianUs(lat)));
    }

    /** 20,000 items and a sentinel per consumer, 2 consumers call taskDone, the root join()s. */
    private void joinableQueue() throws InterruptedException {
        int n = 20_000;
        for (boolean ready : new boolean[] {false, true}) {
            SharedJoinableQueue<Integer> jq = Shared.joinableQueue();
            SharedSemaphore up = Shared.semaphore(0);
            List<JvmProcess> cs = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                cs.add(start(() -> {
                    up.release();
                    while (true) {
                        int item = jq.take();
                        jq.taskDone();
                        if (item < 0) { // Python's None: a queue takes no null
                            break;
                        }
                    }
                }));
            }
            if (ready) {
                up.acquire(2);
            }
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                jq.put(i);
            }
            for (int c = 0; c < cs.size(); c++) {
                jq.put(-1);
            }
            jq.join();
            double dt = seconds(t);
            emit("procpool.joinable_queue" + (ready ? ".children_ready" : ""), Json.obj().put("items_per_s", n / dt));
            for (JvmProcess c : cs) {
                ends(c);
            }
        }
    }

    /** 2 children x 20,000 (lock; counter.set(counter.get() + 1); unlock): Python's counter.value += 1 is a read and a write. */
    private void lockCounter() throws InterruptedException {
        int n = 20_000;
        SharedLock lock = Shared.lock();
        SharedAtomicLong counter = Shared.atomicLong(0);
        double dt = timedPair(n, (go, up, out) -> () -> {
            up.release();
            go.await();
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lock.lock();
                try {
                    counter.set(counter.get() + 1);
                } finally {
                    lock.unlock();
                }
            }
            out.put(seconds(t));
        });
        emit("procpool.lock_counter", Json.obj().put("ops_per_s", 2 * n / dt).put("exact", counter.get() == 2L * n));
    }

    /** 2,000 round trips: the root sets ping and waits for pong; the child waits for ping, clears it, sets pong. */
    private void eventPingPong() throws InterruptedException {
        int n = 2_000;
        SharedEvent ping = Shared.event();
        SharedEvent pong = Shared.event();
        JvmProcess p = start(() -> {
            for (int i = 0; i < n; i++) {
                ping.await();
                ping.clear();
                pong.set();
            }
        });
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            ping.set();
            pong.await();
            pong.clear();
            lat[i] = System.nanoTime() - t;
        }
        ends(p);
        emit("procpool.event_pingpong", Json.obj().put("median_us", medianUs(lat)));
    }

    /** 2 children x 20,000 acquire/release of semaphore(1). */
    private void semaphore() throws InterruptedException {
        int n = 20_000;
        SharedSemaphore sem = Shared.semaphore(1);
        double dt = timedPair(n, (go, up, out) -> () -> {
            up.release();
            go.await();
            long t = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sem.acquire();
                sem.release();
            }
            out.put(seconds(t));
        });
        emit("procpool.semaphore", Json.obj().put("ops_per_s", 2 * n / dt));
    }

    /** 2,000 notify/wait round trips on a reentrant lock's condition; state in an atomic long (Python: a Value). */
    private void conditionPingPong() throws InterruptedException {
        int n = 2_000;
        SharedLock lock = Shared.reentrantLock();
        SharedCondition cond = lock.newCondition();
        SharedAtomicLong state = Shared.atomicLong(0);
        JvmProcess p = start(() -> {
            for (int i = 0; i < n; i++) {
                lock.lock();
                try {
                    while (state.get() != 2L * i + 1) {
                        cond.await();
                    }
                    state.incrementAndGet();
                    cond.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        });
        long[] lat = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            lock.lock();
            try {
                state.incrementAndGet();
                cond.signalAll();
                while (state.get() != 2L * i + 2) {
                    cond.await();
                }
            } finally {
                lock.unlock();
            }
            lat[i] = System.nanoTime() - t;
        }
        ends(p);
        emit("procpool.condition_pingpong", Json.obj().put("median_us", medianUs(lat)));
    }

    /** One child: 5,000 puts then 5,000 gets on a shared map; timed with the child's start and inside it. */
    private void managerDict() throws InterruptedException {
        int n = 5_000;
        SharedMap<Integer, Integer> d = Shared.map();
        SharedQueue<Double> out = Shared.queue();
        long t = System.nanoTime();
        JvmProcess p = start(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                d.put(i, i);
            }
            for (int i = 0; i < n; i++) {
                if (d.get(i) != i) {
                    throw new AssertionError("d[" + i + "]");
                }
            }
            out.put(seconds(t0));
        });
        double inside = out.take();
        ends(p);
        double dt = seconds(t);
        emit("procpool.manager_dict", Json.obj().put("ops_per_s", 2 * n / dt)
                .put("child_ops_per_s", 2 * n / inside).put("size", d.size()));
    }

    /** 10,000 items root -> child; procpool has one queue, so this is queue_stream's queue with fewer items. */
    private void managerQueue() throws InterruptedException {
        int n = 10_000;
        SharedQueue<Integer> q = Shared.queue();
        JvmProcess p = start(() -> drain(q, n));
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            q.put(i);
        }
        ends(p);
        double dt = seconds(t);
        emit("procpool.manager_queue", Json.obj().put("items_per_s", n / dt));
    }

    /** What each of timedPair's two children runs, given the go event, the "I am up" semaphore and the out queue. */
    @FunctionalInterface
    private interface PairTarget {
        ProcessTarget of(SharedEvent go, SharedSemaphore up, SharedQueue<Double> out);
    }

    /** primitives.py's timed_pair: two children run the loop once both are up; seconds of the slower one's loop. */
    private double timedPair(int n, PairTarget target) throws InterruptedException {
        SharedEvent go = Shared.event();
        SharedSemaphore up = Shared.semaphore(0);
        SharedQueue<Double> out = Shared.queue();
        List<JvmProcess> ps = List.of(start(target.of(go, up, out)), start(target.of(go, up, out)));
        up.acquire(2); // both children are up (the script sleeps 0.5 s fork / 2 s spawn)
        go.set();
        double dt = Math.max(out.take(), out.take());
        for (JvmProcess p : ps) {
            ends(p);
        }
        return dt;
    }

    private static void drain(SharedQueue<Integer> q, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            q.take();
        }
    }

    private static JvmProcess start(ProcessTarget target) {
        return JvmProcess.builder().jvmArgs(Pools.workerJvmArgs().toArray(String[]::new)).start(target);
    }

    private static void ends(JvmProcess p) throws InterruptedException {
        check(p.join(END), p + " did not end");
        check(p.exitCode().equals(OptionalInt.of(0)), p + " failed: " + p.failure().map(Throwable::toString).orElse(
                "exit code " + p.exitCode()));
    }

    private static double medianUs(long[] nanos) {
        double[] us = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            us[i] = nanos[i] / 1000.0;
        }
        Arrays.sort(us);
        return Stats.median(us);
    }

    private void emit(String name, ObjectNode fields) {
        ObjectNode line = Json.obj().put("script", "PrimitivesSideBySide").put("name", name);
        line.setAll(fields);
        line.put("rep", rep).put("worker_jvm_args", String.join(" ", Pools.workerJvmArgs()));
        System.out.println(Json.line(line));
        System.out.flush();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
