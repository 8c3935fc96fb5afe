package dev.procpool.internal;

import dev.procpool.WorkerStartException;
import dev.procpool.internal.slurm.SlurmLauncher;
import java.io.IOException;

/** The launcher a pool's configuration asks for: this machine, or job steps of a Slurm allocation. */
final class Launchers {
    private Launchers() {
    }

    /** @throws WorkerStartException when the Slurm allocation cannot be found or obtained */
    static Launcher forConfig(PoolConfig config) {
        if (config.slurm() == null) {
            return new LocalLauncher(config.command());
        }
        try {
            return SlurmLauncher.open(config.slurm(), config.command(), config.heartbeatTimeoutNanos());
        } catch (IOException e) {
            throw new WorkerStartException("no Slurm allocation for the workers: " + e.getMessage(), e);
        }
    }
}
