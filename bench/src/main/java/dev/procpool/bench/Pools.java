package dev.procpool.bench;

import dev.procpool.ProcessPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How every benchmark builds its pools, so that worker JVM options can be varied from outside. */
public final class Pools {
    /** Extra worker JVM options, separated by spaces, e.g. {@code -Dprocpool.bench.workerJvmArgs="-Xss512k"}. */
    public static final String WORKER_JVM_ARGS_PROPERTY = "procpool.bench.workerJvmArgs";

    private Pools() {
    }

    public static ProcessPool.Builder builder(int workers) {
        return ProcessPool.builder().workers(workers).jvmArgs(workerJvmArgs().toArray(String[]::new));
    }

    public static ProcessPool create(int workers) {
        return builder(workers).build();
    }

    public static List<String> workerJvmArgs() {
        return split(System.getProperty(WORKER_JVM_ARGS_PROPERTY, ""));
    }

    static List<String> split(String args) {
        List<String> list = new ArrayList<>(Arrays.asList(args.trim().split("\\s+")));
        list.removeIf(String::isEmpty);
        return list;
    }

    /** The chunksize ProcessPool.map and Python's Pool.map choose: ceil(n / (4 * workers)). */
    public static int defaultChunksize(int items, int workers) {
        int perRound = 4 * workers;
        return Math.max(1, (items + perRound - 1) / perRound);
    }
}
