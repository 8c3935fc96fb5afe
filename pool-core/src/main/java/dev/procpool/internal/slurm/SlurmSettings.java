package dev.procpool.internal.slurm;

import java.util.List;

/**
 * Where a pool's workers run on Slurm, as the public {@code dev.procpool.Slurm} value describes it.
 *
 * @param jobId          the allocation the workers run in; null: the pool requests its own with salloc
 * @param sallocArgs     options for {@code salloc --no-shell} when the pool requests its allocation
 * @param srunArgs       extra options for each worker's {@code srun}, after procpool's own (so that they win)
 * @param supervisorHost the name or address the workers connect back to; null: this machine's host name
 */
public record SlurmSettings(String jobId, List<String> sallocArgs, List<String> srunArgs, String supervisorHost) {
    public SlurmSettings {
        sallocArgs = List.copyOf(sallocArgs);
        srunArgs = List.copyOf(srunArgs);
    }
}
