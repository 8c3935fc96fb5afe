package dev.procpool.examples;

import dev.procpool.ProcessPool;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * CPU-bound speed-up: the same 400 tasks run serially and on a pool of 2, timed. Port of the timing program in
 * reference/concurrency-2.zh.txt ("总耗时", three processes run side by side) with the CPU-bound task of
 * anchors/python-pool/cpu_scaling.py (SHA-256 of a 1 KiB buffer, 2,000 times) instead of sleeping. The figures
 * depend on the machine; a busy one shows less speed-up.
 */
public final class CpuSpeedupExample {
    private static final int TASKS = 400;
    private static final int ITERATIONS = 2000;
    private static final byte[] BUFFER = new byte[1024];

    static {
        for (int i = 0; i < BUFFER.length; i++) {
            BUFFER[i] = (byte) i;
        }
    }

    private CpuSpeedupExample() {
    }

    static int task(int i) throws NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] hash = null;
        for (int n = 0; n < ITERATIONS; n++) {
            hash = sha256.digest(BUFFER);
        }
        return hash[0] ^ (i & 0xFF);
    }

    public static void main(String[] args) throws NoSuchAlgorithmException {
        List<Integer> inputs = IntStream.range(0, TASKS).boxed().toList();
        for (int i = 0; i < 50; i++) {
            task(i); // let the JIT compile it before timing, in fairness to the serial run
        }
        long start = System.nanoTime();
        int[] serial = new int[TASKS];
        for (int i = 0; i < TASKS; i++) {
            serial[i] = task(i);
        }
        double serialSeconds = (System.nanoTime() - start) / 1e9;

        try (ProcessPool pool = ProcessPool.create(2)) {
            pool.map(CpuSpeedupExample::task, IntStream.range(0, 100).boxed().toList(), 1); // warm the workers too
            start = System.nanoTime();
            List<Integer> parallel = pool.map(CpuSpeedupExample::task, inputs, 1);
            double poolSeconds = (System.nanoTime() - start) / 1e9;

            System.out.printf("serial : %d tasks in %.3f s%n", TASKS, serialSeconds);
            System.out.printf("pool(2): %d tasks in %.3f s%n", TASKS, poolSeconds);
            System.out.printf("speed-up: %.2fx%n", serialSeconds / poolSeconds);
            System.out.println("same results: " + parallel.equals(IntStream.of(serial).boxed().toList()));
        }
    }
}
