package dev.procpool.bench;

import dev.procpool.worker.Task;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The tasks of the Python anchors, as procpool tasks (one shared instance each, so the pool sends each once). */
public final class Tasks {
    /** {@code f(x) = x * x} of map_throughput.py, apply_latency.py and recycle_pool.py. */
    public static final Task<Integer, Integer> SQUARE = x -> x * x;
    /** {@code identity(x)} of payload.py. */
    public static final Task<byte[], byte[]> IDENTITY = x -> x;
    /** {@code getpid(_)} of recycle_pool.py. */
    public static final Task<Integer, Long> GETPID = x -> ProcessHandle.current().pid();
    /** {@code task(i)} of cpu_scaling.py: sha256 of one 1 KiB buffer, {@link #SHA_ITERATIONS} times. */
    public static final Task<Integer, Integer> SHA256 = Tasks::sha256Task;

    /** cpu_scaling.py's ITERS. */
    public static final int SHA_ITERATIONS = 2000;
    /** cpu_scaling.py's BUF = bytes(range(256)) * 4. */
    private static final byte[] BUF = new byte[1024];

    static {
        for (int i = 0; i < BUF.length; i++) {
            BUF[i] = (byte) i;
        }
    }

    private Tasks() {
    }

    /** Same work and result as cpu_scaling.py's task(i): {@code h[0] ^ (i & 0xFF)}. */
    public static int sha256Task(int i) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] h = null;
        for (int k = 0; k < SHA_ITERATIONS; k++) {
            h = sha.digest(BUF);
        }
        return (h[0] & 0xFF) ^ (i & 0xFF);
    }
}
