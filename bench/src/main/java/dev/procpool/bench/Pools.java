package dev.procpool.bench;

import dev.procpool.ProcessPool;
import dev.procpool.Slurm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** How every benchmark builds its pools, so that worker JVM options can be varied from outside. */
public final class Pools {
    /** Extra worker JVM options, separated by spaces, e.g. {@code -Dprocpool.bench.workerJvmArgs="-Xss512k"}. */
    public static final String WORKER_JVM_ARGS_PROPERTY = "procpool.bench.workerJvmArgs";
    /**
     * A Slurm job id, e.g. {@code -Dprocpool.bench.slurm=42}: the pools run their workers as job steps of that
     * allocation (compare.sh requests one when Slurm is there) instead of on this machine.
     */
    public static final String SLURM_PROPERTY = "procpool.bench.slurm";

    private Pools() {
    }

    public static ProcessPool.Builder builder(int workers) {
        ProcessPool.Builder builder = ProcessPool.builder().workers(workers)
                .jvmArgs(workerJvmArgs().toArray(String[]::new));
        return launcher().isEmpty() ? builder : builder.slurm(Slurm.allocation(launcher()));
    }

    /** The Slurm job the workers run in, or "" when they run on this machine. */
    public static String launcher() {
        return System.getProperty(SLURM_PROPERTY, "").trim();
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
