package dev.procpool.bench;

import dev.procpool.ProcessPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A steady load to attach a profiler to (JFR, perf, strace): one 2-worker pool runs one operation over and over for
 * a number of seconds after a warm-up, then prints the operations done and the time per operation. The worker pids
 * go to stderr first.
 *
 * <pre>java -XX:StartFlightRecording=filename=sup.jfr -cp bench/target/benchmarks.jar dev.procpool.bench.ProfileLoad
 *     apply|applyAsync20k|map1M|map20kcs1|payload1MiB SECONDS</pre>
 */
public final class ProfileLoad {
    private ProfileLoad() {
    }

    public static void main(String[] args) {
        String op = args[0];
        double seconds = Double.parseDouble(args[1]);
        List<byte[]> payload = new ArrayList<>();
        if (op.equals("payload1MiB")) {
            for (int i = 0; i < 200; i++) {
                payload.add(new byte[1024 * 1024]);
            }
        }
        try (ProcessPool pool = Pools.create(2)) {
            System.err.println("worker pids " + pool.workerPids());
            Runnable once = switch (op) {
                case "apply" -> () -> pool.apply(Tasks.SQUARE, 3);
                case "applyAsync20k" -> () -> {
                    List<CompletableFuture<Integer>> futures = new ArrayList<>(20_000);
                    for (int i = 0; i < 20_000; i++) {
                        futures.add(pool.applyAsync(Tasks.SQUARE, i));
                    }
                    futures.forEach(CompletableFuture::join);
                };
                case "map1M" -> () -> pool.map(Tasks.SQUARE, Range.of(1_000_000));
                case "map20kcs1" -> () -> pool.map(Tasks.SQUARE, Range.of(20_000), 1);
                case "payload1MiB" -> () -> pool.map(Tasks.IDENTITY, payload, 1);
                default -> throw new IllegalArgumentException("unknown operation " + op);
            };
            long warmUntil = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                once.run();
            }
            System.err.println("measuring");
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long ops = 0;
            while (System.nanoTime() < end) {
                once.run();
                ops++;
            }
            double dt = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s: %d ops in %.2f s, %.1f us/op%n", op, ops, dt, dt / ops * 1e6);
        }
    }
}
