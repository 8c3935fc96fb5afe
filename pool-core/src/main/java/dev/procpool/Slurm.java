package dev.procpool;

import dev.procpool.internal.slurm.SlurmSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a pool's workers run on a Slurm cluster ({@link ProcessPool.Builder#slurm}): each worker is a job step of
 * one allocation, started with {@code srun --jobid=J --exact -u -N1 -n1 -c1 --nodelist=node} and spread over the
 * allocation's nodes; it connects back to this JVM over TCP with a one-time token and speaks the pool's protocol
 * there. Everything else is as with local workers (recycling, timeouts, cancellation, replacement, heartbeats).
 * When the pool ends, or this JVM dies, the pool's steps are cancelled; an allocation the pool requested itself is
 * released.
 *
 * <p>The nodes must be able to run the worker: the same {@code java} path and the classpath at the same paths
 * (a shared file system), and they must reach this machine by its host name ({@link #supervisorHost} otherwise).
 * Each worker takes one CPU of the allocation ({@code -c1}; more with {@link #srunArgs}): give the pool at most as
 * many workers as the allocation has CPUs, or the extra steps wait for a CPU until their start times out (60 s, or
 * the heartbeat timeout if longer). A replacement for a retiring worker waits for its predecessor's CPU.
 */
public final class Slurm {
    private final String jobId;
    private final List<String> sallocArgs;
    private final List<String> srunArgs;
    private final String supervisorHost;

    private Slurm(String jobId, List<String> sallocArgs, List<String> srunArgs, String supervisorHost) {
        this.jobId = jobId;
        this.sallocArgs = List.copyOf(sallocArgs);
        this.srunArgs = List.copyOf(srunArgs);
        this.supervisorHost = supervisorHost;
    }

    /**
     * The allocation this JVM runs in ({@code $SLURM_JOB_ID}, set inside {@code salloc} and {@code sbatch}); the
     * pool cancels its own steps at the end, never the job.
     *
     * @throws IllegalStateException outside an allocation
     */
    public static Slurm currentAllocation() {
        String job = System.getenv("SLURM_JOB_ID");
        if (job == null || job.isBlank()) {
            throw new IllegalStateException("SLURM_JOB_ID is not set: this JVM does not run inside a Slurm "
                    + "allocation (use salloc or sbatch, or Slurm.newAllocation)");
        }
        return allocation(job);
    }

    /** A running allocation by its job id; as {@link #currentAllocation()}. */
    public static Slurm allocation(String jobId) {
        if (!Objects.requireNonNull(jobId, "jobId").matches("\\d+")) {
            throw new IllegalArgumentException("a Slurm job id is a number, was '" + jobId + "'");
        }
        return new Slurm(jobId, List.of(), List.of(), null);
    }

    /**
     * An allocation the pool requests when it is built, with {@code salloc --no-shell} and these options (for
     * example {@code "-N2", "-n4", "--time=30"}; {@code --immediate=60} bounds the wait in the queue), and
     * releases with {@code scancel} when it ends.
     */
    public static Slurm newAllocation(String... sallocArgs) {
        return new Slurm(null, checked(sallocArgs), List.of(), null);
    }

    /** Extra srun options for every worker step (for example {@code "--mem=2G"}), after procpool's own. */
    public Slurm srunArgs(String... args) {
        List<String> all = new ArrayList<>(srunArgs);
        all.addAll(checked(args));
        return new Slurm(jobId, sallocArgs, all, supervisorHost);
    }

    /** The name or address of this machine that the nodes connect to. Default: this machine's host name. */
    public Slurm supervisorHost(String host) {
        return new Slurm(jobId, sallocArgs, srunArgs, Objects.requireNonNull(host, "host"));
    }

    SlurmSettings settings() {
        return new SlurmSettings(jobId, sallocArgs, srunArgs, supervisorHost);
    }

    private static List<String> checked(String... args) {
        List<String> list = new ArrayList<>();
        for (String arg : args) {
            list.add(Objects.requireNonNull(arg, "argument"));
        }
        return list;
    }

    @Override
    public String toString() {
        return jobId != null ? "Slurm job " + jobId : "new Slurm allocation " + sallocArgs;
    }
}
