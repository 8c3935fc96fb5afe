package dev.procpool.internal;

import dev.procpool.protocol.Message;
import java.util.concurrent.TimeUnit;
import dev.procpool.internal.slurm.SlurmSettings;
import dev.procpool.internal.classpath.ClassSources;

/**
 * Everything a supervisor needs, validated by the builder.
 *
 * @param workers            number of worker slots
 * @param maxTasksPerChild   tasks (apply calls or map chunks) a worker runs before it is replaced; 0 = unlimited
 * @param maxMemoryPerChild  resident bytes above which a worker retires after its task; 0 = unlimited
 * @param taskTimeoutNanos   default limit on one input's run time; 0 = none
 * @param heartbeatTimeoutNanos silence after which a worker counts as hung or stopped and is killed
 * @param exitGraceNanos     time a worker told to exit may take (its shutdown hooks) before it is halted
 * @param maxFrameBytes      largest payload of one frame
 * @param initializer        serialized initializer, or null
 * @param initializerHandles the shared objects the initializer refers to
 * @param command            makes the workers' command lines
 * @param classLoader        loads result and exception classes in the supervisor
 * @param classes            the workers' user classpath and the loaders that answer their requests for classes
 * @param slurm              where the workers run on Slurm; null: on this machine
 */
public record PoolConfig(int workers, int maxTasksPerChild, long maxMemoryPerChild, long taskTimeoutNanos,
                         long heartbeatTimeoutNanos, long exitGraceNanos, int maxFrameBytes, byte[] initializer,
                         long[] initializerHandles, WorkerCommand command, ClassLoader classLoader,
                         ClassSources classes, SlurmSettings slurm) {
    /** What a pool worker in {@code slot} is told at its start. */
    Message.Init initFor(int slot, long token) {
        return new Message.Init(Message.Init.POOL_WORKER, slot, "PoolWorker-" + slot, token, false,
                ProcessHandle.current().pid(), Math.max(1, TimeUnit.NANOSECONDS.toMillis(heartbeatTimeoutNanos) / 4),
                TimeUnit.NANOSECONDS.toMillis(exitGraceNanos), maxMemoryPerChild, maxFrameBytes,
                classes.userClasspath(), initializer);
    }
}
